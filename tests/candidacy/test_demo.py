import io

import pytest

from candidacy import demo
from candidacy.models import CandidatePair, CandidateRole, Election, ElectionType, PartyAdmin, Path, Stage
from candidacy.services import stage_require_open
from silon.accounts import demo as accounts_demo
from silon.accounts.models import User

from .factories import RegionListVersionFactory, province

pytestmark = pytest.mark.django_db


def run(ctx):
    out = io.StringIO()
    accounts_demo.build(ctx=ctx, stdout=out)
    demo.build(ctx=ctx, stdout=out)
    return out.getvalue()


def test_demo_builds_the_ntb_election_idempotently(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    version = RegionListVersionFactory(name="Demo")
    version.is_default = True
    version.save()
    province(version, "52", regencies=8, kota=2)
    ctx: dict = {}
    output = run(ctx)
    election = Election.objects.get(type=ElectionType.GOVERNOR)
    assert (election.region_name, election.dpt) == ("Nusa Tenggara Barat", 3_568_594)
    assert "support minimum 303,331, spread 6 of 10" in output
    stage_require_open(election=election, stage=Stage.SUPPORT_SUBMISSION)  # open now
    dpd = Election.objects.get(type=ElectionType.DPD)
    assert "support minimum 2,000, spread 5 of 10; DPD candidate: Lalu Senator Contoh" in output
    stage_require_open(election=dpd, stage=Stage.SUPPORT_SUBMISSION)  # its own calendar, open now
    assert list(ctx["dpd_candidate"].candidates.values_list("role", flat=True)) == [CandidateRole.DPD]
    coalition = CandidatePair.objects.get(path=Path.PARTY)
    assert coalition.nominations.count() == 3 and coalition.candidates.count() == 2
    assert coalition.documents.count() == 1
    admin = PartyAdmin.objects.get(pair=coalition).user
    assert admin.check_password("Silon-Demo-2026") and not admin.must_change_password
    assert (admin.username, "Silon-Demo-2026", "Admin partai paslon koalisi (demo)") in ctx["accounts"]
    assert ctx["independent_pair"].path == Path.INDEPENDENT
    users = User.objects.count()
    ctx2: dict = {"region_version": version}
    run(ctx2)
    assert Election.objects.count() == 2 and CandidatePair.objects.count() == 3 and User.objects.count() == users
    assert ctx2["independent_pair"] == ctx["independent_pair"] and ctx2["dpd_candidate"] == ctx["dpd_candidate"]


def test_demo_skips_without_a_region_list():
    ctx: dict = {}
    assert "skipped" in run(ctx)
    assert not Election.objects.exists()
