"""Region-code arithmetic has one home, ``regions/codes.py`` (``district_of``, ``regency_of``, ``ancestor_at``,
``child_of``, their SQL and polars forms...). This scan fails when an app module cuts a region code itself:
a slice of anything named ``*code*`` at a region width (2, 5, 8, 13) or at a computed width, a polars
``.str.slice`` of such a column, or a ``Substr`` of a ``*code*`` field. Migrations and tests are not scanned."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("candidacy", "dashboard", "portal", "regions", "silon", "support_uploads", "verification", "objections")
HOME = ROOT / "regions" / "codes.py"
REGION_WIDTHS = {2, 5, 8, 13}  # "52", "52.01", "52.01.01", "52.01.01.1001"


def _subject_names(node: ast.AST) -> list[str]:
    """The names an expression is built from, leaving out the arguments of its calls (a queryset filtered on
    ``code`` is not a code), except the column a polars ``col("...")`` names."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [*_subject_names(node.value), node.attr]
    if isinstance(node, ast.Subscript):
        return _subject_names(node.value)
    if isinstance(node, ast.Call):
        names = _subject_names(node.func)
        if names and names[-1] == "col":
            names += [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        return names
    return []


def _mentions_code(node: ast.AST) -> bool:
    return any("code" in name.lower() for name in _subject_names(node))


def _region_bound(node: ast.AST | None) -> bool:
    """A bound at a region width, or computed (a width looked up or passed in is code arithmetic too)."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return node.value in REGION_WIDTHS
    return not (isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant))


def _slice_finding(node: ast.Subscript) -> bool:
    cut = node.slice
    return (
        isinstance(cut, ast.Slice)
        and _mentions_code(node.value)
        and (_region_bound(cut.lower) or _region_bound(cut.upper))
    )


def _call_finding(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name == "slice" and isinstance(func, ast.Attribute) and _mentions_code(func.value):
        return any(_region_bound(arg) for arg in node.args)  # polars: column.str.slice(offset, length)
    if name == "Substr" and node.args:
        field = node.args[0]
        return isinstance(field, ast.Constant) and "code" in str(field.value).lower()
    return False


def code_slices(source: str) -> list[tuple[int, str]]:
    """``(line, expression)`` of every region-code cut in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Subscript) and _slice_finding(node)) or (
            isinstance(node, ast.Call) and _call_finding(node)
        ):
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def _app_modules() -> list[Path]:
    return [
        path
        for package in APP_PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != HOME and "migrations" not in path.parts
    ]


def test_region_codes_are_cut_only_in_regions_codes():
    modules = _app_modules()
    assert len(modules) > 100  # the scan does see the apps
    findings = [
        f"{path.relative_to(ROOT)}:{line}: {expr}"
        for path in modules
        for line, expr in code_slices(path.read_text(encoding="utf-8"))
    ]
    assert findings == [], "use regions.codes instead of cutting region codes:\n" + "\n".join(findings)


def test_the_home_itself_would_be_caught():
    """``regions/codes.py`` is exempt because it is where the cuts live; the scan does find them there."""
    assert code_slices(HOME.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "planted",
    [
        "district = row.village_code[:8]",
        "regency = code[:5]",
        "province = code[0:2]",
        "segment = code[3:5]",
        "unit = supporter_code[:width]",
        "unit = code[: CODE_LENGTH[Level.DISTRICT]]",
        "regency = row.village_code.strip()[:5]",
        "regency = codes[i][:5]",
        'frame.group_by(pl.col("village_code").str.slice(0, 8))',
        'qs.annotate(unit=Substr("village_code", 1, width))',
        'qs.annotate(child=Substr("code", 1, 5))',
    ],
)
def test_the_scan_catches_a_planted_cut(planted):
    assert [line for line, _expr in code_slices(f"x = 1\n{planted}\n")] == [2]


@pytest.mark.parametrize(
    "innocent",
    [
        "head = buffer[:2]",
        "label = name[:13]",
        'shown = code[:20] or "-"',  # a code shortened for a message, not cut to a region
        "last = code[-4:]",
        'first = Region.objects.filter(level="x").values_list("code", flat=True)[:limit]',
        'shortest = qs.order_by(Length("code"), "code")[:limit]',
        'nik_region = pl.col("nik").str.slice(0, 4)',
        "district = district_of(code)",
        'qs.annotate(unit=ancestor_at_sql("village_code", Level.DISTRICT))',
    ],
)
def test_the_scan_leaves_other_slices_alone(innocent):
    assert code_slices(innocent) == []
