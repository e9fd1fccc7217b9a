"""Schemathesis fuzzing of the JSON API against its own OpenAPI schema (drf-spectacular, ``/api/schema/``).

The Django application is called in-process through WSGI, on PostgreSQL (whose refusals, such as an id or
a ``limit`` beyond bigint, are the usual sources of a 500), once per role: anonymous, the KPU operator of
regency R and pair A's LO. Every operation gets schema-valid requests (positive mode) and schema-violating
ones (negative mode); path ids are sometimes generated and sometimes the ids of the ``world`` objects, so
requests also reach the code behind the 404s. Every answer must be:

- no 5xx (``not_a_server_error``);
- a status code the schema documents for the operation (``status_code_conformance``), with the documented
  content type (``content_type_conformance``) and a body matching the documented schema
  (``response_schema_conformance``).

Bounds: ``EXAMPLES`` per operation and mode, each request rolled back afterwards (every example meets the
same world, so Hypothesis can replay a failure). Every failure of a run is collected and reported at once,
and written to ``test-artifacts/api-fuzz-<role>.txt``.
"""

import datetime
import sys
import time
import traceback

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.throttling import AnonRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.fuzz, pytest.mark.django_db]

SCHEMA_URL = "/api/schema/?format=json"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}
# a tus chunk (support_uploads.api_resumable) is raw bytes, sent as any binary body
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")


@pytest.fixture
def in_process_app(monkeypatch):
    """Django's WSGI handler, with the per-request connection clean-up switched off as Django's test client
    does (the test's transaction holds the world and must outlive every request), and no anonymous throttle
    (the fuzzer is one address sending thousands of requests; throttling has its own tests)."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": None})
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def server_exceptions():
    """The last crash's traceback, to put beside a 500 in the report."""
    seen: list[str] = []

    def record(sender, request=None, **kwargs):
        seen.append("".join(traceback.format_exception(sys.exc_info()[1])[-4:]))

    got_request_exception.connect(record, weak=False)
    yield seen
    got_request_exception.disconnect(record)


def _credentials(client, user) -> tuple[dict, dict]:
    """Cookies and headers of the role: its session, and a CSRF token pair so unsafe requests reach the view."""
    csrf = _get_new_csrf_string()
    cookies, headers = {"csrftoken": csrf}, {"X-CSRFToken": csrf}
    if user is not None:
        client.force_login(user)
        cookies["sessionid"] = client.cookies["sessionid"].value
    return cookies, headers


def _world_path_parameters(operation, world) -> dict | None:
    """Path parameters naming real objects of the world (pair A in regency R), or None."""
    path = operation.path
    if path.startswith(("/api/candidacy/elections/{id}", "/api/public/elections/{id}")):
        return {"id": world.election.pk}
    if path.startswith("/api/candidacy/pairs/{id}/confirm/"):
        return {"id": world.pair_p.pk}
    if path.startswith(("/api/candidacy/pairs/{id}", "/api/public/pairs/{id}")):
        return {"id": world.pair_a.pk}
    if "{code}" in path:
        return {"code": "52.01"}
    if "{pair_id}" in path:
        return {"pair_id": world.pair_a.pk}
    if "{upload_id}" in path:
        return {"upload_id": world.upload_a.pk}
    if "{resumable_id}" in path:
        return {"resumable_id": str(world.resumable_a.pk)}
    return None


# What each role's hand-made requests must get: proof that the session and the CSRF token reach the views,
# so the fuzzing below is not a run of 403s.
PROBES = {
    "anonymous": {"read": 403, "write": 403},
    "kpu_r": {"read": 200, "write": 201},
    "lo_a": {"read": 200, "write": 403},
}


def _probe(schema, world, cookies, headers) -> dict[str, int]:
    read = schema["/api/candidacy/pairs/{id}/"]["GET"].Case(path_parameters={"id": world.pair_a.pk})
    now = timezone.now().replace(microsecond=0)
    window = {
        "stage": "registration",
        "starts_at": (now + datetime.timedelta(days=1)).isoformat(),
        "ends_at": (now + datetime.timedelta(days=30)).isoformat(),
    }
    write = schema["/api/candidacy/elections/{id}/stages/"]["POST"].Case(
        path_parameters={"id": world.election.pk}, body=window, media_type="application/json"
    )
    codes = {}
    for name, case in (("read", read), ("write", write)):
        with transaction.atomic():
            codes[name] = case.call(cookies=cookies, headers=headers).status_code
            transaction.set_rollback(True)
    return codes


def _fuzz_operation(operation, mode, examples, world, cookies, headers, crashes) -> None:
    strategy = operation.as_strategy(generation_mode=mode)
    fixed = _world_path_parameters(operation, world)
    if fixed is not None:
        strategy = st.one_of(strategy, operation.as_strategy(generation_mode=mode, path_parameters=fixed))

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def fuzz(case):
        with transaction.atomic():
            crashes.clear()
            try:
                case.call_and_validate(cookies=cookies, headers=headers, checks=CHECKS)
            except BaseException as exc:
                if crashes:
                    exc.add_note("Server exception:\n" + crashes[-1])
                raise
            finally:
                # rolled back: the next example meets the same world, and a database error cannot poison it
                transaction.set_rollback(True)

    fuzz()


def test_api_answers_every_request_within_its_schema(world, client, in_process_app, server_exceptions):
    fuzz_role("anonymous", world, client, in_process_app, server_exceptions)


def fuzz_role(role, world, client, in_process_app, server_exceptions):
    """Fuzz every operation as ``role`` (a key of ``PROBES``): one test module per role, this one and
    ``test_api_fuzz_kpu_r.py``, ``test_api_fuzz_lo_a.py``, which pytest-xdist runs side by side."""
    cookies, headers = _credentials(client, world.users[role])
    schema = schemathesis.openapi.from_wsgi(
        SCHEMA_URL, in_process_app, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    )
    assert _probe(schema, world, cookies, headers) == PROBES[role]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 35, [op.label for op in operations]
    failures, runs = [], 0
    started = time.monotonic()
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            try:
                _fuzz_operation(operation, mode, examples, world, cookies, headers, server_exceptions)
                runs += 1
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE, operation.label
                continue  # nothing to negate (no parameters, no body): no negative request exists
            except (Exception, BaseExceptionGroup) as exc:  # collected: one run reports every operation at fault
                notes = "\n".join(getattr(exc, "__notes__", []))
                failures.append(f"{operation.label} [{mode.value}]: {exc}\n{notes}")
    elapsed = time.monotonic() - started
    print(f"{role}: {len(operations)} operations, {runs} runs in {elapsed:.1f} s")
    if failures:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"api-fuzz-{role}.txt").write_text("\n\n".join(failures))
    assert not failures, f"{len(failures)} failing operation runs:\n\n" + "\n\n".join(failures)
