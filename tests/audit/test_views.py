import pytest
from django.urls import reverse

from silon.accounts.models import Role
from silon.audit.models import AuditEvent
from silon.audit.services import audit_record
from tests.accounts.factories import UserFactory, operator

pytestmark = pytest.mark.django_db


def test_operators_see_only_their_regions_events(client):
    audit_record(actor=None, action="election.create", object_repr="Pilbup Lombok Barat", region_code="52.01")
    audit_record(actor=None, action="election.create", object_repr="Pilbup Bima", region_code="52.06")
    client.force_login(operator("52.01"))
    html = client.get(reverse("audit:log")).content.decode()
    assert "Pilbup Lombok Barat" in html
    assert "Pilbup Bima" not in html


def test_pair_operators_cannot_read_the_log(client):
    client.force_login(UserFactory(role=Role.PAIR_OPERATOR, region_code=""))
    assert client.get(reverse("audit:log")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


def test_export_is_csv_filtered_audited_and_formula_safe(client):
    audit_record(actor=None, action="election.create", object_repr="=HYPERLINK(1)", region_code="52")
    audit_record(actor=None, action="pair.submit", object_repr="Pair", region_code="52")
    admin = UserFactory(role=Role.ADMIN, region_code="", is_superuser=True)
    client.force_login(admin)
    response = client.get(reverse("audit:export"), {"action": "election."})
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("id,created_at")
    assert "'=HYPERLINK(1)" in body
    assert "pair.submit" not in body
    assert AuditEvent.objects.filter(action="audit.export", actor=admin).exists()
