"""Parties, their last legislative results, their nominations of pairs and the party admin accounts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .bounds import count_validators, seats_validators
from .elections import Election
from .pairs import CandidatePair


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
