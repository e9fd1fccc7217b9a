"""Writes of the verification rounds (docs/domain.md §3-5; UU 10/2016 Pasal 48; PKPU 8/2024), one module per concern;
every public service is re-exported here (``from verification.services import round_open``).

- ``rounds``: rounds opened and closed, the pair's outcome of a batch;
- ``marks``: administrative results marked and taken back;
- ``visits``: factual visits recorded and taken back, the 3-day rule;
- ``duplicates``: potential duplicates within a pair, external duplicates' choices;
- ``correction``: a BMS pair's correction batch, and the pair that missed it;
- ``documents``: generated documents requested, built and stored;
- ``sample``: the candidate's start number and the draws of a factual round by sample.

One function per state change, keyword-only, each auditing in the transaction of its change. Tasks call these
services, never the reverse: a service queues a task by name (``silon.queue``).
"""

from .correction import correction_missed_expire, correction_submit
from .documents import DOCUMENT_BUILD_TASK, document_build, document_progress_set, document_request
from .duplicates import duplicate_resolve, external_duplicate_choose
from .marks import results_mark, results_undo
from .rounds import pair_outcome_decide, round_close, round_open
from .sample import sample_start_submit
from .visits import factual_pending_expire, factual_visit_record, factual_visit_undo

__all__ = [
    "DOCUMENT_BUILD_TASK",
    "correction_missed_expire",
    "correction_submit",
    "document_build",
    "document_progress_set",
    "document_request",
    "duplicate_resolve",
    "external_duplicate_choose",
    "factual_pending_expire",
    "factual_visit_record",
    "factual_visit_undo",
    "pair_outcome_decide",
    "results_mark",
    "results_undo",
    "round_close",
    "round_open",
    "sample_start_submit",
]
