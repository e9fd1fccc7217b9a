"""The voter list (DPT, from Sidalih) an operator imports per election, matched against each upload
(``services.dpt``); split from ``models.py``, which imports these."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from candidacy.models import Election

# --- The voter list (DPT, from Sidalih) an operator imports per election, for matching supporters ---------
# UU 10/2016 Pasal 41(1)-(2): an independent pair's supporters are residents with the right to vote who are
# on the voter list (DPT) of the last election in the region. Only what matching needs is kept: the NIK as a
# keyed hash (``dpt.nik_hashes``) and the desa/kelurahan code; never the NIK itself, never a name.


class DptStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu antrean")
    RUNNING = "running", _("Sedang dimuat")
    ACTIVE = "active", _("Aktif")
    SUPERSEDED = "superseded", _("Digantikan")
    FAILED = "failed", _("Gagal")


class DptVersion(models.Model):
    """One import of an election's voter list; the election's latest finished import is its one ACTIVE
    version, and making one active supersedes the previous (whose entries are deleted: only the counts and
    the file's digest of old versions are kept)."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="dpt_versions")
    number = models.PositiveIntegerField(_("versi"))
    original_name = models.CharField(_("nama berkas"), max_length=255)
    # the uploaded CSV holds raw NIKs: it is deleted once the import has read it (``services.dpt``)
    file = models.FileField(upload_to="dpt-imports/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(_("ukuran"))
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=DptStatus.choices, default=DptStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan"), default=0)
    rows_read = models.PositiveBigIntegerField(_("baris dibaca"), default=0)
    rows_loaded = models.PositiveBigIntegerField(_("baris dimuat"), default=0)
    rows_invalid_nik = models.PositiveBigIntegerField(_("NIK tidak valid"), default=0)
    rows_unknown_village = models.PositiveBigIntegerField(_("desa/kelurahan tidak dikenal"), default=0)
    error_message = models.TextField(_("pesan"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["election", "-number"]
        verbose_name = _("versi DPT")
        verbose_name_plural = _("versi DPT")
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="dptversion_unique_number"),
            models.UniqueConstraint(
                fields=["election"], condition=models.Q(status="active"), name="dptversion_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.election_id} DPT v{self.number}"

    @property
    def is_finished(self) -> bool:
        return self.status in (DptStatus.ACTIVE, DptStatus.SUPERSEDED, DptStatus.FAILED)


class DptEntry(models.Model):
    """One voter of a DPT version: the NIK's keyed hash (64 hex digits) and the desa/kelurahan code. Loaded by
    COPY in tens of millions, hence no foreign-key constraint; the one index serves the matching join."""

    version = models.ForeignKey(
        DptVersion, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    nik_hash = models.CharField(max_length=64)
    village_code = models.CharField(max_length=13)

    class Meta:
        verbose_name = _("pemilih DPT")
        verbose_name_plural = _("pemilih DPT")
        indexes = [models.Index(fields=["version", "nik_hash"], name="dptentry_version_hash")]

    def __str__(self) -> str:
        return f"v{self.version_id}:{self.village_code}"
