"""Screens say things once, in words and one number format (#21)."""

import pytest
from django.urls import reverse
from django.utils import translation

from silon.numbers import grouped
from tests.accounts.factories import operator
from tests.candidacy.factories import ElectionFactory
from tests.security.screen_text import raw_values, visible_text

pytestmark = pytest.mark.django_db


def test_the_login_refusal_names_the_field_once(client):
    html = client.post(reverse("accounts:login"), {"username": "tidak-ada", "password": "salah"}).content.decode()
    assert "Nama pengguna atau kata sandi salah." in html
    assert raw_values(visible_text(html)) == []


def test_an_election_without_dprd_totals_shows_a_dash_not_none(client):
    election = ElectionFactory(total_valid_votes=None, total_seats=None)
    client.force_login(operator("52"))
    text = visible_text(client.get(reverse("candidacy:election_detail", args=[election.pk])).content.decode())
    assert "Suara sah DPRD: — · Kursi DPRD: —" in text
    assert raw_values(text) == []
    election.total_valid_votes, election.total_seats = 2_438_406, 65
    election.save()
    text = visible_text(client.get(reverse("candidacy:election_detail", args=[election.pk])).content.decode())
    assert "Suara sah DPRD: 2.438.406 · Kursi DPRD: 65" in text


def test_counts_in_messages_follow_the_language():
    with translation.override("id"):
        assert grouped(38_426) == "38.426"
    with translation.override("en"):
        assert grouped(38_426) == "38,426"
