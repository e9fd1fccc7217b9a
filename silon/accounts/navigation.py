"""The navigation each role sees. Apps add their entries here, next to their siblings."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Role

# (label, url name, roles that see it; None = everyone, including anonymous visitors)
NAV_ITEMS = [
    (_("Beranda"), "home", None),
    (_("Wilayah"), "regions:province_list", None),
    (_("Data terbuka"), "portal:open_data", None),
    (_("Dasbor"), "dashboard:home", {r.value for r in Role}),
    (_("Pemilihan"), "candidacy:election_list", {Role.ADMIN, Role.KPU_OPERATOR, Role.BAWASLU}),
    (_("Pasangan calon"), "candidacy:pair_list", {Role.ADMIN, Role.KPU_OPERATOR, Role.BAWASLU, Role.PARTY_ADMIN}),
    (_("Log audit"), "audit:log", {Role.ADMIN, Role.KPU_OPERATOR, Role.BAWASLU}),
    (_("Dukungan"), "support_uploads:index", {Role.ADMIN, Role.KPU_OPERATOR, Role.BAWASLU, Role.PAIR_OPERATOR}),
    (_("Verifikasi"), "verification:index", {Role.ADMIN, Role.KPU_OPERATOR, Role.VERIFIER}),
]


def nav_for(user) -> list[dict]:
    role = getattr(user, "role", None) if user.is_authenticated else None
    items = []
    for label, name, roles in NAV_ITEMS:
        if roles is not None and (role not in roles and not (user.is_authenticated and user.is_superuser)):
            continue
        try:
            items.append({"label": label, "url": reverse(name), "name": name})
        except NoReverseMatch:
            continue
    return items
