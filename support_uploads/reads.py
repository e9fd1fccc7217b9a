"""The support reads that leave a trail (``silon.audit.reads``): who read which supporters' rows, and whose
record. Pages and API alike call them; the API's events say ``"api": True``. (The error report and the KTP
scans are opened by their services, ``upload_report_open`` and ``ktp_scan_viewed``.)"""

from candidacy.models import CandidatePair
from silon.accounts.models import User
from silon.audit import actions
from silon.audit.reads import Shown, api_marked, audited_read

from .models import Supporter, Upload


@audited_read(actions.SUPPORT_ROWS_VIEW)
def upload_rows_shown(*, actor: User, upload: Upload, rows: list, at: dict, api: bool = False) -> Shown[list]:
    """A page of an upload's rows as ``actor`` is shown them (personal data masked); ``at`` places the page
    (``{"page": n}`` or ``{"offset": n}``). Recorded when the page holds any row."""
    return Shown(
        rows,
        obj=upload,
        region_code=upload.election.region_code,
        after=api_marked({**at, "rows": len(rows), "masked": True}, api),
        recorded=bool(rows),
    )


@audited_read(actions.SUPPORT_SUPPORTER_VIEW)
def supporter_shown(*, actor: User, supporter: Supporter, full: bool) -> Shown[Supporter]:
    """One supporter's record as ``actor`` is shown it: in full, or with NIK, KK, name and address masked. The
    event's region is the supporter's election's (its desa as typed may lie outside it)."""
    return Shown(supporter, obj=supporter, region_code=supporter.election.region_code, after={"masked": not full})


@audited_read(actions.SUPPORT_DUPLICATES_VIEW)
def duplicates_shown(*, actor: User, pair: CandidatePair, groups: list, api: bool = False) -> Shown[list]:
    """A pair's potential duplicates (held and decided rows) as ``actor`` is shown them; recorded when any."""
    rows = sum(len(group.rows) for group in groups)
    return Shown(
        groups,
        obj=pair,
        region_code=pair.election.region_code,
        after=api_marked({"groups": len(groups), "rows": rows}, api),
        recorded=bool(rows),
    )
