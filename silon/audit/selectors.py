from django.db.models import QuerySet

from .models import AuditCheckpoint, AuditEvent

# The trail knows users only through the user model's own interface (``settings.AUTH_USER_MODEL``):
# ``is_official`` and ``reach_q``. It never imports accounts, which write to it.


def can_read_audit_log(user) -> bool:
    """KPU staff and Bawaslu (and superusers) read the trail."""
    return user.is_authenticated and user.is_official


def audit_event_list(
    *, user, action: str = "", actor: str = "", object_type: str = "", since=None, until=None
) -> QuerySet:
    """Events the user may read: admins all; KPU operators and Bawaslu those of their region.

    Events with no region (logins, account changes) are read by national readers only.
    """
    if not can_read_audit_log(user):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.filter(user.reach_q("region_code"))
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


def checkpoint_list() -> QuerySet:
    """Every signed checkpoint, oldest first: public (they hold no personal data, only hashes and times)."""
    return AuditCheckpoint.objects.order_by("id")


def checkpoint_latest(*, limit: int = 5) -> list:
    return list(AuditCheckpoint.objects.order_by("-id")[:limit])
