"""A resumable upload in Chromium (issue #18): tus-js-client on the pair's page sends the file in chunks; one
chunk's connection breaks (retried from the server's offset), then the page is reloaded mid-way and the same
file chosen again continues the same upload. It ends as one upload, received whole, validated and counted."""

import hashlib

import pytest
from django.test import Client

from support_uploads.models import ResumableUpload, Upload, UploadStatus
from tests.support_uploads.conftest import (  # noqa: F401
    csv_bytes,
    election,
    kpu,
    lo,
    pair,
    regions_version,
    rows_for,
    villages,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """The finished file is validated in this process (no worker listens to this test's broker)."""
    from celery import current_app

    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = previous


def test_a_broken_and_reloaded_upload_resumes_and_counts_once(
    live_server,
    browser,
    settings,
    pair,  # noqa: F811
    lo,  # noqa: F811
    villages,  # noqa: F811
    tmp_path,
    screenshot_dir,
):
    settings.SUPPORT_RESUMABLE_CHUNK_MAX_BYTES = 1024  # a small file in many chunks
    content = csv_bytes(rows_for(villages, 60))
    assert len(content) > 6 * 1024
    path = tmp_path / "dukungan-besar.csv"
    path.write_bytes(content)
    lo.must_change_password = False
    lo.save(update_fields=["must_change_password"])
    client = Client()
    client.force_login(lo)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(locale="id-ID")
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()

    requests: list[tuple[str, str]] = []  # (method, Upload-Offset) of every tus request that reached the server
    broken: list[str] = []
    stalled: list = []

    def tus_route(route, request):
        if request.method == "PATCH":
            offset = request.headers.get("upload-offset", "")
            patches = [r for r in requests if r[0] == "PATCH"]
            if len(patches) == 2 and not broken:
                broken.append(offset)
                route.abort("connectionreset")  # the connection breaks mid-chunk
                return
            if len(patches) == 4 and not stalled:
                stalled.append(route)  # never answered: the page is reloaded while it hangs
                return
        requests.append((request.method, request.headers.get("upload-offset", "")))
        route.continue_()

    page.route(lambda url: "/resumable/" in url, tus_route)
    page.goto(f"{live_server.url}/dukungan/pasangan/{pair.pk}/")
    page.wait_for_selector("#resumable:not([hidden])")
    page.set_input_files("#resumable-file", str(path))
    page.click("#resumable-button")
    for _ in range(200):
        if stalled:
            break
        page.wait_for_timeout(50)
    assert broken and stalled, requests
    # the broken chunk was sent again from the offset the server reported
    assert ("HEAD", "") in requests
    assert [r for r in requests if r[0] == "PATCH"][2][1] == broken[0]
    stored = ResumableUpload.objects.get()
    assert 0 < stored.offset < len(content)
    assert not Upload.objects.exists()
    page.screenshot(path=str(screenshot_dir / "resumable-1-stalled.png"))

    page.unroute(lambda url: "/resumable/" in url)
    seen: list[tuple[str, str]] = []
    page.on(
        "request",
        lambda r: "/resumable/" in r.url and seen.append((r.method, r.headers.get("upload-offset", ""))),
    )
    page.reload()
    page.wait_for_selector("#resumable:not([hidden])")
    page.set_input_files("#resumable-file", str(path))
    page.click("#resumable-button")
    page.wait_for_url("**/dukungan/unggahan/*/", timeout=30_000)
    page.screenshot(path=str(screenshot_dir / "resumable-2-received.png"))

    # the same upload continued (found by the file's fingerprint, its offset asked with HEAD), none created anew
    assert seen[0] == ("HEAD", "")
    assert ("POST", "") not in seen
    first_patch = next(offset for method, offset in seen if method == "PATCH")
    assert int(first_patch) == stored.offset
    assert ResumableUpload.objects.count() == 1
    upload = Upload.objects.get()
    assert page.url.endswith(f"/dukungan/unggahan/{upload.pk}/")
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert upload.size == len(content) and upload.original_name == "dukungan-besar.csv"
    assert upload.receipt
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE
    assert (upload.rows_read, upload.rows_accepted) == (60, 60)
    context.close()
