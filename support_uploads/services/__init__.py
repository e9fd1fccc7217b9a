"""Writes of independent support, one module per concern; every public service is re-exported here, so
``from support_uploads.services import upload_create`` is the way in for pages, the API, the demo and tests.

- ``teams``: a pair's team and its LO accounts;
- ``uploads``: supporter files (upload, withdraw, retry), the initial batch's submission, the stale sweep;
- ``pipeline``: the worker's validation of one upload and every write it makes;
- ``reevaluation``: duplicates checked again when a file is withdrawn;
- ``counts``: an upload's summary recomputed from its rows, called by every change of stored rows;
- ``reports``: the error report rebuilt or opened for download;
- ``scans``: the team's scanned KTP copies;
- ``resumable``: supporter files sent in resumable chunks (tus), which become uploads;
- ``dpt``: the election's voter list (DPT) imported, versioned, and matched against each upload.

One function per state change, keyword-only, each auditing in the transaction of its change. Tasks call these
services, never the reverse: a service queues a task by name (``silon.queue``).
"""

from .counts import upload_counts_refresh
from .dpt import DPT_IMPORT_TASK, dpt_import_create, dpt_import_fail, dpt_import_run
from .pipeline import VALIDATE_TASK, upload_fail_fault, upload_validate
from .reevaluation import duplicates_reevaluate
from .reports import report_rebuild_if_missing, upload_report_open, upload_report_rebuild
from .resumable import resumable_append, resumable_create, resumable_expire, resumable_terminate
from .scans import ktp_scan_upload, ktp_scan_viewed
from .teams import lo_account_issue, lo_account_revoke, lo_expiry, pair_team_register
from .uploads import pair_support_submit, upload_create, upload_requeue_stale, upload_retry, upload_withdraw

__all__ = [
    "DPT_IMPORT_TASK",
    "VALIDATE_TASK",
    "dpt_import_create",
    "dpt_import_fail",
    "dpt_import_run",
    "duplicates_reevaluate",
    "ktp_scan_upload",
    "ktp_scan_viewed",
    "lo_account_issue",
    "lo_account_revoke",
    "lo_expiry",
    "pair_support_submit",
    "pair_team_register",
    "report_rebuild_if_missing",
    "resumable_append",
    "resumable_create",
    "resumable_expire",
    "resumable_terminate",
    "upload_counts_refresh",
    "upload_create",
    "upload_fail_fault",
    "upload_report_open",
    "upload_report_rebuild",
    "upload_requeue_stale",
    "upload_retry",
    "upload_validate",
    "upload_withdraw",
]
