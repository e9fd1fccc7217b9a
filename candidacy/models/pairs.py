"""Candidate pairs, their status history and the two candidates of each."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .elections import Election


class Path(models.TextChoices):
    PARTY = "party", _("Partai politik / gabungan")
    INDEPENDENT = "independent", _("Perseorangan")


class SupportStatus(models.TextChoices):
    """Where an independent pair stands on its support gate (set by support_uploads through candidacy
    services); empty for party-backed pairs."""

    NOT_APPLICABLE = "", _("Tidak berlaku")
    COLLECTING = "collecting", _("Mengumpulkan dukungan")
    SUBMITTED = "submitted", _("Dukungan diserahkan")
    MS = "ms", _("Memenuhi syarat")
    BMS = "bms", _("Belum memenuhi syarat")
    TMS = "tms", _("Tidak memenuhi syarat")


class PairStatus(models.TextChoices):
    """Where a pair stands in candidacy; the allowed moves are ``candidacy.status.PAIR_TRANSITIONS``."""

    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Didaftarkan")
    UNDER_REVIEW = "under_review", _("Penelitian dokumen")
    NEEDS_CORRECTION = "needs_correction", _("Perlu perbaikan")
    CORRECTED = "corrected", _("Perbaikan diserahkan")
    MEETS = "meets", _("Memenuhi syarat")
    DOES_NOT_MEET = "does_not_meet", _("Tidak memenuhi syarat")
    DETERMINED = "determined", _("Ditetapkan")
    BALLOT_ASSIGNED = "ballot_assigned", _("Nomor urut ditetapkan")


class CandidatePair(models.Model):
    """A *pasangan calon* (paslon) of one election."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="pairs")
    path = models.CharField(_("jalur"), max_length=12, choices=Path.choices)
    name = models.CharField(_("nama pasangan"), max_length=255)
    status = models.CharField(_("status"), max_length=30, choices=PairStatus.choices, default=PairStatus.DRAFT)
    support_status = models.CharField(
        _("status dukungan"), max_length=12, choices=SupportStatus.choices, blank=True, default=""
    )
    ballot_number = models.PositiveSmallIntegerField(_("nomor urut"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["election", "ballot_number", "id"]
        verbose_name = _("pasangan calon")
        verbose_name_plural = _("pasangan calon")
        # Granted per object (django-guardian) to the pair's own team: its LO accounts or its party admin.
        permissions = [("operate_pair", _("Bertindak sebagai tim pasangan calon"))]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "ballot_number"],
                condition=models.Q(ballot_number__isnull=False),
                name="pair_unique_ballot_number",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PairStatusChange(models.Model):
    """One move of a pair's status: who, when, why. ``CandidatePair.status`` is the latest ``to_status``."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(_("dari"), max_length=30, choices=PairStatus.choices)
    to_status = models.CharField(_("ke"), max_length=30, choices=PairStatus.choices)
    reason = models.TextField(_("alasan"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["pair", "changed_at", "id"]
        verbose_name = _("riwayat status pasangan")
        verbose_name_plural = _("riwayat status pasangan")

    def __str__(self) -> str:
        return f"{self.pair}: {self.from_status} → {self.to_status}"


class CandidateRole(models.TextChoices):
    HEAD = "head", _("Calon kepala daerah")
    DEPUTY = "deputy", _("Calon wakil kepala daerah")
    DPD = "dpd", _("Calon anggota DPD")  # a DPD candidacy holds this one candidate (UU 7/2017 Pasal 182)


class Sex(models.TextChoices):
    MALE = "M", _("Laki-laki")
    FEMALE = "F", _("Perempuan")


# What is entered about a candidate, in form order: the one list that the page form, the API's input and detail
# serializers, the form's initial values, the detail page (``templates/candidacy/candidate_detail.html``, its
# personal fields through ``access.candidate_values``) and ``services.candidate_set`` share (besides the pair, the
# role and the photo). ``tests/candidacy/test_candidate_fields.py`` holds each of them to it.
CANDIDATE_FIELDS = (
    "nik",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "address",
    "education",
    "occupation",
    "cv_summary",
    "cv_publication_consent",
)


class Candidate(models.Model):
    """A person standing as head or deputy of a pair. NIK and address are personal data (UU 27/2022)."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="candidates")
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("kedudukan"), max_length=6, choices=CandidateRole.choices)
    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("nama lengkap"), max_length=200)
    birth_place = models.CharField(_("tempat lahir"), max_length=100)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    address = models.TextField(_("alamat"))
    education = models.CharField(_("pendidikan terakhir"), max_length=100)
    occupation = models.CharField(_("pekerjaan"), max_length=100)
    photo = models.FileField(_("pas foto"), upload_to="candidacy/photos/%Y/", blank=True)
    cv_summary = models.TextField(_("riwayat hidup singkat"), blank=True)
    cv_publication_consent = models.BooleanField(_("bersedia riwayat hidup dipublikasikan"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pair", "role"]
        verbose_name = _("calon")
        verbose_name_plural = _("calon")
        constraints = [
            models.UniqueConstraint(fields=["pair", "role"], name="candidate_one_per_role"),
            # One person stands in one pair per election.
            models.UniqueConstraint(fields=["election", "nik"], name="candidate_one_pair_per_election"),
        ]

    def __str__(self) -> str:
        return self.name
