"""Masking of personal data (UU 27/2022): NIK, KK, names and addresses are never shown or logged raw."""

import re

SIXTEEN_DIGITS = re.compile(r"(?<!\d)(\d{6})(\d{6})(\d{4})(?!\d)")


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
    """Mask every run of exactly sixteen digits (a NIK or KK) inside free text, e.g. a log line."""
    return SIXTEEN_DIGITS.sub(lambda m: m.group(1) + "******" + m.group(3), text)
