from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Provinsi")
    REGENCY = "regency", _("Kabupaten/Kota")
    DISTRICT = "district", _("Kecamatan")
    VILLAGE = "village", _("Desa/Kelurahan")


class Kind(models.TextChoices):
    """The finer type the rules need, derived from the code (Kemendagri convention)."""

    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")
    DESA_ADAT = "desa_adat", _("Desa adat")


class RegionListVersion(models.Model):
    """One Kemendagri decree's region list. A new decree is a new version; codes are never overwritten."""

    name = models.CharField(_("nama"), max_length=120, unique=True)
    decree = models.CharField(_("nomor keputusan"), max_length=120, blank=True)
    title = models.CharField(_("judul"), max_length=255, blank=True)
    effective_date = models.DateField(_("tanggal berlaku"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=255, blank=True)
    checksum = models.CharField(_("checksum isi"), max_length=64, blank=True)
    is_default = models.BooleanField(_("versi bawaan"), default=False)
    loaded_at = models.DateTimeField(_("dimuat"), auto_now_add=True)
    row_count = models.PositiveIntegerField(_("jumlah wilayah"), default=0)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("versi daftar wilayah")
        verbose_name_plural = _("versi daftar wilayah")
        constraints = [
            # At most one list is the default one that pages, the API and new elections start from.
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="region_list_one_default"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A province, kab/kota, kecamatan or desa/kelurahan of one list version, keyed by its dotted code."""

    version = models.ForeignKey(RegionListVersion, on_delete=models.PROTECT, related_name="regions")
    code = models.CharField(_("kode"), max_length=13)
    name = models.CharField(_("nama"), max_length=255)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    parent_code = models.CharField(_("kode induk"), max_length=13, blank=True)
    search_name = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="region_unique_code_per_version")]
        indexes = [
            models.Index(fields=["version", "parent_code"], name="region_children"),
            models.Index(fields=["version", "level", "code"], name="region_level_code"),
            # "Everything under 52.01" is a LIKE '52.01.%' prefix scan; pattern ops keep it indexed on
            # PostgreSQL whatever the database collation (ignored on SQLite).
            models.Index(
                fields=["version", "code"], name="region_code_prefix", opclasses=["int8_ops", "varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
