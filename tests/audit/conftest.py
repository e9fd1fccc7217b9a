"""The tests of this package reason about the whole trail (its first event, its head, every checkpoint)."""

import pytest
from django.db import connection, transaction


@pytest.fixture(autouse=True)
def _this_tests_trail_only(request):
    """Set aside trail rows another test committed earlier in this process (tests/regions loads the shared
    region lists once per process, outside any test's transaction, and the load is audited). In a plain test
    the deletion is rolled back with the test; a transactional test's flush would remove them anyway. On
    PostgreSQL the append-only triggers are bypassed for this one statement only (replica mode, local to the
    transaction), as the test runner's own flush does."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        yield
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    from silon.audit.models import AuditCheckpoint, AuditEvent

    if AuditEvent.objects.exists() or AuditCheckpoint.objects.exists():
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = replica")
            AuditCheckpoint.objects.all().delete()
            AuditEvent.objects.all().delete()
            if connection.vendor == "postgresql":
                # SET LOCAL outlives a savepoint: back to normal, so the test meets the triggers it is about
                cursor.execute("SET LOCAL session_replication_role = origin")
    yield
