"""Calendar days for tests, built from the clock, never written as fixed days that will pass.

CI also runs the suite with the clock moved years ahead (``SILON_TEST_CLOCK_SHIFT``, see tests/conftest.py), so
every date a test, factory or fixture needs comes from here or from ``timezone.now()``.
"""

import datetime

from django.utils import timezone

#: How far ahead of today a test election's polling day lies: after every stage window the tests open
#: around "now" (a few days either side), as in a real election being prepared.
POLLING_DAYS_AHEAD = 60


def today() -> datetime.date:
    return timezone.localdate()


def polling_day(days_ahead: int = POLLING_DAYS_AHEAD) -> datetime.date:
    """A polling day ``days_ahead`` days from today, never a 29 February (so that "born exactly N years before
    polling day" always exists)."""
    day = today() + datetime.timedelta(days=days_ahead)
    if (day.month, day.day) == (2, 29):
        day += datetime.timedelta(days=1)
    return day


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` earlier (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def local_dt(day: datetime.date, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """An aware datetime on ``day`` in the project's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def form_dt(value: datetime.datetime) -> str:
    """A datetime as an HTML ``datetime-local`` field sends it (local time, minutes)."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
