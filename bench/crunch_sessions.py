"""The deadline crunch's LO sessions: each opens its pair page, uploads its file (half through the pages, a
form POST with the CSRF token, half through the JSON API), polls the progress every second as the browser does
and fetches its result once finished. Every request is timed; anything unexpected is an error."""

import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

POLL_SECONDS = 1.0  # templates/support_uploads/_progress.html: hx-trigger="every 1s"
CSRF = "benchCrunchLoSessionCsrfSecret00"  # a valid 32-letter CSRF secret, sent as cookie and token


@dataclass
class Observations:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[tuple[str, float]] = field(default_factory=list)  # (kind, seconds)
    errors: list[str] = field(default_factory=list)
    uploads: dict[int, int] = field(default_factory=dict)  # session → upload id
    unfinished: list[int] = field(default_factory=list)

    def timed(self, kind: str, call, expect: int = 200):
        """Run one request; anything but the ``expect`` status is an error (a redirect to the login page too)."""
        started = time.perf_counter()
        try:
            response = call()
        except Exception as exc:
            with self.lock:
                self.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.requests.append((kind, elapsed))
            if response.status_code != expect:
                where = response.headers.get("Location", "")
                self.errors.append(f"{kind}: HTTP {response.status_code} {where} {response.text[:200]!r}")
                return None
        return response


def lo_session(number: int, base: str, pair, session_key: str, path: Path, deadline: float, seen: Observations):
    """Session ``number`` (odd: the API, even: the pages) until its upload is finished or ``deadline``."""
    import requests

    http = requests.Session()
    http.cookies.set("sessionid", session_key)
    http.cookies.set("csrftoken", CSRF)
    via_api = number % 2 == 1
    pair_page = f"{base}/dukungan/pasangan/{pair.pk}/"
    if seen.timed("page: pair", lambda: http.get(pair_page, allow_redirects=False, timeout=60)) is None:
        return
    with open(path, "rb") as fh:
        content = fh.read()
    post = _upload_via_api if via_api else _upload_via_page
    upload_id = post(http, base, pair, path.name, content, seen)
    if upload_id is None:
        return
    with seen.lock:
        seen.uploads[number] = upload_id
    _poll_until_finished(http, base, upload_id, via_api=via_api, deadline=deadline, seen=seen)


def _upload_via_api(http, base: str, pair, name: str, content: bytes, seen: Observations) -> int | None:
    response = seen.timed(
        "api: upload POST",
        lambda: http.post(
            f"{base}/api/support/pairs/{pair.pk}/uploads/",
            files={"file": (name, content, "text/csv")},
            headers={"X-CSRFToken": CSRF, "Origin": base},  # a browser's POST names its origin
            timeout=60,
        ),
        expect=202,
    )
    return None if response is None else response.json()["id"]


def _upload_via_page(http, base: str, pair, name: str, content: bytes, seen: Observations) -> int | None:
    pair_page = f"{base}/dukungan/pasangan/{pair.pk}/"
    response = seen.timed(
        "page: upload POST",
        lambda: http.post(
            f"{base}/dukungan/pasangan/{pair.pk}/unggah/",
            data={"csrfmiddlewaretoken": CSRF},
            files={"file": (name, content, "text/csv")},
            headers={"Referer": pair_page, "Origin": base},
            allow_redirects=False,
            timeout=60,
        ),
        expect=302,
    )
    if response is None:
        return None
    match = re.search(r"/dukungan/unggahan/(\d+)/", response.headers.get("Location", ""))
    if not match:
        with seen.lock:
            seen.errors.append(f"page: upload POST answered {response.status_code} {response.headers}")
        return None
    return int(match.group(1))


def _poll_until_finished(http, base: str, upload_id: int, *, via_api: bool, deadline: float, seen: Observations):
    """The progress every ``POLL_SECONDS``; once finished, the result, once. Unfinished at ``deadline``: noted."""
    progress = (
        f"{base}/api/support/uploads/{upload_id}/" if via_api else f"{base}/dukungan/unggahan/{upload_id}/progres/"
    )
    while time.time() < deadline:
        time.sleep(POLL_SECONDS)
        if via_api:
            response = seen.timed("api: progress", lambda: http.get(progress, allow_redirects=False, timeout=60))
            finished = response is not None and response.json()["status"] in ("done", "failed")
        else:
            response = seen.timed(
                "page: progress",
                lambda: http.get(progress, allow_redirects=False, timeout=60, headers={"HX-Request": "true"}),
            )
            finished = response is not None and re.search(r'data-status="(done|failed)"', response.text) is not None
        if response is None:
            return
        if finished:
            _fetch_result(http, base, upload_id, via_api=via_api, seen=seen)
            return
    with seen.lock:
        seen.unfinished.append(upload_id)


def _fetch_result(http, base: str, upload_id: int, *, via_api: bool, seen: Observations) -> None:
    if via_api:
        seen.timed(
            "api: rows",
            lambda: http.get(f"{base}/api/support/uploads/{upload_id}/rows/", allow_redirects=False, timeout=60),
        )
    else:
        seen.timed(
            "page: result",
            lambda: http.get(f"{base}/dukungan/unggahan/{upload_id}/", allow_redirects=False, timeout=60),
        )
