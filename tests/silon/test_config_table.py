"""One table of configuration: every environment variable SILON reads is in README's "Environment variables"
table and in `.env.example`, with the same default, and nothing else is.

What the code reads comes from its syntax tree: ``env.<cast>("NAME", default=…)`` calls in silon/settings.py,
``os.environ.get`` / ``os.getenv`` / ``os.environ[…]`` reads in the application packages, and the ``${NAME}``
interpolations of docker-compose.yml (variables of the production layout, e.g. ``POSTGRES_PASSWORD``).
"""

import ast
import operator
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "silon" / "settings.py"
APP_PACKAGES = ["silon", "regions", "candidacy", "support_uploads", "objections", "portal"]
NO_DEFAULT = object()  # a default that is not a constant (another setting, a path, an expression)
NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")

_OPERATORS = {ast.Mult: operator.mul, ast.Add: operator.add, ast.Sub: operator.sub}


def _constant(node):
    """The value of a constant default (literals, lists of them, ``8 * 3600``), else NO_DEFAULT."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List) and all(isinstance(e, ast.Constant) for e in node.elts):
        return [e.value for e in node.elts]
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _constant(node.left), _constant(node.right)
        if isinstance(left, int) and isinstance(right, int):
            return _OPERATORS[type(node.op)](left, right)
    return NO_DEFAULT


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _default_of(call: ast.Call, positional: int):
    for keyword in call.keywords:
        if keyword.arg == "default":
            return _constant(keyword.value)
    if len(call.args) > positional:
        return _constant(call.args[positional])
    return ""  # read without a default: unset means empty


def code_variables() -> dict[str, set]:
    """Each variable the code reads, with the set of its defaults (as text, or NO_DEFAULT)."""
    found: dict[str, set] = {}

    def add(name: str, default) -> None:
        found.setdefault(name, set()).add(default if default is NO_DEFAULT else _as_text(default))

    for node in ast.walk(ast.parse(SETTINGS.read_text())):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        is_env = (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env") or (
            isinstance(func, ast.Name) and func.id == "env"
        )
        if is_env and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            add(node.args[0].value, _default_of(node, 1))
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                name, default = _os_environ_read(node)
                if name:
                    add(name, default)
    return found


def _os_environ_read(node) -> tuple[str | None, object]:
    def is_os_environ(n) -> bool:
        return isinstance(n, ast.Attribute) and n.attr == "environ" and isinstance(n.value, ast.Name)

    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "get" and is_os_environ(func.value):
            return node.args[0].value, _default_of(node, 1)
        if isinstance(func, ast.Attribute) and func.attr == "getenv" and isinstance(func.value, ast.Name):
            return node.args[0].value, _default_of(node, 1)
    if (
        isinstance(node, ast.Subscript)
        and is_os_environ(node.value)
        and isinstance(node.ctx, ast.Load)
        and isinstance(node.slice, ast.Constant)
    ):
        return node.slice.value, ""
    return None, None


COMPOSE_INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*)|:?\?[^}]*)?\}")


def compose_variables() -> dict[str, set]:
    found: dict[str, set] = {}
    for match in COMPOSE_INTERPOLATION.finditer((ROOT / "docker-compose.yml").read_text()):
        default = match.group(3) if match.group(2) else ""
        found.setdefault(match.group(1), set()).add(default)
    return found


def readme_rows() -> dict[str, tuple[str, str]]:
    """Variable → (default cell, meaning cell) of README's table; a row may name several variables
    (``A`` / ``B``) with their defaults in the same order."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Environment variables\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 3, f"README table row without three cells: {line}"
        names = re.findall(r"`([^`]+)`", cells[0])
        defaults = [d.strip() for d in cells[1].split(" / ")] if len(names) > 1 else [cells[1]]
        assert len(defaults) == len(names), f"README row {cells[0]}: one default per variable, joined by ' / '"
        for name, default in zip(names, defaults, strict=True):
            assert name not in rows, f"{name} is in the README table twice"
            rows[name] = (default, cells[2])
    return rows


ENV_LINE = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


def env_example_entries() -> dict[str, tuple[bool, str]]:
    """Variable → (commented, value) of .env.example."""
    entries: dict[str, tuple[bool, str]] = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = ENV_LINE.match(line)
        if match:
            name = match.group(2)
            assert name not in entries, f"{name} is in .env.example twice"
            entries[name] = (bool(match.group(1)), match.group(3).strip())
    return entries


def _all_variables() -> dict[str, set]:
    variables = code_variables()
    for name, defaults in compose_variables().items():
        variables.setdefault(name, set()).update(defaults)
    variables.pop("DJANGO_SETTINGS_MODULE", None)  # Django's own, set by manage.py and the WSGI module
    return variables


def test_the_code_the_readme_table_and_env_example_name_the_same_variables():
    variables = set(_all_variables())
    readme = set(readme_rows())
    example = set(env_example_entries())
    assert len(variables) >= 30  # the syntax-tree reading found the settings' readers
    problems = []
    for name in sorted(variables - readme):
        problems.append(f"{name}: read by the code, missing from README's table")
    for name in sorted(variables - example):
        problems.append(f"{name}: read by the code, missing from .env.example")
    for name in sorted(readme - variables):
        problems.append(f"{name}: in README's table, read nowhere")
    for name in sorted(example - variables):
        problems.append(f"{name}: in .env.example, read nowhere")
    assert not problems, "\n".join(problems)


def test_every_readme_row_has_a_default_and_a_meaning():
    for name, (default, meaning) in readme_rows().items():
        assert default, f"README: {name} has no default"
        assert len(meaning) > 10, f"README: {name} has no meaning"
        assert NAME.match(name), name


def _readme_shows(cell: str, value: str) -> bool:
    shown = re.findall(r"`([^`]*)`", cell) or [cell]
    accepted = {value}
    if value.isdigit():
        accepted.add(f"{int(value):,}")
    return bool(accepted & set(shown))


def test_defaults_agree_where_the_code_has_a_constant_one():
    """A commented line of .env.example shows the default; README's default cell names the same value."""
    readme = readme_rows()
    example = env_example_entries()
    checked = 0
    for name, defaults in sorted(_all_variables().items()):
        if len(defaults) != 1 or NO_DEFAULT in defaults:
            continue  # no single constant default (another setting, a path, one per mode)
        if name not in readme or name not in example:
            continue  # reported by the test above
        (default,) = defaults
        commented, value = example[name]
        if commented:
            assert value == default, f".env.example shows {name}={value}, the code's default is {default!r}"
        shown = readme[name][0]
        if default:
            assert _readme_shows(shown, default), f"README: {name} default {shown!r}, the code's is {default!r}"
        checked += 1
    assert checked >= 25


def test_what_production_must_set_is_uncommented_and_the_rest_commented():
    example = env_example_entries()
    required = {name for name, (commented, _value) in example.items() if not commented}
    assert required == {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "POSTGRES_PASSWORD",
        "DATABASE_APP_PASSWORD",
        "AUDIT_HMAC_KEY",
        "AUDIT_SIGNING_KEY",
    }
    assert example["DEBUG"] == (False, "false")
