"""Ids typed into a query string or a POST field outside a form: ASCII digits only, within what the database stores.

``str.isdigit`` is true for "²" and "١٢" too, and ``int("²")`` raises (a 500); an id past 2**63 - 1 overflows
SQLite's INTEGER in an ``IN (...)`` list (a 500 again). Every id a view, a filter or a command reads by hand goes
through ``parse_id``: anything else is "no such id", answered like a missing object (issue #15, input bounds).
"""

from collections.abc import Iterable

ID_MAX = 2**63 - 1  # PostgreSQL bigint and SQLite INTEGER


def parse_id(text: object) -> int | None:
    """``text`` as a positive id (1 .. ``ID_MAX``), or None when it is not one."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if 1 <= text <= ID_MAX else None
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(ID_MAX)):
        return None
    value = int(text)
    return value if 1 <= value <= ID_MAX else None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The ids among ``values`` (``parse_id``), others dropped."""
    return [value for value in map(parse_id, values) if value is not None]


def grouped(number: int) -> str:
    """``number`` with the active language's thousands separator ("38.426" in Indonesian, "38,426" in English):
    the one format of a count in a message, as ``intcomma`` writes it in a template."""
    from django.utils.formats import number_format

    return number_format(number, force_grouping=True)
