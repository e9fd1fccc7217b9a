"""Writes with a VALID body, sent by roles that must not write: Bawaslu (read-only everywhere), the KPU
operator of another regency, and pair B's LO on pair A's objects. Each is refused (403, or 404 where the
object is out of reach) and the database is unchanged: every row of every table of the project's apps is
compared before and after, not only the audit trail.

The payloads are real: the same request sent by a role in reach changes the database (``control``), in a
savepoint rolled back afterwards, so a payload the view would reject anyway cannot pass for a refusal.

The write URLs are derived from the permission matrix (a row where some role's POST/PUT/PATCH/DELETE
answers 200, 302 or 400): each one needs a ``PAYLOADS`` entry, or is a page that answers a POST like a GET
(``READ_ONLY``, checked: an in-reach POST changes nothing), or acts on the requester's own session
(``SELF_SERVICE``). A new write URL without one fails ``test_every_write_url_has_a_payload``.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import timezone

from candidacy.models import DocumentRequirement, Party, Path, Stage
from regions.codes import district_of
from silon.audit.models import AuditEvent
from tests import clock
from tests.security.conftest import PDF, REGENCY
from tests.security.table_watch import TableWatch
from tests.security.test_permission_matrix import (
    EXPECTED,
    METHODS,
    RoleClients,
    _writes,
    build_url,
    url_names,
)
from tests.support_uploads.conftest import csv_bytes, rows_for

REFUSERS = ("bawaslu", "kpu_other", "lo_b")
# the tables whose rows are compared: everything the project's own apps store, except the append-only
# audit trail (reads are recorded there; a write event is checked separately)
SNAPSHOT_APPS = ("accounts", "regions", "candidacy", "support_uploads", "verification", "objections")


@dataclass(frozen=True)
class Write:
    by: str  # a role that reaches the object: the same request from it changes the database
    body: Callable  # world -> request data (built per request: an uploaded file is read once)
    method: str = "POST"
    json: bool = False
    # how a refusal may also look: these pages catch the refusal and redirect back with an error message
    refused: tuple[str, ...] = ("403", "404")
    # a create form not tied to an object: the operator of another regency gets a field error (200/400)
    region_field: bool = False
    # False: the world's state refuses the payload even in reach (a submitted pair, no BMS), so the
    # control is not run; the refusals above still hold
    control: bool = True
    # a raw body of this media type (a tus chunk), and request headers (``HTTP_...``) beside it
    content_type: str = ""
    headers: tuple[tuple[str, str], ...] = ()


def _csv(world, start=40):
    village = world.village
    return SimpleUploadedFile("dukungan.csv", csv_bytes(rows_for([village], 2, start=start)), "text/csv")


def _pdf(name="berkas.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def _requirement(world):
    return DocumentRequirement.objects.filter(
        regulation=world.election.regulation, path=Path.INDEPENDENT, scope="pair"
    ).first()


def _when(days):
    return (datetime.datetime.now() + datetime.timedelta(days=days)).strftime("%Y-%m-%d %H:%M")


def _party(world):
    return Party.objects.filter(is_active=True).order_by("number").first()


def _candidate_fields(world):
    return {
        "nik": "5201011203750099",
        "name": "Calon Wakil",
        "birth_place": "Mataram",
        "birth_date": "1975-03-12",
        "sex": "M",
        "address": "Jl. Pejanggik 1",
        "education": "S1",
        "occupation": "Wiraswasta",
        "cv_summary": "Riwayat singkat.",
        "cv_publication_consent": "on",
    }


PAYLOADS: dict[str, Write] = {
    # objections: the operator who reaches the election records the clarification and decides
    "objections:decide": Write(
        "kpu_r",
        lambda w: {"decision": "confirm", "clarified_on": timezone.localdate().isoformat(), "notes": "BA.5-KWK"},
    ),
    "objections_api:objection-decide": Write(
        "kpu_r",
        lambda w: {"decision": "reject", "clarified_on": timezone.localdate().isoformat(), "reason": "Cocok"},
        json=True,
    ),
    # candidacy pages
    "candidacy:election_create": Write(
        "kpu_province",
        lambda w: {
            "name": "Pemilihan Bupati Lombok Barat (uji)",
            "type": w.election.type,
            "region_version": w.election.region_version_id,
            "regulation": w.election.regulation_id,
            "region_code": REGENCY,
            "polling_day": clock.polling_day(5 * 365).isoformat(),
            "dpt": 100,
        },
        region_field=True,
    ),
    "candidacy:election_update": Write(
        "kpu_r",
        lambda w: {
            "name": "Pemilihan Bupati (ubah)",
            "type": w.election.type,
            "region_version": w.election.region_version_id,
            "regulation": w.election.regulation_id,
            "region_code": w.election.region_code,
            "polling_day": w.election.polling_day.isoformat(),
            "dpt": 120,
        },
        control=False,
    ),
    "candidacy:stage_set": Write(
        "kpu_r", lambda w: {"stage": Stage.DETERMINATION, "starts_at": _when(10), "ends_at": _when(20)}
    ),
    # the matrix's election is a regent's: no calendar of its own, refused for every role (control=False)
    "candidacy:schedule_apply": Write("kpu_r", lambda w: {}, control=False),
    "candidacy:extension_grant": Write(
        "kpu_r",
        lambda w: {
            "stage": Stage.FACTUAL_VERIFICATION,
            "pair": w.pair_a.pk,
            "extended_until": _when(5),
            "reason": "Bencana alam",
        },
    ),
    "candidacy:area_dpt_import": Write("kpu_r", lambda w: {"text": f"kode,dpt\n{w.village},50\n"}, control=False),
    "candidacy:party_results": Write("kpu_r", lambda w: {"one-party": _party(w).pk, "one-votes": 1000, "one-seats": 2}),
    "candidacy:pair_create": Write("kpu_r", lambda w: {"path": Path.INDEPENDENT, "name": "Pasangan Baru"}),
    "candidacy:pair_rename": Write("kpu_r", lambda w: {"name": "Pasangan A (ubah)"}),
    "candidacy:nomination": Write("kpu_r", lambda w: {"parties": [_party(w).pk]}, control=False),
    "candidacy:candidate_set": Write("kpu_r", _candidate_fields),
    "candidacy:documents": Write("kpu_r", lambda w: {"requirement": _requirement(w).pk, "file": _pdf()}),
    "candidacy:pair_transition": Write(
        "kpu_r", lambda w: {"to": "submitted", "reason": "Berkas lengkap"}, control=False
    ),
    "candidacy:party_admin_issue": Write("kpu_r", lambda w: {}, control=False),
    "candidacy:party_admin_revoke": Write("kpu_r", lambda w: {"reason": "Operator partai diganti"}),
    "candidacy:pair_confirm": Write("party_admin_p", lambda w: {"note": "Setuju"}),
    "candidacy:document_check": Write("kpu_r", lambda w: {"status": "valid", "note": "Sesuai"}, control=False),
    # candidacy API
    "candidacy_api:election-list": Write(
        "kpu_province",
        lambda w: {
            "name": "Pemilihan Bupati Lombok Barat (uji)",
            "type": w.election.type,
            "region_version": w.election.region_version_id,
            "regulation": w.election.regulation_id,
            "region_code": REGENCY,
            "polling_day": clock.polling_day(5 * 365).isoformat(),
            "dpt": 100,
        },
        json=True,
        region_field=True,
    ),
    "candidacy_api:election-detail": Write("kpu_r", lambda w: {"dpt": 150}, method="PATCH", json=True, control=False),
    "candidacy_api:election-extensions": Write(
        "kpu_r",
        lambda w: {
            "stage": Stage.FACTUAL_VERIFICATION,
            "pair": w.pair_a.pk,
            "extended_until": (datetime.datetime.now() + datetime.timedelta(days=5)).isoformat(),
            "reason": "Bencana alam",
        },
        json=True,
    ),
    "candidacy_api:election-party-results": Write(
        "kpu_r", lambda w: {"party": _party(w).number, "votes": 1000, "seats": 2}, json=True
    ),
    "candidacy_api:election-party-results-import": Write(
        "kpu_r",
        lambda w: {"text": f"partai,suara,kursi\n{_party(w).number},1000,2\n"},
        json=True,
        control=False,
    ),
    "candidacy_api:election-stages": Write(
        "kpu_r",
        lambda w: {
            "stage": Stage.DETERMINATION,
            # a stage between now and the world's polling day (stages end before polling day)
            "starts_at": (datetime.datetime.now() + datetime.timedelta(days=10)).isoformat(),
            "ends_at": (datetime.datetime.now() + datetime.timedelta(days=20)).isoformat(),
        },
        json=True,
    ),
    "candidacy_api:election-area-dpt": Write(
        "kpu_r", lambda w: {"text": f"kode,dpt\n{w.village},50\n"}, json=True, control=False
    ),
    "candidacy_api:pair-list": Write(
        "kpu_r",
        lambda w: {"election": w.election.pk, "path": Path.INDEPENDENT, "name": "Pasangan Baru"},
        json=True,
        region_field=True,
    ),
    "candidacy_api:pair-detail": Write("kpu_r", lambda w: {"name": "Pasangan A (ubah)"}, method="PATCH", json=True),
    "candidacy_api:pair-confirm": Write("party_admin_p", lambda w: {"note": "Setuju"}, json=True),
    "candidacy_api:pair-candidate": Write("kpu_r", lambda w: {"occupation": "Petani"}, method="PATCH"),
    "candidacy_api:pair-documents": Write(
        "kpu_r", lambda w: {"requirement": _requirement(w).pk, "file": _pdf()}, control=False
    ),
    "candidacy_api:pair-nominations": Write("kpu_r", lambda w: {"parties": [_party(w).pk]}, json=True, control=False),
    "candidacy_api:pair-party-admin": Write("kpu_r", lambda w: {}, json=True, control=False),
    "candidacy_api:pair-party-admin-revoke": Write("kpu_r", lambda w: {"reason": "Operator partai diganti"}, json=True),
    "candidacy_api:document-check": Write(
        "kpu_r", lambda w: {"status": "valid", "note": "Sesuai"}, json=True, control=False
    ),
    "candidacy_api:pair-transitions": Write(
        "kpu_r", lambda w: {"to": "submitted", "reason": "Lengkap"}, json=True, control=False
    ),
    # support pages
    "support_uploads:upload_post": Write("lo_a", lambda w: {"file": _csv(w)}),
    "support_uploads:scan_upload": Write("lo_a", lambda w: {"village_code": w.village, "file": _pdf("ktp.pdf")}),
    "support_uploads:submit": Write("lo_a", lambda w: {}, control=False, refused=("403", "404", "302")),
    "support_uploads:team": Write("kpu_r", lambda w: {"contact_name": "Penghubung Baru", "mandate_letter": _pdf()}),
    "support_uploads:lo_issue": Write("kpu_r", lambda w: {}),
    "support_uploads:lo_revoke": Write("kpu_r", lambda w: {"reason": "Diganti"}),
    # the voter list (DPT, issue #19): a KPU operator of the election's region queues an import
    "support_uploads:dpt": Write(
        "kpu_r",
        lambda w: {
            "file": SimpleUploadedFile("dpt.csv", f"NIK,KODE_DESA\n5201014101900001,{w.village}\n".encode(), "text/csv")
        },
    ),
    "support_uploads:upload_withdraw": Write("lo_a", lambda w: {}, refused=("403", "404", "302")),
    # the world's supporter is not held as a potential duplicate: refused even in reach (tests/support_uploads)
    "support_uploads:duplicate_decide": Write(
        "kpu_r",
        lambda w: {"supporter": w.supporter_a.pk, "group": w.supporter_a.pk, "action": "reject", "note": "Sama"},
        control=False,
        refused=("403", "404", "302"),
    ),
    # the world's upload is DONE, not retryable: the LO's own retry is refused too (tests/support_uploads)
    "support_uploads:upload_retry": Write("lo_a", lambda w: {}, control=False, refused=("403", "404", "302")),
    # outages (issue #18): recorded over the regency (another regency's operator is refused), a proposal
    # dismissed by an admin (the national KPU's to decide)
    "candidacy:outages": Write(
        "kpu_r",
        lambda w: {
            "starts_at": _when(-2),
            "ends_at": _when(-1),
            "stages": [Stage.SUPPORT_SUBMISSION],
            "region_code": REGENCY,
        },
        region_field=True,  # their own region they may record; this one is refused
    ),
    "candidacy:outage_decide": Write("admin", lambda w: {"decision": "dismiss"}),
    "candidacy_api:outage-list": Write(
        "kpu_r",
        lambda w: {
            "starts_at": _when(-2),
            "ends_at": _when(-1),
            "stages": [Stage.SUPPORT_SUBMISSION],
            "region_code": REGENCY,
        },
        json=True,
        region_field=True,
    ),
    "candidacy_api:outage-decide": Write("admin", lambda w: {"decision": "dismiss"}, json=True),
    # support API
    "support_uploads_api:uploads": Write("lo_a", lambda w: {"file": _csv(w)}),
    "support_uploads_api:submit": Write("lo_a", lambda w: {}, json=True, control=False),
    "verification_api:correction": Write("kpu_r", lambda w: {"uploads": [w.upload_a.pk]}, json=True, control=False),
    "support_uploads_api:withdraw": Write("lo_a", lambda w: {}, json=True),
    # resumable uploads (tus): begin one, send its first chunk, end it
    "support_uploads_api:resumable_uploads": Write(
        "lo_a",
        lambda w: b"",
        content_type="application/offset+octet-stream",
        headers=(
            ("HTTP_TUS_RESUMABLE", "1.0.0"),
            ("HTTP_UPLOAD_LENGTH", "100"),
            ("HTTP_UPLOAD_METADATA", "filename YS5jc3Y="),
        ),
    ),
    "support_uploads_api:resumable_upload": Write(
        "lo_a",
        lambda w: b"NIK,NAMA\n",
        method="PATCH",
        content_type="application/offset+octet-stream",
        headers=(("HTTP_TUS_RESUMABLE", "1.0.0"), ("HTTP_UPLOAD_OFFSET", "0")),
    ),
    "support_uploads_api:duplicates": Write(
        "kpu_r", lambda w: {"supporter": w.supporter_a.pk, "action": "reject", "note": "Sama"}, json=True, control=False
    ),
    # verification pages
    "verification:pair": Write(
        "kpu_r", lambda w: {"kind": "factual", "batch": "correction_1"}, control=False, refused=("403", "404", "302")
    ),
    "verification:correction": Write("lo_a", lambda w: {"semua": "1"}, control=False, refused=("403", "404", "302")),
    "verification:mark": Write(
        "kpu_r",
        lambda w: {"pilih": [w.supporter_a.pk], "verdict": "ms", "desa": w.village},
        control=False,
    ),
    "verification:undo": Write("kpu_r", lambda w: {"pilih": [w.supporter_a.pk]}, control=False),
    "verification:duplicate": Write("kpu_r", lambda w: {"keep": w.supporter_a.pk}, control=False),
    "verification:close": Write("kpu_r", lambda w: {}, control=False),
    "verification:visit": Write("verifier_x", lambda w: {"visit": "confirms", "token": "t-1"}),
    "verification:visit_undo": Write("verifier_x", lambda w: {"visit": "not_met"}),
    "verification:document_request": Write(
        "kpu_r",
        lambda w: {"kind": "supporter_list", "fmt": "pdf", "desa": w.village},
        control=False,
    ),
    "verification:external": Write(
        "verifier_x", lambda w: {"supporter": w.supporter_a.pk, "pair": w.pair_a.pk, "desa": w.village}
    ),
    # issue #17 part B: a whole kecamatan marked; a public response clarified, then decided (the world's
    # response is not clarified yet, so a decision is refused even in reach)
    # pair A's factual round already holds its draw in the world: even its LO is refused (a sample is drawn once)
    "verification:sample": Write("lo_a", lambda w: {"nomor_awal": "1", "formulir": _pdf()}, control=False),
    "verification_api:round-sample": Write("lo_a", lambda w: {"number": "1", "form": _pdf()}, control=False),
    "verification:mark_area": Write(
        "kpu_r", lambda w: {"kecamatan": district_of(w.village), "verdict": "ms"}, control=False
    ),
    "verification_api:round-mark-area": Write(
        "kpu_r", lambda w: {"kecamatan": district_of(w.village), "verdict": "ms"}, json=True, control=False
    ),
    "candidacy:response_clarify": Write("kpu_r", lambda w: {"clarification": "Pasangan calon menjawab."}),
    "candidacy_api:response-clarify": Write(
        "kpu_r", lambda w: {"clarification": "Pasangan calon menjawab."}, json=True
    ),
    "candidacy:response_decide": Write("kpu_r", lambda w: {"outcome": "upheld", "reason": "Terbukti."}, control=False),
    "candidacy_api:response-decide": Write(
        "kpu_r", lambda w: {"outcome": "upheld", "reason": "Terbukti."}, json=True, control=False
    ),
}

# writes open to everyone by design (docs/domain.md §9.2: anyone may respond on a pair within the window):
# no role is refused; ``test_public_writes_are_open_to_anyone`` sends a valid one anonymously
PUBLIC_RESPONSE_WRITES = {
    "candidacy:response_submit": lambda w: {
        "body": "Tanggapan uji.",
        "name": "Lalu Uji",
        "nik": "5201014101900002",
        "contact": "081234567891",
    },
    "candidacy_api:pair-response-list": lambda w: {
        "body": "Tanggapan uji.",
        "name": "Lalu Uji",
        "nik": "5201014101900002",
        "contact": "081234567891",
    },
}

# pages that answer a POST as they answer a GET: nothing to write (checked by the test below)
READ_ONLY = {
    "dashboard:home",
    "audit:log",
    "audit:export",
    "regions:province_list",
    "regions:search",
    "regions:region_detail",
    "candidacy:election_list",
    "candidacy:election_detail",
    "candidacy:pair_list",
    "candidacy:pair_detail",
    "candidacy:candidate_detail",
    "candidacy:candidate_photo",
    "candidacy:document_download",
    "support_uploads:index",
    "support_uploads:pair",
    "support_uploads:template",
    "support_uploads:upload",
    "support_uploads:upload_progress",
    "support_uploads:upload_report",
    "support_uploads:supporter",
    # the receipt check reads only (issue #18)
    "support_uploads:receipt_verify",
    "support_uploads_api:receipt_verify",
    "verification:index",
    "verification:round",
    "verification:progress",
    "verification:history",
    "verification:document",
}
# the requester's own session or account (a Bawaslu user may change its own password)
SELF_SERVICE = {"healthz", "accounts:login", "accounts:logout", "accounts:password_change", "set_language"}
# anyone's, signed in or not, behind the proof-of-work: a person's own check and objection (refused to nobody;
# tests/objections shows the challenge, the rate limits and what they write)
PUBLIC_WRITES = {"objections:check", "objections:file", "objections_api:public-check", "objections_api:public-file"}


def write_url_names() -> set[str]:
    """URL names where some role's unsafe request is answered as handled (200, 302) or as a bad body (400),
    and POST-only endpoints (every GET refused) whatever an empty POST gets."""

    def tokens(row, method):
        return set(row.get(method, "").split())

    return {
        name
        for name, row in EXPECTED.items()
        if not name.startswith("admin:")
        and (
            any(tokens(row, m) & {"200", "302", "400"} for m in METHODS[1:])
            or (tokens(row, "GET") <= {"405", "login", "403"} and tokens(row, "POST") - {"405", "login", "403"})
        )
    }


def _send(role_clients, role, write: Write, url, world) -> str:
    """The request as the role's (signed-in) client; a PUT/PATCH form goes multipart like a browser's POST."""
    data, kwargs = write.body(world), dict(write.headers)
    if write.content_type:
        kwargs["content_type"] = write.content_type
    elif write.json:
        data, kwargs["content_type"] = json.dumps(data), "application/json"
    elif write.method != "POST":
        data, kwargs["content_type"] = encode_multipart(BOUNDARY, data), MULTIPART_CONTENT
    response = getattr(role_clients.clients[role], write.method.lower())(url, data, **kwargs)
    return str(response.status_code)


def test_every_write_url_has_a_payload():
    names = write_url_names()
    public = PUBLIC_WRITES | set(PUBLIC_RESPONSE_WRITES)
    unclassified = sorted(names - set(PAYLOADS) - READ_ONLY - SELF_SERVICE - public)
    assert not unclassified, f"write URLs with no valid payload in test_write_refusals.PAYLOADS: {unclassified}"
    stale = sorted((set(PAYLOADS) | READ_ONLY | SELF_SERVICE | public) - names)
    assert not stale, f"entries for URLs that are no longer written to: {stale}"


@pytest.mark.django_db
def test_valid_writes_by_roles_out_of_reach_change_nothing(world, role_clients):
    patterns = dict(url_names())
    failures = []
    watch = TableWatch(SNAPSHOT_APPS)
    for name, write in PAYLOADS.items():
        url = build_url(name, patterns[name], world)
        for role in REFUSERS:
            since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
            got = _send(role_clients, role, write, url, world)
            field_error = write.region_field and role == "kpu_other" and got in ("200", "400")
            if got not in write.refused and not field_error:
                failures.append(f"{write.method} {url} ({name}) as {role}: answered {got}, not 403/404")
            changed = watch.changed()
            if changed or _writes(since or 0):
                failures.append(f"{name} as {role} changed {changed} {_writes(since or 0)}")
        if not write.control:
            continue
        # the control: the same payload from a role in reach does change the database
        with transaction.atomic():
            got = _send(role_clients, write.by, write, url, world)
            changed = watch.changed()
            transaction.set_rollback(True)
        watch.reread(changed)
        if not changed:
            failures.append(f"{name}: the payload changed nothing even as {write.by} ({got}): not a valid write")
        elif not url.startswith("/api/") and got != "302":
            # post/redirect/get (#21): a page that changed something answers with a redirect, so a refresh or
            # the back button cannot send the form again
            failures.append(f"POST {url} ({name}) as {write.by} changed {changed} but answered {got}, not 302")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_public_writes_are_open_to_anyone(world, client):
    """A valid public response, sent without signing in, is stored (and within the window only)."""
    from candidacy.models import PublicResponse

    patterns = dict(url_names())
    for name, body in PUBLIC_RESPONSE_WRITES.items():
        before = PublicResponse.objects.count()
        response = client.post(build_url(name, patterns[name], world), body(world))
        assert response.status_code in (201, 302), (name, response.status_code)
        assert PublicResponse.objects.count() == before + 1


@pytest.mark.django_db
def test_read_only_pages_ignore_a_post(world, role_clients):
    patterns = dict(url_names())
    failures = []
    watch = TableWatch(SNAPSHOT_APPS)
    for name in sorted(READ_ONLY):
        url = build_url(name, patterns[name], world)
        role_clients.clients["admin"].post(url, {"name": "x", "file": _pdf(), "status": "valid"})
        changed = watch.changed()
        if changed:
            failures.append(f"POST {url} ({name}) changed {changed}: it writes, give it a payload")
    assert not failures, "\n".join(failures)


@pytest.fixture
def role_clients(world) -> RoleClients:
    return RoleClients(world.users)
