"""Scoped reads of objections: the queue of the KPU operators (and the read-only view of Bawaslu) whose reach
covers the election's region, the objections against an LO's own pair, and the public receipt page. Anything
outside reach answers 404."""

from django.db.models import Q, QuerySet
from django.http import Http404

from candidacy.models import CandidatePair, Path
from silon.accounts.access import is_kpu_operator
from silon.accounts.jurisdiction import region_in_reach
from silon.accounts.models import User
from support_uploads.selectors import lo_pairs

from .hashing import nik_hash
from .matching import name_key
from .models import Objection, ObjectionStatus

NIK_DIGITS = 16


def can_supervise(user: User) -> bool:
    """Officials who read objections: KPU operators and admins (who decide) and Bawaslu (read-only)."""
    return user.is_authenticated and (is_kpu_operator(user) or user.is_supervisor)


def objections_in_reach(user: User) -> QuerySet[Objection]:
    """The objections of elections whose region the official reaches; none for anyone else."""
    if not can_supervise(user):
        return Objection.objects.none()
    return Objection.objects.filter(user.reach_q("region_code")).select_related("pair", "election", "supporter")


def objection_search(queryset: QuerySet[Objection], query: str) -> QuerySet[Objection]:
    """A 16-digit query is a NIK, found by its keyed hash (the NIK is not stored here); anything else is a
    name, matched against the name the person typed and the listed name, in the lenient form's words."""
    query = (query or "").strip()
    if not query:
        return queryset
    if query.isdigit() and len(query) == NIK_DIGITS:
        return queryset.filter(nik_hash=nik_hash(query))
    words = name_key(query).split() or [query]
    condition = Q()
    for word in words[:5]:
        condition &= Q(name__icontains=word) | Q(supporter__name__icontains=word)
    return queryset.filter(condition)


def objection_for_user(user: User, objection_id: int) -> Objection:
    objection = objections_in_reach(user).filter(pk=objection_id).first()
    if objection is None:
        raise Http404
    return objection


def objection_by_receipt(receipt: str) -> Objection:
    """The public follow-up by receipt code; an unknown code is 404 like any other."""
    objection = Objection.objects.filter(receipt=(receipt or "").strip().upper()).first()
    if objection is None:
        raise Http404
    return objection


def pair_with_objections(user: User, pair_id: int) -> tuple[CandidatePair, QuerySet[Objection]]:
    """An independent pair and the objections against it, for its own LO or an official who reaches its
    election; else 404."""
    pair = CandidatePair.objects.select_related("election").filter(pk=pair_id, path=Path.INDEPENDENT).first()
    if pair is None:
        raise Http404
    own = lo_pairs(user).filter(pk=pair_id).exists()
    if not own and not (can_supervise(user) and region_in_reach(user, pair.election.region_code)):
        raise Http404
    return pair, Objection.objects.filter(pair_id=pair_id).select_related("supporter__upload").order_by(
        "-filed_at", "-pk"
    )


def waiting_count(user: User) -> int:
    return objections_in_reach(user).filter(status=ObjectionStatus.FILED).count()
