"""An election (Pilkada), its dated stages and their extensions, and the DPT of its sub-regions."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import RegionListVersion

from .bounds import count_validators, seats_validators
from .regulation import RegulationVersion


class ElectionType(models.TextChoices):
    GOVERNOR = "governor", _("Gubernur dan Wakil Gubernur")
    REGENT = "regent", _("Bupati dan Wakil Bupati")
    MAYOR = "mayor", _("Wali Kota dan Wakil Wali Kota")
    # Pemilu anggota DPD, held per province (UU 7/2017 Pasal 196); rules read from its regulation (``kinds``)
    DPD = "dpd", _("Pemilu DPD")


class Election(models.Model):
    """A *pemilihan* (Pilkada) of one region, tied to one region-list version."""

    name = models.CharField(_("nama"), max_length=200)
    type = models.CharField(_("jenis"), max_length=10, choices=ElectionType.choices)
    region_version = models.ForeignKey(RegionListVersion, on_delete=models.PROTECT, related_name="elections")
    regulation = models.ForeignKey(RegulationVersion, on_delete=models.PROTECT, related_name="elections")
    region_code = models.CharField(_("kode wilayah"), max_length=13, db_index=True)
    region_name = models.CharField(_("nama wilayah"), max_length=255)
    polling_day = models.DateField(_("hari pemungutan suara"))
    dpt = models.PositiveBigIntegerField(
        _("DPT"),
        help_text=_("Jumlah pemilih pada DPT terakhir wilayah ini."),
        validators=[MinValueValidator(1), *count_validators],
    )
    total_valid_votes = models.PositiveBigIntegerField(
        _("jumlah suara sah DPRD"),
        null=True,
        blank=True,
        help_text=_("Suara sah pemilu DPRD terakhir di wilayah ini."),
        validators=count_validators,
    )
    total_seats = models.PositiveIntegerField(
        _("jumlah kursi DPRD"), null=True, blank=True, validators=[MinValueValidator(1), *seats_validators]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region_code", "-polling_day"]
        verbose_name = _("pemilihan")
        verbose_name_plural = _("pemilihan")

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    """The dated stages of candidacy (docs/domain.md §3). Every service checks its stage's window."""

    SUPPORT_SUBMISSION = "support_submission", _("Penyerahan dukungan")
    ADMIN_VERIFICATION = "admin_verification", _("Verifikasi administrasi")
    FACTUAL_VERIFICATION = "factual_verification", _("Verifikasi faktual")
    CORRECTION_SUBMISSION = "correction_submission", _("Penyerahan dukungan perbaikan")
    CORRECTION_VERIFICATION = "correction_verification", _("Verifikasi dukungan perbaikan")
    REGISTRATION = "registration", _("Pendaftaran pasangan calon")
    # the public may comment on a pair's eligibility (docs/domain.md §9.2; PKPU 8/2024)
    PUBLIC_RESPONSE = "public_response", _("Masukan dan tanggapan masyarakat")
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
    # granted for a recorded outage (``services.outages``): one per outage, pair and stage
    outage = models.ForeignKey("Outage", null=True, blank=True, on_delete=models.PROTECT, related_name="extensions")

    class Meta:
        ordering = ["-extended_until"]
        constraints = [
            models.UniqueConstraint(
                fields=["outage", "pair", "stage"],
                condition=models.Q(outage__isnull=False),
                name="extension_per_outage",
            )
        ]
        verbose_name = _("perpanjangan tahapan")
        verbose_name_plural = _("perpanjangan tahapan")

    def __str__(self) -> str:
        return f"{self.election} {self.stage} → {self.extended_until:%Y-%m-%d %H:%M}"


class ElectionAreaDpt(models.Model):
    """The DPT of one sub-region of an election (kab/kota for governor, kecamatan for regent/mayor)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="area_dpts")
    region_code = models.CharField(_("kode wilayah"), max_length=13)
    region_name = models.CharField(_("nama wilayah"), max_length=255)
    dpt = models.PositiveBigIntegerField(_("DPT"), validators=count_validators)

    class Meta:
        ordering = ["election", "region_code"]
        verbose_name = _("DPT per wilayah")
        verbose_name_plural = _("DPT per wilayah")
        constraints = [models.UniqueConstraint(fields=["election", "region_code"], name="area_dpt_unique")]

    def __str__(self) -> str:
        return f"{self.region_code} {self.region_name}: {self.dpt}"
