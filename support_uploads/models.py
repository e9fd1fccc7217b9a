import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from candidacy.models import CandidatePair, Election

from .messages import format_message


class PairTeam(models.Model):
    """An independent pair's team as registered by KPU from its mandate letter (*surat mandat*)."""

    pair = models.OneToOneField(CandidatePair, on_delete=models.CASCADE, related_name="support_team")
    mandate_letter = models.FileField(_("surat mandat"), upload_to="mandates/%Y/")
    contact_name = models.CharField(_("nama penghubung (LO)"), max_length=200)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tim pasangan calon")
        verbose_name_plural = _("tim pasangan calon")

    def __str__(self) -> str:
        return f"{self.pair}: {self.contact_name}"


class LoAccount(models.Model):
    """One of at most two liaison-officer accounts KPU issued for a pair; revocation keeps the row."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="lo_accounts")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lo_account")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pair", "issued_at"]
        verbose_name = _("akun LO")
        verbose_name_plural = _("akun LO")

    def __str__(self) -> str:
        return f"{self.user} ({self.pair})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Severity(models.TextChoices):
    """What a reason does to its row. The worst reason of a row decides the row's status."""

    REJECT = "reject", _("Ditolak")
    REVIEW = "review", _("Perlu diperiksa operator (tidak dihitung)")
    FLAG = "flag", _("Ditandai (tetap dihitung)")


class ReasonCode(models.Model):
    """Why a row was rejected or flagged. Seeded by migration; the rule emitting it lives in ``rules.py``."""

    code = models.CharField(_("kode"), max_length=32, primary_key=True)
    label_id = models.CharField(_("keterangan (Indonesia)"), max_length=255)
    label_en = models.CharField(_("keterangan (Inggris)"), max_length=255)
    severity = models.CharField(_("tingkat"), max_length=8, choices=Severity.choices)
    legal_basis = models.CharField(_("dasar hukum"), max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kode alasan")
        verbose_name_plural = _("kode alasan")

    def __str__(self) -> str:
        return f"{self.code}: {self.label_id}"

    @property
    def label(self) -> str:
        """The label in the active language: English on an English page, else Indonesian. Official documents
        keep ``label_id`` whatever the reader's language."""
        if self.label_en and (get_language() or "").split("-")[0] == "en":
            return self.label_en
        return self.label_id

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Code → label in the active language, for pages that list many rows' reasons."""
        return {reason.code: reason.label for reason in cls.objects.all()}


class ReasonSeverity(models.Model):
    """A reason's severity under one regulation version, where it differs from ``ReasonCode.severity``
    (e.g. whether a supporter missing from the DPT is rejected or only flagged): data, set in the admin."""

    regulation = models.ForeignKey("candidacy.RegulationVersion", on_delete=models.CASCADE, related_name="+")
    reason = models.ForeignKey(ReasonCode, on_delete=models.CASCADE, related_name="severities")
    severity = models.CharField(_("tingkat"), max_length=8, choices=Severity.choices)

    class Meta:
        ordering = ["regulation", "reason"]
        verbose_name = _("tingkat alasan per peraturan")
        verbose_name_plural = _("tingkat alasan per peraturan")
        constraints = [models.UniqueConstraint(fields=["regulation", "reason"], name="reasonseverity_unique")]

    def __str__(self) -> str:
        return f"{self.regulation_id} {self.reason_id}: {self.severity}"


class OccupationRule(models.TextChoices):
    EXCLUDE = "exclude", _("Tidak boleh mendukung")
    ALLOW = "allow", _("Pengecualian (boleh mendukung)")


class ExcludedOccupation(models.Model):
    """A normalised occupation term (upper case, single spaces) matched as whole words.

    ``allow`` terms win over ``exclude`` ones: *PENSIUNAN PNS* (retired) may support, *PNS* may not.
    """

    term = models.CharField(_("istilah"), max_length=100, unique=True)
    rule = models.CharField(_("aturan"), max_length=8, choices=OccupationRule.choices, default=OccupationRule.EXCLUDE)
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    class Meta:
        ordering = ["rule", "term"]
        verbose_name = _("pekerjaan yang dikecualikan")
        verbose_name_plural = _("pekerjaan yang dikecualikan")

    def __str__(self) -> str:
        return self.term


class Batch(models.TextChoices):
    """Which submission of a pair's support a file belongs to: the initial one, or the correction a BMS pair
    makes (docs/domain.md §3.5). Verification rounds run per batch (the ``verification`` app)."""

    INITIAL = "initial", _("Dukungan awal")
    CORRECTION_1 = "correction_1", _("Dukungan perbaikan")


class UploadStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu antrean")
    RUNNING = "running", _("Sedang diperiksa")
    DONE = "done", _("Selesai diperiksa")
    FAILED = "failed", _("Ditolak / gagal")
    WITHDRAWN = "withdrawn", _("Ditarik")


class UploadPhase(models.TextChoices):
    """What the worker is doing now; stored as a code so each reader sees it in their own language."""

    READING = "reading", _("Membaca berkas")
    CHECKING = "checking", _("Memeriksa baris")
    STORING = "storing", _("Memeriksa data ganda dan menyimpan")
    REPORT = "report", _("Menyusun laporan baris ditolak")
    DONE = "done", _("Selesai")
    REJECTED = "rejected", _("Berkas ditolak")


# File-level refusals (HEADER, ZIP_BOMB, ...) are about the file: the uploader fixes it and uploads again.
# These codes are faults of the server side (a worker killed again and again, a task over its time limit, the
# database gone away): the same file may be checked again as it is (``services.upload_retry``).
RETRYABLE_ERROR_CODES = ("WORKER_LOST", "TIMEOUT", "SERVER_ERROR")


class Upload(models.Model):
    """One supporter file of one pair. The raw file is kept; results are idempotent on this row's id."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="support_uploads")
    pair = models.ForeignKey(CandidatePair, on_delete=models.PROTECT, related_name="support_uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="support/%Y/%m/")
    original_name = models.CharField(_("nama berkas"), max_length=255)
    size = models.PositiveBigIntegerField(_("ukuran"))
    kind = models.CharField(_("jenis"), max_length=8, blank=True)
    batch = models.CharField(_("tahap dukungan"), max_length=16, choices=Batch.choices, default=Batch.INITIAL)
    status = models.CharField(_("status"), max_length=10, choices=UploadStatus.choices, default=UploadStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan"), default=0)
    phase = models.CharField(_("tahap"), max_length=120, choices=UploadPhase.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(_("pesan"), blank=True)  # in Indonesian, as first written
    # the same message untranslated: {"msgid": ..., "params": {...}}, rendered in the reader's language
    error_detail = models.JSONField(default=dict, blank=True)
    rows_read = models.PositiveIntegerField(_("baris dibaca"), default=0)
    rows_accepted = models.PositiveIntegerField(_("baris diterima"), default=0)
    rows_flagged = models.PositiveIntegerField(_("baris ditandai"), default=0)
    rows_review = models.PositiveIntegerField(_("baris perlu diperiksa"), default=0)
    rows_rejected = models.PositiveIntegerField(_("baris ditolak"), default=0)
    reason_counts = models.JSONField(_("jumlah per alasan"), default=dict, blank=True)
    # counted supporters per kecamatan code ("52.01.01"), summed over DONE uploads by the recap
    recap = models.JSONField(_("rekap per kecamatan"), default=dict, blank=True)
    report = models.FileField(upload_to="support-reports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # the receipt (``receipts.py``): when the last byte was stored, the file's digest, and the signed text
    # block handed to the team; the receipt's time decides whether the file came before the deadline
    received_at = models.DateTimeField(_("diterima pada"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    receipt = models.TextField(_("tanda terima"), blank=True)
    # the running validation's heartbeat (``pipeline``): the sweep queues again an upload whose beat is stale
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # the DPT version its supporters were matched with (``dpt``); null: no active DPT, no matching done
    dpt_version = models.ForeignKey(
        "DptVersion", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("unggahan dukungan")
        verbose_name_plural = _("unggahan dukungan")
        indexes = [models.Index(fields=["pair", "status"], name="upload_pair_status")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def error_text(self) -> str:
        """The file-level refusal in the active language (``error_message`` when no catalog entry exists)."""
        msgid = (self.error_detail or {}).get("msgid")
        if not msgid:
            return self.error_message
        return format_message(msgid, self.error_detail.get("params") or {})

    @property
    def is_finished(self) -> bool:
        return self.status in (UploadStatus.DONE, UploadStatus.FAILED, UploadStatus.WITHDRAWN)

    @property
    def is_retryable(self) -> bool:
        """Failed by a fault of the server, not of the file: it may be checked again as it is."""
        return self.status == UploadStatus.FAILED and self.error_code in RETRYABLE_ERROR_CODES


class RowStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Diterima")
    FLAGGED = "flagged", _("Diterima, ditandai")
    REVIEW = "review", _("Perlu diperiksa")
    REJECTED = "rejected", _("Ditolak")


COUNTED_STATUSES = (RowStatus.ACCEPTED, RowStatus.FLAGGED)

# Severity to row status, the one definition, worst first: the worst reason of a row decides its status, and a
# row with no reason of these severities is accepted. The pipeline's polars expression and the re-evaluation's
# per-row function (``rules.status_expr``, ``rules.row_status``) are both built from it. Plain values: an enum
# member hashes by its name, so it would not be found in a set of the values read from ``ReasonCode``.
SEVERITY_STATUS: tuple[tuple[str, str], ...] = (
    (Severity.REJECT.value, RowStatus.REJECTED.value),
    (Severity.REVIEW.value, RowStatus.REVIEW.value),
    (Severity.FLAG.value, RowStatus.FLAGGED.value),
)
NO_SEVERITY_STATUS: str = RowStatus.ACCEPTED.value


class Supporter(models.Model):
    """One row of an uploaded file with its result, whatever it is: every row is answered.

    Values are kept as the uploader wrote them (trimmed text), so the error report and the operator see what
    was sent. The foreign keys carry no database constraint: rows arrive by COPY in millions, and a
    constraint check per row cost ~12 s per million at commit; the services keep the ids consistent.
    ``reasons`` holds the row's reason codes, comma separated (labels in ``ReasonCode``).
    """

    # no per-column FK indexes either: the two composite indexes below serve every lookup, and each extra
    # index is paid on every COPY
    election = models.ForeignKey(
        Election, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    pair = models.ForeignKey(
        CandidatePair, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    upload = models.ForeignKey(
        Upload, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    sheet = models.PositiveSmallIntegerField(default=0)
    row_number = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=RowStatus.choices)
    reasons = models.TextField(blank=True)
    nik = models.TextField(blank=True)
    kk = models.TextField(blank=True)
    name = models.TextField(blank=True)
    birth_place = models.TextField(blank=True)
    birth_date_text = models.TextField(blank=True)
    birth_date = models.DateField(null=True)
    sex = models.TextField(blank=True)
    marital = models.TextField(blank=True)
    occupation = models.TextField(blank=True)
    address = models.TextField(blank=True)
    rt = models.TextField(blank=True)
    rw = models.TextField(blank=True)
    village_code = models.TextField(blank=True)
    phone = models.TextField(blank=True)
    email = models.TextField(blank=True)

    class Meta:
        ordering = ["upload", "sheet", "row_number"]
        verbose_name = _("pendukung")
        verbose_name_plural = _("pendukung")
        indexes = [
            # duplicates within a pair and across pairs of one election are found by NIK
            models.Index(fields=["election", "nik"], name="supporter_election_nik"),
            models.Index(fields=["upload", "status"], name="supporter_upload_status"),
        ]

    def __str__(self) -> str:
        return f"{self.upload_id}:{self.sheet}:{self.row_number}"

    @property
    def reason_list(self) -> list[str]:
        return [c for c in self.reasons.split(",") if c]


class DuplicateDecision(models.Model):
    """A KPU operator's decision on a pair's potential duplicate (same NIK, different data; docs/domain.md §4):
    which of the held rows is the supporter, or none. The rows decided are kept by id: the NIK is personal."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(CandidatePair, on_delete=models.PROTECT, related_name="duplicate_decisions")
    batch = models.CharField(_("tahap dukungan"), max_length=16, choices=Batch.choices, default=Batch.INITIAL)
    nik = models.TextField()
    chosen = models.ForeignKey(
        Supporter, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    rows = models.JSONField(_("baris yang diputuskan"), default=list)
    note = models.TextField(_("alasan"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("keputusan potensi ganda")
        verbose_name_plural = _("keputusan potensi ganda")
        indexes = [models.Index(fields=["pair", "nik"], name="dupdecision_pair_nik")]

    def __str__(self) -> str:
        return f"{self.pair_id}: {self.chosen_id or '-'}"


class KtpScan(models.Model):
    """Scanned KTP copies of a pair's supporters in one desa/kelurahan (PDF), uploaded by the team so that the
    administrative verification can compare each supporter against the KTP (docs/domain.md §5). Personal data:
    kept off the web server, served only through a permission-checked view, every view audited."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.PROTECT, related_name="ktp_scans")
    batch = models.CharField(_("tahap dukungan"), max_length=16, choices=Batch.choices, default=Batch.INITIAL)
    village_code = models.CharField(_("kode desa/kelurahan"), max_length=13, db_index=True)
    file = models.FileField(upload_to="ktp-scans/%Y/%m/")
    original_name = models.CharField(_("nama berkas"), max_length=255)
    size = models.PositiveBigIntegerField(_("ukuran"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["village_code", "-uploaded_at"]
        verbose_name = _("pindaian KTP pendukung")
        verbose_name_plural = _("pindaian KTP pendukung")

    def __str__(self) -> str:
        return f"{self.pair}: {self.village_code} ({self.original_name})"


class ResumableUpload(models.Model):
    """A supporter file being sent in resumable chunks (the tus protocol 1.0.0, ``services.resumable``). Its
    bytes so far sit in a private folder under MEDIA_ROOT (never served); when the last one arrives it becomes
    an ``Upload`` through ``upload_create``, with its receipt. Unfinished past ``expires_at``, it is removed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="resumable_uploads")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama berkas"), max_length=255)
    length = models.PositiveBigIntegerField(_("ukuran"))
    offset = models.PositiveBigIntegerField(_("diterima"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    upload = models.OneToOneField(Upload, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("unggahan bertahap")
        verbose_name_plural = _("unggahan bertahap")

    def __str__(self) -> str:
        return f"{self.pair_id}: {self.name} ({self.offset}/{self.length})"

    @property
    def is_finished(self) -> bool:
        return self.upload_id is not None


# the voter list (DPT) models live in ``models_dpt`` (this module's size; it imports nothing from here): imported
# here so that they are registered with the app and reached as ``support_uploads.models.DptVersion``
from .models_dpt import DptEntry, DptStatus, DptVersion  # noqa: E402, F401
