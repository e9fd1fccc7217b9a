"""The sample page and API (the pair's LO picks the start number with form MODEL.AWAL.SAMPEL.DPD), the draws'
CSV export (masked NIKs, audited) and the re-derivation command (PKPU 10/2022; issue #20)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from silon.audit import actions
from silon.audit.models import AuditEvent
from silon.privacy import mask_nik
from support_uploads.models import Supporter
from tests.accounts.factories import UserFactory
from verification.models import SampleDraw, SampleDrawRow, SampleStart
from verification.selectors_sample import draw_rederive
from verification.services import sample_start_submit

from .sample_helpers import form, sampled_province
from .test_team_results import team_lo
from .verification_helpers import DESA_A, make_pair, verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return sampled_province()


def test_the_lo_picks_the_start_number_on_the_page_and_the_draws_appear(client, province):
    round, lo = province["round"], province["lo"]
    url = reverse("verification:sample", args=[round.pk])
    client.force_login(lo)
    page = client.get(url)
    assert page.status_code == 200 and b'id="sample-start-form"' in page.content and b'id="sample-plan"' in page.content
    refused = client.post(url, {"nomor_awal": "1", "formulir": form("model.txt")}, follow=True)
    assert b"PDF" in refused.content and not SampleStart.objects.filter(round=round).exists()
    assert client.post(url, {"nomor_awal": "²", "formulir": form()}).status_code == 302
    assert not SampleStart.objects.filter(round=round).exists()
    done = client.post(url, {"nomor_awal": "1", "formulir": form()}, follow=True)
    assert done.status_code == 200 and b'id="sample-draws"' in done.content
    assert SampleStart.objects.get(round=round).submitted_by == lo
    assert SampleDraw.objects.filter(round=round).count() == 3
    assert b'id="sample-start-form"' not in done.content


def test_who_reaches_the_sample_page(client, province):
    round = province["round"]
    url = reverse("verification:sample", args=[round.pk])
    other_lo = team_lo(make_pair(province["election"]), province["op1"])
    for user, status in ((province["op1"], 200), (verifier(DESA_A), 404), (other_lo, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status
    client.force_login(province["op1"])
    # an operator reads the plan but does not pick the number: the candidate does
    page = client.get(url)
    assert b'id="sample-start-form"' not in page.content
    assert client.post(url, {"nomor_awal": "1", "formulir": form()}).status_code == 403
    assert not SampleStart.objects.filter(round=round).exists()


def test_bawaslu_of_the_area_supervises_the_draw_read_only(client, province):
    """Bawaslu reads the plan, the draws and the export (watermarked, audited), and picks nothing."""
    round, lo = province["round"], province["lo"]
    sample_start_submit(actor=lo, round=round, number=1, form=form())
    area = province["election"].region_code
    bawaslu, elsewhere = UserFactory(role="bawaslu", region_code=area), UserFactory(role="bawaslu", region_code="11")
    client.force_login(elsewhere)
    assert client.get(reverse("verification:sample", args=[round.pk])).status_code == 404
    client.force_login(bawaslu)
    page = client.get(reverse("verification:sample", args=[round.pk]))
    assert page.status_code == 200 and b'id="sample-draws"' in page.content
    assert b'id="sample-start-form"' not in page.content
    assert client.post(reverse("verification:sample", args=[round.pk]), {"nomor_awal": "2"}).status_code == 403
    api = reverse("verification_api:round-sample", args=[round.pk])
    assert client.get(api).status_code == 200 and client.post(api, {"number": "2"}).status_code == 403
    export = client.get(reverse("verification:sample_download", args=[round.pk]))
    content = b"".join(export.streaming_content) if export.streaming else export.content
    assert export.status_code == 200 and content.decode().startswith("#")  # the supervisor's watermark line
    assert AuditEvent.objects.filter(action=actions.SUPERVISION_DOWNLOAD, actor=bawaslu).exists()
    assert SampleStart.objects.get(round=round).number == 1


def test_the_api_gives_the_plan_then_takes_the_start_number(client, province):
    round, lo = province["round"], province["lo"]
    url = reverse("verification_api:round-sample", args=[round.pk])
    client.force_login(lo)
    before = client.get(url).json()
    assert before["start"] is None and before["draws"] == [] and before["start_limit"] == 1
    assert [p["regency_code"] for p in before["plan"]] == ["52.01", "52.02", "52.03"]
    assert client.post(url, {"number": "0", "form": form()}).status_code == 400
    assert client.post(url, {"number": "1", "form": form("x.pdf", b"not a pdf")}).status_code == 400
    answer = client.post(url, {"number": "1", "form": form()})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["start"]["number"] == 1 and body["plan"] == []
    assert [(d["regency_code"], d["population"], d["start"]) for d in body["draws"]] == [
        ("52.01", 29, 1),
        ("52.02", 12, 1),
        ("52.03", 1, 1),
    ]
    assert client.post(url, {"number": "1", "form": form()}).status_code == 400


def test_the_export_lists_inputs_and_positions_with_masked_niks_and_is_audited(client, province):
    round, lo = province["round"], province["lo"]
    sample_start_submit(actor=lo, round=round, number=1, form=form())
    client.force_login(province["op1"])
    response = client.get(reverse("verification:sample_download", args=[round.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, rows = lines[0], lines[1:]
    assert len(rows) == SampleDrawRow.objects.filter(draw__round=round).count()
    niks = dict(Supporter.objects.filter(pair=province["pair"]).values_list("pk", "nik"))
    nik_at, id_at, pos_at = header.index("NIK (disamarkan)"), header.index("ID pendukung"), header.index("Urutan ke")
    for row in rows:
        assert row[nik_at] == mask_nik(niks[int(row[id_at])]) != niks[int(row[id_at])]
    draw = SampleDraw.objects.get(round=round, regency_code="52.01")
    first = next(r for r in rows if r[1] == "52.01")
    assert first[2:4] == [str(draw.population), str(draw.size)] and first[pos_at] == "1"
    assert first[12] == draw.order_digest
    event = AuditEvent.objects.get(action=actions.VERIFICATION_SAMPLE_EXPORT)
    assert event.actor == province["op1"] and event.after == {"rows": len(rows), "masked_nik": True}


def test_the_same_inputs_give_the_same_sample_and_the_command_says_so(province):
    round, lo = province["round"], province["lo"]
    sample_start_submit(actor=lo, round=round, number=1, form=form())
    draw = SampleDraw.objects.get(round=round, regency_code="52.01")
    out = io.StringIO()
    call_command("verification_sample_rederive", str(draw.pk), stdout=out)
    assert "MATCH" in out.getvalue() and f"N={draw.population} n={draw.size}" in out.getvalue()
    # another start number would be another sample; the recorded one is derived exactly again
    again = draw_rederive(draw)
    assert again.derived_positions == again.recorded_positions
    # a supporter's address edited after the draw: the sorted population no longer matches the record
    drawn = set(draw.rows.values_list("supporter_id", flat=True))
    moved = Supporter.objects.filter(pk__in=drawn).order_by("pk").first()
    Supporter.objects.filter(pk=moved.pk).update(address="AAA PALING DEPAN")
    err = io.StringIO()
    with pytest.raises(CommandError, match="not the one its inputs give"):
        call_command("verification_sample_rederive", str(draw.pk), stdout=io.StringIO(), stderr=err)
    assert "order digest" in err.getvalue()
    with pytest.raises(CommandError, match="no sample draw"):
        call_command("verification_sample_rederive", "999999")


def test_the_export_reads_a_constant_number_of_queries_whatever_the_sample_size(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for per_regency in ((3, 2, 2, 1), (40, 30, 25, 1)):
        p = sampled_province(per_regency=per_regency, tms_in_a=0)
        sample_start_submit(actor=p["lo"], round=p["round"], number=1, form=form())
        client.force_login(p["op1"])
        url = reverse("verification:sample_download", args=[p["round"].pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]  # per kab/kota, never per drawn supporter
    # the operator's round page says the round is by sample and links to its draws
    page = client.get(reverse("verification:round", args=[p["round"].pk]))
    assert b'id="sample-link"' in page.content
