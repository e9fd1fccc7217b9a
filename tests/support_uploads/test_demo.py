import io

import pytest

from support_uploads import demo
from support_uploads.models import LoAccount, Upload, UploadStatus

pytestmark = pytest.mark.django_db


def test_demo_issues_two_lo_accounts_idempotently(pair, kpu, django_capture_on_commit_callbacks):
    ctx = {"independent_pair": pair, "users": {"kpu-ntb": kpu}}
    with django_capture_on_commit_callbacks(execute=True):
        demo.build(ctx=ctx, stdout=io.StringIO())
    demo.build(ctx={"independent_pair": pair, "users": {"kpu-ntb": kpu}}, stdout=io.StringIO())
    accounts = LoAccount.objects.filter(user__username__in=demo.LO_USERNAMES)
    assert accounts.count() == 2
    for account in accounts:
        assert account.user.check_password("Silon-Demo-2026") and not account.user.must_change_password
    assert [a[0] for a in ctx["accounts"]] == list(demo.LO_USERNAMES)
    upload = Upload.objects.get(pair=pair)
    assert upload.status == UploadStatus.DONE and upload.rows_read == demo.SAMPLE_ROWS
    assert upload.reason_counts == {"RT_INVALID": 8}


def test_demo_without_independent_pair_only_notes():
    out = io.StringIO()
    demo.build(ctx={}, stdout=out)
    assert "nothing to do" in out.getvalue()


def test_demo_gives_the_dpd_candidate_its_lo_accounts_and_a_dpd_upload(
    pair, kpu, regions_version, django_capture_on_commit_callbacks
):
    from candidacy.models import CandidatePair, ElectionType, Path, RegulationVersion
    from support_uploads.models import Supporter
    from tests import clock
    from tests.candidacy.factories import ElectionFactory

    from .conftest import open_support_window

    election = ElectionFactory(
        region_version=regions_version,
        type=ElectionType.DPD,
        regulation=RegulationVersion.objects.get(name="UU 7/2017 (Pemilu DPD) jo. PKPU 10/2022"),
        region_code="52",
        dpt=3_800_000,
        polling_day=clock.polling_day(),
    )
    open_support_window(election)
    candidate = CandidatePair.objects.create(election=election, path=Path.INDEPENDENT, name="Calon DPD Demo")
    ctx = {"independent_pair": pair, "dpd_candidate": candidate, "users": {"kpu-ntb": kpu}}
    with django_capture_on_commit_callbacks(execute=True):
        demo.build(ctx=ctx, stdout=io.StringIO())
    assert LoAccount.objects.filter(pair=candidate).count() == 2
    assert [a[0] for a in ctx["accounts"]] == [*demo.LO_USERNAMES, *demo.DPD_LO_USERNAMES]
    upload = Upload.objects.get(pair=candidate)
    assert upload.status == UploadStatus.DONE and upload.rows_read == demo.SAMPLE_ROWS
    assert upload.reason_counts == {"RT_INVALID": 8}
    assert not Supporter.objects.filter(upload=upload).exclude(kk="").exists()
