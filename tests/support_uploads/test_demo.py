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
