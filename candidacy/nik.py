"""The NIK (*Nomor Induk Kependudukan*), read as a pure function so that every app checks it the same way.

Layout (docs/domain.md §6; Permendagri 7/2019 on the NIK): ``PPKKCC DDMMYY SSSS`` — province, kab/kota and
kecamatan of first issue, date of birth with 40 added to the day for women, serial. There is no checksum
and the century is not written, so a birth date is checked against both 19xx and 20xx.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_SHAPE = re.compile(r"\d{16}")
FEMALE_DAY_OFFSET = 40


def _bad_date_message() -> str:
    """One message, looked up in the reader's language each time it is raised (not at import)."""
    return _("Digit 7-12 NIK bukan tanggal lahir yang sah (DDMMYY, tanggal +40 untuk perempuan).")


class NikError(ValueError):
    """The value is not a well-formed NIK (the message is for the user, translated when raised)."""


@dataclass(frozen=True)
class NikFacts:
    province: str
    regency: str
    district: str
    birth_day: int
    birth_month: int
    birth_yy: int
    female: bool
    serial: str

    @property
    def region_code(self) -> str:
        """The kecamatan of first issue as a dotted Kemendagri code (``52.01.01``)."""
        return f"{self.province}.{self.regency}.{self.district}"

    def birth_dates(self) -> list[datetime.date]:
        """Every real date the six digits can stand for (19xx and 20xx), oldest first."""
        dates = []
        for century in (1900, 2000):
            try:
                dates.append(datetime.date(century + self.birth_yy, self.birth_month, self.birth_day))
            except ValueError:
                continue
        return dates


def parse_nik(nik: str) -> NikFacts:
    """Split a NIK into its facts; ``NikError`` when it is not 16 digits or its date part is impossible."""
    value = (nik or "").strip()
    if not _SHAPE.fullmatch(value):
        raise NikError(_("NIK harus 16 digit angka."))
    raw_day, month, yy = int(value[6:8]), int(value[8:10]), int(value[10:12])
    female = raw_day > FEMALE_DAY_OFFSET
    day = raw_day - FEMALE_DAY_OFFSET if female else raw_day
    if not 1 <= day <= 31 or not 1 <= month <= 12:
        raise NikError(_bad_date_message())
    facts = NikFacts(
        province=value[0:2],
        regency=value[2:4],
        district=value[4:6],
        birth_day=day,
        birth_month=month,
        birth_yy=yy,
        female=female,
        serial=value[12:16],
    )
    if not facts.birth_dates():
        raise NikError(_bad_date_message())
    return facts


def nik_matches(nik: str, date_of_birth: datetime.date, sex: str) -> bool:
    """True when the NIK is well formed and agrees with the date of birth and sex (``"M"`` or ``"F"``)."""
    try:
        facts = parse_nik(nik)
    except NikError:
        return False
    return date_of_birth in facts.birth_dates() and facts.female == (sex == "F")
