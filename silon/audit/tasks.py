from celery import shared_task

from .checkpoints import audit_checkpoint_if_due, audit_checkpoint_sign
from .services import audit_chain_check


@shared_task(name="audit.verify_chain", acks_late=True)
def audit_verify_chain() -> dict:
    """Nightly check of the hash chain; the outcome is itself an audit event (and an error log if broken)."""
    report = audit_chain_check()
    return {"ok": report.ok, "checked": report.checked, "broken_at": report.broken_at}


@shared_task(name="audit.checkpoint", acks_late=True)
def audit_checkpoint() -> dict:
    """Sign the chain head when a checkpoint is due (hourly when it moved; when a stage closed)."""
    checkpoint = audit_checkpoint_if_due()
    return {"checkpoint": checkpoint.pk if checkpoint else None}


@shared_task(name="audit.checkpoint_now", acks_late=True)
def audit_checkpoint_now(reason: str, note: str = "") -> dict:
    """Sign the chain head at once: a stage an operator closed by moving its end to now or earlier (the
    periodic task would miss an end moved to before its last checkpoint). Running twice signs twice, harmlessly."""
    checkpoint = audit_checkpoint_sign(reason=reason, note=note)
    return {"checkpoint": checkpoint.pk if checkpoint else None}
