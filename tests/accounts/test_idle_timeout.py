"""A supervisor's (Bawaslu's) session ends after SUPERVISOR_IDLE_TIMEOUT seconds without a request; the next
request is signed out and audited. Other roles keep their session. The clock is moved with time-machine."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from silon.accounts.models import KpuLevel, Role
from silon.audit import actions
from silon.audit.models import AuditEvent
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = "dashboard:home"


def _bawaslu():
    return UserFactory(username="bawaslu-ntb-uji", role=Role.BAWASLU, level="", region_code="52")


def _signed_in(response) -> bool:
    return response.status_code == 200


def test_default_is_fifteen_minutes(settings):
    assert settings.SUPERVISOR_IDLE_TIMEOUT == 15 * 60


def test_an_idle_supervisor_is_signed_out_on_the_next_request(client):
    user = _bawaslu()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(user)
        assert _signed_in(client.get(reverse(HOME)))
        clock.shift(datetime.timedelta(minutes=14))
        assert _signed_in(client.get(reverse(HOME)))  # activity restarts the count
        clock.shift(datetime.timedelta(minutes=14))
        assert _signed_in(client.get(reverse(HOME)))
        clock.shift(datetime.timedelta(minutes=15, seconds=1))
        response = client.get(reverse(HOME))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert client.get(reverse(HOME)).status_code == 302  # and stays signed out
    event = AuditEvent.objects.filter(action=actions.ACCOUNT_LOGOUT, actor=user).get()
    assert event.after["reason"] == "idle"
    assert event.after["idle_seconds"] == 15 * 60 + 1


def test_the_timeout_is_a_setting(client, settings):
    settings.SUPERVISOR_IDLE_TIMEOUT = 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(_bawaslu())
        assert _signed_in(client.get(reverse(HOME)))
        clock.shift(datetime.timedelta(seconds=61))
        assert client.get(reverse(HOME)).status_code == 302


def test_the_api_refuses_an_idle_supervisor(client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(_bawaslu())
        assert client.get("/api/candidacy/elections/").status_code == 200
        clock.shift(datetime.timedelta(minutes=16))
        assert client.get("/api/candidacy/elections/").status_code == 403


@pytest.mark.parametrize(
    "role,level,region",
    [(Role.KPU_OPERATOR, KpuLevel.PROVINSI, "52"), (Role.VERIFIER, KpuLevel.PPK, "52.01.01"), (Role.ADMIN, "", "")],
)
def test_other_roles_are_not_timed_out(client, role, level, region):
    user = UserFactory(role=role, level=level, region_code=region)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(user)
        assert _signed_in(client.get(reverse(HOME)))
        clock.shift(datetime.timedelta(hours=2))
        assert _signed_in(client.get(reverse(HOME)))
    assert not AuditEvent.objects.filter(action=actions.ACCOUNT_LOGOUT).exists()
