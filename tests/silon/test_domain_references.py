"""The domain facts the code cites are in the repository: every ``docs/domain.md §N`` a comment, docstring,
template or page names is a section of ``docs/domain.md``, and nothing cites the old upper-case file that the
repository never had."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "silon",
    "regions",
    "dashboard",
    "candidacy",
    "support_uploads",
    "verification",
    "objections",
    "portal",
    "bench",
)
CITATION = re.compile(r"domain\.md,?\s+§\s*(\d+(?:\.\d+)*)")
OLD_NAME = re.compile(r"\bDOMAIN\.md\b")  # case-sensitive: the file is docs/domain.md


def _sources() -> list[Path]:
    """Code, templates and the pages a reader follows (``docs/STATUS.md``, the sessions' log, tells history)."""
    docs = [path for path in (ROOT / "docs").glob("*.md") if path.name != "STATUS.md"]
    files = [ROOT / "README.md", *docs, *(ROOT / "templates").rglob("*.html")]
    for package in PACKAGES:
        files += [path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts]
    return sorted(files)


def sections(text: str) -> set[str]:
    """The numbers of the headings (``## 3. The lifecycle``, ``### 3.1 Election set-up`` give 3 and 3.1)."""
    return {m.group(1) for m in re.finditer(r"^#{2,6}\s+(\d+(?:\.\d+)*)\.?\s", text, re.MULTILINE)}


def dangling(text: str, known: set[str]) -> list[str]:
    """What ``text`` cites that is not there: a ``§N`` with no such section, or the old file name."""
    return [f"§{n}" for n in CITATION.findall(text) if n not in known] + OLD_NAME.findall(text)


def test_every_cited_section_exists():
    known = sections((ROOT / "docs" / "domain.md").read_text(encoding="utf-8"))
    assert {"2", "3", "3.5", "4", "6.1", "9.4"} <= known
    cited = 0
    problems = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        cited += len(CITATION.findall(text))
        problems += [f"{path.relative_to(ROOT)}: {bad}" for bad in dangling(text, known)]
    assert cited > 20  # the scan finds the citations the code makes
    assert problems == [], "\n".join(problems)


def test_a_dangling_citation_is_caught():
    known = sections("## 3. The lifecycle\n### 3.5 Correction\n")
    assert known == {"3", "3.5"}
    assert dangling("# docs/domain.md §3.5 and docs/domain.md §3", known) == []
    assert dangling("# docs/domain.md §3.6", known) == ["§3.6"]
    assert dangling("# see DOMAIN.md §2", known) == ["DOMAIN.md"]
