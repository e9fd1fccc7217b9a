"""The lenient match of a name typed by a person with the name a supporter file lists (pure, no database).

A KTP name is typed by hand twice, once by the person checking and once by whoever filled the pair's file, so
exact comparison would answer "not listed" for the same person. The rule, applied to both names:

1. Unicode compatibility form, accents dropped (``Sú`` → ``su``), case folded;
2. dots and apostrophes are deleted (``S.Pd.`` → ``spd``, ``Ma'ruf`` → ``maruf``), and every other character
   that is not a letter or a digit becomes a space (commas, hyphens, slashes);
3. honorifics and academic or religious titles are dropped as whole words (``H.``, ``Hj.``, ``Dr.``,
   ``Ir.``, ``S.H.``, ``S.Pd.``, ``M.Si`` ...: ``TITLE_WORDS``), since a KTP may or may not carry them; single
   letters are kept (an initial is part of a name);
4. runs of spaces collapse to one.

Two names match when what remains is identical and not empty. Nothing fuzzier (no edit distance): a looser
rule would let someone learn whether a NIK is listed by trying name variants.
"""

import re
import unicodedata

# Whole words dropped once dots are deleted: "S.Pd." is read as "spd", "Hj." as "hj".
TITLE_WORDS = frozenset(
    {
        "h", "hj", "kh", "tgh", "dr", "drs", "dra", "ir", "prof", "sh", "se", "ssi", "spd", "skom", "sag",
        "ssos", "sip", "st", "skm", "sked", "sth", "amd", "mm", "mh", "msi", "mpd", "mt", "mag", "mkes",
        "phd", "bsc", "msc", "ners", "apt", "bapak", "ibu", "bpk", "sdr", "sdri", "tn", "ny", "nn",
    }
)  # fmt: skip
_JOINED = re.compile(r"[.'\u2019`]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """``name`` reduced by the rule above to the form two names are compared in."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = _NOT_WORD.sub(" ", _JOINED.sub("", plain)).split()
    return " ".join(w for w in words if w not in TITLE_WORDS)


def names_match(typed: str, listed: str) -> bool:
    """Whether the name a person typed is the listed name under the lenient rule (never on two empty keys)."""
    typed_key = name_key(typed)
    return bool(typed_key) and typed_key == name_key(listed)
