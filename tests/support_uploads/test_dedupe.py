"""The duplicate analysis (support_uploads/dedupe.py, docs/domain.md §4.7) against a plain-Python reading of
the same rules, on many generated uploads: the rows it leaves out early (a NIK neither repeated in the file nor
stored) change no outcome."""

import re

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from support_uploads.dedupe import analyse

PAIR, OTHER = 1, 2
NIKS = [f"52010101019000{i:02d}" for i in range(6)]
NAMES = ["Ani", "ANI", "Budi", "Ani  Sari", "ani sari"]


def _key(row) -> str:
    # case- and spacing-insensitive, as the module says (cells arrive trimmed from the reader)
    return "|".join([re.sub(r"\s+", " ", row["name"].upper()), row["birth_date"], row["marital"]])


def expected(candidates: list[dict], stored: list[dict], batch: str) -> dict[int, str]:
    """The rules read one row at a time, in the order the module documents."""
    earlier = {r["nik"] for r in stored if r["pair_id"] == PAIR and r["batch"] != batch}
    own = [r for r in stored if r["pair_id"] == PAIR and r["batch"] == batch]
    other = {r["nik"] for r in stored if r["pair_id"] != PAIR}
    out = {c["idx"]: "DUP_EARLIER_BATCH" for c in candidates if c["nik"] in earlier}
    rows = [c for c in candidates if c["nik"] not in earlier]
    keys_of: dict[str, set[str]] = {}
    for r in own + rows:
        keys_of.setdefault(r["nik"], set()).add(_key(r))
    seen = {(r["nik"], _key(r)) for r in own}
    for c in rows:
        if (c["nik"], _key(c)) in seen:
            out[c["idx"]] = "DUP_IDENTICAL"
        elif len(keys_of[c["nik"]]) > 1:
            out[c["idx"]] = "DUP_POTENTIAL"
        elif c["nik"] in other:
            out[c["idx"]] = "DUP_EXTERNAL"
        seen.add((c["nik"], _key(c)))
    return out


person = st.fixed_dictionaries(
    {
        "nik": st.sampled_from(NIKS),
        "name": st.sampled_from(NAMES),
        "birth_date": st.sampled_from(["01-01-1990", "02-01-1990"]),
        "marital": st.sampled_from(["B", "S"]),
    }
)
stored_row = st.fixed_dictionaries(
    {"pair_id": st.sampled_from([PAIR, OTHER]), "batch": st.sampled_from(["initial", "correction_1"])}
).flatmap(lambda extra: person.map(lambda p: {**p, **extra}))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(person, max_size=12),
    st.lists(stored_row, max_size=6),
    st.sampled_from(["initial", "correction_1"]),
)
def test_analyse_follows_the_rules_row_by_row(people, stored, batch):
    candidates = [{"idx": i, **p} for i, p in enumerate(people)]
    frame = pl.DataFrame(
        candidates,
        schema={"idx": pl.Int64, "nik": pl.String, "name": pl.String, "birth_date": pl.String, "marital": pl.String},
    )
    stored_frame = pl.DataFrame(
        stored,
        schema={
            "pair_id": pl.Int64,
            "batch": pl.String,
            "nik": pl.String,
            "name": pl.String,
            "birth_date": pl.String,
            "marital": pl.String,
        },
    )
    got = dict(analyse(frame, stored_frame, pair_id=PAIR, batch=batch).iter_rows())
    assert got == expected(candidates, stored, batch)


def test_a_nik_seen_once_and_not_stored_is_left_out_early():
    frame = pl.DataFrame(
        {
            "idx": [0, 1, 2],
            "nik": NIKS[:2] + NIKS[:1],
            "name": ["A", "B", "A"],
            "birth_date": ["x"] * 3,
            "marital": ["B"] * 3,
        }
    )
    stored = pl.DataFrame(
        {
            "pair_id": [OTHER],
            "batch": ["initial"],
            "nik": [NIKS[1]],
            "name": ["B"],
            "birth_date": ["x"],
            "marital": ["B"],
        }
    )
    assert dict(analyse(frame, stored, pair_id=PAIR, batch="initial").iter_rows()) == {
        2: "DUP_IDENTICAL",
        1: "DUP_EXTERNAL",
    }
