"""Audit action names are constants of ``silon.audit.actions``: stored, hashed and listened for as text."""

import ast
import re
from pathlib import Path

from silon.audit import actions

ROOT = Path(__file__).resolve().parents[2]
# Packages whose writes already name their action by constant (support_uploads and verification follow).
SWITCHED = ("silon", "regions", "candidacy", "portal")


def _constants() -> dict[str, str]:
    return {name: value for name, value in vars(actions).items() if name.isupper() and isinstance(value, str)}


def test_every_name_is_unique_and_shaped():
    constants = _constants()
    values = list(constants.values())
    assert len(values) == len(set(values)), "two constants share an action name"
    for name, value in constants.items():
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)+\.?", value), name
        if not name.endswith("_PREFIX"):
            assert name == value.replace(".", "_").upper(), f"{name} should be named after {value!r}"


def test_switched_packages_pass_no_literal_action():
    literals = []
    for package in SWITCHED:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == (
                    "audit_record"
                ):
                    for keyword in node.keywords:
                        if keyword.arg == "action" and any(
                            isinstance(n, ast.Constant) and isinstance(n.value, str) for n in ast.walk(keyword.value)
                        ):
                            literals.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not literals, f"audit_record(action=...) with a string literal: {literals}"
