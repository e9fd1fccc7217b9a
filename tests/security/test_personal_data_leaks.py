"""No page or download of a role without the need gives away a known person's personal data.

For a Bawaslu user, a PPK/PPS verifier and another area's KPU operator, every URL of the URL conf (built
with the permission matrix's objects, ``test_permission_matrix.build_url``) and every link, htmx address and
download the pages then offer is fetched: pages, API JSON, the xlsx error report, CSV exports and the PDF and
xlsx documents. The text of each answer (xlsx cells through openpyxl, PDF text through pypdf) must hold none of
the known supporters' NIK, KK, phone or e-mail, nor a candidate's NIK, and must not show a NIK masked beside
that person's whole date of birth: the masked digits of ``520101******0001`` are the date of birth (day + 40
for women), so the two together give the NIK back (docs/domain.md §6.1, ``silon.privacy``).
"""

import datetime
import io
import json
import re
from collections import deque
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from candidacy.models import Candidate, PublicResponse
from silon.accounts.jurisdiction import code_within
from support_uploads.models import Supporter
from tests.security.conftest import OTHER_REGENCY
from tests.security.test_permission_matrix import build_url, url_names
from verification.models import DocumentKind
from verification.services import document_request

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES_WITHOUT_NEED = ("bawaslu", "verifier_x", "kpu_other")
LINK = re.compile(r"""(?:href|hx-get|src|action)="(/[^"]*)\"""", re.IGNORECASE)
SKIP_NAMES = {"accounts:logout", "set_language", "language", "api-schema"}
SKIP_PREFIXES = ("/static/", "/admin/")
PER_PATTERN = 4  # fetches of one URL name (and query keys) per role
PER_ROLE = 500


@dataclass
class Person:
    label: str
    region: str  # the region the person's data belongs to (a supporter's desa, a candidate's election)
    secrets: dict[str, str]  # kind -> value that must never be readable
    nik: str
    born: list[str] = field(default_factory=list)  # the whole date of birth, as any page may write it

    @property
    def masked(self) -> re.Pattern:
        """The NIK with its six birth-date digits hidden, whatever the masking characters."""
        return re.compile(re.escape(self.nik[:6]) + r"\D{6}" + re.escape(self.nik[-4:]))


def _date_forms(day: datetime.date | None, text: str = "") -> list[str]:
    forms = [text] if len(text) >= 8 else []
    if day is not None:
        forms += [day.strftime(f) for f in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")]
    return forms


def known_people() -> list[Person]:
    people = []
    for s in Supporter.objects.all():
        secrets = {"NIK": s.nik, "KK": s.kk, "phone": s.phone, "e-mail": s.email}
        people.append(
            Person(
                f"supporter {s.pk}",
                s.village_code,
                {k: v for k, v in secrets.items() if v and len(v) >= 6},
                s.nik,
                _date_forms(s.birth_date, s.birth_date_text),
            )
        )
    for c in Candidate.objects.select_related("election"):
        region = c.election.region_code
        people.append(Person(f"candidate {c.pk}", region, {"NIK": c.nik}, c.nik, _date_forms(c.birth_date)))
    for r in PublicResponse.objects.select_related("election"):  # the sender of a public response on a pair
        secrets = {"NIK": r.sender_nik, "contact": r.sender_contact}
        people.append(Person(f"response sender {r.pk}", r.election.region_code, secrets, r.sender_nik))
    return people


def body_text(response) -> tuple[str, str]:
    """(the kind of answer, its readable text): xlsx cells, PDF text, JSON unescaped, HTML unescaped."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"%PDF"):
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(content))
            return "pdf", "\n".join(page.extract_text() or "" for page in reader.pages)
        except (PdfReadError, ValueError):  # an uploaded file that is a PDF in name only: read its bytes
            return "pdf-bytes", content.decode("latin-1")
    if content.startswith(b"PK"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        return "xlsx", "\n".join(cells)
    text = content.decode("utf-8", "replace")
    if "json" in response.get("Content-Type", ""):
        return "json", json.dumps(json.loads(text), ensure_ascii=False)
    kind = "csv" if "csv" in response.get("Content-Type", "") else "html"
    return kind, unescape(text)


def leaks(text: str, people: list[Person]) -> list[str]:
    found = []
    for person in people:
        found += [f"{person.label}: full {kind} {value}" for kind, value in person.secrets.items() if value in text]
        masked = person.masked.search(text)
        if masked and (born := next((b for b in person.born if b in text), None)):
            found.append(f"{person.label}: masked NIK {masked.group(0)} beside the date of birth {born}")
    return found


def _pattern(url: str) -> tuple | None:
    parts = urlsplit(url)
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name in SKIP_NAMES:
        return None
    return (match.view_name, tuple(sorted(k.split("=")[0] for k in parts.query.split("&") if k)))


@dataclass
class Crawl:
    fetched: dict[str, str] = field(default_factory=dict)  # URL -> URL name, for every 200 answer
    kinds: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    masked_seen: int = 0


def crawl(client: Client, starts: list[str], people: list[Person]) -> Crawl:
    """Fetch ``starts`` and everything their answers link to (bounded per URL name), reading every answer."""
    queue, seen, per_pattern, result = deque((url, "(start)") for url in starts), set(), {}, Crawl()
    while queue and len(result.fetched) < PER_ROLE:
        url, source = queue.popleft()
        pattern = _pattern(url) if url not in seen else None
        seen.add(url)
        if pattern is None or per_pattern.get(pattern, 0) >= PER_PATTERN:
            continue
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        response = client.get(url)
        if response.status_code != 200:
            continue
        kind, text = body_text(response)
        result.fetched[url] = pattern[0]
        result.kinds.add(kind)
        result.masked_seen += sum(bool(p.masked.search(text)) for p in people)
        result.problems += [f"{url} ({kind}, linked from {source}): {line}" for line in leaks(text, people)]
        if kind == "html":
            queue.extend((urldefrag(link)[0], url) for link in LINK.findall(text) if not link.startswith("//"))
    return result


@pytest.fixture
def leak_world(world, django_capture_on_commit_callbacks):
    """The security world, with an e-mail for every supporter (the sample rows leave it blank) and the
    verifier's own supporter lists of its desa (PDF and xlsx) built by the in-process worker."""
    for supporter in Supporter.objects.all():
        Supporter.objects.filter(pk=supporter.pk).update(email=f"pendukung.{supporter.pk}@contoh.id")
    verifier = world.users["verifier_x"]
    with django_capture_on_commit_callbacks(execute=True):
        for fmt in ("pdf", "xlsx"):
            document_request(
                actor=verifier,
                round=world.factual_a,
                kind=DocumentKind.SUPPORTER_LIST,
                fmt=fmt,
                village_code=world.village,
            )
    return world


# what each role must have been able to read, so that a crawl that reaches nothing cannot pass
MUST_REACH = {
    "bawaslu": {
        "support_uploads:supporter",
        "support_uploads:upload",
        "support_uploads:upload_report",
        "support_uploads_api:upload_rows",
        "support_uploads_api:upload_report",
        "candidacy:candidate_detail",
        "candidacy_api:pair-candidate",
        "candidacy_api:pair-candidates",
        "candidacy:pair_detail",
        "candidacy:response_list",
        "candidacy:response_detail",
        "candidacy_api:response-detail",
        "portal:csv",
    },
    "verifier_x": {"verification:round", "verification:document"},
    "kpu_other": {"dashboard:home", "portal:csv"},
}
MUST_READ_KINDS = {
    "bawaslu": {"html", "json", "xlsx", "csv"},
    "verifier_x": {"html", "pdf", "xlsx"},
    "kpu_other": {"html", "json", "csv"},
}


@pytest.mark.parametrize("role", ROLES_WITHOUT_NEED)
def test_no_full_personal_data_nor_a_rebuildable_nik(leak_world, role):
    people = known_people()
    if role == "kpu_other":  # the other regency's own candidates are its to see in full
        people = [p for p in people if not code_within(p.region, OTHER_REGENCY)]
    assert sum(1 for p in people if "e-mail" in p.secrets) >= 5 and any(p.label.startswith("candidate") for p in people)
    starts = ["/akun/"] + [build_url(name, pattern, leak_world) for name, pattern in url_names()]
    client = Client()
    client.force_login(leak_world.users[role])
    result = crawl(client, starts, people)
    missing = MUST_REACH[role] - set(result.fetched.values())
    assert not missing, f"{role} never read {sorted(missing)}"
    assert MUST_READ_KINDS[role] <= result.kinds, f"{role} read only {sorted(result.kinds)}"
    if role != "kpu_other":  # another area's operator reaches none of these people at all
        assert result.masked_seen, f"{role}: no masked NIK of a known person anywhere: nothing was tested"
    assert not result.problems, "\n".join(sorted(set(result.problems)))


def test_the_checks_catch_what_they_look_for():
    """The leak and rebuild checks themselves: a full NIK, a phone, and a masked NIK beside its date of birth
    are found; the masked NIK beside the birth year only is not."""
    person = Person("p", "52.01", {"NIK": "5201014101900001", "phone": "081200000001"}, "5201014101900001")
    person.born = _date_forms(datetime.date(1990, 1, 1))
    assert leaks("NIK 5201014101900001", [person]) == ["p: full NIK 5201014101900001"]
    assert leaks("HP 081200000001", [person]) == ["p: full phone 081200000001"]
    assert leaks("520101******0001 · 01-01-1990", [person])
    assert leaks("520101xxxxxx0001 · 1990-01-01", [person])
    assert leaks("520101******0001 · **-**-1990 · 0812******01", [person]) == []
