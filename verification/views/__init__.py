"""Pages of the verification rounds. HTTP in and out only: every rule lives in services and selectors.
Verifiers see only their own kecamatan/desa (404 for anything else); personal data is masked unless the
role needs it, and every page showing supporters is audited (``verification.reads``). A service's refusal
becomes a message on the next page (``silon.errors.page_refusals``).

Split by concern: the rounds, the administrative marks, the factual visits, the duplicates, the generated
documents and the correction batch."""

from .correction import correction_submit
from .documents import document_check, document_download, document_progress, document_request, document_verify
from .duplicates import duplicate_resolve, duplicates, external_choose
from .marks import results_mark, results_undo, supporter_history_view
from .rounds import index, pair_rounds, round_close, round_detail, round_progress_view
from .sample import sample_download, sample_view
from .search import results_mark_area, round_search_view
from .team import team_results_download, team_results_view
from .visits import visit_record, visit_undo

__all__ = [
    "correction_submit",
    "document_check",
    "document_download",
    "document_progress",
    "document_request",
    "document_verify",
    "duplicate_resolve",
    "duplicates",
    "external_choose",
    "index",
    "pair_rounds",
    "results_mark",
    "results_mark_area",
    "results_undo",
    "round_close",
    "round_detail",
    "round_progress_view",
    "round_search_view",
    "sample_download",
    "sample_view",
    "supporter_history_view",
    "team_results_download",
    "team_results_view",
    "visit_record",
    "visit_undo",
]
