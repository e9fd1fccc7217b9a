"""The public portal's cache: one data version plus short-lived rendered pages, in two tiers.

Every cached entry carries the data version it was built from. A change to any model the portal shows bumps
the version (``portal.signals``: model signals, and the audit event of the state changes written with
``QuerySet.update`` or ``bulk_create``), so the next request rebuilds the page; the short TTL bounds
staleness for time-driven text (current stage, countdown) and for any write that escapes both hooks.

Tier 2 is Django's cache (Redis when ``REDIS_URL`` is set), shared by every process. Tier 1 is a small
per-process copy in front of it: near a deadline the same few pages are read thousands of times a second,
and a Redis round trip plus a new client object per request cost more than the rest of the request. A
process re-reads the shared version at most every ``LOCAL_VERSION_TTL`` seconds, so a bump made in another
process shows there within that time (and the process that bumps sees it at once).
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

VERSION_KEY = "portal:data-version"
# ≤ 60 s: a new decision written without a signal still shows within a minute.
PAGE_TTL = 60
# The version key outlives every entry; if it is ever evicted, a new one simply invalidates everything.
VERSION_TTL = None


LOCAL_VERSION_TTL = 2.0
LOCAL_MAX_ENTRIES = 512

_lock = threading.Lock()
_local_version: tuple[str, float] | None = None  # (version, monotonic time read)
_local_entries: OrderedDict[str, tuple[str, Any, float]] = OrderedDict()  # key → (version, value, expires)


def _new_version() -> str:
    return str(time.time_ns())


def local_clear() -> None:
    """Forget this process's tier-1 copies (tests; ``cache.clear()`` does not reach them)."""
    global _local_version
    with _lock:
        _local_version = None
        _local_entries.clear()


def bump_version() -> None:
    """Invalidate every cached public page and data block at once."""
    global _local_version
    version = _new_version()
    cache.set(VERSION_KEY, version, VERSION_TTL)
    with _lock:
        _local_version = (version, time.monotonic())
        _local_entries.clear()


def current_version() -> str:
    """The shared data version, read from tier 2 at most every ``LOCAL_VERSION_TTL`` seconds."""
    global _local_version
    now = time.monotonic()
    local = _local_version
    if local is not None and now - local[1] < LOCAL_VERSION_TTL:
        return local[0]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), VERSION_TTL)
        version = cache.get(VERSION_KEY)
    with _lock:
        _local_version = (version, now)
    return version


def get_fresh(key: str) -> tuple[Any, str]:
    """The value stored under ``key`` if it was built from the current data version and its TTL has not run
    out, else ``None``; and that version (to stamp a rebuilt value with)."""
    version = current_version()
    local = _local_entries.get(key)
    if local is not None and local[0] == version and local[2] > time.monotonic():
        return local[1], version
    entry = cache.get(key)
    if entry is not None and entry[0] == version:
        # The copy lives no longer than the shared entry: staleness stays bounded by one TTL.
        _remember(key, version, entry[1], entry[2] - time.time())
        return entry[1], version
    return None, version


def _remember(key: str, version: str, value: Any, expires_in: float) -> None:
    if expires_in <= 0:
        return
    with _lock:
        _local_entries[key] = (version, value, time.monotonic() + min(expires_in, PAGE_TTL))
        _local_entries.move_to_end(key)
        while len(_local_entries) > LOCAL_MAX_ENTRIES:
            _local_entries.popitem(last=False)


def put(key: str, version: str, value: Any, ttl: int = PAGE_TTL) -> None:
    cache.set(key, (version, value, time.time() + ttl), ttl)
    _remember(key, version, value, ttl)


def cached(key: str, build: Callable[[], Any], ttl: int = PAGE_TTL) -> Any:
    """``build()``'s result, served from the cache while the data version holds and the TTL lasts."""
    value, version = get_fresh(key)
    if value is None:
        value = build()
        put(key, version, value, ttl)
    return value


def immutable_get_many(keys: list[str]) -> dict[str, Any]:
    """Entries that never go stale (keyed by what makes them final, e.g. a closed round and when it closed):
    outside the data version, so a bump for unrelated data does not send their builders back to the database."""
    return cache.get_many(keys) if keys else {}


def immutable_set_many(entries: dict[str, Any], ttl: int) -> None:
    if entries:
        cache.set_many(entries, ttl)
