"""Reads of candidacy for the public portal: elections, pairs and candidates' photos, in the orders the
portal's pages, API and downloads use. The portal reads candidacy's tables only through these (and through
``selectors.pair_public_profile`` / ``candidate_public_cv`` for what of a pair the public may see); what a
page shows of them stays the portal's."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Candidate, CandidatePair, Election, Nomination, Path, ResponseOutcome


def public_elections() -> QuerySet[Election]:
    """Every election (no personal data lives on an election), by region then id."""
    return Election.objects.order_by("region_code", "id")


def public_election(election_id: int) -> Election | None:
    return Election.objects.select_related("regulation").filter(pk=election_id).first()


def upcoming_elections(today: datetime.date) -> QuerySet[Election]:
    """Elections whose polling day is ``today`` or later, by region, polling day and id."""
    return Election.objects.filter(polling_day__gte=today).order_by("region_code", "polling_day", "id")


def pairs_named(text: str) -> QuerySet[CandidatePair]:
    """Pairs whose name or one of whose candidates' names contains ``text`` (a candidate's name is public on the
    pair's page), by election region, ballot number and id."""
    named = Q(name__icontains=text) | Q(candidates__name__icontains=text)
    ids = CandidatePair.objects.filter(named).values("id")
    return (
        CandidatePair.objects.filter(id__in=ids)
        .select_related("election")
        .prefetch_related(Prefetch("candidates", queryset=Candidate.objects.order_by("role")))
        .order_by("election__region_code", "election_id", "ballot_number", "id")
    )


def elections_where(condition: Q) -> list[Election]:
    """Elections matching ``condition`` (the portal's region pages), by region, latest polling day first."""
    return list(Election.objects.filter(condition).order_by("region_code", "-polling_day", "id"))


def independent_elections() -> QuerySet[Election]:
    """Elections with at least one independent pair, by region then id."""
    return Election.objects.filter(pairs__path=Path.INDEPENDENT).distinct().order_by("region_code", "id")


def independent_pairs(election: Election) -> list[tuple[int, str]]:
    """``(id, name)`` of the election's independent pairs in ballot order."""
    return list(
        CandidatePair.objects.filter(election=election, path=Path.INDEPENDENT)
        .order_by("ballot_number", "id")
        .values_list("id", "name")
    )


def public_pairs() -> QuerySet[CandidatePair]:
    """Pairs with their candidates (head and deputy in role order) and nominating parties (by party number)
    prefetched, for the public profile."""
    return with_response_counts(
        CandidatePair.objects.prefetch_related(
            Prefetch("candidates", queryset=Candidate.objects.order_by("role")),
            Prefetch("nominations", queryset=Nomination.objects.select_related("party").order_by("party__number")),
        )
    )


def pairs_for_export() -> QuerySet[CandidatePair]:
    """Every pair with its election, parties and candidates, in the order of the open-data CSV."""
    return with_response_counts(
        CandidatePair.objects.select_related("election")
        .prefetch_related("nominations__party", "candidates")
        .order_by("election__region_code", "election_id", "ballot_number", "id")
    )


def with_response_counts(pairs: QuerySet[CandidatePair]) -> QuerySet[CandidatePair]:
    """Each pair annotated with its public responses (docs/domain.md §9.2), counts only, never who sent them:
    ``responses_received``, ``responses_upheld``, ``responses_not_upheld``."""
    return pairs.annotate(
        responses_received=Count("public_responses", distinct=True),
        responses_upheld=Count(
            "public_responses", filter=Q(public_responses__outcome=ResponseOutcome.UPHELD), distinct=True
        ),
        responses_not_upheld=Count(
            "public_responses", filter=Q(public_responses__outcome=ResponseOutcome.NOT_UPHELD), distinct=True
        ),
    )


def public_response_counts(pair: CandidatePair) -> dict[str, int]:
    """A pair's public responses: received, upheld, not upheld, and still open (counts only), from a pair of
    ``public_pairs`` (annotated by ``with_response_counts``, so no further query)."""
    decided = pair.responses_upheld + pair.responses_not_upheld
    return {
        "received": pair.responses_received,
        "upheld": pair.responses_upheld,
        "not_upheld": pair.responses_not_upheld,
        "open": pair.responses_received - decided,
    }


def candidate_photo(candidate_id: int):
    """The photo file of a candidate (a public passport photo), or ``None``."""
    candidate = Candidate.objects.filter(pk=candidate_id).only("photo").first()
    return candidate.photo if candidate and candidate.photo else None
