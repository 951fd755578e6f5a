"""Variants of the real reports as reports really vary, made on the report's own text (a seed,
a corpus web page) so that every cell and verdict of its gold still holds:

- a typo in a row label or a part heading: a character substituted, dropped, doubled or
  transposed, or 其它 for 其他 (the wording rules must then report the label or heading);
- a row label cut in two over two lines, its values after the first half or the second;
- a clump of row labels printed ahead of their rows of values, as text extracted from a PDF
  block by block prints them.

Where a label or heading is in the text is found from the national format as printed (its
labels, in the format's order, after the table's part heading): nothing here is known to the
parser."""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Optional, Sequence

from checker.formats import FormatSpec
from checker.textnorm import loose, strip_enumerator
from readers_support import gold_cells as support_gold_cells

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOURCES = [(FIXTURES / "seeds", g) for g in sorted((FIXTURES / "gold").glob("*.json"))] + \
    [(FIXTURES / "corpus", g) for g in sorted((FIXTURES / "corpus" / "gold").glob("*.json"))
     if json.loads(g.read_text(encoding="utf-8"))["source"].endswith(".html")]
TYPOS = ("substitute", "delete", "double", "transpose", "qita")
# characters a typo puts in: common ones that are in no label of the format
_STRANGERS = "甲乙丙丁戊己庚辛壬癸"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Source:
    name: str
    path: Path
    gold: dict
    text: str

    @property
    def is_text(self) -> bool:
        return self.path.suffix == ".txt"


def load_sources() -> list[Source]:
    out = []
    for folder, gold_file in SOURCES:
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        path = folder / gold["source"]
        out.append(Source(gold_file.stem, path, gold, path.read_text(encoding="utf-8")))
    return out


@dataclass(frozen=True)
class Place:
    """Where a label or heading is in a source's text."""

    start: int
    end: int
    table: str  # the table's key, or "parts"
    key: str  # the row's or the part's key

    def of(self, text: str) -> str:
        return text[self.start:self.end]


# --------------------------------------------------------------------------- where things are


def _wordings(label: str) -> list[str]:
    bare = strip_enumerator(label)
    return list(dict.fromkeys([bare, bare.replace("“", "").replace("”", "")]))


def headings(text: str, fmt: FormatSpec) -> list[Place]:
    """The wording of each part heading (after its ordinal) found in the text."""
    places = []
    for part in fmt.parts:
        for wording in (part.label, *part.variants):
            found = re.search(rf"(?:第{part.ordinal}部分|{part.ordinal}\s*[、.．])\s*({re.escape(wording)})", text)
            if found:
                places.append(Place(found.start(1), found.end(1), "parts", str(part.id)))
                break
    return places


def row_labels(text: str, fmt: FormatSpec) -> list[Place]:
    """Each row label of the tables found in the text, in the format's order, after the table's
    part heading (a row label found nowhere, or cut by a line break, is left out)."""
    places = []
    by_part = {int(p.key): p for p in headings(text, fmt)}
    for spec in fmt.tables:
        heading = by_part.get(spec.part)
        if heading is None:
            continue
        following = [p.start for k, p in by_part.items() if k > spec.part]
        end = min(following) if following else len(text)
        at = heading.end
        for row in spec.rows:
            for wording in _wordings(row.label):
                found = _whole(text, wording, at, end)
                if found >= 0:
                    places.append(Place(found, found + len(wording), spec.key, row.key))
                    at = found + len(wording)
                    break
    return places


def _whole(text: str, wording: str, start: int, end: int) -> int:
    """Where ``wording`` stands as a label of its own (not inside a longer label: 其他 of
    其他处理), or -1."""
    found = text.find(wording, start, end)
    while found >= 0:
        after = text[found + len(wording):found + len(wording) + 1]
        before = text[found - 1:found] if found else ""
        if not _CJK.match(after) and not _CJK.match(before):
            return found
        found = text.find(wording, found + 1, end)
    return -1


# --------------------------------------------------------------------------- changes


def typo(word: str, kind: str, count: int, rnd: random.Random) -> Optional[str]:
    """``word`` with ``count`` typos of a kind, only ever in its Chinese characters; None when
    the kind cannot change it. A label that lost its last character reads as one a line break
    cut short, so the last character is never dropped."""
    out = word
    for _ in range(count):
        positions = [m.start() for m in _CJK.finditer(out)]
        if kind == "qita":
            if "其他" not in out:
                return None
            out = out.replace("其他", "其它", 1)
            break
        if kind == "substitute":
            i = rnd.choice(positions)
            out = out[:i] + rnd.choice([c for c in _STRANGERS if c not in out]) + out[i + 1:]
        elif kind == "delete":
            if len(positions) < 2:
                return None
            i = rnd.choice(positions[:-1])
            out = out[:i] + out[i + 1:]
        elif kind == "double":
            i = rnd.choice(positions)
            out = out[:i] + out[i] + out[i:]
        elif kind == "transpose":
            pairs = [i for i in positions if i + 1 in positions and out[i] != out[i + 1]]
            if not pairs:
                return None
            i = rnd.choice(pairs)
            out = out[:i] + out[i + 1] + out[i] + out[i + 2:]
        else:
            raise ValueError(kind)
    return out if loose(out) != loose(word) else None


def accepted(written: str, place: Place, fmt: FormatSpec) -> bool:
    """Whether a changed label or heading is still one of the wordings the format accepts for
    it (a typo can make one: 其他需要报告的事项 without 的)."""
    if place.table == "parts":
        spec = fmt.part(int(place.key))
    else:
        spec = fmt.table(place.table).row(place.key)
    return loose(written) in {loose(w) for w in (spec.label, *spec.variants)}


def replace_at(text: str, place: Place, new: str) -> str:
    return text[:place.start] + new + text[place.end:]


def _line_of(text: str, place: Place) -> tuple[int, int]:
    start = text.rfind("\n", 0, place.start) + 1
    end = text.find("\n", place.end)
    return start, len(text) if end < 0 else end


_VALUES = re.compile(r"^[\t ]*(?:[\d,.]+[\t ]*)+$")


def values_after(text: str, place: Place) -> Optional[str]:
    """The rest of the label's line when it is the row's values and nothing else."""
    _, end = _line_of(text, place)
    rest = text[place.end:end]
    return rest if _VALUES.match(rest) and rest.strip() else None


def split_label(text: str, place: Place, at: int, values_first: bool) -> Optional[str]:
    """The label cut in two over two lines at ``at`` (0 < at < its length), its values after
    the second half, or after the first (``values_first``). None when the label's line is not
    label-then-values."""
    rest = values_after(text, place)
    label = place.of(text)
    if rest is None or not 0 < at < len(label):
        return None
    _, end = _line_of(text, place)
    head, tail = label[:at], label[at:]
    if values_first:
        new = f"{head}{rest}\n{tail}"
    else:
        new = f"{head}\n{tail}{rest}"
    return text[:place.start] + new + text[end:]


def label_above_values(text: str, place: Place, debris: str) -> Optional[str]:
    """The label alone on its line and its values on the next, after ``debris`` (a character
    of a vertical group label falling between the rows, as a layout-keeping PDF extraction
    prints "3.危及“三安全一稳定”" / "度      5     0 ..."). None when the label's line is not
    label-then-values."""
    rest = values_after(text, place)
    if rest is None:
        return None
    _, end = _line_of(text, place)
    return text[:place.end] + "\n" + debris + rest + text[end:]


def clump(text: str, places: Sequence[Place]) -> Optional[str]:
    """Rows on consecutive lines (each its label, then its values) printed as a clump of their
    labels, then their rows of values, as text extracted block by block prints them. None when
    the rows are not so laid out."""
    spans = [_line_of(text, p) for p in places]
    rests = [values_after(text, p) for p in places]
    if any(r is None for r in rests):
        return None
    for (_, end), (start, _) in zip(spans, spans[1:]):
        if text[end:start].strip():
            return None  # something between the rows
    heads = [text[start:p.end] for (start, _), p in zip(spans, places)]
    values = [r.strip().replace(" ", "\t") for r in rests]  # type: ignore[union-attr]
    first, last = spans[0][0], spans[-1][1]
    return text[:first] + "\n".join([*heads, *values]) + text[last:]


def values_ahead(text: str, places: Sequence[Place], tail: int = 1, by_column: bool = False,
                 drop: Optional[int] = None) -> Optional[str]:
    """Rows on consecutive lines as pdftotext prints a table without -layout whose label cells
    sit in the middle of their rows' height: the first label with its values, then the values
    of the rows after it one a line, then those rows' labels, and the last ``tail`` values of
    the last row after its label. ``by_column``: the later rows' values column by column (a
    table extracted column by column); ``drop``: the index of a value of theirs left out (a
    blank cell leaves no trace). None when the rows are not so laid out."""
    spans = [_line_of(text, p) for p in places]
    rests = [values_after(text, p) for p in places]
    if len(places) < 3 or any(r is None for r in rests) or any(
            text[end:start].strip() for (_, end), (start, _) in zip(spans, spans[1:])):
        return None
    heads = [text[start:p.end] for (start, _), p in zip(spans, places)]
    rows = [r.split() for r in rests]  # type: ignore[union-attr]
    later = rows[1:]
    if by_column:
        values = [row[n] for n in range(len(later[0])) for row in later]
    else:
        values = [v for row in later for v in row]
    if drop is not None:
        del values[drop]
    cut = len(values) - tail
    lines = [heads[0], *rows[0], *values[:cut], *heads[1:], *values[cut:]]
    first, last = spans[0][0], spans[-1][1]
    return text[:first] + "\n".join(lines) + text[last:]


# --------------------------------------------------------------------------- what must hold


def gold_cells(gold: dict) -> dict[tuple[str, str, Optional[str]], object]:
    """Every cell the gold checks (see readers_support.gold_cells): Table B's rows the gold
    marks incomplete are left out."""
    skip = set(gold.get("applications_incomplete_rows", []))
    return {key: value for key, value in support_gold_cells(gold).items()
            if not (key[0] == "applications" and key[1] in skip)}


def wrong_cells(report, gold: dict) -> list[str]:
    wrong = []
    for (table, row, col), value in gold_cells(gold).items():
        cell = cell_of(report, table, row, col)
        got = cell.value if cell is not None else None
        if (value is None) != (got is None) or (value is not None and Decimal(str(value)) != Decimal(str(got))):
            wrong.append(f"{table}.{row}.{col}: expected {value}, got {got}")
    if gold["reviews_and_litigation"] is None and report.tables.get("reviews_and_litigation") is not None:
        if any(c.value is not None for c in report.tables["reviews_and_litigation"].cells.values()):
            wrong.append("reviews_and_litigation: the gold has no Table C, values were read")
    return wrong


def cell_of(report, table: str, row: str, col: Optional[str]):
    """The report's cell; ``col`` None for a row with a single value cell."""
    found = report.tables.get(table)
    if found is None:
        return None
    if col is None:
        own = [cell for (r, _), cell in found.cells.items() if r == row]
        return own[0] if len(own) == 1 else None
    return found.cell(row, col)
