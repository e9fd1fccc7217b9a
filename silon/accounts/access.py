"""The KPU-operator check, in one place: is the user a KPU operator (system admins count as one), and is the
object's region within their reach (``jurisdiction.region_in_reach``)? Services refuse with
``require_kpu_operator``; selectors and pages ask ``is_kpu_operator`` / ``kpu_operator_reaches``."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .jurisdiction import region_in_reach
from .models import Role, User

KPU_OPERATOR_ROLES = frozenset({Role.KPU_OPERATOR, Role.ADMIN})


def is_kpu_operator(user: User) -> bool:
    """A KPU operator or a system admin, whatever the region."""
    return user.role in KPU_OPERATOR_ROLES


def kpu_operator_reaches(user: User, code: str) -> bool:
    """A KPU operator (or admin) whose jurisdiction covers the region ``code``."""
    return is_kpu_operator(user) and region_in_reach(user, code)


def require_kpu_operator(user: User, code: str, message: str | None = None) -> None:
    """Refuse (``PermissionDenied``) anyone but a KPU operator (or admin) whose jurisdiction covers ``code``;
    ``message`` says what lies outside, by default the election's region."""
    if not kpu_operator_reaches(user, code):
        raise PermissionDenied(message or _("Hanya operator KPU di wilayah pemilihan ini yang boleh melakukannya."))
