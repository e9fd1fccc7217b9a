from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import RegionListVersion

# Bounds of every count an operator types or imports: far above any real figure (Indonesia's whole DPT is about
# 205 million voters; a DPRD has at most 120 seats), far below what the database columns hold, so a typo or a
# hostile value is refused with a message instead of overflowing a column.
COUNT_MAX = 1_000_000_000
SEATS_MAX = 1_000
count_validators = [MaxValueValidator(COUNT_MAX)]
seats_validators = [MaxValueValidator(SEATS_MAX)]


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
    # UU 10/2016 Pasal 40(3) limited the vote route to parties holding DPRD seats; MK 60/PUU-XXII/2024 struck it.
    party_seatless_may_join = models.BooleanField(_("partai tanpa kursi boleh ikut mengusulkan"), default=True)

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


class Party(models.Model):
    """A political party on the national list of one legislative election (ballot number, names)."""

    number = models.PositiveSmallIntegerField(_("nomor urut"), unique=True)
    short_name = models.CharField(_("singkatan"), max_length=40, unique=True)
    name = models.CharField(_("nama lengkap"), max_length=200, unique=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("partai politik")
        verbose_name_plural = _("partai politik")

    def __str__(self) -> str:
        return f"{self.number}. {self.short_name}"


class PartyResult(models.Model):
    """A party's valid DPRD votes and seats in the election's region, from the last legislative election."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="party_results")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="results")
    votes = models.PositiveBigIntegerField(_("suara sah"), validators=count_validators)
    seats = models.PositiveIntegerField(_("kursi"), default=0, validators=seats_validators)

    class Meta:
        ordering = ["election", "party__number"]
        verbose_name = _("perolehan partai")
        verbose_name_plural = _("perolehan partai")
        constraints = [models.UniqueConstraint(fields=["election", "party"], name="party_result_unique")]

    def __str__(self) -> str:
        return f"{self.election}: {self.party} {self.votes} / {self.seats}"


class Nomination(models.Model):
    """One party's backing of a pair; several rows make a coalition (*gabungan partai politik*).

    ``election`` is denormalised from the pair so that the database refuses one party backing two pairs.
    """

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="nominations")
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="nominations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pair", "party__number"]
        verbose_name = _("partai pengusul")
        verbose_name_plural = _("partai pengusul")
        # UU 10/2016 Pasal 43(3): a party may nominate only one pair in an election.
        constraints = [models.UniqueConstraint(fields=["election", "party"], name="nomination_one_pair_per_party")]

    def __str__(self) -> str:
        return f"{self.party} → {self.pair}"


class CandidateRole(models.TextChoices):
    HEAD = "head", _("Calon kepala daerah")
    DEPUTY = "deputy", _("Calon wakil kepala daerah")


class Sex(models.TextChoices):
    MALE = "M", _("Laki-laki")
    FEMALE = "F", _("Perempuan")


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


class DocumentScope(models.TextChoices):
    PAIR = "pair", _("Pasangan calon")
    EACH_CANDIDATE = "candidate", _("Setiap calon")


class DocumentRequirement(models.Model):
    """One entry of the required-document checklist of a path under a regulation version (admin-editable)."""

    regulation = models.ForeignKey(RegulationVersion, on_delete=models.CASCADE, related_name="document_requirements")
    path = models.CharField(_("jalur"), max_length=12, choices=Path.choices)
    code = models.SlugField(_("kode"), max_length=40)
    label = models.CharField(_("nama dokumen"), max_length=255)
    label_en = models.CharField(
        _("nama dokumen (bahasa Inggris)"),
        max_length=255,
        blank=True,
        help_text=_("Ditampilkan di halaman berbahasa Inggris; bila kosong, nama dokumen yang dipakai."),
    )
    scope = models.CharField(_("untuk"), max_length=10, choices=DocumentScope.choices)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    is_required = models.BooleanField(_("wajib"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["regulation", "path", "order", "code"]
        verbose_name = _("syarat dokumen")
        verbose_name_plural = _("syarat dokumen")
        constraints = [models.UniqueConstraint(fields=["regulation", "path", "code"], name="doc_requirement_unique")]

    def __str__(self) -> str:
        return self.label

    def label_for(self, language: str | None) -> str:
        """The label in ``language`` (a language code such as ``en`` or ``en-us``): the English one where it
        is filled in, the Indonesian one otherwise."""
        if language and language.split("-")[0] == "en" and self.label_en:
            return self.label_en
        return self.label


class DocumentCheck(models.TextChoices):
    PENDING = "pending", _("Belum diperiksa")
    COMPLETE = "complete", _("Lengkap")
    INCOMPLETE = "incomplete", _("Tidak lengkap")


class Document(models.Model):
    """One uploaded revision of a required document. A new upload is a new revision; none is overwritten."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(DocumentRequirement, on_delete=models.PROTECT, related_name="documents")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveSmallIntegerField(_("revisi"))
    file = models.FileField(_("berkas"), upload_to="candidacy/documents/%Y/%m/")
    original_name = models.CharField(_("nama berkas"), max_length=255)
    size = models.PositiveBigIntegerField(_("ukuran"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    check_status = models.CharField(
        _("hasil pemeriksaan"), max_length=10, choices=DocumentCheck.choices, default=DocumentCheck.PENDING
    )
    check_note = models.TextField(_("catatan pemeriksaan"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pair", "requirement__order", "candidate_id", "-revision"]
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "requirement", "candidate", "revision"],
                condition=models.Q(candidate__isnull=False),
                name="document_revision_unique",
            ),
            models.UniqueConstraint(
                fields=["pair", "requirement", "revision"],
                condition=models.Q(candidate__isnull=True),
                name="document_pair_revision_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} r{self.revision}"


class PartyConfirmation(models.Model):
    """A party admin's confirmation of what KPU entered for its pair, with the snapshot confirmed."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="confirmations")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("catatan"), blank=True)
    snapshot = models.JSONField(_("data yang dikonfirmasi"))

    class Meta:
        ordering = ["pair", "-confirmed_at"]
        verbose_name = _("konfirmasi partai")
        verbose_name_plural = _("konfirmasi partai")

    def __str__(self) -> str:
        return f"{self.pair} {self.confirmed_at:%Y-%m-%d %H:%M}"


class PartyAdmin(models.Model):
    """A party admin account of a party-backed pair: one active at a time; revocation keeps the row."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="party_admins")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("alasan pencabutan"), max_length=255, blank=True)

    class Meta:
        ordering = ["pair", "issued_at"]
        verbose_name = _("admin partai pasangan calon")
        verbose_name_plural = _("admin partai pasangan calon")
        constraints = [
            models.UniqueConstraint(
                fields=["pair"], condition=models.Q(revoked_at__isnull=True), name="party_admin_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.pair}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
