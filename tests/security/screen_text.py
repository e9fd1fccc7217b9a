"""What a person reads on a page, and the raw values that must never be in it (#21): Python's ``None``, ``nan``,
a word or phrase said twice in a row, a region code where its name belongs ("52.01 52.01"), and, in
Indonesian, a number grouped with commas ("38,406" where the site writes "38.426"). Shared by the client-side
scan over the permission matrix's pages and the browser suite."""

import re
from html.parser import HTMLParser

NONE = re.compile(r"\bNone\b")
NAN = re.compile(r"\b(?:nan|NaN)\b")
# a phrase of one to three words (each of three letters or more) said twice in a row: "nama pengguna nama pengguna"
REPEATED = re.compile(r"\b([^\W\d_]{3,}(?:\s+[^\W\d_]{3,}){0,2})\s+\1\b", re.IGNORECASE)
# (not a date's day beside its time's hour: "2026-12-08 08:02:13" on the 8th between 08:00 and 09:00)
CODE_TWICE = re.compile(r"(?<![\d.\-/])(\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?)\s+\1(?![\d.:])")
COMMA_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea", "template"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self.skip += 1
        elif tag in {"br", "p", "li", "td", "th", "div", "h1", "h2", "h3", "option", "dt", "dd", "tr", "label"}:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self.skip:
            self.skip -= 1
        elif tag in {"td", "th", "li", "p", "div", "option", "dd", "dt", "label"}:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of an HTML page as read on screen, one block per line (scripts, styles and code left out)."""
    parser = _Text()
    parser.feed(html)
    return "\n".join(" ".join(line.split()) for line in "".join(parser.parts).splitlines() if line.strip())


def raw_values(text: str, *, indonesian: bool = True) -> list[str]:
    """Each raw value found in ``text`` (visible text, ``visible_text``), with the line it is on."""
    found = []
    for line in text.splitlines():
        for label, pattern in (("None", NONE), ("nan", NAN), ("repeated", REPEATED), ("code twice", CODE_TWICE)):
            if pattern.search(line):
                found.append(f"{label}: {line[:160]}")
        if indonesian and COMMA_GROUPED.search(line):
            found.append(f"comma-grouped number: {line[:160]}")
    return found
