"""Celery tasks of candidacy. They call one service and can run twice without harm."""

from celery import shared_task

from .health import failing_checks
from .services.outages import health_probe_record


@shared_task(name="candidacy.health_probe")
def health_probe_task() -> list[str]:
    """Periodic (beat, every ``HEALTH_PROBE_SECONDS``): record what fails now; a long enough span of
    failures inside an open stage window becomes a proposed outage on the operators' dashboards. With the
    database down nothing is recorded: the gap itself is taken for a failure."""
    failures = failing_checks()
    if "database" not in failures:
        health_probe_record(failures=failures)
    return failures
