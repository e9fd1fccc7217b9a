"""What each role sees first after signing in: the panels the apps register, in order.

The dashboard knows no app. An app that has something to show puts a ``panels.py`` module next to its
``models.py`` (found at start-up like the admin's ``admin.py``) and registers each panel there::

    @panels.register(when=panels.officials, order=10, template="dashboard/panels/elections.html")
    def elections(user) -> dict:
        return {"elections": ..., "queues": [Queue(...)]}

A panel is a function of the signed-in user returning part of the page's context; ``when`` says on whose
dashboard it appears and ``order`` where. List values are joined in panel order (several apps add to
``queues``, the grid of waiting work the page opens with), any other value is set. A panel with a
``template`` also renders its own section, below the queues; one without only adds context (the header).
Every panel reads through its app's scoped selectors, and keeps its queries bounded whatever the data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from silon.accounts.models import Role, User

QUEUE_ITEMS_SHOWN = 10


@dataclass
class QueueItem:
    label: str
    url: str
    detail: str = ""


@dataclass
class Queue:
    """One kind of waiting work: how many, and the first few with a link each. ``counts_items`` is False
    when ``total`` counts something else than the items listed (documents, listed per pair), so the page
    does not say "the first N are shown"."""

    key: str
    title: str
    total: int
    items: list[QueueItem] = field(default_factory=list)
    counts_items: bool = True


# --- whose dashboard: one role family each, so that every user gets exactly one kind of page -------------


def everyone(user: User) -> bool:
    return True


def officials(user: User) -> bool:
    """KPU operators, system admins and Bawaslu (read-only), and superusers."""
    return user.is_official


def supervisors(user: User) -> bool:
    """Bawaslu: an official whose dashboard also follows every stage of its area, read-only."""
    return user.is_supervisor


def verifiers(user: User) -> bool:
    return not user.is_official and user.role == Role.VERIFIER


def party_admins(user: User) -> bool:
    return not user.is_official and user.role == Role.PARTY_ADMIN


def pair_operators(user: User) -> bool:
    """The LO of an independent pair."""
    return not user.is_official and user.role == Role.PAIR_OPERATOR


# --- the registry --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    build: Callable[[User], dict]
    when: Callable[[User], bool]
    order: int
    template: str = ""


_panels: dict[str, Panel] = {}


def register(*, when: Callable[[User], bool], order: int, template: str = ""):
    """Register the decorated function as a panel (registering the same function again replaces it)."""

    def decorator(build: Callable[[User], dict]) -> Callable[[User], dict]:
        _panels[f"{build.__module__}.{build.__qualname__}"] = Panel(build, when, order, template)
        return build

    return decorator


def registered() -> list[Panel]:
    return sorted(_panels.values(), key=lambda panel: panel.order)


def dashboard_context(user: User) -> dict:
    """The page context of ``user``'s dashboard: every applicable panel's part, and ``sections``, the
    templates to render below the queues, in order."""
    context: dict = {"queues": [], "sections": []}
    for panel in registered():
        if not panel.when(user):
            continue
        for key, value in panel.build(user).items():
            if isinstance(value, list) and isinstance(context.get(key), list):
                context[key] = context[key] + value
            else:
                context[key] = value
        if panel.template:
            context["sections"].append(panel.template)
    return context
