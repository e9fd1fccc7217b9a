"""Fault tolerance that can be checked without disturbing the shared servers: the settings that make a
task survive a lost worker or broker connection, and a database connection that went away."""

import pytest
from django.conf import settings

from silon.celery import app
from support_uploads.tasks import upload_validate_task


def test_tasks_survive_a_lost_worker_or_broker():
    conf = app.conf
    assert conf.task_acks_late is True  # unacknowledged until done: redelivered if the worker dies
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1  # a dying worker holds at most one message
    # Redis redelivers an unacknowledged message after visibility_timeout: it must outlast the longest task
    # (a 2.5M-row upload is validated in minutes; the hard time limit, if any, bounds it)
    visibility = conf.broker_transport_options["visibility_timeout"]
    longest = conf.task_time_limit or 3600
    assert visibility > longest
    assert upload_validate_task.acks_late is True
    assert upload_validate_task.reject_on_worker_lost is True


def test_database_connections_are_checked_before_reuse():
    # a connection killed by pg_terminate_backend or a failover is replaced on the next request
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
def test_a_crash_answers_a_friendly_page_without_a_traceback(client, settings, monkeypatch):
    """A database that vanished mid-request (or any crash) gives the Indonesian 500 page, no details."""
    from django.db import OperationalError

    from portal import views as portal_views

    def broken(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(portal_views.selectors, "home_groups", broken)
    client.raise_request_exception = False
    settings.DEBUG = False
    response = client.get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Terjadi gangguan sementara" in body
    assert "Traceback" not in body and "OperationalError" not in body and "administrator" not in body
