"""One normal form for region names, used when a list is loaded (``Region.search_name``), when a visitor
searches, and when two lists are compared. Keeping a single function means a name that is found by search
is also a name the diff treats as unchanged."""

import re
import unicodedata

# Typographic and ASCII apostrophes are dropped rather than turned into spaces, so "Soka'an", "Soka\u2019an"
# and "Sokaan" all meet (three 53.07.* village names use U+2019, about 437 use the ASCII one).
_APOSTROPHES = str.maketrans(dict.fromkeys("'\u2019\u2018`\u00b4\u02bc", ""))
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

# Regency prefixes appear as `KAB.`, `Kab`, `Kabupaten`, `KOTA ADM.`, `KAB. ADM. KEP. SERIBU` across decrees.
_REGENCY_PREFIX = {"kab": "kabupaten", "kabupaten": "kabupaten", "kota": "kota"}
_ADMINISTRASI = {"adm", "administrasi"}
_KEPULAUAN = {"kep", "kepulauan"}


def normalize_region_name(name: str) -> str:
    """Lower-case, accent-free, punctuation- and space-free form of ``name`` with regency prefixes expanded.

    ``"KAB. LOMBOK BARAT"``, ``"Kab Lombok  Barat"`` and ``"Kabupaten Lombok Barat"`` all give
    ``"kabupatenlombokbarat"``; a query is normalised the same way and matched by substring.
    """
    text = name.translate(_APOSTROPHES)
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = [w for w in _NON_ALNUM.split(text.lower()) if w]
    if words and words[0] in _REGENCY_PREFIX:
        words[0] = _REGENCY_PREFIX[words[0]]
        i = 1
        if i < len(words) and words[i] in _ADMINISTRASI:
            words[i] = "administrasi"
            i += 1
        if i < len(words) and words[i] in _KEPULAUAN:
            words[i] = "kepulauan"
    return "".join(words)
