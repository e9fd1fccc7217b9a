"""Audit action names are constants of ``silon.audit.actions``: stored, hashed and listened for as text."""

import ast
import re
from pathlib import Path

import pytest

from silon.audit import actions

ROOT = Path(__file__).resolve().parents[2]
# Every first-party package: each write (and each reader that listens for one) names its action by constant.
PACKAGES = ("silon", "regions", "dashboard", "candidacy", "support_uploads", "verification", "objections", "portal")
# Modules merged after the scan was written that record events (or may): the scan must reach them.
RECORDERS = ("silon/audit/downloads.py", "silon/accounts/middleware.py", "verification/supervision.py")
# Calls that take an action name: ``audit_record(action=...)``, ``audited_read(<action>)``.
TAKES_ACTION = {"audit_record", "audited_read"}


def _constants() -> dict[str, str]:
    return {name: value for name, value in vars(actions).items() if name.isupper() and isinstance(value, str)}


def _modules() -> list[Path]:
    return sorted(
        path for package in PACKAGES for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts
    )


def _is_literal(node: ast.AST) -> bool:
    """A string written out: itself, a branch of ``a if c else b``, or an item of a list, tuple or set."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.IfExp):
        return _is_literal(node.body) or _is_literal(node.orelse)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(_is_literal(item) for item in node.elts)
    return False


def literal_actions(source: str) -> list[int]:
    """Lines where an action name is written as a string: in a call that takes one, or as ``action=`` of a
    query (``AuditEvent.objects.filter(action="...")``)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name == "add_argument":  # argparse's ``action="store_true"``
            continue
        given = [k.value for k in node.keywords if k.arg in {"action", "action__in", "action__startswith"}]
        if name in TAKES_ACTION:
            given += node.args[:1] if name == "audited_read" else []
        if any(_is_literal(value) for value in given):
            lines.append(node.lineno)
    return sorted(lines)


def unknown_constants(source: str) -> list[str]:
    """``actions.X`` read where ``silon.audit.actions`` has no ``X`` (a typo fails only when that line runs)."""
    return sorted(
        node.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "actions"
        and not hasattr(actions, node.attr)
    )


def test_every_name_is_unique_and_shaped():
    constants = _constants()
    values = list(constants.values())
    assert len(values) == len(set(values)), "two constants share an action name"
    for name, value in constants.items():
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)+\.?", value), name
        if not name.endswith("_PREFIX"):
            assert name == value.replace(".", "_").upper(), f"{name} should be named after {value!r}"


def test_the_scan_reaches_every_package_and_the_new_recorders():
    scanned = {path.relative_to(ROOT).as_posix() for path in _modules()}
    assert set(RECORDERS) <= scanned
    assert {path.name for path in ROOT.iterdir() if (path / "apps.py").exists()} <= set(PACKAGES) | {"silon"}


def test_no_package_passes_a_literal_action():
    literals = [f"{path.relative_to(ROOT)}:{line}" for path in _modules() for line in literal_actions(path.read_text())]
    assert not literals, f"an action name as a string literal (use silon.audit.actions): {literals}"


def test_every_constant_read_exists():
    unknown = [
        f"{path.relative_to(ROOT)}: {name}" for path in _modules() for name in unknown_constants(path.read_text())
    ]
    assert not unknown, f"no such action constant: {unknown}"


@pytest.mark.parametrize(
    "planted",
    [
        'audit_record(actor=user, action="account.login", obj=user)',
        'audit_record(actor=None, action="x.y" if ok else actions.AUDIT_VERIFY)',
        '@audited_read("support.rows.view")\ndef rows(*, actor): ...',
        'AuditEvent.objects.filter(action="support.upload.requeue")',
        'AuditEvent.objects.filter(action__in=["pair.create", "pair.rename"])',
    ],
)
def test_the_scan_catches_a_planted_literal(planted):
    assert literal_actions(planted) == [1]


def test_the_scan_leaves_constants_alone_and_catches_a_typo():
    assert literal_actions('parser.add_argument("--all", action="store_true")') == []
    assert literal_actions('audit_event_list(user=user, action=filters.get("action", ""))') == []
    source = (
        "audit_record(actor=user, action=actions.ACCOUNT_LOGIN)\n@audited_read(actions.SUPPORT_ROWS_VIEW)\ndef f(): ..."
    )
    assert literal_actions(source) == []
    assert unknown_constants(source) == []
    assert unknown_constants("audit_record(action=actions.ACCOUNT_LOGN)") == ["ACCOUNT_LOGN"]
