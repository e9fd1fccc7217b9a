"""Operator and party-admin pages. HTTP in and out only: every rule lives in services and selectors.

Objects outside the user's reach answer 404 (they are looked up through the user's scoped selectors);
users who may read but not write (Bawaslu, party admins) get 403 on every change.
"""

from .documents import document_check_view, document_download_view, documents_view
from .elections import (
    area_dpt_import_view,
    election_create_view,
    election_detail_view,
    election_list_view,
    election_update_view,
    extension_grant_view,
    party_results_view,
    schedule_apply_view,
    stage_set_view,
)
from .exports import election_list_export_view, pair_list_export_view
from .pairs import (
    candidate_detail_view,
    candidate_photo_view,
    candidate_set_view,
    nomination_view,
    pair_confirm_view,
    pair_create_view,
    pair_detail_view,
    pair_list_view,
    pair_rename_view,
    pair_transition_view,
    party_admin_issue_view,
    party_admin_issued_view,
    party_admin_revoke_view,
)
from .responses import (
    response_clarify_view,
    response_decide_view,
    response_detail_view,
    response_evidence_view,
    response_list_view,
    response_submit_view,
)

__all__ = [
    "area_dpt_import_view",
    "candidate_detail_view",
    "candidate_photo_view",
    "candidate_set_view",
    "document_check_view",
    "document_download_view",
    "documents_view",
    "election_create_view",
    "election_detail_view",
    "election_list_export_view",
    "election_list_view",
    "election_update_view",
    "extension_grant_view",
    "nomination_view",
    "pair_confirm_view",
    "pair_create_view",
    "pair_detail_view",
    "pair_list_export_view",
    "pair_list_view",
    "pair_rename_view",
    "pair_transition_view",
    "party_admin_issue_view",
    "party_admin_issued_view",
    "party_admin_revoke_view",
    "party_results_view",
    "response_clarify_view",
    "response_decide_view",
    "response_detail_view",
    "response_evidence_view",
    "response_list_view",
    "response_submit_view",
    "schedule_apply_view",
    "stage_set_view",
]
