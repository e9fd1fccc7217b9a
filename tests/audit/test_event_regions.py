"""Audit events take their region from the object acted on, never from request parameters (issue #15, F5: a
marking's event took its region from the request's ``desa`` and showed up in another province's audit view).

A scan of every call that writes an event (``audit_record``, a ``Shown`` of an audited read, the supervision
reads): its ``region_code`` must be read off an object (``round.election.region_code``, ``scan.village_code``,
``supporters[0].village_code``), never a bare variable a view could have filled from the request, nor anything
read from the request itself. The behaviour tests below show the two reads whose region used to be the request's.
"""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from silon.audit.models import AuditEvent
from tests.conftest import ROOT

APPS = ("candidacy", "portal", "regions", "silon", "support_uploads", "verification", "objections", "dashboard")
# calls that write an event with the region they are given
AUDITING = {"audit_record", "Shown", "supervised", "supervised_list"}
# wrappers that hand their own ``region_code`` argument on; their callers are scanned as AUDITING calls
PASS_THROUGH = {("candidacy/reads.py", "supervised"), ("candidacy/reads.py", "supervised_list")}
REQUEST_PARTS = {"GET", "POST", "data", "query_params", "COOKIES", "META", "headers", "kwargs", "resolver_match"}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _branches(node: ast.expr):
    """The values an expression can take: each side of ``a or b`` and of ``a if c else b``."""
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _branches(value)
    elif isinstance(node, ast.IfExp):
        yield from _branches(node.body)
        yield from _branches(node.orelse)
    else:
        yield node


def _problem(node: ast.expr) -> str:
    parts = list(ast.walk(node))
    if any(isinstance(part, ast.Name) and part.id == "request" for part in parts):
        return "read from the request"
    for part in parts:
        if isinstance(part, ast.Attribute) and part.attr in REQUEST_PARTS:
            return f"read from request-like .{part.attr}"
    for branch in _branches(node):
        if not isinstance(branch, ast.Attribute):
            return f"{ast.unparse(branch)!r} is not read off an object"
    return ""


class _Calls(ast.NodeVisitor):
    def __init__(self, path: Path):
        self.path = path.relative_to(ROOT).as_posix()
        self.function = ""
        self.found: list[tuple[str, int, str, str]] = []  # (path, line, call, problem)

    def visit_FunctionDef(self, node):
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in AUDITING:
            region = next((k.value for k in node.keywords if k.arg == "region_code"), None)
            spread = any(k.arg is None for k in node.keywords)
            if spread:
                problem = "region hidden in **kwargs"
            elif region is None or (self.path, self.function) in PASS_THROUGH:
                problem = ""
            else:
                problem = _problem(region)
            self.found.append((self.path, node.lineno, ast.unparse(region) if region is not None else "-", problem))
        self.generic_visit(node)


def _audited_calls():
    calls = []
    for path in _sources():
        visitor = _Calls(path)
        visitor.visit(ast.parse(path.read_text(), filename=str(path)))
        calls += visitor.found
    return calls


def test_every_event_takes_its_region_from_the_object_acted_on():
    calls = _audited_calls()
    with_region = [c for c in calls if c[2] != "-"]
    assert len(with_region) > 50, "the scan found too few calls that write a region: is it still looking?"
    bad = [f"{path}:{line} region_code={region}: {problem}" for path, line, region, problem in calls if problem]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("audit_record(actor=a, region_code=village_code)", "is not read off an object"),
        ("audit_record(actor=a, region_code=request.POST['desa'])", "read from the request"),
        ("Shown(x, region_code=form.cleaned_data['desa'])", "is not read off an object"),
        ("audit_record(actor=a, region_code=code or round.election.region_code)", "'code' is not read off"),
        ("audit_record(actor=a, **fields)", "region hidden in **kwargs"),
        ("audit_record(actor=a, region_code=round.election.region_code)", ""),
        ("Shown(x, region_code=rows[0].village_code if rows else round.election.region_code)", ""),
    ],
)
def test_the_scan_tells_a_request_value_from_an_objects(source, expected, tmp_path):
    path = ROOT / "silon" / "scan_sample.py"  # a name under ROOT for the visitor; never written
    visitor = _Calls(path)
    visitor.visit(ast.parse(source))
    ((_path, _line, _region, problem),) = visitor.found
    assert (expected in problem) if expected else problem == "", problem


@pytest.mark.django_db
def test_a_worklist_page_is_recorded_in_the_desa_of_the_supporters_shown(client):
    """The desa is the request's (``?wilayah=``): a page of a desa without any of the round's supporters is
    recorded in the round's region, a page with supporters in those supporters' desa."""
    from tests.accounts.factories import operator
    from tests.verification.verification_helpers import DESA_A, DESA_D, add_supporters, make_election, make_pair
    from verification.models import RoundKind
    from verification.services import round_open

    election = make_election()
    pair = make_pair(election)
    add_supporters(pair, [DESA_A] * 2)
    kpu = operator("52")
    round = round_open(actor=kpu, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    client.force_login(kpu)
    url = reverse("verification:round", args=[round.pk])
    views = AuditEvent.objects.filter(action="verification.worklist.view", actor=kpu)
    for desa, region in ((DESA_D, election.region_code), (DESA_A, DESA_A)):
        assert client.get(url, {"wilayah": desa}).status_code == 200
        assert views.latest("id").region_code == region, desa


@pytest.mark.django_db
def test_a_supporter_read_and_an_account_creation_take_the_objects_region(client):
    """The supporter page's event takes the supporter's election region; the account-creation event the created
    account's region."""
    from silon.accounts.models import KpuLevel, Role
    from silon.accounts.services import user_create
    from tests.accounts.factories import operator
    from tests.verification.verification_helpers import DESA_A, add_supporters, make_election, make_pair

    election = make_election()
    pair = make_pair(election)
    (supporter,) = add_supporters(pair, [DESA_A])
    kpu = operator("52")
    client.force_login(kpu)
    assert client.get(reverse("support_uploads:supporter", args=[supporter.pk])).status_code == 200
    event = AuditEvent.objects.filter(action="support.supporter.view").latest("id")
    assert (event.object_id, event.region_code) == (str(supporter.pk), election.region_code)
    user, _password = user_create(
        actor=kpu, username="pps-uji", role=Role.VERIFIER, region_code=DESA_A, level=KpuLevel.PPS
    )
    event = AuditEvent.objects.filter(action="account.create").latest("id")
    assert (event.object_id, event.region_code) == (str(user.pk), user.region_code)
