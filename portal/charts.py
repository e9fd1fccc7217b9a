"""Geometry of the server-rendered SVG charts: numbers in, shapes out; the templates only draw them.

Coordinates are whole numbers: templates localise floats ("15,5" in Indonesian), which SVG cannot read.

No JavaScript and no external tiles: the CSP allows neither, and a phone on a slow link gets the finished
picture in the page itself. Colours are SVG presentation attributes (``fill=``), which the CSP permits.
"""

import math

# Light to dark blue; the darkest classes carry white labels (contrast ≥ 4.5:1 either way).
TILE_COLOURS = ["#f1f5f9", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a"]
TILE_TEXT = ["#1e293b", "#1e293b", "#0f172a", "#ffffff", "#ffffff"]
BAR_COLOURS = {"submitted": "#94a3b8", "accepted": "#2563eb", "ms": "#15803d"}

BAR_WIDTH = 640
BAR_LABEL = 190
BAR_HEIGHT = 26
BAR_GAP = 12


def bar_chart(bars: list[dict], minimum: int) -> dict:
    """Horizontal bars (``key``, ``label``, ``value``) on one scale with the legal minimum as a marker line."""
    area = BAR_WIDTH - BAR_LABEL - 80
    top = max([minimum, *(b["value"] for b in bars)]) or 1
    rows = []
    for i, bar in enumerate(bars):
        width = round(area * bar["value"] / top)
        y = 10 + i * (BAR_HEIGHT + BAR_GAP)
        rows.append(
            {
                **bar,
                "x": BAR_LABEL,
                "y": y,
                "width": max(width, 1 if bar["value"] else 0),
                "height": BAR_HEIGHT,
                "text_y": y + round(BAR_HEIGHT * 0.68),
                "value_x": BAR_LABEL + width + 6,
                "fill": BAR_COLOURS.get(bar["key"], "#2563eb"),
            }
        )
    height = 10 + len(bars) * (BAR_HEIGHT + BAR_GAP) + 18
    marker_x = round(BAR_LABEL + area * minimum / top)
    return {
        "width": BAR_WIDTH,
        "height": height,
        "bars": rows,
        "label_x": BAR_LABEL - 8,
        "marker_x": marker_x,
        "marker_bottom": height - 18,
        "marker_label_y": height - 4,
        "minimum": minimum,
    }


TILE_W = 104
TILE_H = 58
TILE_GAP = 4


def share_class(count: int, top: int) -> int:
    """0 for a unit with no support, else 1-4 by quarter of the largest unit's count."""
    if count <= 0 or top <= 0:
        return 0
    return min(4, math.ceil(4 * count / top))


TILE_LINE_CHARS = 15  # what fits on one line of a tile at font size 11
# The kind before a kab/kota name, shortened on a tile so the name itself shows ("Kab. Lombok Barat", not
# "Kabupaten Lom…": four tiles of NTB read the same cut short, #21).
TILE_PREFIXES = (("Kabupaten ", "Kab. "), ("Kota Administrasi ", "Kota Adm. "))


def tile_lines(name: str) -> list[str]:
    """``name`` on at most two lines of ``TILE_LINE_CHARS``, broken between words; only what is still too long
    is cut (with "…")."""
    for long, short in TILE_PREFIXES:
        if name.startswith(long):
            name = short + name.removeprefix(long)
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= TILE_LINE_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [line if len(line) <= TILE_LINE_CHARS else line[: TILE_LINE_CHARS - 1] + "…" for line in lines]


def tile_grid(units: list[dict], total: int) -> dict:
    """A map-like grid: one tile per spread unit in code order (neighbouring codes are mostly neighbours),
    coloured by the unit's share of the pair's counted supporters."""
    n = len(units)
    columns = max(1, min(6, math.ceil(math.sqrt(n * 1.5)))) if n else 1
    top = max((u["count"] for u in units), default=0)
    tiles = []
    for i, unit in enumerate(units):
        row, col = divmod(i, columns)
        level = share_class(unit["count"], top)
        x, y = col * (TILE_W + TILE_GAP), row * (TILE_H + TILE_GAP)
        lines = tile_lines(unit["name"])
        tiles.append(
            {
                **unit,
                "x": x,
                "y": y,
                "class": level,
                "fill": TILE_COLOURS[level],
                "text_fill": TILE_TEXT[level],
                "lines": lines,
                "label_x": x + TILE_W // 2,
                "name_y": y + (18 if len(lines) > 1 else 24),
                "count_y": y + (48 if len(lines) > 1 else 44),
                "share": round(100 * unit["count"] / total, 1) if total else 0.0,
            }
        )
    rows = math.ceil(n / columns) if n else 0
    legend = [{"class": 0, "fill": TILE_COLOURS[0], "low": 0, "high": 0}]
    for level in range(1, 5):
        legend.append(
            {
                "class": level,
                "fill": TILE_COLOURS[level],
                "low": round(100 * top * (level - 1) / 4 / total, 1) if total else 0,
                "high": round(100 * top * level / 4 / total, 1) if total else 0,
            }
        )
    return {
        "width": max(columns * (TILE_W + TILE_GAP) - TILE_GAP, TILE_W),
        "height": max(rows * (TILE_H + TILE_GAP) - TILE_GAP, TILE_H),
        "tiles": tiles,
        "legend": legend,
        "tile_w": TILE_W,
        "tile_h": TILE_H,
    }
