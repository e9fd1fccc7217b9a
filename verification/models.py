"""Verification rounds of independent support (docs/domain.md §3-5, PKPU 8/2024): administrative and factual
rounds per pair and batch, one result row per supporter per round, so a supporter's history across rounds
stays visible; the pair's outcome of each batch; the correction batch; generated documents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from candidacy.models import CandidatePair, Election

# ``Batch`` is defined beside ``Upload`` (every file belongs to a batch) and re-exported here for the rounds
from support_uploads.models import Batch, ReasonCode, Supporter, Upload


class RoundKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Verifikasi administrasi")
    FACTUAL = "factual", _("Verifikasi faktual")


class Verdict(models.TextChoices):
    """Per supporter, per round (docs/domain.md §5)."""

    MS = "ms", _("MS (memenuhi syarat)")
    TMS = "tms", _("TMS (tidak memenuhi syarat)")
    PENDING = "pending", _("Menunggu (belum ditemui)")


class Visit(models.TextChoices):
    """What the PPS found at the supporter's address (factual verification is a census)."""

    CONFIRMS = "confirms", _("Ditemui, membenarkan dukungan")
    DENIES = "denies", _("Ditemui, tidak mendukung (BA.5)")
    NOT_MET = "not_met", _("Tidak ditemui")
    PRESENTED = "presented", _("Dihadirkan di kantor PPS")
    DIED = "died", _("Meninggal dunia")
    MOVED = "moved", _("Pindah domisili")


class VerificationRound(models.Model):
    """One round of one kind over one batch of one pair; results may change only while it is open."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(CandidatePair, on_delete=models.PROTECT, related_name="verification_rounds")
    kind = models.CharField(_("jenis"), max_length=16, choices=RoundKind.choices)
    batch = models.CharField(_("tahap dukungan"), max_length=16, choices=Batch.choices)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # copied from the election's regulation when a factual round opens (``RegulationVersion.factual_by_sample``):
    # the round then covers only the supporters its draws took (``SampleDraw``), PKPU 10/2022
    by_sample = models.BooleanField(_("dengan sampel"), default=False)

    class Meta:
        ordering = ["pair", "opened_at"]
        verbose_name = _("putaran verifikasi")
        verbose_name_plural = _("putaran verifikasi")
        constraints = [models.UniqueConstraint(fields=["pair", "kind", "batch"], name="round_pair_kind_batch")]

    def __str__(self) -> str:
        return f"{self.pair}: {self.get_kind_display()} ({self.get_batch_display()})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class VerificationResult(models.Model):
    """A supporter's result in one round. Keyed by (round, supporter): a double submit overwrites, never adds."""

    round = models.ForeignKey(VerificationRound, on_delete=models.CASCADE, related_name="results")
    supporter = models.ForeignKey(Supporter, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    verdict = models.CharField(_("hasil"), max_length=8, choices=Verdict.choices)
    reason = models.ForeignKey(ReasonCode, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("keterangan"), blank=True)
    visit = models.CharField(_("hasil kunjungan"), max_length=10, choices=Visit.choices, blank=True)
    # copied from the supporter so worklists and recaps filter by region without a join
    village_code = models.CharField(max_length=13, blank=True)
    due_at = models.DateTimeField(_("batas dihadirkan"), null=True, blank=True)
    client_token = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["round", "supporter_id"]
        verbose_name = _("hasil verifikasi")
        verbose_name_plural = _("hasil verifikasi")
        constraints = [models.UniqueConstraint(fields=["round", "supporter"], name="result_round_supporter")]
        indexes = [
            models.Index(fields=["round", "village_code"], name="result_round_village"),
            models.Index(fields=["verdict", "due_at"], name="result_pending_due"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.supporter_id} {self.verdict}"


class ExternalChoice(models.Model):
    """A supporter found in two pairs of one election chose one of them during factual verification."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    nik = models.CharField(max_length=16)
    chosen_pair = models.ForeignKey(CandidatePair, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pilihan pendukung ganda eksternal")
        verbose_name_plural = _("pilihan pendukung ganda eksternal")
        constraints = [models.UniqueConstraint(fields=["election", "nik"], name="external_choice_once")]

    def __str__(self) -> str:
        return f"{self.nik} → {self.chosen_pair_id}"


class CorrectionSubmission(models.Model):
    """The correction batch of a BMS pair: at least twice the shortfall (docs/domain.md §3.5)."""

    pair = models.OneToOneField(CandidatePair, on_delete=models.PROTECT, related_name="support_correction")
    uploads = models.ManyToManyField(Upload, related_name="+")
    shortfall = models.PositiveIntegerField(_("kekurangan"))
    required = models.PositiveIntegerField(_("wajib diserahkan"))
    submitted = models.PositiveIntegerField(_("diserahkan"))
    repeated = models.PositiveIntegerField(_("pendukung berulang (tidak dihitung)"), default=0)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dukungan perbaikan")
        verbose_name_plural = _("dukungan perbaikan")

    def __str__(self) -> str:
        return f"{self.pair}: {self.submitted}/{self.required}"


class PairOutcome(models.Model):
    """The pair's support result after each batch's factual round: the history behind ``support_status``."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.PROTECT, related_name="support_outcomes")
    batch = models.CharField(max_length=16, choices=Batch.choices)
    status = models.CharField(max_length=10)
    ms_total = models.PositiveIntegerField()
    minimum = models.PositiveIntegerField()
    shortfall = models.PositiveIntegerField()
    spread_met = models.PositiveIntegerField()
    spread_required = models.PositiveIntegerField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pair", "decided_at"]
        verbose_name = _("hasil dukungan pasangan")
        verbose_name_plural = _("hasil dukungan pasangan")
        constraints = [models.UniqueConstraint(fields=["pair", "batch"], name="outcome_pair_batch")]

    def __str__(self) -> str:
        return f"{self.pair}: {self.status} ({self.batch})"


class SampleStart(models.Model):
    """The start number the candidate's team chose for a sampled factual round, with its signed form
    MODEL.AWAL.SAMPEL.DPD (a PDF). Chosen once: the draws are made from it in the same transaction."""

    round = models.OneToOneField(VerificationRound, on_delete=models.CASCADE, related_name="sample_start")
    number = models.PositiveIntegerField(_("nomor awal sampel"))
    form = models.FileField(_("formulir MODEL.AWAL.SAMPEL.DPD"), upload_to="sample-start/%Y/%m/")
    form_sha256 = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nomor awal sampel")
        verbose_name_plural = _("nomor awal sampel")

    def __str__(self) -> str:
        return f"{self.round_id}: {self.number}"


class SampleDraw(models.Model):
    """One kab/kota's systematic draw in a sampled factual round (``verification.sampling``), with every input
    recorded so that anyone can repeat it: the population N (the supporters found MS by the administrative
    round in the kab/kota), the size n, the interval N/n, the start number, the sort order and the date ages
    are counted on, the Krejcie-Morgan parameters, and a digest of the sorted population."""

    round = models.ForeignKey(VerificationRound, on_delete=models.CASCADE, related_name="sample_draws")
    regency_code = models.CharField(_("kabupaten/kota"), max_length=13)
    population = models.PositiveIntegerField(_("populasi (N)"))
    size = models.PositiveIntegerField(_("ukuran sampel (n)"))
    interval = models.DecimalField(_("interval (N/n)"), max_digits=14, decimal_places=6)
    chosen_start = models.PositiveIntegerField(_("nomor awal pilihan calon"))
    start = models.PositiveIntegerField(_("nomor awal di kabupaten/kota ini"))
    sort_order = models.CharField(_("urutan"), max_length=100)
    age_on = models.DateField(_("umur dihitung pada"))
    chi_square = models.DecimalField(max_digits=6, decimal_places=3)
    proportion = models.DecimalField(max_digits=4, decimal_places=3)
    margin = models.DecimalField(max_digits=4, decimal_places=3)
    order_digest = models.CharField(_("sidik urutan populasi"), max_length=64)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "regency_code"]
        verbose_name = _("pengambilan sampel")
        verbose_name_plural = _("pengambilan sampel")
        constraints = [models.UniqueConstraint(fields=["round", "regency_code"], name="sample_draw_round_regency")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.regency_code}: {self.size}/{self.population}"


class SampleDrawRow(models.Model):
    """A supporter a draw took, at its 1-based ``position`` in the sorted population."""

    draw = models.ForeignKey(SampleDraw, on_delete=models.CASCADE, related_name="rows")
    supporter = models.ForeignKey(Supporter, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    position = models.PositiveIntegerField(_("urutan ke"))

    class Meta:
        ordering = ["draw", "position"]
        verbose_name = _("pendukung sampel")
        verbose_name_plural = _("pendukung sampel")
        constraints = [
            models.UniqueConstraint(fields=["draw", "supporter"], name="sample_row_draw_supporter"),
            models.UniqueConstraint(fields=["draw", "position"], name="sample_row_draw_position"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}#{self.position}"


class DocumentKind(models.TextChoices):
    SUPPORTER_LIST = "b11", _("Daftar pendukung per desa (B.1.1-KWK)")
    RECAP = "b2", _("Rekapitulasi per kecamatan dan kabupaten/kota (B.2-KWK)")
    MINUTES = "ba", _("Berita acara verifikasi")


class VerificationDocument(models.Model):
    """A generated document, stored for download. ``content_hash`` (SHA-256 over its data, printed on it
    with a short verification code) and the file's ``sha256`` are also in the audit log."""

    round = models.ForeignKey(VerificationRound, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=4, choices=DocumentKind.choices)
    fmt = models.CharField(max_length=4)
    # the area of a supporter list: a desa, kecamatan, kab/kota or the election's whole region
    village_code = models.CharField(_("wilayah"), max_length=13, blank=True)
    file = models.FileField(upload_to="verification-docs/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    content_hash = models.CharField(_("hash isi dokumen"), max_length=64, blank=True, db_index=True)
    progress = models.PositiveSmallIntegerField(_("kemajuan"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dokumen verifikasi")
        verbose_name_plural = _("dokumen verifikasi")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.fmt} #{self.pk}"

    @property
    def check_code(self) -> str:
        """The short verification code printed on the document ('' until it is built)."""
        return check_code(self.content_hash) if self.content_hash else ""


def check_code(content_hash: str) -> str:
    """The short code typed from a printed copy: the hash's first 16 hex digits, in groups of four."""
    head = content_hash[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, len(head), 4))
