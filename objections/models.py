from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from candidacy.models import CandidatePair, Election
from support_uploads.models import Supporter


class PublicCheck(models.Model):
    """One public self-check (docs/domain.md §9.2), kept without the NIK: ``nik_hash`` is its keyed hash
    (``objections.hashing.nik_hash``), so the rate limits and the open-data counts work and nobody reading the
    table learns whose NIK was asked about. ``matches`` counts the listings the check found (NIK and name)."""

    checked_at = models.DateTimeField()
    nik_hash = models.CharField(max_length=64)
    matches = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-checked_at"]
        verbose_name = _("cek dukungan publik")
        verbose_name_plural = _("cek dukungan publik")
        indexes = [models.Index(fields=["checked_at"], name="public_check_at")]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M}"


class PublicCheckMatch(models.Model):
    """One election a check asked about, and the pair it found the NIK listed for (none: not listed). The
    per-pair count of checks on the open-data page; a row per election whatever the answer, so a listed NIK
    costs the same writes as one that is not."""

    check_run = models.ForeignKey(PublicCheck, on_delete=models.CASCADE, related_name="matched")
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    pair = models.ForeignKey(CandidatePair, null=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("hasil cek per pasangan")
        verbose_name_plural = _("hasil cek per pasangan")

    def __str__(self) -> str:
        return f"{self.check_run_id}:{self.pair_id}"


class ObjectionStatus(models.TextChoices):
    FILED = "filed", _("Diterima, menunggu klarifikasi")
    CONFIRMED = "confirmed", _("Dikonfirmasi: dukungan dinyatakan TMS")
    REJECTED = "rejected", _("Tidak dikonfirmasi")


class Objection(models.Model):
    """A person's statement "Saya tidak memberikan dukungan ini" against one supporter row, its clarification
    (BA.5-KWK) and KPU's decision. The NIK is not copied here: the row holds it, ``nik_hash`` finds it."""

    receipt = models.CharField(_("kode tanda terima"), max_length=32, unique=True)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(CandidatePair, on_delete=models.PROTECT, related_name="objections")
    supporter = models.ForeignKey(Supporter, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    region_code = models.CharField(max_length=13)  # the election's region: whose operators decide
    nik_hash = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("nama pelapor"), max_length=200)
    statement = models.TextField(_("pernyataan"))
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    ktp_photo = models.ImageField(_("foto KTP"), upload_to="objections/ktp/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ObjectionStatus.choices, default="filed")
    filed_at = models.DateTimeField(_("diajukan"))
    clarified_on = models.DateField(_("tanggal klarifikasi (BA.5-KWK)"), null=True, blank=True)
    clarification_notes = models.TextField(_("catatan klarifikasi"), blank=True)
    clarification_scan = models.FileField(_("pindaian BA.5-KWK"), upload_to="objections/ba5/%Y/%m/", blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")
        indexes = [models.Index(fields=["region_code", "status"], name="objection_region_status")]

    def __str__(self) -> str:
        return self.receipt
