"""Writes on elections and pairs. One function per state change; each audits in the same transaction.

Split by concern; every name stays importable from ``candidacy.services``.
"""

from .documents import document_check, document_upload, document_upload_refusal
from .elections import election_area_dpt_import, election_create, election_region_resolve, election_update
from .moves import pair_move_options, pair_transition
from .pairs import candidate_problems, candidate_set, pair_create, pair_rename
from .parties import (
    pair_confirm,
    pair_nominate,
    party_admin_issue,
    party_admin_revoke,
    party_result_set,
    party_results_import,
)
from .responses import public_response_clarify, public_response_decide, public_response_submit
from .stages import (
    StageClosedError,
    election_schedule_apply,
    pair_support_status_set,
    stage_deadline,
    stage_extension_grant,
    stage_require_open,
    stage_window_set,
)

__all__ = [
    "StageClosedError",
    "candidate_problems",
    "candidate_set",
    "document_check",
    "document_upload",
    "document_upload_refusal",
    "election_area_dpt_import",
    "election_create",
    "election_region_resolve",
    "election_schedule_apply",
    "election_update",
    "pair_confirm",
    "pair_create",
    "pair_move_options",
    "pair_nominate",
    "pair_rename",
    "pair_support_status_set",
    "pair_transition",
    "party_admin_issue",
    "party_admin_revoke",
    "party_result_set",
    "party_results_import",
    "public_response_clarify",
    "public_response_decide",
    "public_response_submit",
    "stage_deadline",
    "stage_extension_grant",
    "stage_require_open",
    "stage_window_set",
]
