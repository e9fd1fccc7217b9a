"""Every change the portal shows bumps the cache version at once, through the real services: a validated
upload (written with ``QuerySet.update``, no model signal) and a closed verification round (results written in
bulk). Committed for real (transactional), so the bumps run on commit as in production."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidacy.models import SupportStatus
from portal import cache
from support_uploads.services import upload_create
from tests.accounts.factories import operator
from tests.support_uploads import conftest as support_fixtures
from tests.support_uploads.conftest import csv_bytes, rows_for
from tests.verification.verification_helpers import DESA_A, DESA_C, add_supporters, make_election, make_pair
from verification.models import RoundKind, Verdict
from verification.services import results_mark, round_close, round_open

pytestmark = pytest.mark.django_db(transaction=True)

# The support tests' fixtures: the NTB region list, a governor election with an open support window, an
# independent pair and its LO.
regions_version = support_fixtures.regions_version
election = support_fixtures.election
kpu = support_fixtures.kpu
pair = support_fixtures.pair
lo = support_fixtures.lo
villages = support_fixtures.villages


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    cache.local_clear()
    yield
    cache.local_clear()


def _support_facts(client, election_id: int) -> str:
    html = client.get(reverse("portal:election", args=[election_id])).content.decode()
    start = html.index('<dl class="portal-facts">', html.index("support-block"))
    return html[start : html.index("</dl>", start)]


def test_a_validated_upload_shows_on_the_public_page_at_once(client, pair, lo, villages):
    pair.support_status = SupportStatus.COLLECTING
    pair.save(update_fields=["support_status"])
    before = _support_facts(client, pair.election_id)
    assert "<dt>Diserahkan</dt><dd>0</dd>" in before
    version = cache.current_version()

    upload = upload_create(
        actor=lo,
        pair=pair,
        file=SimpleUploadedFile("b1.csv", csv_bytes(rows_for(villages, 7))),
        max_bytes=10 * 1024 * 1024,
    )  # validated in-process on commit; DONE is written with QuerySet.update
    upload.refresh_from_db()
    assert upload.status == "done" and upload.rows_read == 7

    assert cache.current_version() != version
    after = _support_facts(client, pair.election_id)
    assert "<dt>Diserahkan</dt><dd>7</dd>" in after


def test_a_closed_round_shows_on_the_public_page_at_once(client):
    election = make_election()
    pair = make_pair(election)
    add_supporters(pair, [DESA_A, DESA_A, DESA_C])
    first, second = operator("52"), operator("52")
    round = round_open(actor=first, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=first, round=round, verdict=Verdict.MS, village_code=DESA_A)
    results_mark(actor=first, round=round, verdict=Verdict.MS, village_code=DESA_C)
    # Open: its partial counts are not public, and the cached page stays as it is.
    open_page = client.get(reverse("portal:election", args=[election.pk])).content.decode()
    assert "MS adm. awal" not in open_page
    version = cache.current_version()

    round_close(actor=second, round=round)

    assert cache.current_version() != version
    html = client.get(reverse("portal:election", args=[election.pk])).content.decode()
    assert "MS adm. awal" in html
    assert "MS setelah verifikasi administrasi (dukungan awal)</dt><dd>3 " in html
