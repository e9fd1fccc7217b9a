"""The verification API (DRF): a BMS pair's correction batch. Its path stays beside the support API's
(``/api/support/pairs/<id>/correction/``); the same services and selectors as the pages, other pairs' data 404."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from support_uploads.api import _refused
from support_uploads.models import Upload
from support_uploads.selectors import pair_for_user

from .selectors import correction_overview
from .services import correction_submit


def _correction_data(pair) -> dict:
    overview = correction_overview(pair=pair)
    if overview is None:
        return {"support_status": pair.support_status, "correction": None}
    submission = overview.submission
    return {
        "support_status": pair.support_status,
        "correction": {
            "shortfall": overview.shortfall,
            "spread_shortfall": overview.spread_shortfall,
            "required": overview.required,
            "collected": overview.collected,
            "remaining": overview.remaining,
            "repeated": overview.repeated,
            "checking": overview.checking,
            "window_starts_at": overview.starts_at,
            "deadline": overview.deadline,
            "extended": overview.extended,
            "is_open": overview.is_open,
            "submission": None
            if submission is None
            else {
                "submitted": submission.submitted,
                "required": submission.required,
                "repeated": submission.repeated,
                "uploads": sorted(submission.uploads.values_list("pk", flat=True)),
                "submitted_at": submission.submitted_at,
            },
        },
    }


@extend_schema(
    request={"application/json": {"type": "object", "properties": {"uploads": {"type": "array"}}}},
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET", "POST"])
def pair_correction(request, pair_id: int):
    """A BMS pair's correction batch: what is required (2 × shortfall), the window, what its files bring.
    POST submits it: every checked correction file, or the ``uploads`` ids given."""
    pair = pair_for_user(request.user, pair_id)
    if request.method == "POST":
        ids = request.data.get("uploads") if hasattr(request.data, "get") else None
        uploads = None
        if ids is not None:
            if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
                return Response({"detail": _("uploads: daftar id berkas.")}, status=status.HTTP_400_BAD_REQUEST)
            uploads = list(Upload.objects.filter(pair=pair, pk__in=ids))
            if len(uploads) != len(set(ids)):
                return Response({"detail": _("uploads: berkas tidak dikenal.")}, status=status.HTTP_400_BAD_REQUEST)
        try:
            correction_submit(actor=request.user, pair=pair, uploads=uploads)
        except (ValidationError, PermissionDenied) as exc:
            return _refused(exc)
        pair.refresh_from_db()
        return Response(_correction_data(pair), status=status.HTTP_201_CREATED)
    return Response(_correction_data(pair))
