"""The candidacy reads that leave a trail (``silon.audit.reads``): Bawaslu's supervision of elections and
pairs, a candidate's full record, a document's file. Pages and API alike call them; the API's events say
``"api": True``."""

from collections.abc import Sequence

from django.core.files import File
from django.db.models import Model
from django.http import Http404

from silon.accounts.models import Role, User
from silon.audit import actions
from silon.audit.reads import Shown, api_marked, audited_read
from silon.privacy import Kind, mask_nik, viewer_for

from .access import can_open_document, can_see_personal_data
from .models import Candidate, CandidatePair, Document, PublicResponse


@audited_read(actions.SUPERVISION_VIEW)
def supervised(*, actor: User, obj: Model, region_code: str) -> Shown[Model]:
    """An object shown to ``actor``: Bawaslu supervises read-only, and every view it makes is recorded
    (docs/domain.md §2)."""
    return Shown(obj, obj=obj, region_code=region_code, recorded=actor.role == Role.BAWASLU)


@audited_read(actions.SUPERVISION_VIEW)
def supervised_list(*, actor: User, objs: Sequence[Model], region_code: str = "") -> Shown[Sequence[Model]]:
    """A list shown to ``actor``: for Bawaslu one ``supervision.view`` event naming the ids it was shown."""
    ids = [obj.pk for obj in objs]
    return Shown(
        objs,
        object_type=objs[0]._meta.label_lower if objs else "",
        object_id=",".join(map(str, ids))[:64],
        region_code=region_code or actor.region_code,
        after={"ids": ids},
        recorded=actor.role == Role.BAWASLU and bool(objs),
    )


@audited_read(actions.CANDIDATE_VIEW)
def candidate_record(*, actor: User, pair: CandidatePair, role: str, api: bool = False) -> Shown[Candidate]:
    """The full record of the pair's candidate in ``role`` (NIK, address, birth data): only for the
    jurisdiction and the pair's team (``access.can_see_personal_data``), else 404; every read recorded."""
    candidate = pair.candidates.filter(role=role).first() if can_see_personal_data(actor, pair) else None
    if candidate is None:
        raise Http404
    return Shown(
        candidate,
        obj=candidate,
        region_code=pair.election.region_code,
        after=api_marked({"nik": mask_nik(candidate.nik)}, api),
    )


@audited_read(actions.DOCUMENT_DOWNLOAD)
def document_file(*, actor: User, document: Document, api: bool = False) -> Shown[File]:
    """The PDF of a document revision, opened for ``actor`` (documents are never served as media); every
    download recorded. An identity scan that ``actor`` may not see whole is 404 (``access.can_open_document``)."""
    if not can_open_document(actor, document.pair, document.requirement.code):
        raise Http404
    return Shown(
        document.file.open("rb"),
        obj=document,
        region_code=document.pair.election.region_code,
        after=api_marked({"revision": document.revision}, api),
    )


@audited_read(actions.PAIR_LIST_EXPORT)
def pairs_exported(*, actor: User, pairs: Sequence[CandidatePair], query: dict) -> Shown[Sequence[CandidatePair]]:
    """The pair list as an operator downloads it, recorded with its filters, format and row count."""
    return Shown(
        pairs,
        object_type="candidacy.candidatepair",
        region_code=actor.region_code,
        after={**query, "rows": len(pairs)},
    )


@audited_read(actions.ELECTION_LIST_EXPORT)
def elections_exported(*, actor: User, elections: Sequence[Model], query: dict) -> Shown[Sequence[Model]]:
    """The election list as an operator downloads it, recorded with its filters, format and row count."""
    return Shown(
        elections,
        object_type="candidacy.election",
        region_code=actor.region_code,
        after={**query, "rows": len(elections)},
    )


def response_viewer(user: User, response: PublicResponse):
    """How ``user`` sees a response's sender (``silon.privacy.POLICY``): the KPU operator of the region in full,
    Bawaslu masked, anyone else masked."""
    return viewer_for(user, region_code=response.election.region_code)


def response_sender(viewer, response: PublicResponse) -> dict[str, str]:
    """The sender's name, NIK and contact (a phone number or an e-mail address) as ``viewer`` may see them."""
    contact_kind = Kind.EMAIL if "@" in response.sender_contact else Kind.PHONE
    return {
        "name": viewer.show(Kind.NAME, response.sender_name),
        "nik": viewer.show(Kind.NIK, response.sender_nik),
        "contact": viewer.show(contact_kind, response.sender_contact),
    }


@audited_read(actions.PUBLIC_RESPONSE_LIST_VIEW)
def responses_shown(*, actor: User, rows: list, page: int, api: bool = False) -> Shown[list]:
    """A page of public responses with their senders (masked: a listing); an empty page leaves no event. The
    event's region is the reader's own (the list spans every election of it)."""
    return Shown(
        rows,
        object_type=PublicResponse._meta.label_lower,
        region_code=actor.region_code,
        after=api_marked({"rows": len(rows), "page": page}, api),
        recorded=bool(rows),
    )


@audited_read(actions.PUBLIC_RESPONSE_DETAIL_VIEW)
def response_shown(*, actor: User, response: PublicResponse, api: bool = False) -> Shown[dict]:
    """One response with its sender as ``actor`` may see them."""
    viewer = response_viewer(actor, response)
    return Shown(
        response_sender(viewer, response),
        obj=response,
        region_code=response.election.region_code,
        after=api_marked({"masked_nik": not viewer.full(Kind.NIK)}, api),
    )


@audited_read(actions.PUBLIC_RESPONSE_EVIDENCE_DOWNLOAD)
def response_evidence_file(*, actor: User, response: PublicResponse) -> Shown[File]:
    """A response's evidence file, opened for ``actor``; 404 when none was sent."""
    if not response.evidence:
        raise Http404
    return Shown(
        response.evidence.open("rb"),
        obj=response,
        region_code=response.election.region_code,
        after={"sha256": response.evidence_sha256},
    )
