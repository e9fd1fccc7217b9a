"""The public portal's cache: one data version plus short-lived rendered pages.

Every cached entry carries the data version it was built from. A change to any model the portal shows bumps
the version (``portal.apps`` connects the signals), so the next request rebuilds the page; the short TTL
bounds staleness for writes that send no signal (``QuerySet.update``, ``bulk_create``) and for time-driven
text (current stage, countdown). Entry and version are read in one round trip (``get_many``).
"""

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

VERSION_KEY = "portal:data-version"
# ≤ 60 s: a new decision written without a signal still shows within a minute.
PAGE_TTL = 60
# The version key outlives every entry; if it is ever evicted, a new one simply invalidates everything.
VERSION_TTL = None


def _new_version() -> str:
    return str(time.time_ns())


def bump_version() -> None:
    """Invalidate every cached public page and data block at once."""
    cache.set(VERSION_KEY, _new_version(), VERSION_TTL)


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), VERSION_TTL)
        version = cache.get(VERSION_KEY)
    return version


def get_fresh(key: str) -> tuple[Any, str]:
    """The value stored under ``key`` if it was built from the current data version, else ``None``; and that
    version (to stamp a rebuilt value with)."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        return None, current_version()
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1], version
    return None, version


def put(key: str, version: str, value: Any, ttl: int = PAGE_TTL) -> None:
    cache.set(key, (version, value), ttl)


def cached(key: str, build: Callable[[], Any], ttl: int = PAGE_TTL) -> Any:
    """``build()``'s result, served from the cache while the data version holds and the TTL lasts."""
    value, version = get_fresh(key)
    if value is None:
        value = build()
        put(key, version, value, ttl)
    return value
