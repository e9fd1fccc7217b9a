"""A user's reach over the region tree.

KPU operators, verifiers and Bawaslu reach every region whose Kemendagri code starts with their own
``region_code`` (every segment has a fixed width, so a plain prefix test is exact once it ends on a
segment boundary). Pair operators and party admins reach no region: only the objects granted to them.

``code_within`` and ``within_q`` are the containment rule itself, in Python and as a query. They live here,
at the bottom of the dependency stack, because reach is built on them; the rest of the code-arithmetic
(province/regency/district of a code, level, parent) is in ``regions.codes``, which re-exports these two.
"""

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from .roles import Role

if TYPE_CHECKING:  # the user model's reach_q is built on region_q
    from .models import User

REGION_SCOPED_ROLES = frozenset({Role.KPU_OPERATOR, Role.VERIFIER, Role.BAWASLU})


def code_within(code: str, prefix: str) -> bool:
    """True when region ``code`` lies at or under region ``prefix`` ('' is the whole country)."""
    if not prefix:
        return True
    return code == prefix or code.startswith(prefix + ".")


def within_q(field: str, prefix: str) -> Q:
    """A ``Q`` matching rows whose ``field`` (a region code) lies at or under ``prefix`` ('' is everything)."""
    if not prefix:
        return Q()
    return Q(**{field: prefix}) | Q(**{f"{field}__startswith": prefix + "."})


def region_in_reach(user: "User", code: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    if user.role not in REGION_SCOPED_ROLES:
        return False
    return code_within(code, user.region_code)


def region_q(user: "User", field: str) -> Q:
    """A ``Q`` matching rows whose ``field`` (a region code) is within the user's reach."""
    if user.is_superuser or user.role == Role.ADMIN:
        return Q()
    if user.role not in REGION_SCOPED_ROLES or not user.is_authenticated:
        return Q(pk__in=[])
    return within_q(field, user.region_code)


def scope_by_region(queryset: QuerySet, user: "User", field: str) -> QuerySet:
    return queryset.filter(region_q(user, field))
