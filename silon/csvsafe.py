"""Neutralise spreadsheet formulas in exported values (CSV/xlsx injection)."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value):
    """A text value a spreadsheet would run as a formula gets a leading apostrophe; others pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_safe(values):
    return [cell_safe(v) for v in values]
