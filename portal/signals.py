"""Bump the portal's data version whenever something it shows changes.

Receivers stay thin: one cache write, after the transaction commits so a reader never rebuilds a page from
data that is then rolled back. Two kinds of hooks:

- ``post_save`` / ``post_delete`` of every model a public page, API answer or CSV shows;
- the audit event of a state change written with ``QuerySet.update`` or ``bulk_create``, which send no model
  signal: every state change writes one (``silon.audit.services.audit_record``) in its own transaction, so
  the event is the one hook they all share, and the apps that write them need no call into the portal.
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from silon.audit import actions

from .cache import bump_version

# (app label, model name) of everything a public page, API answer or CSV shows.
WATCHED_MODELS = [
    ("candidacy", "Election"),
    ("candidacy", "StageWindow"),
    ("candidacy", "StageExtension"),
    ("candidacy", "CandidatePair"),
    ("candidacy", "PairStatusChange"),
    ("candidacy", "Candidate"),
    ("candidacy", "Nomination"),
    ("candidacy", "Party"),
    ("candidacy", "Document"),
    ("candidacy", "DocumentRequirement"),
    ("candidacy", "PublicResponse"),  # the pair page, API and CSV count the public responses
    ("regions", "Region"),
    ("support_uploads", "Upload"),
    ("verification", "VerificationRound"),
    ("verification", "PairOutcome"),
    ("verification", "CorrectionSubmission"),
    ("objections", "Objection"),  # the pair page and the open data count objections
    ("audit", "AuditCheckpoint"),  # the open-data page shows the newest checkpoints
]

# Audit actions of changes the portal shows that are written without a model signal: the validated upload
# (its DONE status and recap are one ``QuerySet.update``), a closed round (results are upserted in bulk), a
# region list loaded with ``bulk_create`` or made the default.
PUBLIC_AUDIT_ACTIONS = frozenset(
    {
        actions.SUPPORT_UPLOAD_VALIDATED,
        actions.SUPPORT_UPLOAD_WITHDRAW,
        actions.VERIFICATION_ROUND_CLOSE,
        actions.VERIFICATION_CORRECTION_SUBMIT,
        actions.OBJECTION_DECIDE,  # a confirmed objection makes a counted row TMS (QuerySet.update)
        actions.REGIONS_LOAD,
        actions.REGIONS_SET_DEFAULT,
    }
)

# Progress ticks of a running upload must not flush the whole portal cache every second near a deadline:
# only a finished or withdrawn upload changes what the public sees.
PUBLIC_UPLOAD_STATUSES = {"done", "withdrawn"}


def _changes_public_data(sender, instance) -> bool:
    label = sender._meta.label
    if label == "support_uploads.Upload":
        return instance.status in PUBLIC_UPLOAD_STATUSES
    if label == "verification.VerificationRound":
        # An open round's results are not public: only its closing (or removal) changes a page.
        return instance.closed_at is not None
    return True


def _bump_on_commit() -> None:
    bump_version()


def _bump_after_commit() -> None:
    connection = transaction.get_connection()
    # A bulk load saving thousands of rows in one transaction needs a single bump, not thousands.
    if connection.in_atomic_block and any(func is _bump_on_commit for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_bump_on_commit)


def data_changed(sender, instance=None, **kwargs) -> None:
    if _changes_public_data(sender, instance):
        _bump_after_commit()


def data_deleted(sender, instance=None, **kwargs) -> None:
    _bump_after_commit()


def audit_event_written(sender, instance=None, created=False, **kwargs) -> None:
    if created and instance.action in PUBLIC_AUDIT_ACTIONS:
        _bump_after_commit()


def connect() -> None:
    for app_label, model_name in WATCHED_MODELS:
        model = apps.get_model(app_label, model_name)
        uid = f"portal-bump-{app_label}-{model_name}"
        post_save.connect(data_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(data_deleted, sender=model, dispatch_uid=uid + "-delete")
    post_save.connect(
        audit_event_written, sender=apps.get_model("audit", "AuditEvent"), dispatch_uid="portal-bump-audit"
    )
