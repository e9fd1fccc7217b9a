"""Celery tasks of independent support. They take ids, call one service and can run twice without harm."""

from celery import shared_task
from django.db import OperationalError

from .validation import upload_validate


@shared_task(
    acks_late=True,  # a worker killed mid-job leaves the message unacknowledged: it is delivered again
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def upload_validate_task(upload_id: int) -> None:
    upload_validate(upload_id=upload_id)


# registered with the worker through this module, which autodiscovery imports
from .verification.tasks import document_build_task, pending_expire_task  # noqa: E402, F401
