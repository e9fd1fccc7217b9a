"""A web process compiles the project's templates and loads its catalogs before its first request."""

import subprocess
import sys
from pathlib import Path

from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader

from silon.warmup import project_template_names, warm_up

from .test_settings import _env

ROOT = Path(__file__).resolve().parents[2]


def test_warm_up_compiles_every_project_template_into_the_cached_loader():
    loader = engines["django"].engine.template_loaders[0]
    assert isinstance(loader, CachedLoader)
    loader.reset()
    names = project_template_names()
    assert "portal/home.html" in names and "base.html" in names
    assert len(names) == len(list((ROOT / "templates").rglob("*.html")))

    figures = warm_up()

    assert figures["templates"] == len(names) and figures["languages"] == 2 and figures["routes"] > 100
    cached = set(loader.get_template_cache)
    assert all(name in cached for name in names), sorted(set(names) - cached)


def test_the_wsgi_module_warms_up_unless_switched_off():
    code = (
        "import logging, sys; logging.basicConfig(level=logging.INFO, stream=sys.stdout);"
        "import silon.wsgi; from django.template import engines;"
        "print('cached', len(engines['django'].engine.template_loaders[0].get_template_cache))"
    )
    on = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(), capture_output=True, text=True)
    assert on.returncode == 0, on.stderr
    assert "warm-up done" in on.stdout + on.stderr
    assert int(on.stdout.split("cached ")[1]) >= len(project_template_names())

    off = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_env(SILON_WARMUP="0"), capture_output=True, text=True
    )
    assert off.returncode == 0, off.stderr
    assert "warm-up done" not in off.stdout + off.stderr and off.stdout.split("cached ")[1].strip() == "0"
