"""Fault tolerance that can be checked without disturbing the shared servers: the settings that make a
task survive a lost worker or broker connection, and a PostgreSQL connection killed under the application
(``pg_terminate_backend`` of the test's own backend, from a second connection)."""

import psycopg2
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import request_started
from django.db import connection, connections
from django.test import Client
from django.test.client import ClientHandler
from django.urls import reverse

from candidacy.models import Election
from silon.celery import app
from support_uploads.tasks import upload_validate_task


def test_tasks_survive_a_lost_worker_or_broker():
    conf = app.conf
    assert conf.task_acks_late is True  # unacknowledged until done: redelivered if the worker dies
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1  # a dying worker holds at most one message
    # Redis redelivers an unacknowledged message after visibility_timeout: it must outlast the longest task,
    # which the hard time limit bounds (a 2.5M-row upload is validated in minutes)
    assert conf.task_time_limit and conf.task_soft_time_limit
    assert conf.task_soft_time_limit < conf.task_time_limit  # the soft one fires first: the upload is FAILED
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert upload_validate_task.acks_late is True
    assert upload_validate_task.reject_on_worker_lost is True


@pytest.mark.worker
def test_the_running_worker_bounds_every_task_within_its_visibility_timeout(celery_worker_process):
    """The same, from the configuration a real worker reports it runs with (remote control ``conf``)."""
    replies = app.control.inspect(timeout=5).conf()
    assert replies, "no worker answered"
    (conf,) = replies.values()
    # the worker reports the settings it was configured from, under their Django names (namespace CELERY)
    hard, soft = conf["CELERY_TASK_TIME_LIMIT"], conf["CELERY_TASK_SOFT_TIME_LIMIT"]
    assert (hard, soft) == (settings.CELERY_TASK_TIME_LIMIT, settings.CELERY_TASK_SOFT_TIME_LIMIT)
    assert 0 < soft < hard
    assert conf["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] > hard
    assert conf["CELERY_TASK_ACKS_LATE"] is True and conf["CELERY_TASK_REJECT_ON_WORKER_LOST"] is True


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


# --- a PostgreSQL connection killed under the running application ----------------------------------


class ServerLikeHandler(ClientHandler):
    """The test client's handler with Django's per-request connection housekeeping left on.

    Django's ``ClientHandler`` suspends ``close_old_connections`` on ``request_started``/``request_finished``
    (a test's transaction must outlive its requests). A WSGI server runs it: at the start of every request a
    connection that saw an error, or whose age passed CONN_MAX_AGE, is closed, and with CONN_HEALTH_CHECKS a
    reused one is checked before its first query. This handler sends both signals as a server does."""

    def __call__(self, environ):
        if self._middleware_chain is None:
            self.load_middleware()
        request_started.send(sender=self.__class__, environ=environ)
        request = WSGIRequest(environ)
        request._dont_enforce_csrf_checks = not self.enforce_csrf_checks
        response = self.get_response(request)
        response.wsgi_request = request
        response.close()  # fires request_finished
        return response


def _terminate(pid: int) -> None:
    """pg_terminate_backend from a second connection, as a DBA, a failover or an idle timeout would."""
    db = connection.settings_dict
    with (
        psycopg2.connect(
            dbname=db["NAME"], user=db["USER"] or "postgres", host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
        ) as other,
        other.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0] is True
    other.close()


def _backend_pid() -> int:
    return connection.connection.info.backend_pid


@pytest.fixture
def server_client(monkeypatch, settings):
    """A test client that behaves like the production server: persistent connections, no debug pages."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.handler = ServerLikeHandler(enforce_csrf_checks=False)
    return client


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_between_requests_is_replaced_by_the_health_check(server_client):
    assert server_client.get("/healthz").status_code == 200
    killed = _backend_pid()
    _terminate(killed)
    # the reused connection fails CONN_HEALTH_CHECKS' probe before the request's first query: a new one serves it
    response = server_client.get("/healthz")
    assert response.status_code == 200, response.content[:300]
    assert _backend_pid() != killed
    assert server_client.get(reverse("portal_api:election-list")).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_health_checks_the_hit_request_fails_cleanly_and_the_next_one_works(server_client, monkeypatch):
    """The same kill with CONN_HEALTH_CHECKS off shows why it is on: the request that meets the dead connection
    fails, with the friendly page; the error marks the connection, which is closed before the next request."""
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    monkeypatch.setattr(connections["default"], "health_check_enabled", False)  # read at connect: the open one too
    assert server_client.get("/").status_code == 200
    _terminate(_backend_pid())
    response = server_client.get("/healthz")
    assert response.status_code == 500
    _assert_friendly(response)
    assert server_client.get("/healthz").status_code == 200
    assert server_client.get("/").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_in_the_middle_of_a_request(server_client, monkeypatch):
    """The backend dies while a page is being built (after the health check passed): that request answers the
    Indonesian 500 page without details, the next one gets a new connection and works."""
    from portal import views as portal_views

    home_groups = portal_views.selectors.home_groups
    killed = []

    def killed_midway(**kwargs):
        Election.objects.exists()  # the request's first query: the connection passed its health check
        killed.append(_backend_pid())
        _terminate(killed[-1])
        return home_groups(**kwargs)

    monkeypatch.setattr(portal_views.selectors, "home_groups", killed_midway)
    response = server_client.get("/")
    assert killed and response.status_code == 500
    _assert_friendly(response)
    monkeypatch.setattr(portal_views.selectors, "home_groups", home_groups)
    response = server_client.get("/")
    assert response.status_code == 200
    assert _backend_pid() != killed[0]


def _assert_friendly(response) -> None:
    body = response.content.decode()
    assert "Terjadi gangguan sementara" in body
    for leak in ("Traceback", "OperationalError", "InterfaceError", "terminating connection", "psycopg2"):
        assert leak not in body
