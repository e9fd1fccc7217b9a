"""Masking of personal data (UU 27/2022): NIK, KK, names and addresses are never shown or logged raw."""

import re

# A NIK or KK inside free text: a run of exactly sixteen digits. Two kinds of digit runs are not personal data
# and are matched first, so that they are kept whole: a decimal number (a timing such as 0.2756470012340173,
# either side of its point) and a long hexadecimal token (a digest, a UUID's hex form, a task id), whose
# digits may happen to line up sixteen in a row.
_NOT_PERSONAL = r"(?P<keep>\d+\.\d+|(?<![0-9A-Za-z])[0-9A-Fa-f]{32,}(?![0-9A-Za-z]))"
_SIXTEEN_DIGITS = r"(?<!\d)(?<!\d\.)(?P<head>\d{6})\d{6}(?P<tail>\d{4})(?!\d)"
PERSONAL_NUMBER = re.compile(f"{_NOT_PERSONAL}|{_SIXTEEN_DIGITS}")


def mask_nik(value: str | None) -> str:
    """``5201014101900001`` → ``520101******0001``: region of issue and serial stay, birth date goes."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_name(value: str | None) -> str:
    """``Baiq Nurul Aini`` → ``B*** N**** A***``."""
    if not value:
        return ""
    return " ".join(word[:1] + "*" * max(len(word) - 1, 0) for word in str(value).split())


def mask_address(value: str | None) -> str:
    """Addresses are hidden whole; only their presence shows."""
    return "••••" if value else ""


def mask_text(text: str) -> str:
    """Mask every run of exactly sixteen digits (a NIK or KK) inside free text, e.g. a log line; decimal numbers
    and long hexadecimal ids stay as they are."""
    return PERSONAL_NUMBER.sub(_mask_match, text)


def _mask_match(match: re.Match) -> str:
    if match.group("keep") is not None:
        return match.group("keep")
    return match.group("head") + "******" + match.group("tail")
