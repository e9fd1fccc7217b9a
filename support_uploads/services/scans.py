"""Writes of the scanned KTP copies per desa/kelurahan: the team uploads them beside its supporter files, and
the KPU operators open them from the administrative-verification worklist of that desa (docs/domain.md §5); who may
open one is ``selectors.ktp_scan_for_user``.

The scans are personal data: only the pair's own LO uploads them; the pair's LO and the KPU operators, admins
and Bawaslu users whose region covers the desa may open them (anyone else gets 404); every upload and every
view is an audit event.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from candidacy.models import CandidatePair
from candidacy.services import stage_require_open
from regions.models import Level, Region
from silon.accounts.jurisdiction import code_within
from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record
from silon.files import require_pdf

from ..models import KtpScan
from ..selectors import BATCH_STAGE, lo_pairs, upload_batch_open


def _require_village(pair: CandidatePair, village_code: str) -> str:
    code = (village_code or "").strip()
    election = pair.election
    known = Region.objects.filter(version_id=election.region_version_id, level=Level.VILLAGE, code=code).exists()
    if not known or not code_within(code, election.region_code):
        raise ValidationError(
            _("Kode desa/kelurahan %(code)s tidak ada di wilayah pemilihan ini.") % {"code": code[:20] or "-"}
        )
    return code


@transaction.atomic
def ktp_scan_upload(*, actor: User, pair: CandidatePair, village_code: str, file: UploadedFile) -> KtpScan:
    """Keep one PDF of scanned KTP copies for one desa of the pair, while the pair may still upload support
    (the batch's stage window, extensions included)."""
    if not lo_pairs(actor).filter(pk=pair.pk).exists():
        raise Http404
    batch = upload_batch_open(pair=pair)
    if batch is None:
        raise ValidationError(_("Dukungan sudah diserahkan; unggahan dikunci."))
    stage_require_open(election=pair.election, stage=BATCH_STAGE[batch], pair=pair)
    code = _require_village(pair, village_code)
    require_pdf(
        file, max_bytes=settings.SUPPORT_SCAN_MAX_BYTES, wrong_extension=_("Pindaian KTP harus berkas PDF (.pdf).")
    )
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    scan = KtpScan(
        pair=pair,
        batch=batch,
        village_code=code,
        original_name=(file.name or "ktp.pdf")[:255],
        size=file.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    scan.file.save(f"ktp-{pair.pk}-{code}.pdf", file, save=False)
    scan.save()
    audit_record(
        actor=actor,
        action=actions.SUPPORT_SCAN_UPLOAD,
        obj=scan,
        region_code=scan.village_code,
        after={"pair": pair.pk, "village": code, "batch": batch, "size": scan.size, "sha256": scan.sha256},
    )
    return scan


def ktp_scan_viewed(*, actor: User, scan: KtpScan) -> None:
    audit_record(
        actor=actor,
        action=actions.SUPPORT_SCAN_VIEW,
        obj=scan,
        region_code=scan.village_code,
        after={"pair": scan.pair_id, "village": scan.village_code},
    )
