from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import RegionListVersion


class PartyRule(models.TextChoices):
    VOTES_AT_DPT_BANDS = "votes_dpt_bands", _("Suara sah DPRD sesuai pita DPT (MK 60/PUU-XXII/2024)")
    SEATS_OR_VOTES = "seats_or_votes", _("20% kursi atau 25% suara sah DPRD")


class BandScope(models.TextChoices):
    """Whose DPT a band reads: a province's (governor) or a kab/kota's (regent, mayor)."""

    PROVINCE = "province", _("Provinsi (gubernur)")
    REGENCY = "regency", _("Kabupaten/kota (bupati, wali kota)")


class RegulationVersion(models.Model):
    """The rules in force for an election cycle: support bands (UU 10/2016 Pasal 41) and the party rule.

    A change in the law is a new row, never an edit of one in use.
    """

    name = models.CharField(_("nama"), max_length=200, unique=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    effective_from = models.DateField(_("berlaku sejak"))
    party_rule = models.CharField(_("syarat jalur partai"), max_length=20, choices=PartyRule.choices)
    party_seat_percent = models.DecimalField(_("persen kursi"), max_digits=5, decimal_places=2, null=True, blank=True)
    party_vote_percent = models.DecimalField(_("persen suara"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("versi regulasi")
        verbose_name_plural = _("versi regulasi")

    def __str__(self) -> str:
        return self.name


class ThresholdBand(models.Model):
    """One DPT band: up to ``dpt_up_to`` voters (inclusive; null = no upper bound) the share is ``percent``."""

    regulation = models.ForeignKey(RegulationVersion, on_delete=models.CASCADE, related_name="bands")
    scope = models.CharField(_("cakupan"), max_length=10, choices=BandScope.choices)
    dpt_up_to = models.PositiveBigIntegerField(_("DPT sampai dengan"), null=True, blank=True)
    percent = models.DecimalField(_("persen"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["regulation", "scope", models.F("dpt_up_to").asc(nulls_last=True)]
        verbose_name = _("pita ambang batas")
        verbose_name_plural = _("pita ambang batas")
        constraints = [
            models.UniqueConstraint(fields=["regulation", "scope", "dpt_up_to"], name="band_unique_edge"),
        ]

    def __str__(self) -> str:
        upper = f"≤ {self.dpt_up_to:,}" if self.dpt_up_to else "∞"
        return f"{self.regulation} {self.scope} {upper}: {self.percent}%"


class ElectionType(models.TextChoices):
    GOVERNOR = "governor", _("Gubernur dan Wakil Gubernur")
    REGENT = "regent", _("Bupati dan Wakil Bupati")
    MAYOR = "mayor", _("Wali Kota dan Wakil Wali Kota")


class Election(models.Model):
    """A *pemilihan* (Pilkada) of one region, tied to one region-list version."""

    name = models.CharField(_("nama"), max_length=200)
    type = models.CharField(_("jenis"), max_length=10, choices=ElectionType.choices)
    region_version = models.ForeignKey(RegionListVersion, on_delete=models.PROTECT, related_name="elections")
    regulation = models.ForeignKey(RegulationVersion, on_delete=models.PROTECT, related_name="elections")
    region_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True)
    region_name = models.CharField(_("nama wilayah"), max_length=255)
    polling_day = models.DateField(_("hari pemungutan suara"))
    dpt = models.PositiveBigIntegerField(_("DPT"), help_text=_("Jumlah pemilih pada DPT terakhir wilayah ini."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region_code", "-polling_day"]
        verbose_name = _("pemilihan")
        verbose_name_plural = _("pemilihan")

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    """The dated stages of candidacy (DOMAIN.md §3). Every service checks its stage's window."""

    SUPPORT_SUBMISSION = "support_submission", _("Penyerahan dukungan")
    ADMIN_VERIFICATION = "admin_verification", _("Verifikasi administrasi")
    FACTUAL_VERIFICATION = "factual_verification", _("Verifikasi faktual")
    CORRECTION_SUBMISSION = "correction_submission", _("Penyerahan dukungan perbaikan")
    CORRECTION_VERIFICATION = "correction_verification", _("Verifikasi dukungan perbaikan")
    REGISTRATION = "registration", _("Pendaftaran pasangan calon")
    DETERMINATION = "determination", _("Penetapan pasangan calon")
    BALLOT_DRAW = "ballot_draw", _("Pengundian nomor urut")


class StageWindow(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="stage_windows")
    stage = models.CharField(_("tahapan"), max_length=30, choices=Stage.choices)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))

    class Meta:
        ordering = ["election", "starts_at"]
        verbose_name = _("jadwal tahapan")
        verbose_name_plural = _("jadwal tahapan")
        constraints = [
            models.UniqueConstraint(fields=["election", "stage"], name="stage_window_unique"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="stage_window_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.election}: {self.get_stage_display()}"


class StageExtension(models.Model):
    """A recorded extension of one stage's window, for every pair or one pair (e.g. 2x24h after an outage)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="stage_extensions")
    stage = models.CharField(_("tahapan"), max_length=30, choices=Stage.choices)
    pair = models.ForeignKey("CandidatePair", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    extended_until = models.DateTimeField(_("diperpanjang sampai"))
    reason = models.TextField(_("alasan"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-extended_until"]
        verbose_name = _("perpanjangan tahapan")
        verbose_name_plural = _("perpanjangan tahapan")

    def __str__(self) -> str:
        return f"{self.election} {self.stage} → {self.extended_until:%Y-%m-%d %H:%M}"


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


class CandidatePair(models.Model):
    """A *pasangan calon* (paslon) of one election."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="pairs")
    path = models.CharField(_("jalur"), max_length=12, choices=Path.choices)
    name = models.CharField(_("nama pasangan"), max_length=255)
    status = models.CharField(_("status"), max_length=30, default="draft")
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

    def __str__(self) -> str:
        return self.name
