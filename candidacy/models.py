from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import RegionListVersion


class ElectionType(models.TextChoices):
    GOVERNOR = "governor", _("Gubernur dan Wakil Gubernur")
    REGENT = "regent", _("Bupati dan Wakil Bupati")
    MAYOR = "mayor", _("Wali Kota dan Wakil Wali Kota")


class Election(models.Model):
    """A *pemilihan* (Pilkada) of one region, tied to one region-list version."""

    name = models.CharField(_("nama"), max_length=200)
    type = models.CharField(_("jenis"), max_length=10, choices=ElectionType.choices)
    region_version = models.ForeignKey(RegionListVersion, on_delete=models.PROTECT, related_name="elections")
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


class Path(models.TextChoices):
    PARTY = "party", _("Partai politik / gabungan")
    INDEPENDENT = "independent", _("Perseorangan")


class CandidatePair(models.Model):
    """A *pasangan calon* (paslon) of one election."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="pairs")
    path = models.CharField(_("jalur"), max_length=12, choices=Path.choices)
    name = models.CharField(_("nama pasangan"), max_length=255)
    status = models.CharField(_("status"), max_length=30, default="draft")
    ballot_number = models.PositiveSmallIntegerField(_("nomor urut"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["election", "ballot_number", "id"]
        verbose_name = _("pasangan calon")
        verbose_name_plural = _("pasangan calon")

    def __str__(self) -> str:
        return self.name
