"""Signed checkpoints of the chain head: when they are signed, how they are published, and how
``audit_verify --checkpoints`` proves the log still extends each one (or names the event and checkpoint)."""

import contextlib
import datetime
import http.server
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from nacl.signing import SigningKey, VerifyKey

from candidacy.models import Stage, StageWindow
from silon.audit.checkpoints import (
    CheckpointRefused,
    audit_checkpoint_if_due,
    audit_checkpoint_sign,
    checkpoint_published,
)
from silon.audit.management.commands.audit_verify import load_checkpoints
from silon.audit.models import AuditCheckpoint, AuditEvent, CheckpointReason
from silon.audit.services import audit_record
from tests.candidacy.factories import ElectionFactory

pytestmark = pytest.mark.django_db


def _events(n=3):
    return [audit_record(actor=None, action="test.step", object_type="x", object_id=i) for i in range(n)]


def _tamper(sql, params):
    """As a database superuser would: triggers off for this statement (PostgreSQL), nothing to pass on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def _held(tmp_path, client) -> str:
    """The checkpoints as a citizen keeps them: the open-data API's answer, saved to a file."""
    response = client.get(reverse("portal_api:audit-checkpoint-list") + "?limit=1000")
    assert response.status_code == 200
    path = tmp_path / "checkpoints.json"
    path.write_text(json.dumps(response.json()))
    return str(path)


def test_a_checkpoint_signs_the_head_and_anyone_can_check_the_signature(client):
    events = _events()
    checkpoint = audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    assert (checkpoint.event_id, checkpoint.event_hash) == (events[-1].id, events[-1].hash)
    published = client.get(reverse("portal_api:audit-checkpoint-list")).json()["results"][-1]
    assert published == checkpoint_published(checkpoint)
    # with any Ed25519 implementation: the published message, signature and key, nothing of SILON's
    VerifyKey(bytes.fromhex(published["public_key"])).verify(
        published["message"].encode(), bytes.fromhex(published["signature"])
    )
    message = json.loads(published["message"])
    assert message["event_id"] == events[-1].id and message["event_hash"] == events[-1].hash
    assert message["signed_at"] == published["signed_at"] and message["event_time"] == published["event_time"]


def test_the_open_data_page_shows_the_newest_checkpoints(client):
    _events()
    checkpoint = audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    html = client.get(reverse("portal:open_data")).content.decode()
    assert checkpoint.public_key in html and checkpoint_published(checkpoint)["signed_at"] in html
    assert reverse("portal_api:audit-checkpoint-list") in html


def test_the_log_extending_every_held_checkpoint_verifies(client, tmp_path, capsys):
    _events()
    audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    _events(2)
    audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    _events(1)
    call_command("audit_verify", checkpoints=[_held(tmp_path, client)])
    out = capsys.readouterr().out
    assert f"Audit chain intact: {AuditEvent.objects.count()} events." in out
    assert "Checkpoints held: 2." in out


def test_dropping_the_newest_events_is_named_by_the_checkpoint_that_held_them(client, tmp_path):
    _events(4)
    checkpoint = audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    held = _held(tmp_path, client)
    kept = AuditEvent.objects.order_by("id").values_list("id", flat=True)[1]
    # the newest events and the stored checkpoints gone: the chain that is left verifies on its own
    _tamper("DELETE FROM audit_auditevent WHERE id > %s", [kept])
    _tamper("DELETE FROM audit_auditcheckpoint", [])
    call_command("audit_verify")
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify", checkpoints=[held])
    message = str(caught.value)
    assert f"checkpoint #{checkpoint.pk} (event {checkpoint.event_id}" in message
    assert f"event {checkpoint.event_id}: the event is missing (the log ends at event {kept})" in message


def test_an_event_rewritten_before_a_checkpoint_is_named_with_that_checkpoint(client, tmp_path):
    events = _events(4)
    checkpoint = audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    _tamper("UPDATE audit_auditevent SET object_repr = 'diubah' WHERE id = %s", [events[1].id])
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify", checkpoints=[_held(tmp_path, client)])
    message = str(caught.value)
    assert message.startswith(f"Audit chain broken at event {events[1].id}")
    assert f"checkpoint #{checkpoint.pk} (event {events[-1].id}" in message
    assert f"event {events[1].id}: the chain breaks before it" in message


def test_a_forged_or_foreign_checkpoint_is_refused(client, tmp_path):
    _events()
    audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    with open(_held(tmp_path, client)) as fh:
        held = json.load(fh)["results"]
    forged = dict(held[0], event_hash="f" * 64)  # the fields no longer match the signature
    foreign_key = SigningKey.generate()
    foreign = dict(held[0], public_key=foreign_key.verify_key.encode().hex())
    foreign["signature"] = foreign_key.sign(foreign["message"].encode()).signature.hex()
    for item, expected in ((forged, "its signature does not verify"), (foreign, "signed by a key that is not trusted")):
        path = tmp_path / "one.json"
        path.write_text(json.dumps([item]))
        with pytest.raises(CommandError, match=expected):
            call_command("audit_verify", checkpoints=[str(path)])
    # a verifier who pins that other key accepts its signature but not the installation's own
    with pytest.raises(CommandError, match="signed by a key that is not trusted"):
        call_command("audit_verify", checkpoints=[str(path)], public_key=[foreign["public_key"]])


def test_the_signer_refuses_a_head_that_no_longer_extends_the_last_checkpoint():
    _events(3)
    checkpoint = audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [checkpoint.event_id])
    with pytest.raises(CheckpointRefused, match=f"event {checkpoint.event_id} of checkpoint #{checkpoint.pk}"):
        audit_checkpoint_sign(reason=CheckpointReason.HOURLY)
    assert AuditCheckpoint.objects.count() == 1
    assert AuditEvent.objects.filter(action="audit.checkpoint_refused").exists()


def test_checkpoints_are_due_hourly_when_the_head_moved():
    now = timezone.now()
    assert audit_checkpoint_if_due(now=now) is None  # nothing to sign
    _events(1)
    first = audit_checkpoint_if_due(now=now)
    assert first is not None and first.reason == CheckpointReason.HOURLY
    _events(1)
    assert audit_checkpoint_if_due(now=now + datetime.timedelta(minutes=30)) is None  # not an hour yet
    second = audit_checkpoint_if_due(now=now + datetime.timedelta(minutes=61))
    assert second is not None and second.event_id > first.event_id
    assert audit_checkpoint_if_due(now=now + datetime.timedelta(hours=5)) is None  # the head did not move


def test_a_checkpoint_is_signed_when_a_stage_closed_since_the_last_one():
    now = timezone.now()
    _events(1)
    audit_checkpoint_sign(reason=CheckpointReason.MANUAL, now=now)
    election = ElectionFactory()
    StageWindow.objects.create(
        election=election,
        stage=Stage.SUPPORT_SUBMISSION,
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(minutes=10),
    )
    assert audit_checkpoint_if_due(now=now + datetime.timedelta(minutes=5)) is None  # still open, head unchanged
    closed = audit_checkpoint_if_due(now=now + datetime.timedelta(minutes=20))
    assert closed is not None and closed.reason == CheckpointReason.STAGE_CLOSED
    assert election.name in closed.note and str(Stage.SUPPORT_SUBMISSION.label) in closed.note
    assert audit_checkpoint_if_due(now=now + datetime.timedelta(minutes=35)) is None  # signed once per close


@contextlib.contextmanager
def _serving(pages: dict):
    """A local http server answering ``pages`` (path → JSON); yields its base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps(pages[self.path]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_checkpoints_are_read_from_a_url_across_pages():
    pages = {"/1": {"results": [{"id": 1}], "next": None}, "/0": {"results": [{"id": 0}], "next": None}}
    with _serving(pages) as base:
        pages["/0"]["next"] = base + "/1"
        assert load_checkpoints(base + "/0") == [{"id": 0}, {"id": 1}]


def test_audit_verify_given_the_published_url_names_the_dropped_events(client):
    _events(3)
    checkpoint = audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    published = client.get(reverse("portal_api:audit-checkpoint-list")).json()
    with _serving({"/api/public/audit-checkpoints/": published}) as base:
        url = base + "/api/public/audit-checkpoints/"
        call_command("audit_verify", checkpoints=[url])
        _tamper("DELETE FROM audit_auditevent WHERE id = %s", [checkpoint.event_id])
        _tamper("DELETE FROM audit_auditcheckpoint", [])
        with pytest.raises(CommandError, match=f"checkpoint #{checkpoint.pk} .*the event is missing"):
            call_command("audit_verify", checkpoints=[url])


def test_an_operator_closing_a_stage_signs_a_checkpoint_at_once(django_capture_on_commit_callbacks):
    """Moving an open stage's end to before the last checkpoint: no window end passes after it, so the periodic
    task would not see the close; the schedule change itself has the head signed, its own event included."""
    from candidacy.services import stage_window_set
    from tests.accounts.factories import operator

    now = timezone.now()
    election = ElectionFactory()
    actor = operator("52")
    with django_capture_on_commit_callbacks(execute=True):
        stage_window_set(
            actor=actor,
            election=election,
            stage=Stage.SUPPORT_SUBMISSION,
            starts_at=now - datetime.timedelta(days=3),
            ends_at=now + datetime.timedelta(days=2),
        )
    assert not AuditCheckpoint.objects.exists()  # scheduled and open: nothing closed
    audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    with django_capture_on_commit_callbacks(execute=True):
        stage_window_set(  # lengthened while open: still nothing closed
            actor=actor,
            election=election,
            stage=Stage.SUPPORT_SUBMISSION,
            starts_at=now - datetime.timedelta(days=3),
            ends_at=now + datetime.timedelta(days=3),
        )
    assert AuditCheckpoint.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        stage_window_set(  # closed, its end put before the last checkpoint
            actor=actor,
            election=election,
            stage=Stage.SUPPORT_SUBMISSION,
            starts_at=now - datetime.timedelta(days=3),
            ends_at=now - datetime.timedelta(hours=2),
        )
    closed = AuditCheckpoint.objects.latest("id")
    assert closed.reason == CheckpointReason.STAGE_CLOSED
    assert election.name in closed.note and str(Stage.SUPPORT_SUBMISSION.label) in closed.note
    assert closed.event_id == AuditEvent.objects.filter(action="stage.set").latest("id").id
    assert audit_checkpoint_if_due(now=timezone.now()) is None  # the periodic task does not sign it again


def test_a_held_checkpoint_with_a_bad_event_id_is_named_not_a_crash(client, tmp_path):
    _events(2)
    audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    with open(_held(tmp_path, client)) as fh:
        good = json.load(fh)["results"][0]
    for bad in ("²", "abc", str(10**30), -1, None):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps([good, dict(good, id=99, event_id=bad)]))
        with pytest.raises(CommandError, match=r"checkpoint #99 .*not a checkpoint"):
            call_command("audit_verify", checkpoints=[str(path)])
