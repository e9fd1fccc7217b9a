"""Public responses on a pair's or a candidate's eligibility (*masukan dan tanggapan masyarakat*,
docs/domain.md §9.2): anyone may send one while the election's ``Stage.PUBLIC_RESPONSE`` window is open; the
KPU operator of the area clarifies it with the pair and records its outcome."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .elections import Election
from .pairs import Candidate, CandidatePair


class ResponseStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    CLARIFIED = "clarified", _("Sudah diklarifikasi")
    DECIDED = "decided", _("Sudah diputuskan")


class ResponseOutcome(models.TextChoices):
    UPHELD = "upheld", _("Terbukti")
    NOT_UPHELD = "not_upheld", _("Tidak terbukti")


class PublicResponse(models.Model):
    """One response from a member of the public. The sender's identity (name, NIK, contact) is personal data:
    shown through ``silon.privacy`` only, never on the public site, which shows counts."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(CandidatePair, on_delete=models.PROTECT, related_name="public_responses")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("isi tanggapan"), max_length=4000)
    sender_name = models.CharField(_("nama pengirim"), max_length=100)
    sender_nik = models.CharField(_("NIK pengirim"), max_length=16)
    sender_contact = models.CharField(_("kontak pengirim"), max_length=120)
    evidence = models.FileField(_("bukti"), upload_to="public-responses/%Y/%m/", blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.RECEIVED
    )
    clarification = models.TextField(_("hasil klarifikasi dengan pasangan calon"), blank=True)
    clarified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clarified_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=12, choices=ResponseOutcome.choices, blank=True)
    outcome_reason = models.TextField(_("alasan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("tanggapan masyarakat")
        verbose_name_plural = _("tanggapan masyarakat")
        indexes = [models.Index(fields=["pair", "status"], name="public_response_pair_status")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.pair}"
