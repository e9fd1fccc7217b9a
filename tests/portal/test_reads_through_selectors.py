"""The portal reads the other apps through their selectors (``candidacy/selectors_public.py``,
``verification/selectors_public.py``, ``support_uploads/recap.py``, ``regions/selectors.py``...), never by
querying their models itself: a ``Model.objects`` of another app's model inside ``portal/`` fails this scan.
Their choices and constants (``Path``, ``Verdict``, ``Level``) may still be imported."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OTHER_APPS = ("candidacy", "regions", "support_uploads", "verification", "objections")


def _model_names(tree: ast.AST) -> set[str]:
    """Names bound by ``from <app>.models[...] import X [as Y]`` for the other apps."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] in OTHER_APPS and len(parts) > 1 and parts[1] == "models":
                names |= {alias.asname or alias.name for alias in node.names}
    return names


def direct_queries(source: str) -> list[tuple[int, str]]:
    """``(line, expression)`` of every ``X.objects`` on another app's model (imported by name, or spelt out as
    ``candidacy.models.X``)."""
    tree = ast.parse(source)
    models = _model_names(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager", "_base_manager"}):
            continue
        owner = node.value
        spelt = ast.unparse(owner)
        if (isinstance(owner, ast.Name) and owner.id in models) or any(
            spelt.startswith(f"{app}.models.") for app in OTHER_APPS
        ):
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def test_portal_queries_no_other_apps_models():
    modules = sorted((ROOT / "portal").rglob("*.py"))
    assert len(modules) > 10
    findings = [
        f"{path.relative_to(ROOT)}:{line}: {expr}"
        for path in modules
        for line, expr in direct_queries(path.read_text(encoding="utf-8"))
    ]
    assert findings == [], "read through the app's selectors instead:\n" + "\n".join(findings)


@pytest.mark.parametrize(
    "planted",
    [
        "from verification.models import VerificationRound\nrounds = VerificationRound.objects.filter(pk=1)",
        "from candidacy.models import Election as E\nE.objects.all()",
        "from candidacy.models.pairs import Candidate\nCandidate._default_manager.all()",
        "import support_uploads.models\nsupport_uploads.models.Upload.objects.count()",
        "from regions.models import Level, Region\nRegion.objects.first()",
    ],
)
def test_the_scan_catches_a_planted_query(planted):
    assert [line for line, _expr in direct_queries(planted)] == [2]


@pytest.mark.parametrize(
    "innocent",
    [
        "from verification.models import Verdict\nms = Verdict.MS",
        "from candidacy.selectors_public import public_pairs\npublic_pairs().filter(pk=1)",
        "from django.core.cache import cache\ncache.objects = 1",
    ],
)
def test_the_scan_leaves_other_code_alone(innocent):
    assert direct_queries(innocent) == []
