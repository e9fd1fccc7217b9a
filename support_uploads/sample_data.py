"""Well-formed supporter rows for the demo, the tests and the benchmark: NIKs consistent with the date of
birth and sex (docs/domain.md §6), real village codes, and unique per index."""

import datetime

EPOCH = datetime.date(1950, 1, 1)
DIGIT_LETTERS = str.maketrans("0123456789", "abcdefghij")


def index_letters(index: int) -> str:
    """The index spelt in letters (0 → a, ..., 9 → j; 120 → "Bca"): a name has no digits, and stays unique."""
    return str(index).translate(DIGIT_LETTERS).capitalize()


def sample_row(index: int, village_code: str, *, marital: str = "S") -> dict[str, str]:
    """Row ``index`` (unique NIK for index < 10,000 × 20,000) living in ``village_code``."""
    birth = EPOCH + datetime.timedelta(days=(index // 10_000) * 7 % 18_000 + index % 7)
    female = index % 2 == 1
    day = birth.day + 40 if female else birth.day
    district = village_code.replace(".", "")[:6]
    nik = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{index % 10_000:04d}"
    return {
        "nik": nik,
        "kk": f"{district}{(index * 7919) % 10**10:010d}",
        "name": f"Pendukung {index_letters(index)}",
        "birth_place": "Mataram",
        "birth_date": birth.strftime("%d-%m-%Y"),
        "sex": "P" if female else "L",
        "marital": marital,
        "occupation": "Petani",
        "address": f"Jl. Contoh No. {index % 500 + 1}",
        "rt": f"{index % 20 + 1:03d}",
        "rw": f"{index % 9 + 1:03d}",
        "village_code": village_code,
        "phone": f"0812{index % 10**8:08d}",
        "email": "",
    }
