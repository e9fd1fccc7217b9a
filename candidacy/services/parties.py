"""The party-backed path: DPRD results per election, nominations (one party or a coalition), the party
admin account of a pair and its confirmations."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from silon.accounts.models import Role, User
from silon.accounts.services import user_create
from silon.audit import actions
from silon.audit.services import audit_record
from silon.numbers import grouped

from ..access import is_pair_team, require_manage_election
from ..models import (
    COUNT_MAX,
    SEATS_MAX,
    CandidatePair,
    Election,
    Nomination,
    Party,
    PartyAdmin,
    PartyConfirmation,
    PartyResult,
    Path,
    Stage,
)
from ..selectors import CoalitionCheck, coalition_check
from ..status import EDITABLE_STATUSES
from .elections import count_out_of_range, csv_rows, parse_count
from .stages import stage_require_open

# Disputes over the result are heard after polling day; the party admin keeps read access through them.
PARTY_ADMIN_GRACE = datetime.timedelta(days=30)


def _check_totals(election: Election, *, votes: int, seats: int) -> None:
    """Party results may not add up past the election's entered totals."""
    if election.total_valid_votes is not None and votes > election.total_valid_votes:
        raise ValidationError(
            _("Jumlah suara partai (%(sum)s) melebihi jumlah suara sah DPRD (%(total)s).")
            % {"sum": grouped(votes), "total": grouped(election.total_valid_votes)}
        )
    if election.total_seats is not None and seats > election.total_seats:
        raise ValidationError(
            _("Jumlah kursi partai (%(sum)s) melebihi jumlah kursi DPRD (%(total)s).")
            % {"sum": seats, "total": election.total_seats}
        )


@transaction.atomic
def party_result_set(*, actor: User, election: Election, party: Party, votes: int, seats: int) -> PartyResult:
    require_manage_election(actor, election)
    if count_out_of_range(votes, COUNT_MAX) or count_out_of_range(seats, SEATS_MAX):
        raise ValidationError(
            _("Suara harus 0 sampai %(votes)s dan kursi 0 sampai %(seats)s.")
            % {"votes": grouped(COUNT_MAX), "seats": SEATS_MAX}
        )
    others = (
        PartyResult.objects.filter(election=election).exclude(party=party).aggregate(v=Sum("votes"), s=Sum("seats"))
    )
    _check_totals(election, votes=(others["v"] or 0) + votes, seats=(others["s"] or 0) + seats)
    result, created = PartyResult.objects.update_or_create(
        election=election, party=party, defaults={"votes": votes, "seats": seats}
    )
    audit_record(
        actor=actor,
        action=actions.PARTY_RESULT_SET,
        obj=result,
        region_code=election.region_code,
        after={"party": party.number, "votes": votes, "seats": seats, "created": created},
    )
    return result


@transaction.atomic
def party_results_import(*, actor: User, election: Election, text: str) -> int:
    """Upsert results from CSV ``party_number,votes,seats``; every error names its line, and nothing is
    saved unless every line is valid."""
    require_manage_election(actor, election)
    parties = {p.number: p for p in Party.objects.all()}
    errors, parsed, seen = [], [], set()
    for line, cells in csv_rows(text, ["party_number", "votes", "seats"]):
        if len(cells) != 3:
            errors.append(_("Baris %(line)s: harus 3 kolom (party_number,votes,seats).") % {"line": line})
            continue
        line_errors, result = _result_line(line, cells, parties, seen)
        errors += line_errors
        if result is not None:
            parsed.append(result)
    if not errors and not parsed:
        errors.append(_("Berkas CSV tidak berisi data."))
    if errors:
        raise ValidationError(errors)
    kept = PartyResult.objects.filter(election=election).exclude(party__in=[p for p, _v, _s in parsed])
    kept_totals = kept.aggregate(v=Sum("votes"), s=Sum("seats"))
    _check_totals(
        election,
        votes=(kept_totals["v"] or 0) + sum(v for _p, v, _s in parsed),
        seats=(kept_totals["s"] or 0) + sum(s for _p, _v, s in parsed),
    )
    for party, votes, seats in parsed:
        PartyResult.objects.update_or_create(election=election, party=party, defaults={"votes": votes, "seats": seats})
    audit_record(
        actor=actor,
        action=actions.PARTY_RESULT_IMPORT,
        obj=election,
        region_code=election.region_code,
        after={"rows": len(parsed)},
    )
    return len(parsed)


def _result_line(
    line: int, cells: list[str], parties: dict[int, Party], seen: set
) -> tuple[list[str], tuple[Party, int, int] | None]:
    """The errors of one ``party_number,votes,seats`` line, and its (party, votes, seats) when it has none.
    ``seen``: the party numbers of the lines before, this line's added."""
    number, votes, seats = parse_count(cells[0]), parse_count(cells[1]), parse_count(cells[2])
    seen_before = number in seen
    seen.add(number)
    errors = []
    if number is None or number not in parties:
        errors.append(_("Baris %(line)s: nomor partai «%(value)s» tidak dikenal.") % {"line": line, "value": cells[0]})
    elif seen_before:
        errors.append(_("Baris %(line)s: partai nomor %(value)s ganda.") % {"line": line, "value": number})
    if votes is None:
        errors.append(_("Baris %(line)s: suara «%(value)s» bukan bilangan bulat.") % {"line": line, "value": cells[1]})
    if seats is None:
        errors.append(_("Baris %(line)s: kursi «%(value)s» bukan bilangan bulat.") % {"line": line, "value": cells[2]})
    if count_out_of_range(votes, COUNT_MAX):
        errors.append(
            _("Baris %(line)s: suara %(value)s di luar batas (0 sampai %(max)s).")
            % {"line": line, "value": cells[1], "max": grouped(COUNT_MAX)}
        )
    if count_out_of_range(seats, SEATS_MAX):
        errors.append(
            _("Baris %(line)s: kursi %(value)s di luar batas (0 sampai %(max)s).")
            % {"line": line, "value": cells[2], "max": SEATS_MAX}
        )
    return errors, None if errors else (parties[number], votes, seats)


@transaction.atomic
def pair_nominate(*, actor: User, pair: CandidatePair, parties: list[Party]) -> list[Nomination]:
    """Set the party or coalition (*gabungan partai politik*) backing a party-path pair, during registration.

    Refused when a party already backs another pair (UU 10/2016 Pasal 43(3)), when a party without DPRD seats
    joins under a rule that needs seats (Pasal 40(3) before MK 60/PUU-XXII/2024), or when the accumulated
    votes/seats fall short of the threshold in force.
    """
    election = pair.election
    require_manage_election(actor, election)
    stage_require_open(election=election, stage=Stage.REGISTRATION, pair=pair)
    if pair.path != Path.PARTY:
        raise ValidationError(_("Pasangan calon perseorangan tidak diusulkan partai politik."))
    if pair.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Partai pengusul hanya dapat diubah saat draf atau perbaikan."))
    parties = list({p.pk: p for p in parties}.values())
    if not parties:
        raise ValidationError(_("Pilih sedikitnya satu partai politik pengusul."))
    _nomination_require_free(pair, parties)
    _nomination_require_results(election, parties)
    check = _coalition_require_qualifies(election, parties)
    before = sorted(pair.nominations.values_list("party__number", flat=True))
    _nominations_replace(pair, parties)
    audit_record(
        actor=actor,
        action=actions.PAIR_NOMINATE,
        obj=pair,
        region_code=election.region_code,
        before={"parties": before},
        after={"parties": sorted(p.number for p in parties), "votes": check.votes, "seats": check.seats},
    )
    return list(pair.nominations.select_related("party"))


def _nomination_require_free(pair: CandidatePair, parties: list[Party]) -> None:
    """UU 10/2016 Pasal 43(3): refused when one of ``parties`` already backs another pair of the election."""
    taken = (
        Nomination.objects.filter(election=pair.election, party__in=parties)
        .exclude(pair=pair)
        .select_related("party", "pair")
    )
    if taken:
        raise ValidationError(
            [
                _("%(party)s sudah mengusulkan pasangan %(pair)s.") % {"party": n.party.short_name, "pair": n.pair.name}
                for n in taken
            ]
        )


def _nomination_require_results(election: Election, parties: list[Party]) -> None:
    """Refused until every party's DPRD result and the election's totals are entered, and when a seatless
    party joins under a regulation that needs seats."""
    results = {r.party_id: r for r in PartyResult.objects.filter(election=election, party__in=parties)}
    missing = [p.short_name for p in parties if p.pk not in results]
    if missing:
        raise ValidationError(
            _("Perolehan suara DPRD belum diisi untuk: %(parties)s.") % {"parties": ", ".join(missing)}
        )
    if not election.regulation.party_seatless_may_join:
        seatless = [p.short_name for p in parties if results[p.pk].seats == 0]
        if seatless:
            # UU 10/2016 Pasal 40(3): under this regulation only parties holding DPRD seats may nominate.
            raise ValidationError(
                _("Partai tanpa kursi DPRD tidak dapat mengusulkan menurut %(rule)s: %(parties)s.")
                % {"rule": election.regulation.name, "parties": ", ".join(seatless)}
            )
    if election.total_valid_votes is None or (
        election.regulation.party_seat_percent is not None and election.total_seats is None
    ):
        raise ValidationError(_("Jumlah suara sah dan kursi DPRD pemilihan ini belum diisi."))


def _coalition_require_qualifies(election: Election, parties: list[Party]) -> CoalitionCheck:
    """The coalition check of ``parties``; refused when their votes (and seats) fall short of the threshold."""
    check = coalition_check(election=election, parties=parties)
    if check.qualifies:
        return check
    if check.seats_required is not None:
        message = _(
            "Gabungan partai belum memenuhi syarat: %(seats)s kursi dari %(seats_required)s yang diperlukan "
            "dan %(votes)s suara dari %(votes_required)s yang diperlukan."
        )
    else:
        message = _(
            "Gabungan partai belum memenuhi syarat: %(votes)s suara sah dari %(votes_required)s yang diperlukan."
        )
    raise ValidationError(
        message
        % {
            "seats": check.seats,
            "seats_required": check.seats_required,
            "votes": grouped(check.votes),
            "votes_required": grouped(check.votes_required),
        }
    )


def _nominations_replace(pair: CandidatePair, parties: list[Party]) -> None:
    """The pair's nominations become exactly ``parties``."""
    pair.nominations.exclude(party__in=parties).delete()
    existing = set(pair.nominations.values_list("party_id", flat=True))
    try:
        with transaction.atomic():
            Nomination.objects.bulk_create(
                [Nomination(pair=pair, election=pair.election, party=p) for p in parties if p.pk not in existing]
            )
    except IntegrityError as exc:  # a concurrent nomination took a party between the check and the insert
        raise ValidationError(_("Salah satu partai baru saja mengusulkan pasangan lain; muat ulang halaman.")) from exc


def party_admin_expiry(pair: CandidatePair) -> datetime.datetime:
    """A party admin account lapses a grace period after polling day (disputes are heard then)."""
    polling_end = datetime.datetime.combine(pair.election.polling_day, datetime.time.max)
    return timezone.make_aware(polling_end) + PARTY_ADMIN_GRACE


@transaction.atomic
def party_admin_issue(*, actor: User, pair: CandidatePair) -> tuple[User, str]:
    """Issue the party admin account of a party-backed pair (one active at a time; another only after the
    current one is revoked): a one-time password shown once, the ``operate_pair`` grant on the pair, and
    expiry after the election."""
    require_manage_election(actor, pair.election)
    if pair.path != Path.PARTY:
        raise ValidationError(_("Admin partai hanya untuk pasangan calon jalur partai politik."))
    CandidatePair.objects.select_for_update().get(pk=pair.pk)  # two operators issuing at once: one waits
    if PartyAdmin.objects.filter(pair=pair, revoked_at__isnull=True).exists():
        raise ValidationError(
            _(
                "Pasangan calon ini sudah memiliki akun admin partai aktif. "
                "Cabut akun itu sebelum menerbitkan yang baru."
            )
        )
    expires_at = party_admin_expiry(pair)
    if expires_at <= timezone.now():  # an account born expired could never log in
        raise ValidationError(_("Masa akun admin partai pemilihan ini sudah lewat; akun tidak dapat diterbitkan lagi."))
    issued = PartyAdmin.objects.filter(pair=pair).count()
    username = f"partai-{pair.election_id}-{pair.pk}" + (f"-{issued + 1}" if issued else "")
    user, password = user_create(
        actor=actor,
        username=username,
        role=Role.PARTY_ADMIN,
        first_name=_("Admin partai %(pair)s") % {"pair": pair.name},
        expires_at=expires_at,
    )
    assign_perm("candidacy.operate_pair", user, pair)
    PartyAdmin.objects.create(pair=pair, user=user, issued_by=actor)
    audit_record(
        actor=actor,
        action=actions.PAIR_PARTY_ADMIN_ISSUE,
        obj=pair,
        region_code=pair.election.region_code,
        after={"username": user.username, "expires_at": expires_at},
    )
    return user, password


@transaction.atomic
def party_admin_revoke(*, actor: User, pair: CandidatePair, reason: str) -> PartyAdmin:
    """Revoke the active party admin account of a pair: the login is disabled and its grant on the pair
    removed at once; the row stays, with who revoked it, when and why."""
    require_manage_election(actor, pair.election)
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan pencabutan wajib diisi.")})
    admin = (
        PartyAdmin.objects.select_for_update().filter(pair=pair, revoked_at__isnull=True).select_related("user").first()
    )
    if admin is None:
        raise ValidationError(_("Pasangan calon ini tidak memiliki akun admin partai aktif."))
    admin.revoked_at = timezone.now()
    admin.revoked_by = actor
    admin.revoke_reason = reason.strip()
    admin.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    user = admin.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    remove_perm("candidacy.operate_pair", user, pair)
    audit_record(
        actor=actor,
        action=actions.PAIR_PARTY_ADMIN_REVOKE,
        obj=pair,
        region_code=pair.election.region_code,
        before={"username": user.username, "active": True},
        after={"username": user.username, "active": False, "reason": admin.revoke_reason},
    )
    return admin


def pair_confirmation_snapshot(pair: CandidatePair) -> dict:
    """What a party admin confirms: the parties, the candidates' names and each document's latest revision."""
    from ..selectors import pair_document_checklist

    return {
        "status": pair.status,
        "parties": sorted(pair.nominations.values_list("party__number", flat=True)),
        "candidates": {c.role: c.name for c in pair.candidates.all()},
        "documents": [
            {
                "requirement": row["requirement"].code,
                "candidate": row["candidate"].role if row["candidate"] else None,
                "revision": row["latest"].revision,
                "sha256": row["latest"].sha256,
            }
            for row in pair_document_checklist(pair)
            if row["latest"]
        ],
    }


@transaction.atomic
def pair_confirm(*, actor: User, pair: CandidatePair, note: str = "") -> PartyConfirmation:
    """The party admin confirms what KPU entered for its pair; it changes nothing KPU decided."""
    if actor.role != Role.PARTY_ADMIN or not is_pair_team(actor, pair):
        raise PermissionDenied(_("Hanya admin partai pasangan calon ini yang dapat mengonfirmasi."))
    confirmation = PartyConfirmation.objects.create(
        pair=pair, confirmed_by=actor, note=note, snapshot=pair_confirmation_snapshot(pair)
    )
    audit_record(
        actor=actor,
        action=actions.PAIR_PARTY_CONFIRM,
        obj=pair,
        region_code=pair.election.region_code,
        after={"confirmation": confirmation.pk, "note": note, **confirmation.snapshot},
    )
    return confirmation
