"""The audited reads of objections: an official's queue page and one objection's record (the person's name,
contact and statement). Bawaslu reads them masked, and each read leaves an event."""

from collections.abc import Sequence

from silon.audit import actions
from silon.audit.reads import Shown, audited_read
from silon.privacy import Kind, viewer_for

from .models import Objection


def _masked(user, objection: Objection) -> dict:
    # a list or a record of a person who objected: never shown whole, even to the deciding operator, beyond
    # what the decision needs (the contact, to call the person to the clarification)
    viewer = viewer_for(user, region_code=objection.region_code)
    listing = viewer.listing()
    supporter = objection.supporter
    return {
        "objection": objection,
        "nik": listing.show(Kind.NIK, supporter.nik),
        "listed_name": listing.show(Kind.NAME, supporter.name),
        "name": viewer.show(Kind.NAME, objection.name),
        "phone": viewer.show(Kind.PHONE, objection.phone),
        "email": viewer.show(Kind.EMAIL, objection.email),
        "statement": objection.statement if not user.is_supervisor else "",
        "has_photo": bool(objection.ktp_photo),
    }


@audited_read(actions.OBJECTION_QUEUE_VIEW)
def objection_queue_shown(*, actor, objections: Sequence[Objection], query: str, page: int) -> Shown[list[dict]]:
    if not objections:  # an empty page shows nobody
        return Shown([], recorded=False)
    return Shown(
        [_masked(actor, o) for o in objections],
        object_type="objections.objection",
        region_code=objections[0].region_code,
        after={"page": page, "searched": bool(query), "shown": len(objections)},
    )


@audited_read(actions.OBJECTION_VIEW)
def objection_shown(*, actor, objection: Objection) -> Shown[dict]:
    return Shown(_masked(actor, objection), obj=objection, region_code=objection.region_code)


@audited_read(actions.OBJECTION_VIEW)
def objection_photo_shown(*, actor, objection: Objection) -> Shown:
    """The KTP photo's file, for the deciding operator; the event says a photo was handed out."""
    return Shown(objection.ktp_photo, obj=objection, region_code=objection.region_code, after={"photo": True})
