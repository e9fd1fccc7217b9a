"""Queue a Celery task from a service without importing the task.

Tasks call services, never the reverse: a service that hands work to a worker names the task instead of
importing it, and the task is looked up in the Celery app's registry when it is queued (each app's
``AppConfig.ready()`` imports its ``tasks`` module, so the registry holds it in every process). ``delay``
keeps its meaning: in-process when ``CELERY_TASK_ALWAYS_EAGER``, else a message to the broker.
"""

from celery import current_app
from django.db import transaction


def enqueue(task_name: str, *args) -> None:
    """Queue ``task_name`` with ``args`` now."""
    current_app.tasks[task_name].delay(*args)


def enqueue_on_commit(task_name: str, *args) -> None:
    """Queue ``task_name`` with ``args`` once the current transaction commits (never for a rolled-back one)."""
    transaction.on_commit(lambda: enqueue(task_name, *args))
