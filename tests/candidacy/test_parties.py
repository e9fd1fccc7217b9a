import datetime
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidacy.models import Nomination, Party, PartyConfirmation, PartyRule, Path, RegulationVersion, Stage
from candidacy.services import (
    StageClosedError,
    pair_confirm,
    pair_nominate,
    pair_transition,
    party_admin_issue,
    party_admin_revoke,
    party_result_set,
    party_results_import,
    stage_extension_grant,
)
from silon.accounts.models import Role
from silon.audit.models import AuditEvent
from tests.accounts.factories import UserFactory, operator

from .factories import ElectionFactory, PairFactory, candidate, open_stage, party, result

pytestmark = pytest.mark.django_db


def test_the_2024_national_parties_are_seeded():
    assert Party.objects.count() == 18
    assert list(Party.objects.values_list("number", flat=True)) == [*range(1, 18), 24]
    assert Party.objects.get(number=24).short_name == "Ummat"


@pytest.fixture
def election():
    # DPT 3,568,594 → 8.5% band; 3,000,000 valid votes → 255,000 needed under MK 60
    e = ElectionFactory(dpt=3_568_594, total_valid_votes=3_000_000, total_seats=65)
    open_stage(e, Stage.REGISTRATION)
    return e


def party_pair(election, name="Koalisi"):
    return PairFactory(election=election, path=Path.PARTY, name=name)


def test_results_import_reports_line_numbers_and_saves_nothing_on_error(election):
    text = "party_number,votes,seats\n2,100000,5\n99,1,1\n2,5,5\n4,x,1\n8,1\n"
    with pytest.raises(ValidationError) as exc:
        party_results_import(actor=operator("52"), election=election, text=text)
    assert exc.value.messages == [
        "Baris 3: nomor partai «99» tidak dikenal.",
        "Baris 4: partai nomor 2 ganda.",
        "Baris 5: suara «x» bukan bilangan bulat.",
        "Baris 6: harus 3 kolom (party_number,votes,seats).",
    ]
    assert not election.party_results.exists()
    assert party_results_import(actor=operator("52"), election=election, text="2,100.000,5\n4,90000,4\n") == 2
    assert list(election.party_results.values_list("party__number", "votes", "seats")) == [
        (2, 100_000, 5),
        (4, 90_000, 4),
    ]


def test_results_may_not_exceed_the_election_totals(election):
    with pytest.raises(ValidationError, match="melebihi jumlah kursi"):
        party_results_import(actor=operator("52"), election=election, text="2,100,40\n4,100,30\n")
    party_result_set(actor=operator("52"), election=election, party=party(2), votes=2_999_999, seats=1)
    with pytest.raises(ValidationError, match="melebihi jumlah suara sah"):
        party_result_set(actor=operator("52"), election=election, party=party(4), votes=2, seats=1)


def test_mk60_coalition_with_a_seatless_party_qualifies_on_votes(election):
    result(election, 2, 200_000, 10)
    result(election, 6, 55_000, 0)  # no seats: may join under MK 60
    pair = party_pair(election)
    pair_nominate(actor=operator("52"), pair=pair, parties=[party(2), party(6)])
    assert sorted(pair.nominations.values_list("party__number", flat=True)) == [2, 6]
    assert AuditEvent.objects.filter(action="pair.nominate", object_id=str(pair.pk)).exists()


def test_mk60_coalition_one_vote_short_is_refused(election):
    result(election, 2, 200_000, 10)
    result(election, 6, 54_999, 0)
    with pytest.raises(ValidationError, match=r"254\.999 suara sah dari 255\.000"):
        pair_nominate(actor=operator("52"), pair=party_pair(election), parties=[party(2), party(6)])


@pytest.fixture
def old_rule_election():
    regulation = RegulationVersion.objects.get(party_rule=PartyRule.SEATS_OR_VOTES)
    e = ElectionFactory(regulation=regulation, dpt=3_568_594, total_valid_votes=1_000_000, total_seats=65)
    open_stage(e, Stage.REGISTRATION)
    return e


def test_pre_mk60_coalition_qualifies_on_20_percent_of_seats(old_rule_election):
    result(old_rule_election, 2, 100_000, 7)
    result(old_rule_election, 4, 100_000, 6)  # 13 of 65 seats = 20%
    pair_nominate(actor=operator("52"), pair=party_pair(old_rule_election), parties=[party(2), party(4)])


def test_pre_mk60_coalition_qualifies_on_25_percent_of_votes(old_rule_election):
    result(old_rule_election, 2, 150_000, 3)
    result(old_rule_election, 4, 100_000, 3)  # 250,000 of 1,000,000 votes
    pair_nominate(actor=operator("52"), pair=party_pair(old_rule_election), parties=[party(2), party(4)])


def test_pre_mk60_coalition_short_on_both_routes_is_refused(old_rule_election):
    result(old_rule_election, 2, 150_000, 6)
    result(old_rule_election, 4, 99_999, 6)
    with pytest.raises(ValidationError, match="12 kursi dari 13"):
        pair_nominate(actor=operator("52"), pair=party_pair(old_rule_election), parties=[party(2), party(4)])


def test_pre_mk60_seatless_party_may_not_join(old_rule_election):
    result(old_rule_election, 2, 300_000, 14)
    result(old_rule_election, 6, 1_000, 0)
    with pytest.raises(ValidationError, match="tanpa kursi DPRD"):
        pair_nominate(actor=operator("52"), pair=party_pair(old_rule_election), parties=[party(2), party(6)])


def test_a_party_backs_one_pair_per_election(election):
    result(election, 2, 300_000, 14)
    result(election, 4, 300_000, 14)
    first, second = party_pair(election, "Pertama"), party_pair(election, "Kedua")
    pair_nominate(actor=operator("52"), pair=first, parties=[party(2)])
    with pytest.raises(ValidationError, match="Gerindra sudah mengusulkan pasangan Pertama"):
        pair_nominate(actor=operator("52"), pair=second, parties=[party(2), party(4)])
    # and the database refuses it even past the service
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(pair=second, election=election, party=party(2))
    # another election is free to use the same party
    other = ElectionFactory(total_valid_votes=3_000_000, total_seats=65)
    open_stage(other, Stage.REGISTRATION)
    result(other, 2, 300_000, 14)
    pair_nominate(actor=operator("52"), pair=party_pair(other), parties=[party(2)])


def test_results_must_be_entered_before_nominating(election):
    with pytest.raises(ValidationError, match="belum diisi untuk: PKB"):
        pair_nominate(actor=operator("52"), pair=party_pair(election), parties=[party(1)])


def test_independent_pairs_have_no_parties(election):
    result(election, 2, 300_000, 14)
    with pytest.raises(ValidationError, match="perseorangan"):
        pair_nominate(actor=operator("52"), pair=PairFactory(election=election), parties=[party(2)])


def test_nomination_belongs_to_the_registration_window_and_extensions_reopen_it(election):
    result(election, 2, 300_000, 14)
    pair = party_pair(election)
    window = election.stage_windows.get(stage=Stage.REGISTRATION)
    window.starts_at, window.ends_at = timezone.now() - timedelta(days=5), timezone.now() - timedelta(hours=1)
    window.save()
    with pytest.raises(StageClosedError, match="Pendaftaran pasangan calon sudah ditutup"):
        pair_nominate(actor=operator("52"), pair=pair, parties=[party(2)])
    stage_extension_grant(
        actor=operator("52"),
        election=election,
        stage=Stage.REGISTRATION,
        pair=pair,
        extended_until=timezone.now() + timedelta(hours=24),
        reason="Gangguan server",
    )
    pair_nominate(actor=operator("52"), pair=pair, parties=[party(2)])


def test_party_admin_is_issued_once_with_a_one_time_password(election):
    pair = party_pair(election)
    user, password = party_admin_issue(actor=operator("52"), pair=pair)
    assert user.role == Role.PARTY_ADMIN and user.must_change_password
    assert user.check_password(password) and len(password) >= 12
    assert user.expires_at.date() > election.polling_day
    assert user.has_perm("candidacy.operate_pair", pair)
    assert not user.has_perm("candidacy.operate_pair", party_pair(election, "Lain"))
    with pytest.raises(ValidationError, match="sudah memiliki"):
        party_admin_issue(actor=operator("52"), pair=pair)
    with pytest.raises(ValidationError, match="jalur partai"):
        party_admin_issue(actor=operator("52"), pair=PairFactory(election=election))
    event = AuditEvent.objects.get(action="pair.party_admin_issue")
    assert password not in str(event.after)


def test_no_party_admin_account_once_its_grace_after_polling_day_has_passed(election):
    pair = party_pair(election)
    user, _password = party_admin_issue(actor=operator("52"), pair=pair)
    party_admin_revoke(actor=operator("52"), pair=pair, reason="diganti")
    after = user.expires_at + datetime.timedelta(minutes=1)
    with time_machine.travel(after), pytest.raises(ValidationError, match="sudah lewat"):
        party_admin_issue(actor=operator("52"), pair=pair)
    assert party_admin_issue(actor=operator("52"), pair=pair)[0].expires_at == user.expires_at


def test_party_admin_confirms_but_never_edits(election):
    result(election, 2, 300_000, 14)
    pair = party_pair(election)
    candidate(pair, "head")
    pair_nominate(actor=operator("52"), pair=pair, parties=[party(2)])
    admin, _password = party_admin_issue(actor=operator("52"), pair=pair)
    confirmation = pair_confirm(actor=admin, pair=pair, note="Sesuai")
    assert confirmation.snapshot["parties"] == [2]
    assert confirmation.snapshot["candidates"] == {"head": "Lalu Uji"}
    assert AuditEvent.objects.filter(action="pair.party_confirm", actor=admin).exists()
    with pytest.raises(PermissionDenied):
        pair_nominate(actor=admin, pair=pair, parties=[party(2)])
    with pytest.raises(PermissionDenied):
        pair_transition(actor=admin, pair=pair, to="submitted", reason="x")
    with pytest.raises(PermissionDenied):
        party_result_set(actor=admin, election=election, party=party(4), votes=1, seats=0)
    # another pair's party admin, or an operator, cannot confirm for this pair
    other_admin, _ = party_admin_issue(actor=operator("52"), pair=party_pair(election, "Lain"))
    with pytest.raises(PermissionDenied):
        pair_confirm(actor=other_admin, pair=pair)
    with pytest.raises(PermissionDenied):
        pair_confirm(actor=operator("52"), pair=pair)
    assert PartyConfirmation.objects.count() == 1


def test_party_admin_role_of_another_team_has_no_grant(election):
    stranger = UserFactory(role=Role.PARTY_ADMIN, region_code="")
    with pytest.raises(PermissionDenied):
        pair_confirm(actor=stranger, pair=party_pair(election))


def test_party_admin_is_revoked_with_a_reason_and_reissued_one_at_a_time(election):
    from candidacy.models import PartyAdmin
    from candidacy.services import party_admin_revoke
    from silon.accounts.models import User

    pair = party_pair(election)
    kpu = operator("52")
    first, _password = party_admin_issue(actor=kpu, pair=pair)
    with pytest.raises(ValidationError, match="Alasan pencabutan wajib"):
        party_admin_revoke(actor=kpu, pair=pair, reason=" ")
    with pytest.raises(PermissionDenied):
        party_admin_revoke(actor=operator("52.06"), pair=pair, reason="Bukan wilayahnya")
    with pytest.raises(PermissionDenied):
        party_admin_revoke(actor=first, pair=pair, reason="Mencabut diri sendiri")
    revoked = party_admin_revoke(actor=kpu, pair=pair, reason="Pengurus partai diganti")
    assert revoked.revoked_by == kpu and revoked.revoke_reason == "Pengurus partai diganti"
    first = User.objects.get(pk=first.pk)
    assert not first.is_active and not first.has_perm("candidacy.operate_pair", pair)
    with pytest.raises(PermissionDenied):
        pair_confirm(actor=first, pair=pair)
    event = AuditEvent.objects.get(action="pair.party_admin_revoke")
    assert event.actor == kpu and event.after == {
        "username": first.username,
        "active": False,
        "reason": "Pengurus partai diganti",
    }
    with pytest.raises(ValidationError, match="tidak memiliki akun admin partai aktif"):
        party_admin_revoke(actor=kpu, pair=pair, reason="Lagi")
    # Re-issued after revocation: a new login, expiring after the election; still one active at a time.
    second, password = party_admin_issue(actor=kpu, pair=pair)
    assert second.username != first.username and second.check_password(password)
    assert second.expires_at == first.expires_at and second.expires_at.date() > election.polling_day
    assert second.has_perm("candidacy.operate_pair", pair)
    assert pair_confirm(actor=second, pair=pair).confirmed_by == second
    with pytest.raises(ValidationError, match="Cabut akun itu"):
        party_admin_issue(actor=kpu, pair=pair)
    assert [(a.user.username, a.is_active) for a in PartyAdmin.objects.filter(pair=pair)] == [
        (first.username, False),
        (second.username, True),
    ]
    assert AuditEvent.objects.filter(action="pair.party_admin_issue").count() == 2
