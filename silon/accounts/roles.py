"""The roles of SILON's users and the KPU levels: the vocabulary the reach rules and every app speak."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    KPU_OPERATOR = "kpu_operator", _("Operator KPU")
    VERIFIER = "verifier", _("Verifikator (PPK/PPS)")
    PAIR_OPERATOR = "pair_operator", _("Operator pasangan calon perseorangan (LO)")
    PARTY_ADMIN = "party_admin", _("Admin partai politik")
    BAWASLU = "bawaslu", _("Bawaslu")
    ADMIN = "admin", _("Admin sistem")


# The election bodies' own staff: KPU (operators and system admins) and Bawaslu, as opposed to a pair's team,
# a party admin or an ad-hoc verifier.
OFFICIAL_ROLES = frozenset({Role.ADMIN, Role.KPU_OPERATOR, Role.BAWASLU})


class KpuLevel(models.TextChoices):
    RI = "ri", _("KPU RI")
    PROVINSI = "provinsi", _("KPU Provinsi")
    KABKOTA = "kabkota", _("KPU Kabupaten/Kota")
    PPK = "ppk", _("PPK (kecamatan)")
    PPS = "pps", _("PPS (desa/kelurahan)")
