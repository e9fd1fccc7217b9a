"""Bump the portal's data version whenever a model it shows is saved or deleted.

Receivers stay thin: one cache write, after the transaction commits so a reader never rebuilds a page from
data that is then rolled back.
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save

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
    ("regions", "Region"),
    ("support_uploads", "Upload"),
]

# Progress ticks of a running upload must not flush the whole portal cache every second near a deadline:
# only a finished or withdrawn upload changes what the public sees.
PUBLIC_UPLOAD_STATUSES = {"done", "withdrawn"}


def _changes_public_data(sender, instance) -> bool:
    if sender._meta.label == "support_uploads.Upload":
        return instance.status in PUBLIC_UPLOAD_STATUSES
    return True


def _bump_on_commit() -> None:
    bump_version()


def data_changed(sender, instance=None, **kwargs) -> None:
    if not _changes_public_data(sender, instance):
        return
    connection = transaction.get_connection()
    # A bulk load saving thousands of rows in one transaction needs a single bump, not thousands.
    if connection.in_atomic_block and any(func is _bump_on_commit for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_bump_on_commit)


def connect() -> None:
    for app_label, model_name in WATCHED_MODELS:
        model = apps.get_model(app_label, model_name)
        uid = f"portal-bump-{app_label}-{model_name}"
        post_save.connect(data_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(data_changed, sender=model, dispatch_uid=uid + "-delete")
