"""Pages of the public check and objections: the check and its answer, filing an objection, following it by its
receipt code (anyone, no account), and the officials' queue, record and decision, and the LO's list."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silon.accounts.access import kpu_operator_reaches
from silon.errors import page_refusals

from . import selectors, services
from .challenge import challenge_spend
from .forms import CheckForm, DecideForm, ObjectionForm, ReceiptForm
from .hashing import nik_hash
from .models import ObjectionStatus
from .reads import objection_photo_shown, objection_queue_shown, objection_shown
from .throttling import check_throttled, objection_throttled
from .windows import objection_window

QUEUE_ROWS = 50


def _too_many(request, wait: int) -> HttpResponse:
    response = render(request, "objections/429.html", {"minutes": -(-wait // 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response


@require_http_methods(["GET", "POST"])
def check(request):
    """The self-check: NIK and the name on the KTP, behind the proof-of-work; the answer per open election."""
    form = CheckForm(request.POST or None)
    answer = None
    if request.method == "POST" and form.is_valid():
        if wait := check_throttled(request, nik_hash(form.cleaned_data["nik"])):
            return _too_many(request, wait)
        with page_refusals(request, form=form):
            challenge_spend(request.POST.get("altcha", ""))
            answer = services.public_check_run(nik=form.cleaned_data["nik"], name=form.cleaned_data["name"])
    for election in answer.elections if answer else []:
        for n, entry in enumerate(election.entries):  # one form per listing, its token filled in
            auto_id = f"id_{election.election_id}_{n}_%s"
            entry["form"] = ObjectionForm(initial={"token": entry["token"]}, auto_id=auto_id)
    return render(request, "objections/check.html", {"form": form, "answer": answer})


@require_POST
def objection_file(request):
    form = ObjectionForm(request.POST, request.FILES)
    if form.is_valid():
        if wait := objection_throttled(request):
            return _too_many(request, wait)
        with page_refusals(request, form=form):
            challenge_spend(request.POST.get("altcha", ""))
            objection = services.objection_file(**form.cleaned_data)
            return render(request, "objections/filed.html", {"objection": objection}, status=201)
    return render(request, "objections/file_refused.html", {"form": form}, status=400)


@require_GET
def receipt(request):
    """Follow an objection by its receipt code: its status and the decision's date, no personal data."""
    form = ReceiptForm(request.GET or None)
    objection = None
    if form.is_valid():
        objection = selectors.objection_by_receipt(form.cleaned_data["kode"])
    return render(request, "objections/receipt.html", {"form": form, "objection": objection})


@login_required
@require_GET
def queue(request):
    """The officials' queue within reach, searchable by NIK (its keyed hash) or name; masked rows."""
    if not selectors.can_supervise(request.user):
        raise Http404
    query = request.GET.get("q", "")[:100]
    status = request.GET.get("status", ObjectionStatus.FILED)
    objections = selectors.objection_search(selectors.objections_in_reach(request.user), query)
    if status in ObjectionStatus.values:
        objections = objections.filter(status=status)
    page = Paginator(objections.order_by("filed_at", "pk"), QUEUE_ROWS).get_page(request.GET.get("page"))
    rows = objection_queue_shown(actor=request.user, objections=page.object_list, query=query, page=page.number)
    context = {"rows": rows, "page": page, "q": query, "status": status, "statuses": ObjectionStatus.choices}
    return render(request, "objections/queue.html", context)


@login_required
@require_GET
def detail(request, objection_id: int):
    objection = selectors.objection_for_user(request.user, objection_id)
    shown = objection_shown(actor=request.user, objection=objection)
    can_decide = kpu_operator_reaches(request.user, objection.region_code) and objection.status == ObjectionStatus.FILED
    context = {
        **shown,
        "form": DecideForm() if can_decide else None,
        "window": objection_window(objection.election),
    }
    return render(request, "objections/detail.html", context)


@login_required
@require_POST
def decide(request, objection_id: int):
    objection = selectors.objection_for_user(request.user, objection_id)
    if not kpu_operator_reaches(request.user, objection.region_code):
        raise PermissionDenied  # Bawaslu reads, never decides (the service refuses it too)
    form = DecideForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        with page_refusals(request, form=form):
            services.objection_decide(
                actor=request.user,
                objection=objection,
                confirmed=data["decision"] == "confirm",
                clarified_on=data["clarified_on"],
                notes=data["notes"],
                reason=data["reason"],
                scan=data["scan"],
            )
            return redirect(reverse("objections:detail", args=[objection.pk]))
    shown = objection_shown(actor=request.user, objection=objection)
    context = {**shown, "form": form, "window": objection_window(objection.election)}
    return render(request, "objections/detail.html", context, status=400)


@login_required
@require_GET
def photo(request, objection_id: int):
    """The KTP photo the person sent: KPU operators of the region only (never Bawaslu), audited."""
    objection = selectors.objection_for_user(request.user, objection_id)
    if not kpu_operator_reaches(request.user, objection.region_code) or not objection.ktp_photo:
        raise Http404
    file = objection_photo_shown(actor=request.user, objection=objection)
    response = FileResponse(file.open("rb"), content_type="application/octet-stream", as_attachment=True)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def pair_list(request, pair_id: int):
    """The objections against one pair: its LO is told of them, and sees no objector's personal data."""
    pair, objections = selectors.pair_with_objections(request.user, pair_id)
    return render(request, "objections/pair.html", {"pair": pair, "objections": objections[:500]})
