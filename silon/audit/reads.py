"""Read audits: who was shown personal data (or, for Bawaslu, anything it supervises), written in one place.

A read that hands out personal data (a candidate's full record, a page of supporters' rows, a document's file)
is declared with ``@audited_read(action)``. It returns ``Shown(value, ...)``: what its caller gets, and what
the audit event says about it; the decorator writes that event (through ``audit_record``, the trail's one
writer) and hands the value on. Views and API views call these reads and never write an event themselves;
changes are audited by the services that make them. Each app keeps its audited reads in its ``reads.py``,
beside ``selectors.py`` (whose reads have no side effect).

Every audited read takes the viewer as the keyword argument ``actor``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Generic, ParamSpec, TypeVar

from django.db.models import Model, QuerySet

from . import actions
from .services import audit_record

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Shown(Generic[T]):
    """What an audited read hands out (``value``) and the event it leaves (``audit_record``'s arguments).
    ``recorded`` is False when nothing is to be recorded: an empty page, or a role whose reads leave no trail."""

    value: T
    obj: Model | None = None
    object_type: str = ""
    object_id: str = ""
    region_code: str = ""
    after: dict | None = None
    recorded: bool = True


def audited_read(action: str) -> Callable[[Callable[P, Shown[T]]], Callable[P, T]]:
    """Declare a read audited: each call writes one ``action`` event for its ``actor`` and returns the value."""

    def decorate(read: Callable[P, Shown[T]]) -> Callable[P, T]:
        @wraps(read)
        def audited(*args: P.args, **kwargs: P.kwargs) -> T:
            shown = read(*args, **kwargs)
            if shown.recorded:
                audit_record(
                    actor=kwargs["actor"],
                    action=action,
                    obj=shown.obj,
                    object_type=shown.object_type,
                    object_id=shown.object_id,
                    region_code=shown.region_code,
                    after=shown.after,
                )
            return shown.value

        return audited

    return decorate


def api_marked(after: dict, api: bool) -> dict:
    """An event's details, marked ``"api": True`` when the read answered the API rather than a page."""
    return {**after, "api": True} if api else after


@audited_read(actions.AUDIT_EXPORT)
def audit_events_export(*, actor, events: QuerySet, query: dict) -> Shown[QuerySet]:
    """The trail's events as the export streams them, recorded with the filters they were chosen by."""
    return Shown(events, object_type="audit.auditevent", after=query)
