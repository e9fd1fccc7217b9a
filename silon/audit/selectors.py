from django.db.models import QuerySet

from silon.accounts.jurisdiction import region_q
from silon.accounts.models import Role

from .models import AuditEvent

AUDIT_READER_ROLES = frozenset({Role.ADMIN, Role.KPU_OPERATOR, Role.BAWASLU})


def can_read_audit_log(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in AUDIT_READER_ROLES)


def audit_event_list(
    *, user, action: str = "", actor: str = "", object_type: str = "", since=None, until=None
) -> QuerySet:
    """Events the user may read: admins all; KPU operators and Bawaslu those of their region.

    Events with no region (logins, account changes) are read by national readers only.
    """
    if not can_read_audit_log(user):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.all()
    if not (user.is_superuser or user.role == Role.ADMIN or not user.region_code):
        qs = qs.filter(region_q(user, "region_code"))
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_username=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if since:
        qs = qs.filter(created_at__gte=since)
    if until:
        qs = qs.filter(created_at__lt=until)
    return qs.order_by("-id")
