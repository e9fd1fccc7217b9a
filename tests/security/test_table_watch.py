"""The write-refusal tests' change detector sees every kind of write, and only real changes."""

import pytest
from django.db import transaction

from candidacy.models import Party
from tests.security.table_watch import TableWatch


@pytest.mark.django_db
def test_it_names_inserts_updates_and_deletes_and_nothing_else():
    watch = TableWatch(("candidacy", "regions"))
    assert watch.changed() == []

    party = Party.objects.create(number=901, name="Partai Uji", short_name="PU")
    assert watch.changed() == ["candidacy.Party"]
    assert watch.changed() == []  # remembered: no second report

    Party.objects.filter(pk=party.pk).update(name="Partai Uji Dua")
    assert watch.changed() == ["candidacy.Party"]

    Party.objects.filter(pk=party.pk).update(name="Partai Uji Dua")  # the same values again: no change
    assert watch.changed() == []

    party.delete()
    assert watch.changed() == ["candidacy.Party"]


@pytest.mark.django_db
def test_a_rolled_back_change_is_forgotten_once_reread():
    watch = TableWatch(("candidacy",))
    with transaction.atomic():
        Party.objects.create(number=902, name="Partai Sementara", short_name="PS")
        changed = watch.changed()
        transaction.set_rollback(True)
    assert changed == ["candidacy.Party"]
    watch.reread(changed)
    assert watch.changed() == []
    Party.objects.create(number=903, name="Partai Tetap", short_name="PT")
    assert watch.changed() == ["candidacy.Party"]
