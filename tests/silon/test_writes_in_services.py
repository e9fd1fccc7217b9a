"""Writes live in services (``*/services/``): views, API views and tasks parse, call one service or selector,
and answer. None of them writes a row or an audit event itself (read audits go through ``silon.audit.reads``'s
decorator, in the apps' ``reads.py``). This scan of the modules fails on a write found in one."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("silon", "regions", "dashboard", "candidacy", "support_uploads", "verification", "objections", "portal")
# Model writes whatever they are called on: a model, a manager, a queryset, a model form or serializer.
WRITES = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "update_or_create",
    "get_or_create",
    "execute",
    "executemany",
    "copy_expert",
}


def thin_modules() -> list[Path]:
    """Every views module (``views.py``, a ``views/`` package), API module (``api*.py``, an ``api/`` package)
    and tasks module of the first-party packages."""
    found = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts:
                continue
            if (
                "views" in parts[:-1]
                or "api" in parts[:-1]
                or path.stem in {"views", "tasks"}
                or path.stem.startswith("api")
            ):
                found.append(path)
    return sorted(found)


def _queryset_update(call: ast.Call) -> bool:
    """``X.objects.update(...)``, ``X.objects.filter(...).update(...)``: not ``context.update(...)`` on a dict."""
    receiver = call.func.value
    return isinstance(receiver, ast.Call) or ".objects" in ast.unparse(receiver) or "queryset" in ast.unparse(receiver)


def _raw_read(call: ast.Call) -> bool:
    """``cursor.execute("SELECT 1")``: raw SQL that only reads (the health check's database probe)."""
    first = call.args[0] if call.args else None
    return isinstance(first, ast.Constant) and str(first.value).lstrip().upper().startswith("SELECT ")


def writes_in(source: str) -> list[tuple[int, str]]:
    """``(line, call)`` of every write in ``source``: an ``audit_record`` call, a model write (``WRITES``), or an
    ``update`` on a queryset."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id == "audit_record":
            found.append((node.lineno, "audit_record"))
        elif isinstance(node.func, ast.Attribute):
            name = node.func.attr
            raw_read = name in {"execute", "executemany"} and _raw_read(node)
            if (
                name == "audit_record"
                or (name in WRITES and not raw_read)
                or (name == "update" and _queryset_update(node))
            ):
                found.append((node.lineno, ast.unparse(node.func)))
    return sorted(found)


def test_the_scope_is_found():
    names = {path.relative_to(ROOT).as_posix() for path in thin_modules()}
    assert {"support_uploads/views.py", "support_uploads/api.py", "support_uploads/tasks.py"} <= names
    assert {"verification/tasks.py", "portal/api.py", "silon/audit/views.py"} <= names
    assert any(name.startswith("candidacy/api/") for name in names)
    assert any(name.startswith("verification/views/") for name in names)


def test_views_api_and_tasks_write_nothing_themselves():
    findings = [
        f"{path.relative_to(ROOT)}:{line}: {call}"
        for path in thin_modules()
        for line, call in writes_in(path.read_text(encoding="utf-8"))
    ]
    assert findings == [], "move the write into a service:\n" + "\n".join(findings)


@pytest.mark.parametrize(
    "planted",
    [
        "audit_record(actor=request.user, action=actions.CANDIDATE_VIEW, obj=candidate)",
        "from silon.audit import services\nservices.audit_record(actor=None, action=actions.STAGE_SET)",
        "upload.save(update_fields=['status'])",
        "Upload.objects.filter(pk=pk).update(status='done')",
        "Upload.objects.update(status='done')",
        "self.get_queryset().filter(pk=1).update(status='x')",
        "AuditEvent.objects.create(action=actions.STAGE_SET)",
        "form.save()",
        "serializer.save()",
        "pair.delete()",
        "Supporter.objects.bulk_create(rows)",
        "cursor.execute('UPDATE support_uploads_upload SET status = %s', ['x'])",
    ],
)
def test_the_scan_catches_a_planted_write(planted):
    assert [line for line, _call in writes_in(planted)] == [planted.count("\n") + 1]


@pytest.mark.parametrize(
    "innocent",
    [
        "context.update(results=rows)",
        "upload_withdraw(actor=request.user, upload=upload)",
        "Upload.objects.filter(pk=pk).first()",
        "request.session.get('x')",
        "cursor.execute('SELECT 1')",
    ],
)
def test_the_scan_leaves_reads_and_service_calls_alone(innocent):
    assert writes_in(innocent) == []
