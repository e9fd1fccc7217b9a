"""Dependencies point one way, and the build fails when they do not (``.importlinter``, run by ``make test``).

The contracts name every first-party package, so a new module is covered the day it lands (the "no cycles"
contract walks each package's subpackages); and, run on a small copy of the layout, they refuse a planted
cycle between two modules of an app and an import against the layers."""

import configparser
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_APPS = {"tests", "bench"}  # packages that are not the product: the suite and `make bench`
LAYERS = ["portal", "objections", "verification", "support_uploads", "candidacy", "regions", "dashboard", "silon"]


def _config() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    return config


def _listed(config: configparser.ConfigParser, section: str, key: str) -> list[str]:
    return config[section][key].split()


def test_the_contracts_cover_every_first_party_package():
    config = _config()
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - NOT_APPS
    assert set(_listed(config, "importlinter", "root_packages")) == packages
    assert _listed(config, "importlinter:contract:layers", "layers") == LAYERS
    assert set(_listed(config, "importlinter:contract:acyclic", "ancestors")) == packages
    assert config["importlinter:contract:acyclic"]["type"] == "acyclic_siblings"
    assert "ignore_imports" not in config["importlinter:contract:acyclic"]  # no cycle is waived


def test_make_test_runs_the_contracts_before_the_suite():
    recipe = re.search(r"^test: .*?\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.MULTILINE).group(1)
    steps = [line.strip() for line in recipe.splitlines()]
    linter = next(i for i, step in enumerate(steps) if step.endswith("/lint-imports"))
    assert linter < next(i for i, step in enumerate(steps) if "PYTEST" in step)


def _lint(tree: Path) -> subprocess.CompletedProcess:
    linter = Path(sys.executable).with_name("lint-imports")
    if not linter.exists():
        pytest.skip("needs import-linter's lint-imports beside the interpreter")
    return subprocess.run(
        [str(linter), "--no-cache", "--no-logo", str(ROOT / ".importlinter")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def layout(tmp_path):
    """Every package of the contracts, each with two modules that import nothing: the contracts hold."""
    for package in LAYERS:
        for module in ("__init__", "selectors", "supervision"):
            path = tmp_path / package / f"{module}.py"
            path.parent.mkdir(exist_ok=True)
            path.write_text("")
    for sub in ("silon/accounts", "silon/audit"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "__init__.py").write_text("")
    return tmp_path


def test_the_layout_copy_keeps_the_contracts(layout):
    result = _lint(layout)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_cycle_between_two_modules_of_an_app_fails(layout):
    (layout / "verification" / "supervision.py").write_text("from verification import selectors\n")
    (layout / "verification" / "selectors.py").write_text("from verification import supervision\n")
    result = _lint(layout)
    assert result.returncode != 0 and "No import cycles" in result.stdout and "BROKEN" in result.stdout


def test_an_import_up_the_layers_fails(layout):
    (layout / "candidacy" / "selectors.py").write_text("import verification.selectors\n")
    result = _lint(layout)
    assert result.returncode != 0 and "Apps depend downwards only" in result.stdout and "BROKEN" in result.stdout


def test_the_trail_importing_accounts_fails(layout):
    (layout / "silon" / "audit" / "reads.py").write_text("import silon.accounts\n")
    result = _lint(layout)
    assert result.returncode != 0 and "the trail never imports accounts" in result.stdout
