"""Warm a web process before it takes its first request.

A fresh gunicorn worker would otherwise compile every template, load both translation catalogs and build the
URL resolver while a visitor waits (the portal bench measured ~100 ms p99 for a fresh server's first
visitors). ``silon.wsgi`` calls :func:`warm_up` once per process, after Django is set up and before the
first request. It touches no database: with ``--preload`` this runs in gunicorn's master, before the fork.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

log = logging.getLogger(__name__)


def project_template_names() -> list[str]:
    """Every template the project itself ships (the admin's and DRF's are left to load on use)."""
    names: set[str] = set()
    for directory in settings.TEMPLATES[0]["DIRS"]:
        root = Path(directory)
        names.update(str(path.relative_to(root)) for path in root.rglob("*.html"))
    return sorted(names)


def _populate(resolver) -> int:
    """Build the reverse lookup of ``resolver`` and every namespace under it; the number of entries."""
    entries = len(resolver.reverse_dict)
    for _prefix, sub in resolver.namespace_dict.values():
        entries += _populate(sub)
    return entries


def warm_up() -> dict[str, int]:
    started = time.perf_counter()
    routes = _populate(get_resolver())  # imports every view module on the way
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Beranda")  # loads the catalogs of every installed app for this language
    engine = engines["django"]
    names = project_template_names()
    for name in names:
        engine.get_template(name)  # compiled once into the cached loader
    figures = {
        "templates": len(names),
        "languages": len(settings.LANGUAGES),
        "routes": routes,
        "ms": round(1000 * (time.perf_counter() - started)),
    }
    log.info("warm-up done: %(templates)s templates, %(languages)s languages, %(ms)s ms", figures)
    return figures
