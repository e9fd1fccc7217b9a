"""Personal data (UU 27/2022): how each kind is masked, and the one policy that decides, for every page, API
answer, export, document and error report, who sees which kind in full, masked or not at all.

The policy is ``POLICY``: a table of the kind of value (``Kind``) against the viewer's need (``Need``). A caller
asks ``viewer_for`` once for the viewer of some data (the data's region and whether the viewer is the pair's
own team) and then renders each value with ``Viewer.show``; nothing else decides. ``SECURITY.md`` states the
table and its legal basis; ``tests/security/test_personal_data_leaks.py`` checks every page and download of
the roles without the need.
"""

import datetime
import enum
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from silon.accounts.jurisdiction import region_in_reach
from silon.accounts.roles import Role

if TYPE_CHECKING:
    from silon.accounts.models import User

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


def mask_phone(value: str | None) -> str:
    """``081234567890`` → ``0812******90``: the operator prefix and the last two digits stay."""
    if not value:
        return ""
    value = str(value)
    digits = sum(ch.isdigit() for ch in value)
    if digits < 8:
        return "*" * len(value)
    kept, seen, out = 4, 0, []
    for ch in value:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= kept or seen > digits - 2 else "*")
        else:
            out.append(ch)
    return "".join(out)


def mask_email(value: str | None) -> str:
    """``nurul.aini@example.id`` → ``n***@example.id``; a value without an ``@`` is hidden whole."""
    if not value:
        return ""
    local, at, domain = str(value).partition("@")
    if not at or not local:
        return "••••"
    return f"{local[0]}***@{domain}"


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)|(?<!\d)\d{4}((?:19|20)\d\d)(?!\d)")


def mask_birth_date(value) -> str:
    """A date of birth as its year only, ``**-**-1990``: with the day and month the birth-date digits of a
    masked NIK (``mask_nik``) could be written back. Text as it was sent keeps only a year it plainly holds."""
    if not value:
        return ""
    if isinstance(value, datetime.date):
        return f"**-**-{value.year:04d}"
    found = _YEAR.search(str(value))
    if found is None:
        return "••••"
    return "**-**-" + (found.group(1) or found.group(2))


class Kind(enum.StrEnum):
    """The kinds of personal data SILON shows."""

    NIK = "nik"  # a supporter's NIK
    KK = "kk"  # a supporter's family-card number
    NAME = "name"
    ADDRESS = "address"
    PHONE = "phone"
    EMAIL = "email"
    BIRTH_DATE = "birth_date"
    CANDIDATE_NIK = "candidate_nik"
    # a scanned identity document (a supporter's KTP copy, a candidate's KTP-el copy): an image cannot be
    # masked, so a viewer sees it whole or not at all
    IDENTITY_IMAGE = "identity_image"


class Show(enum.IntEnum):
    """How a value is shown; a larger number shows more."""

    HIDDEN = 0
    MASKED = 1
    FULL = 2


class Need(enum.StrEnum):
    """Why a viewer looks at personal data, which decides how much it sees (``POLICY``)."""

    KPU = "kpu"  # KPU operator (or system admin) whose jurisdiction holds the data: checks and decides on it
    OWN_TEAM = "own_team"  # the pair's own LO: corrects the rows of its own file
    VERIFIER = "verifier"  # PPK/PPS whose area holds the supporter: finds the person at the address
    BAWASLU = "bawaslu"  # supervises the stage, read-only (UU 7/2017; PKPU 8/2024)
    DOCUMENT = "document"  # an official document printed once for every reader (B.1.1-KWK and siblings)
    NONE = "none"  # anyone else: another area, another pair's team, a party admin, the public


F, M, H = Show.FULL, Show.MASKED, Show.HIDDEN
_KINDS = tuple(Kind)
# kind:                NIK KK NAME ADDRESS PHONE EMAIL BIRTH_DATE CANDIDATE_NIK IDENTITY_IMAGE
POLICY: dict[Need, dict[Kind, Show]] = {
    need: dict(zip(_KINDS, row, strict=True))
    for need, row in {
        Need.KPU: (F, F, F, F, F, F, F, F, F),
        Need.OWN_TEAM: (F, F, F, F, F, F, F, M, F),
        Need.VERIFIER: (M, H, F, F, H, H, M, H, H),
        Need.BAWASLU: (M, M, M, M, M, M, M, M, H),
        Need.DOCUMENT: (M, H, F, H, H, H, H, H, H),
        Need.NONE: (M, H, M, M, H, H, M, H, H),
    }.items()
}
del F, M, H

_MASKS = {
    Kind.NIK: mask_nik,
    Kind.KK: mask_nik,
    Kind.NAME: mask_name,
    Kind.ADDRESS: mask_address,
    Kind.PHONE: mask_phone,
    Kind.EMAIL: mask_email,
    Kind.BIRTH_DATE: mask_birth_date,
    Kind.CANDIDATE_NIK: mask_nik,
    Kind.IDENTITY_IMAGE: lambda _image: "",  # never shown masked (POLICY has FULL or HIDDEN only)
}


@dataclass(frozen=True)
class Viewer:
    """One viewer's share of the policy: ``show`` renders a value of a kind as this viewer may see it."""

    need: Need
    cap: Show = Show.FULL  # at most this much of anything (``listing``)

    def listing(self) -> "Viewer":
        """The viewer for a list of many people (an upload's rows): nothing there is shown in full, whatever the
        need; the full record is one audited click away (data minimisation, UU 27/2022 Pasal 16(2))."""
        return Viewer(self.need, cap=min(self.cap, Show.MASKED))

    def level(self, kind: Kind, *, person: Kind = Kind.NIK) -> Show:
        """How ``kind`` is shown. A date of birth is never shown in full beside a NIK (``person``, the NIK of
        the record it belongs to) that is not: the masked digits of a NIK are the date of birth."""
        shown = POLICY[self.need][kind]
        if kind == Kind.BIRTH_DATE and POLICY[self.need][person] != Show.FULL:
            shown = min(shown, Show.MASKED)
        return min(shown, self.cap)

    def full(self, kind: Kind, *, person: Kind = Kind.NIK) -> bool:
        return self.level(kind, person=person) == Show.FULL

    def show(self, kind: Kind, value, *, person: Kind = Kind.NIK) -> str:
        """``value`` as this viewer may see it: whole, masked, or "" when hidden."""
        if value is None or value == "":
            return ""
        shown = self.level(kind, person=person)
        if shown == Show.FULL:
            return value.strftime("%d-%m-%Y") if isinstance(value, datetime.date) else str(value)
        if shown == Show.MASKED:
            return _MASKS[kind](value)
        return ""

    def record(self, values: dict[Kind, object], *, person: Kind = Kind.NIK) -> dict[str, str]:
        """Several values of one person, keyed by their kind's name."""
        return {str(kind): self.show(kind, value, person=person) for kind, value in values.items()}


def viewer_for(user: "User | None", *, region_code: str, own_team: bool = False) -> Viewer:
    """The viewer ``user`` is for data of ``region_code`` (a supporter's desa, a pair's election region);
    ``own_team``: the user is the pair's own LO (its grant is checked by the caller's app)."""
    if user is None or not user.is_authenticated:
        return Viewer(Need.NONE)
    if user.is_superuser or user.role == Role.ADMIN:
        return Viewer(Need.KPU)
    if region_in_reach(user, region_code):
        need = {Role.KPU_OPERATOR: Need.KPU, Role.VERIFIER: Need.VERIFIER, Role.BAWASLU: Need.BAWASLU}.get(user.role)
        if need is not None:
            return Viewer(need)
    return Viewer(Need.OWN_TEAM if own_team else Need.NONE)


DOCUMENT_VIEWER = Viewer(Need.DOCUMENT)
