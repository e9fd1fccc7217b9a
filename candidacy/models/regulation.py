"""The rules in force for an election cycle: support bands by DPT and the party rule."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    # blank for a contest with no party route (Pemilu DPD: candidates stand as individuals, UU 7/2017 Pasal 182)
    party_rule = models.CharField(_("syarat jalur partai"), max_length=20, choices=PartyRule.choices, blank=True)
    party_seat_percent = models.DecimalField(_("persen kursi"), max_digits=5, decimal_places=2, null=True, blank=True)
    party_vote_percent = models.DecimalField(_("persen suara"), max_digits=5, decimal_places=2, null=True, blank=True)
    # UU 10/2016 Pasal 40(3) limited the vote route to parties holding DPRD seats; MK 60/PUU-XXII/2024 struck it.
    party_seatless_may_join = models.BooleanField(_("partai tanpa kursi boleh ikut mengusulkan"), default=True)
    # A recorded outage extends every affected pair's stage by the outage's length rounded up to whole
    # multiples of ``outage_extension_round_hours``, and by at least ``outage_extension_min_hours`` (Bawaslu
    # ordered a 24-hour window after Jakarta 2024's outage: docs/domain.md §9.4). Seeded by migration.
    outage_extension_min_hours = models.PositiveSmallIntegerField(
        _("perpanjangan minimal karena gangguan (jam)"), default=24
    )
    outage_extension_round_hours = models.PositiveSmallIntegerField(_("pembulatan perpanjangan (jam)"), default=1)
    # Factual verification by sample instead of a census (PKPU 10/2022, DPD): per kab/kota the Krejcie-Morgan
    # size n = χ²·N·P(1−P) / (d²·(N−1) + χ²·P(1−P)) with these parameters (``verification.sampling``).
    factual_by_sample = models.BooleanField(_("verifikasi faktual dengan sampel"), default=False)
    sample_chi2 = models.DecimalField(
        _("nilai chi-kuadrat sampel"), max_digits=6, decimal_places=3, default=Decimal("3.841")
    )
    sample_proportion = models.DecimalField(
        _("proporsi populasi sampel"), max_digits=4, decimal_places=3, default=Decimal("0.5")
    )
    sample_margin = models.DecimalField(
        _("batas galat sampel"), max_digits=4, decimal_places=3, default=Decimal("0.05")
    )
    # Spread: Pilkada needs more than half of the units (UU 10/2016 Pasal 41(1)(e)); Pemilu DPD at least half of
    # the province's kab/kota (UU 7/2017 Pasal 183(2)), so Jawa Barat's 27 need 14 either way but 10 need 5, not 6.
    spread_at_least_half = models.BooleanField(
        _("sebaran paling sedikit setengah (bukan lebih dari setengah)"), default=False
    )
    # Supports deducted from the count per proven duplicate or forged support (Pemilu DPD: 50, PKPU 10/2022;
    # docs/domain.md §9.1); 0 = no penalty (Pilkada).
    duplicate_penalty = models.PositiveIntegerField(_("pengurangan per dukungan ganda/palsu terbukti"), default=0)
    # The support template's version (``support_uploads.template_spec.TEMPLATES``): Pemilu DPD's has no No. KK
    # and no No. HP column.
    support_template = models.CharField(_("versi templat dukungan"), max_length=32, default="B1KWK-2026.1")
    # LO (pendamping) accounts a candidacy may hold at once (Pemilu DPD: 2 per candidate, PKPU 10/2022).
    lo_account_limit = models.PositiveSmallIntegerField(_("akun LO aktif paling banyak"), default=2)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("versi regulasi")
        verbose_name_plural = _("versi regulasi")

    def __str__(self) -> str:
        return self.name


class ThresholdBand(models.Model):
    """One DPT band: up to ``dpt_up_to`` voters (inclusive; null = no upper bound) the minimum is ``percent`` of
    the DPT (Pilkada, UU 10/2016 Pasal 41) or the fixed number ``minimum`` (Pemilu DPD, UU 7/2017 Pasal 183(1))."""

    regulation = models.ForeignKey(RegulationVersion, on_delete=models.CASCADE, related_name="bands")
    scope = models.CharField(_("cakupan"), max_length=10, choices=BandScope.choices)
    dpt_up_to = models.PositiveBigIntegerField(_("DPT sampai dengan"), null=True, blank=True)
    percent = models.DecimalField(_("persen"), max_digits=5, decimal_places=2, null=True, blank=True)
    minimum = models.PositiveIntegerField(_("jumlah minimal"), null=True, blank=True)

    class Meta:
        ordering = ["regulation", "scope", models.F("dpt_up_to").asc(nulls_last=True)]
        verbose_name = _("pita ambang batas")
        verbose_name_plural = _("pita ambang batas")
        constraints = [
            models.UniqueConstraint(fields=["regulation", "scope", "dpt_up_to"], name="band_unique_edge"),
            # a band is a share or a fixed number, never both, never neither
            models.CheckConstraint(
                condition=models.Q(percent__isnull=False, minimum__isnull=True)
                | models.Q(percent__isnull=True, minimum__isnull=False),
                name="band_percent_or_minimum",
            ),
        ]

    def __str__(self) -> str:
        upper = f"≤ {self.dpt_up_to:,}" if self.dpt_up_to else "∞"
        share = f"{self.percent}%" if self.percent is not None else f"{self.minimum:,}"
        return f"{self.regulation} {self.scope} {upper}: {share}"
