"""The verification reads that leave a trail (``silon.audit.reads``): a worklist page of a desa, the potential
duplicates, a supporter's history across rounds, a generated document's file."""

from django.core.files import File
from django.db.models import QuerySet
from django.http import Http404

from silon.accounts.models import User
from silon.audit import actions
from silon.audit.reads import Shown, audited_read
from silon.privacy import Kind, Viewer
from support_uploads.models import Supporter

from .models import VerificationDocument, VerificationResult, VerificationRound
from .selectors import supporter_history
from .selectors_duplicates import DuplicateGroup, duplicate_groups


@audited_read(actions.VERIFICATION_WORKLIST_VIEW)
def worklist_rows_shown(
    *, actor: User, round: VerificationRound, supporters: list[Supporter], rows: list, page: int, full: bool
) -> Shown[list]:
    """A page of a desa's worklist (``supporters``, as ``rows``) as ``actor`` is shown it (``full``: with whole
    NIKs). The event's region is the desa of the supporters shown (the round's region for an empty page), never
    the desa the request named."""
    return Shown(
        rows,
        obj=round,
        region_code=supporters[0].village_code if supporters else round.election.region_code,
        after={"rows": len(rows), "page": page, "masked_nik": not full},
    )


@audited_read(actions.VERIFICATION_DUPLICATES_VIEW)
def duplicate_groups_shown(
    *, actor: User, round: VerificationRound, niks: list[str], page: int, viewer: Viewer
) -> Shown[list[DuplicateGroup]]:
    """The potential duplicates of a page of NIKs (``selectors.duplicate_groups``), shown as ``viewer`` may see
    them."""
    groups = duplicate_groups(round=round, niks=niks, viewer=viewer)
    after = {"masked_nik": not viewer.full(Kind.NIK), "masked_name": not viewer.full(Kind.NAME)}
    return Shown(
        groups,
        obj=round,
        region_code=round.election.region_code,
        after={"groups": len(groups), "page": page, **after},
    )


@audited_read(actions.VERIFICATION_HISTORY_VIEW)
def supporter_history_shown(*, actor: User, supporter: Supporter, full: bool) -> Shown[QuerySet[VerificationResult]]:
    """A supporter's results across every round (``selectors.supporter_history``), shown in full or masked."""
    return Shown(
        supporter_history(supporter=supporter),
        obj=supporter,
        region_code=supporter.village_code,
        after={"masked": not full},
    )


@audited_read(actions.VERIFICATION_DOCUMENT_DOWNLOAD)
def document_file(*, actor: User, document: VerificationDocument) -> Shown[File]:
    """A generated document's file, opened for ``actor``; 404 while the worker has not stored it."""
    if not document.file:
        raise Http404
    return Shown(
        document.file.open("rb"),
        obj=document,
        region_code=document.village_code or document.round.election.region_code,
        after={"sha256": document.sha256},
    )


@audited_read(actions.VERIFICATION_TEAM_RESULTS_VIEW)
def team_results_shown(*, actor: User, round: VerificationRound, rows: list, page: int, filters: dict) -> Shown[list]:
    """A page of the round's results as the pair's own team is shown them (masked, a listing), with the
    filters it was chosen by; an empty page leaves no event (nobody was shown)."""
    return Shown(
        rows,
        obj=round,
        region_code=round.election.region_code,
        after={"rows": len(rows), "page": page, **filters},
        recorded=bool(rows),
    )


@audited_read(actions.VERIFICATION_TEAM_RESULTS_DOWNLOAD)
def team_results_file(*, actor: User, round: VerificationRound, fmt: str, rows: list, full: bool) -> Shown[list]:
    """The rows the team must act on (pending and TMS), as they go into its download."""
    return Shown(
        rows,
        obj=round,
        region_code=round.election.region_code,
        after={"rows": len(rows), "format": fmt, "masked_nik": not full},
    )


@audited_read(actions.VERIFICATION_SEARCH_VIEW)
def search_rows_shown(*, actor: User, round: VerificationRound, rows: list, by: str, full: bool) -> Shown[list]:
    """An operator's search of a round's supporters (``by``: "nik" or "name"; the query itself is personal data
    and is not written to the trail). No match shows nobody and leaves no event."""
    return Shown(
        rows,
        obj=round,
        region_code=round.election.region_code,
        after={"rows": len(rows), "by": by, "masked_nik": not full},
        recorded=bool(rows),
    )


@audited_read(actions.VERIFICATION_SAMPLE_EXPORT)
def sample_export_shown(*, actor: User, round: VerificationRound, lines: list) -> Shown[list]:
    """A round's draws as exported (the drawn supporters' NIKs masked)."""
    return Shown(
        lines,
        obj=round,
        region_code=round.election.region_code,
        after={"rows": len(lines), "masked_nik": True},
    )
