"""Every audit action name, in one place.

An action is stored on each ``AuditEvent`` and covered by its hash, so a name, once written, never changes:
add a new constant rather than rename one. Code that writes an event (``audit_record(action=...)``) and code
that reacts to one (the portal's cache invalidation, ``portal.signals.PUBLIC_AUDIT_ACTIONS``; the filters of
the audit log; tests) use these constants, never a literal. Names read ``<area>.<object>.<verb>``; a name
ending in ``.view``, ``.download`` or ``.export`` records a read, every other one a change (or a session).

Plain strings, not an enum: they are compared, stored and hashed as text.
"""

# --- accounts (silon.accounts) -------------------------------------------------------------------------
ACCOUNT_CREATE = "account.create"
ACCOUNT_DEACTIVATE = "account.deactivate"
ACCOUNT_LOGIN = "account.login"
ACCOUNT_LOGIN_FAILED = "account.login_failed"
ACCOUNT_LOGIN_THROTTLED = "account.login_throttled"
ACCOUNT_LOGOUT = "account.logout"
ACCOUNT_PASSWORD_CHANGE = "account.password_change"  # noqa: S105 (an action name, not a password)

# --- the audit trail itself (silon.audit) --------------------------------------------------------------
AUDIT_EXPORT = "audit.export"
AUDIT_VERIFY = "audit.verify"
AUDIT_VERIFY_FAILED = "audit.verify_failed"
# Written once, by migration audit.0003, after the events of the unkeyed chain: the first keyed event.
AUDIT_CHAIN_KEYED = "audit.chain_keyed"
# The signer refused to sign a head that no longer extends the previous checkpoint.
AUDIT_CHECKPOINT_REFUSED = "audit.checkpoint_refused"
# A Bawaslu read outside the public site that the view did not record itself (supervision middleware).
SUPERVISION_VIEW = "supervision.view"
# A file (PDF, xlsx, CSV) a Bawaslu user downloaded, watermarked with this event's download id.
SUPERVISION_DOWNLOAD = "supervision.download"

# --- regions -------------------------------------------------------------------------------------------
REGIONS_LOAD = "regions.load"
REGIONS_SET_DEFAULT = "regions.set_default"

# --- candidacy -----------------------------------------------------------------------------------------
ELECTION_CREATE = "election.create"
ELECTION_UPDATE = "election.update"
ELECTION_AREA_DPT_IMPORT = "election.area_dpt_import"
STAGE_SET = "stage.set"
STAGE_EXTEND = "stage.extend"
# an outage recorded (or a proposed one confirmed), proposed from the health probes, or dismissed (issue #18)
OUTAGE_RECORD = "outage.record"
OUTAGE_PROPOSE = "outage.propose"
OUTAGE_DISMISS = "outage.dismiss"
PARTY_RESULT_SET = "party_result.set"
PARTY_RESULT_IMPORT = "party_result.import"
PAIR_CREATE = "pair.create"
PAIR_RENAME = "pair.rename"
PAIR_TRANSITION = "pair.transition"
PAIR_NOMINATE = "pair.nominate"
PAIR_PARTY_ADMIN_ISSUE = "pair.party_admin_issue"
PAIR_PARTY_ADMIN_REVOKE = "pair.party_admin_revoke"
PAIR_PARTY_CONFIRM = "pair.party_confirm"
PAIR_SUPPORT_STATUS = "pair.support_status"
CANDIDATE_SET = "candidate.set"
CANDIDATE_VIEW = "candidate.view"
DOCUMENT_UPLOAD = "document.upload"
DOCUMENT_CHECK = "document.check"
DOCUMENT_DOWNLOAD = "document.download"
# an operator's download of the pair list or the election list (CSV or xlsx), with the filters it was chosen by
PAIR_LIST_EXPORT = "pair.list.export"
ELECTION_LIST_EXPORT = "election.list.export"
# public responses on a pair's eligibility (masukan dan tanggapan masyarakat, docs/domain.md §9.2)
PUBLIC_RESPONSE_SUBMIT = "public_response.submit"
PUBLIC_RESPONSE_CLARIFY = "public_response.clarify"
PUBLIC_RESPONSE_DECIDE = "public_response.decide"
PUBLIC_RESPONSE_LIST_VIEW = "public_response.list.view"
PUBLIC_RESPONSE_DETAIL_VIEW = "public_response.detail.view"
PUBLIC_RESPONSE_EVIDENCE_DOWNLOAD = "public_response.evidence.download"

# --- support_uploads -----------------------------------------------------------------------------------
SUPPORT_TEAM_REGISTER = "support.team.register"
SUPPORT_LO_ISSUE = "support.lo.issue"
SUPPORT_LO_REVOKE = "support.lo.revoke"
SUPPORT_UPLOAD_CREATE = "support.upload.create"
SUPPORT_UPLOAD_WITHDRAW = "support.upload.withdraw"
SUPPORT_UPLOAD_RETRY = "support.upload.retry"
SUPPORT_UPLOAD_REQUEUE = "support.upload.requeue"
SUPPORT_UPLOAD_REJECTED = "support.upload.rejected"
SUPPORT_UPLOAD_FAILED = "support.upload.failed"
SUPPORT_UPLOAD_VALIDATED = "support.upload.validated"
SUPPORT_UPLOAD_REEVALUATE = "support.upload.reevaluate"
# another pair's upload flagged rows of this one DUP_EXTERNAL: its summary recomputed from its rows
SUPPORT_UPLOAD_EXTERNAL_FLAGGED = "support.upload.external_flagged"
SUPPORT_UPLOAD_REPORT_REBUILT = "support.upload.report_rebuilt"
# a resumable (tus) upload: begun, its last byte stored (it became an upload), ended by the team, expired unfinished
SUPPORT_RESUMABLE_CREATE = "support.resumable.create"
SUPPORT_RESUMABLE_FINISH = "support.resumable.finish"
SUPPORT_RESUMABLE_TERMINATE = "support.resumable.terminate"
SUPPORT_RESUMABLE_EXPIRE = "support.resumable.expire"
SUPPORT_REPORT_DOWNLOAD = "support.report.download"
SUPPORT_SUBMIT = "support.submit"
SUPPORT_ROWS_VIEW = "support.rows.view"
SUPPORT_SUPPORTER_VIEW = "support.supporter.view"
# a KPU operator's decision on a potential duplicate: the row chosen as the supporter, or none
SUPPORT_DUPLICATE_CHOOSE = "support.duplicate.choose"
SUPPORT_DUPLICATE_REJECT = "support.duplicate.reject"
# an earlier row of the NIK left out because the operator chose the team's later (corrected) row
SUPPORT_SUPPORTER_REPLACE = "support.supporter.replace"
SUPPORT_DUPLICATES_VIEW = "support.duplicates.view"
SUPPORT_SCAN_UPLOAD = "support.scan.upload"
SUPPORT_SCAN_VIEW = "support.scan.view"
# an election's voter list (DPT) imported for matching: queued by an operator, loaded (or failed) by a worker
SUPPORT_DPT_IMPORT = "support.dpt.import"
SUPPORT_DPT_LOADED = "support.dpt.loaded"
SUPPORT_DPT_FAILED = "support.dpt.failed"
# a reason's severity under one regulation version (``ReasonSeverity``, admin): set, changed or removed
SUPPORT_REASON_SEVERITY_SET = "support.reason_severity.set"
SUPPORT_REASON_SEVERITY_DELETE = "support.reason_severity.delete"

# --- verification --------------------------------------------------------------------------------------
VERIFICATION_ROUND_OPEN = "verification.round.open"
VERIFICATION_ROUND_CLOSE = "verification.round.close"
# Every action on a supporter's result in a round starts with this prefix (who recorded results may not close it).
VERIFICATION_RESULT_PREFIX = "verification.result."
VERIFICATION_RESULT_MARK = "verification.result.mark"
VERIFICATION_RESULT_UNDO = "verification.result.undo"
VERIFICATION_RESULT_DUPLICATE = "verification.result.duplicate"
VERIFICATION_RESULT_VISIT = "verification.result.visit"
VERIFICATION_RESULT_VISIT_UNDO = "verification.result.visit_undo"
VERIFICATION_RESULT_EXPIRE = "verification.result.expire"
VERIFICATION_EXTERNAL_CHOOSE = "verification.external.choose"
VERIFICATION_CORRECTION_SUBMIT = "verification.correction.submit"
VERIFICATION_DOCUMENT_REQUEST = "verification.document.request"
VERIFICATION_DOCUMENT_GENERATE = "verification.document.generate"
VERIFICATION_DOCUMENT_DOWNLOAD = "verification.document.download"
VERIFICATION_REASON_ADD = "verification.reason.add"
VERIFICATION_REASON_CHANGE = "verification.reason.change"
VERIFICATION_REASON_DELETE = "verification.reason.delete"
VERIFICATION_WORKLIST_VIEW = "verification.worklist.view"
VERIFICATION_DUPLICATES_VIEW = "verification.duplicates.view"
VERIFICATION_HISTORY_VIEW = "verification.history.view"

# --- objections (the public self-check and objections to a listed support, docs/domain.md §9.2) --------------
# a public self-check: the NIK only as its keyed hash, never in clear
OBJECTION_CHECK = "objection.check"
OBJECTION_FILE = "objection.file"
# KPU's decision after the clarification (BA.5-KWK): confirmed (the row becomes TMS) or not confirmed
OBJECTION_DECIDE = "objection.decide"
OBJECTION_VIEW = "objection.view"
OBJECTION_QUEUE_VIEW = "objection.queue.view"
# the pair's own team reads its supporters' results in a round, and downloads the rows it must act on
VERIFICATION_TEAM_RESULTS_VIEW = "verification.team_results.view"
VERIFICATION_TEAM_RESULTS_DOWNLOAD = "verification.team_results.download"
# an operator's search of a round's supporters by NIK or name
VERIFICATION_SEARCH_VIEW = "verification.search.view"
# factual verification by sample (PKPU 10/2022): the candidate's start number and the draws made from it; the
# export of a draw (masked NIKs)
VERIFICATION_SAMPLE_DRAW = "verification.sample.draw"
VERIFICATION_SAMPLE_EXPORT = "verification.sample.export"
