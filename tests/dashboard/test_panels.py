"""The dashboard's registry: apps register panels; the page is their parts in order, one role family each."""

import pytest

from dashboard import panels
from silon.accounts.models import Role
from tests.accounts.factories import UserFactory


def test_the_apps_panels_are_found_at_start_up():
    modules = {panel.build.__module__ for panel in panels.registered()}
    assert {"regions.panels", "candidacy.panels", "support_uploads.panels"} <= modules
    orders = [panel.order for panel in panels.registered()]
    assert orders == sorted(orders)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_user_is_in_exactly_one_role_family(role):
    user = UserFactory(role=role, region_code="")
    families = [panels.officials, panels.verifiers, panels.party_admins, panels.pair_operators]
    assert sum(family(user) for family in families) == 1
    superuser = UserFactory(role=role, region_code="", is_superuser=True)
    assert [family(superuser) for family in families] == [True, False, False, False]


@pytest.fixture
def scratch_registry(monkeypatch):
    monkeypatch.setattr(panels, "_panels", {})


@pytest.mark.django_db
def test_parts_are_joined_in_order_and_sections_follow_them(scratch_registry):
    @panels.register(when=panels.everyone, order=20, template="b.html")
    def second(user):
        return {"queues": [panels.Queue("b", "B", 2)], "label": "second"}

    @panels.register(when=panels.everyone, order=10, template="a.html")
    def first(user):
        return {"queues": [panels.Queue("a", "A", 1)], "label": "first"}

    @panels.register(when=panels.verifiers, order=5)
    def not_for_operators(user):
        return {"queues": [panels.Queue("x", "X", 0)]}

    panels.register(when=panels.everyone, order=10, template="a.html")(first)  # registering again: no twin
    context = panels.dashboard_context(UserFactory(role=Role.KPU_OPERATOR, region_code="52"))
    assert [q.key for q in context["queues"]] == ["a", "b"]
    assert context["label"] == "second" and context["sections"] == ["a.html", "b.html"]
