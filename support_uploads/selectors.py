"""Reads of independent support, scoped by the acting user: an LO reaches only its own pair (django-guardian
grant + an active LO account); KPU operators, verifiers and Bawaslu reach pairs by region."""

import datetime

from django.db.models import QuerySet
from django.http import Http404

from candidacy.models import CandidatePair, Path, Stage
from silon.accounts.jurisdiction import scope_by_region
from silon.accounts.models import Role, User
from silon.audit import actions
from silon.privacy import Kind, Need, Viewer, viewer_for

from .hooks import correction_submitted
from .models import Batch, KtpScan, LoAccount, ResumableUpload, Supporter, Upload

# a supporter row's personal columns (template keys) and their kind in the masking policy (silon.privacy)
SUPPORTER_KINDS = {
    "nik": Kind.NIK,
    "kk": Kind.KK,
    "name": Kind.NAME,
    "address": Kind.ADDRESS,
    "birth_date": Kind.BIRTH_DATE,
    "phone": Kind.PHONE,
    "email": Kind.EMAIL,
}
# the stage window that governs uploads, withdrawals and submission of each batch (docs/domain.md §3.2 and §3.5)
BATCH_STAGE = {Batch.INITIAL: Stage.SUPPORT_SUBMISSION, Batch.CORRECTION_1: Stage.CORRECTION_SUBMISSION}


def lo_pairs(user: User) -> QuerySet[CandidatePair]:
    """The pair(s) an LO operates: granted ``operate_pair`` and holding an unrevoked LO account."""
    if not user.is_authenticated or user.role != Role.PAIR_OPERATOR:
        return CandidatePair.objects.none()
    from guardian.shortcuts import get_objects_for_user

    granted = get_objects_for_user(user, "candidacy.operate_pair", klass=CandidatePair, accept_global_perms=False)
    accounts = LoAccount.objects.filter(user=user, revoked_at__isnull=True).values("pair_id")
    return granted.filter(pk__in=accounts).select_related("election")


def pairs_for_user(user: User) -> QuerySet[CandidatePair]:
    """Independent pairs the user may see on the support pages."""
    if user.role == Role.PAIR_OPERATOR:
        return lo_pairs(user)
    base = CandidatePair.objects.filter(path=Path.INDEPENDENT).select_related("election")
    return scope_by_region(base, user, "election__region_code")


def pair_for_user(user: User, pair_id: int) -> CandidatePair:
    """The pair, or 404: another pair's data must not even be confirmed to exist."""
    pair = pairs_for_user(user).filter(pk=pair_id).first()
    if pair is None:
        raise Http404
    return pair


def upload_for_user(user: User, upload_id: int) -> Upload:
    upload = Upload.objects.select_related("pair", "election").filter(pk=upload_id).first()
    if upload is None or not pairs_for_user(user).filter(pk=upload.pair_id).exists():
        raise Http404
    return upload


def resumable_for_user(user: User, resumable_id) -> ResumableUpload:
    """A resumable upload of a pair the user is LO of, or 404: only the pair's own team sends its files."""
    resumable = ResumableUpload.objects.select_related("pair__election").filter(pk=resumable_id).first()
    if resumable is None or not lo_pairs(user).filter(pk=resumable.pair_id).exists():
        raise Http404
    return resumable


def supporter_for_user(user: User, supporter_id: int) -> Supporter:
    supporter = Supporter.objects.select_related("election").filter(pk=supporter_id).first()
    if supporter is None or not pairs_for_user(user).filter(pk=supporter.pair_id).exists():
        raise Http404
    return supporter


def supporter_viewer(user: User, pair: CandidatePair, *, region_code: str = "") -> Viewer:
    """How ``user`` sees the personal data of ``pair``'s supporters (``silon.privacy.POLICY``): KPU operators of
    the jurisdiction and the pair's own LO in full, verifiers of the desa (``region_code``) what a visit needs,
    Bawaslu and everyone else masked."""
    region_code = region_code or pair.election.region_code
    viewer = viewer_for(user, region_code=region_code)
    if viewer.need == Need.NONE and lo_pairs(user).filter(pk=pair.pk).exists():  # asked only when needed
        viewer = viewer_for(user, region_code=region_code, own_team=True)
    return viewer


def supporter_values(viewer: Viewer, supporter: Supporter) -> dict[str, str]:
    """A supporter's personal values as ``viewer`` may see them, keyed as ``SUPPORTER_KINDS`` (the date of birth
    is the text that was sent)."""
    raw = {key: getattr(supporter, "birth_date_text" if key == "birth_date" else key) for key in SUPPORTER_KINDS}
    return {key: viewer.show(kind, raw[key]) for key, kind in SUPPORTER_KINDS.items()}


def upload_batch_open(*, pair: CandidatePair) -> str | None:
    """The batch a new file of the pair would belong to, or None when uploads are locked for good.

    Collecting → the initial batch. BMS after factual verification, correction not yet submitted → the
    correction batch (docs/domain.md §3.5). Anything else (submitted, MS, TMS, correction submitted) → None.
    The stage window of the batch (``BATCH_STAGE``) is checked separately, since an extension may reopen it.
    """
    from candidacy.models import SupportStatus

    if pair.path != Path.INDEPENDENT:
        return None
    if pair.support_status in ("", SupportStatus.COLLECTING):
        return Batch.INITIAL
    if pair.support_status == SupportStatus.BMS and not correction_submitted(pair):
        return Batch.CORRECTION_1
    return None


def ktp_scans(*, pair: CandidatePair, village_code: str = "") -> QuerySet[KtpScan]:
    scans = KtpScan.objects.filter(pair=pair).select_related("uploaded_by")
    return scans.filter(village_code=village_code) if village_code else scans


def ktp_scan_for_user(user: User, scan_id: int) -> KtpScan:
    """The scan if the user may open it: the pair's LO, or a KPU operator (or admin) whose region covers the desa
    (``Kind.IDENTITY_IMAGE`` in ``silon.privacy.POLICY``: Bawaslu and verifiers do not open KTP images). Anyone
    else: 404 (no existence leak)."""
    scan = KtpScan.objects.select_related("pair__election").filter(pk=scan_id).first()
    if scan is None or not user.is_authenticated:
        raise Http404
    if user.role == Role.PAIR_OPERATOR:
        allowed = lo_pairs(user).filter(pk=scan.pair_id).exists()
    else:  # an image cannot be masked: whole for KPU of the desa, else not at all (silon.privacy.POLICY)
        allowed = viewer_for(user, region_code=scan.village_code).full(Kind.IDENTITY_IMAGE)
    if not allowed:
        raise Http404
    return scan


def upload_list(*, pair: CandidatePair) -> QuerySet[Upload]:
    return Upload.objects.filter(pair=pair).select_related("uploaded_by").order_by("-created_at", "-id")


def upload_rows(*, upload: Upload, statuses: list[str] | None = None) -> QuerySet[Supporter]:
    rows = Supporter.objects.filter(upload_id=upload.pk)
    if statuses:
        rows = rows.filter(status__in=statuses)
    return rows.order_by("sheet", "row_number")


def uploads_requeued_since(since: datetime.datetime) -> set[int]:
    """Uploads the stale sweep queued again after ``since`` (from the audit trail): the sweep leaves them
    alone for a while, so a long broker backlog does not get a duplicate message every run."""
    from silon.audit.models import AuditEvent

    ids = AuditEvent.objects.filter(
        action=actions.SUPPORT_UPLOAD_REQUEUE, object_type="support_uploads.upload", created_at__gte=since
    ).values_list("object_id", flat=True)
    return {int(i) for i in ids}
