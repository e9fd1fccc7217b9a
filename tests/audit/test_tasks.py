import time

import pytest

from silon.audit.models import AuditEvent
from silon.audit.services import audit_record
from silon.audit.tasks import audit_verify_chain


@pytest.mark.django_db
def test_verify_task_records_its_outcome():
    audit_record(actor=None, action="test.a")
    # every event in the table, including any an earlier transactional test left committed
    written = AuditEvent.objects.count()
    result = audit_verify_chain.apply().get()
    assert result == {"ok": True, "checked": written, "broken_at": None}
    event = AuditEvent.objects.get(action="audit.verify")
    assert event.after["checked"] == written >= 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_verification(celery_worker_process):
    audit_record(actor=None, action="test.a")
    audit_record(actor=None, action="test.b")
    audit_verify_chain.delay()
    deadline = time.time() + 30
    while time.time() < deadline and not AuditEvent.objects.filter(action="audit.verify").exists():
        time.sleep(0.2)
    event = AuditEvent.objects.get(action="audit.verify")
    # The worker checked every event written before its own, in another process, over the real database.
    assert event.after == {
        "checked": AuditEvent.objects.filter(id__lt=event.id).count(),
        "broken_at": None,
        "problem": "",
    }
    assert event.after["checked"] >= 2
    assert celery_worker_process.poll() is None
