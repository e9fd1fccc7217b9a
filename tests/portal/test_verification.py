"""MS after each closed verification round, on the election page, the pair page, the API and the CSVs.

The world (conftest): the regent's independent pair "Mandiri Bersatu" has closed administrative and factual
rounds of its initial batch (BMS), a correction submitted, and the correction's administrative round still
open with 4 MS in Kediri (52.01.02), which must never show. Minimum 40,500; spread 2 of 3 kecamatan.
"""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.support import ROUND_ORDER

pytestmark = pytest.mark.django_db


def _support_section(html: str, pair_name: str) -> str:
    start = html.index(f"Dukungan {pair_name}")
    return html[start : html.index("</article>", start)]


def test_election_page_shows_ms_after_each_closed_round_only(client, world):
    html = client.get(reverse("portal:election", args=[world.regent.pk])).content.decode()
    block = _support_section(html, "Mandiri Bersatu")
    # Headline: the standing after the last closed round (initial factual) against the minimum and the spread.
    assert "MS setelah verifikasi faktual (dukungan awal)" in block
    assert "Hasil verifikasi per putaran" in block
    rows = block[block.index("<tbody>") : block.index("</tbody>")].split("<tr>")[1:]
    assert len(rows) == 2  # the open correction round is not public
    assert "Verifikasi administrasi" in rows[0] and "Dukungan awal" in rows[0]
    # MS, TMS, MS counted, spread: administrative 5/1 → 5, factual 3/2 → 3; both reach 2 of 2 kecamatan.
    assert [cell.split("<")[0].strip() for cell in rows[0].split('class="num">')[1:]] == ["5", "1", "5"]
    assert [cell.split("<")[0].strip() for cell in rows[1].split('class="num">')[1:]] == ["3", "2", "3"]
    assert "2 dari 2" in rows[1]
    # Chart bars: submitted, counted, then one green bar per closed round.
    assert block.count('fill="#15803d"') == 2
    assert "MS adm. awal" in block and "MS faktual awal" in block
    assert "MS adm. perbaikan" not in html
    # The decision after the initial batch and the correction batch handed in.
    assert "Keputusan dukungan awal: Belum memenuhi syarat" in block
    assert "kurang 40.497" in block
    assert "81.000 diserahkan (wajib 80.994)" in block
    # The tile map shows MS after the factual round; Kediri's 4 MS of the open round stay out.
    assert "Kediri: 0 (0.0%)" in block or "Kediri: 0 (0,0%)" in block
    assert "Gerung: 2" in block and "Narmada: 1" in block


def test_a_pair_without_closed_rounds_says_so(client, world):
    html = client.get(reverse("portal:election", args=[world.governor.pk])).content.decode()
    block = _support_section(html, "NTB Mandiri")
    assert "Belum ada putaran verifikasi yang ditutup" in block
    assert "Hasil verifikasi per putaran" not in block


def test_pair_page_shows_the_same_support_block(client, world):
    html = client.get(reverse("portal:pair", args=[world.independent.pk])).content.decode()
    block = _support_section(html, "Mandiri Bersatu")
    assert "MS faktual awal" in block and "MS adm. perbaikan" not in block
    assert "svg" in block and "support-grid" in block
    assert "Keputusan dukungan awal" in block
    party = client.get(reverse("portal:pair", args=[world.party_pair.pk])).content.decode()
    assert "support-block" not in party


def test_closing_the_correction_round_adds_to_the_initial_factual_ms(client, world):
    world.open_round.closed_at = timezone.now()
    world.open_round.save(update_fields=["closed_at"])
    html = client.get(reverse("portal:election", args=[world.regent.pk])).content.decode()
    block = _support_section(html, "Mandiri Bersatu")
    assert "MS setelah verifikasi administrasi (dukungan perbaikan)" in block
    rows = block[block.index("<tbody>") : block.index("</tbody>")].split("<tr>")[1:]
    # Its own 4 MS on top of the initial factual 3, now in all 3 kecamatan.
    assert [cell.split("<")[0].strip() for cell in rows[2].split('class="num">')[1:]] == ["4", "0", "7"]
    assert "3 dari 2" in rows[2]


def test_api_support_has_rounds_outcomes_and_ms_per_unit(client, world):
    data = client.get(reverse("portal_api:support-list"), {"election": world.regent.pk}).json()
    (block,) = data
    assert block["support_status"] == "bms"
    assert [(r["kind"], r["batch"], r["ms"], r["tms"], r["ms_total"]) for r in block["rounds"]] == [
        ("administrative", "initial", 5, 1, 5),
        ("factual", "initial", 3, 2, 3),
    ]
    assert block["rounds"][1]["spread_met"] == 2 and block["rounds"][1]["spread_ok"] is True
    assert block["rounds"][1]["minimum_met"] is False
    (outcome,) = block["outcomes"]
    assert outcome["status"] == "bms" and outcome["shortfall"] == 40_497
    assert block["correction"] == {"required": 80_994, "submitted": 81_000}
    units = {u["code"]: (u["count"], u["ms"]) for u in block["units"]}
    assert units == {"52.01.01": (1200, 2), "52.01.02": (0, 0), "52.01.03": (300, 1)}
    # Before any closed round, "ms" is null.
    data = client.get(reverse("portal_api:support-list"), {"election": world.governor.pk}).json()
    assert data[0]["rounds"] == [] and all(u["ms"] is None for u in data[0]["units"])
    assert data[0]["correction"] is None


def _csv(client, name: str) -> list[dict]:
    response = client.get(reverse("portal:csv", args=[name]))
    assert response.status_code == 200 and response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_support_csv_has_ms_per_closed_round_and_unit(client, world):
    rows = [r for r in _csv(client, "dukungan") if r["paslon_id"] == str(world.independent.pk)]
    by_unit = {(r["tingkat"], r["kode_wilayah"]): r for r in rows}
    gerung = by_unit[("district", "52.01.01")]
    assert gerung["dukungan_dihitung"] == "1200"
    assert (gerung["ms_adm_awal"], gerung["ms_faktual_awal"]) == ("3", "2")
    # The open correction round is not published: empty columns, and Kediri only because of nothing else.
    assert gerung["ms_adm_perbaikan"] == "" and gerung["ms_faktual_perbaikan"] == ""
    assert ("district", "52.01.02") not in by_unit
    regency = by_unit[("regency", "52.01")]
    assert (regency["dukungan_dihitung"], regency["ms_adm_awal"], regency["ms_faktual_awal"]) == ("1500", "5", "3")
    assert [c for c in rows[0] if c.startswith("ms_")] == [f"ms_{code}" for _k, _b, code in ROUND_ORDER]


def test_verification_csv_has_one_row_per_closed_round(client, world):
    rows = _csv(client, "verifikasi")
    assert [
        (r["paslon_id"], r["verifikasi"], r["tahap_dukungan"], r["ms"], r["tms"], r["ms_dihitung"]) for r in rows
    ] == [
        (str(world.independent.pk), "administrative", "initial", "5", "1", "5"),
        (str(world.independent.pk), "factual", "initial", "3", "2", "3"),
    ]
    assert rows[1]["syarat_minimal"] == "40500"
    assert (rows[1]["sebaran_terpenuhi"], rows[1]["sebaran_wajib"]) == ("2", "2")
    assert rows[0]["ditutup"] < rows[1]["ditutup"]


def test_open_data_page_lists_the_verification_csv(client, world):
    html = client.get(reverse("portal:open_data")).content.decode()
    assert reverse("portal:csv", args=["verifikasi"]) in html
