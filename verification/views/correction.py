"""The correction batch of a BMS pair, submitted from its support page or its rounds page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silon.errors import SHOW, page_refusals
from silon.numbers import parse_ids
from support_uploads.models import Upload
from support_uploads.selectors import pair_for_user

from .. import services


@login_required
@require_POST
def correction_submit(request, pair_id: int):
    """The pair's LO (or a KPU operator) submits the correction batch from the files uploaded while BMS."""
    pair = pair_for_user(request.user, pair_id)
    ids = parse_ids(request.POST.getlist("unggahan"))
    # "semua": every checked file of the correction batch (the LO's support page); else the files ticked
    uploads = None if request.POST.get("semua") and not ids else list(Upload.objects.filter(pair=pair, pk__in=ids))
    with page_refusals(request, denied=SHOW):
        submission = services.correction_submit(actor=request.user, pair=pair, uploads=uploads)
        messages.success(
            request, _("Dukungan perbaikan diserahkan: %(n)s pendukung baru.") % {"n": submission.submitted}
        )
    if request.POST.get("semua"):
        return redirect("support_uploads:pair", pair_id=pair.pk)
    return redirect("verification:pair", pair_id=pair.pk)
