"""Glyphs into words and words into lines, the way a reader of the page sees them.

Words: glyphs of one line (tops within Y_TOLERANCE), left to right, split at a space the file
holds or at a gap wider than X_TOLERANCE. Quarter-turned glyphs (a vertical label) make words
read along their direction. The tolerances are pdfplumber's, which the reader used before."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from . import cjk
from .pdf_engine import Glyph

X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
# two CJK words closer than this (in ems) are one run of text spread by justification
CJK_WORD_GAP = 1.0


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    spaced: bool = False  # the file puts a space character before it
    vertical: bool = False  # read top to bottom (glyphs turned a quarter)
    glyphs: tuple[Glyph, ...] = ()  # an upright word's glyphs, left to right (to cut it apart)

    @property
    def middle(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


def words(glyphs: Iterable[Glyph]) -> list[Word]:
    """The words of these glyphs (whitespace glyphs among them separate words)."""
    upright: list[Glyph] = []
    turned: list[Glyph] = []
    for glyph in glyphs:
        (turned if glyph.vertical else upright).append(glyph)
    upright.sort(key=lambda g: g.index)
    out: list[Word] = []
    for line in clusters(upright, lambda g: g.top, Y_TOLERANCE):
        line.sort(key=lambda g: g.x0)
        out.extend(_split(line))
    if turned:
        out.extend(_turned_words(turned))
    return out


def clusters(items: list, key, tolerance: float) -> list[list]:
    """Items grouped by key values chained within ``tolerance``, groups in key order, items in
    their given order within a group."""
    if len(items) < 2:
        return [items] if items else []
    values = sorted({key(item) for item in items})
    group_of: dict[float, int] = {}
    group = 0
    for n, value in enumerate(values):
        if n and value > values[n - 1] + tolerance:
            group += 1
        group_of[value] = group
    groups: list[list] = [[] for _ in range(group + 1)] if values else []
    for item in items:
        groups[group_of[key(item)]].append(item)
    return groups


def _split(line: list[Glyph]) -> list[Word]:
    out: list[Word] = []
    run: list[Glyph] = []
    spaced = False
    for glyph in line:
        if glyph.text.isspace():
            if run:
                out.append(_word(run, spaced))
                run = []
            spaced = True
            continue
        if run:
            last = run[-1]
            if glyph.x0 < last.x0 or glyph.x0 > last.x1 + X_TOLERANCE \
                    or abs(glyph.top - last.top) > Y_TOLERANCE:
                out.append(_word(run, spaced))
                run = []
                spaced = False
        run.append(glyph)
    if run:
        out.append(_word(run, spaced))
    return out


def _word(run: Sequence[Glyph], spaced: bool = False, vertical: bool = False) -> Word:
    return Word("".join(g.text for g in run), min(g.x0 for g in run), min(g.top for g in run),
                max(g.x1 for g in run), max(g.bottom for g in run), spaced, vertical,
                () if vertical else tuple(run))


def cut(word: Word, x: float) -> tuple[Optional[Word], Optional[Word]]:
    """The word's glyphs left and right of ``x`` (by their middles), as two words."""
    left = [g for g in word.glyphs if (g.x0 + g.x1) / 2 < x]
    right = [g for g in word.glyphs if (g.x0 + g.x1) / 2 >= x]
    return (_word(left, word.spaced) if left else None, _word(right) if right else None)


def cut_before(word: Word, chars: int) -> Optional[tuple[Word, Word]]:
    """The word cut before its character ``chars`` (counting the glyphs' texts), if a glyph
    starts there."""
    count = 0
    for n, glyph in enumerate(word.glyphs):
        if count == chars and n:
            return _word(word.glyphs[:n], word.spaced), _word(word.glyphs[n:])
        count += len(glyph.text)
    return None


def _turned_words(glyphs: list[Glyph]) -> list[Word]:
    """Glyphs turned a quarter: columns by x, each read along its direction, split at gaps."""
    out: list[Word] = []
    glyphs.sort(key=lambda g: g.index)
    for column in clusters(glyphs, lambda g: g.x0, X_TOLERANCE):
        downward = sum(g.vertical for g in column) >= 0
        column.sort(key=(lambda g: g.top) if downward else (lambda g: -g.bottom))
        run: list[Glyph] = []
        for glyph in column:
            if run:
                last = run[-1]
                gap = glyph.top - last.bottom if downward else last.top - glyph.bottom
                if glyph.text.isspace() or gap > Y_TOLERANCE:
                    out.append(_word(run, vertical=True))
                    run = []
            if not glyph.text.isspace():
                run.append(glyph)
        if run:
            out.append(_word(run, vertical=True))
    return out


# --------------------------------------------------------------------------- lines


def lines(words_: Iterable[Word]) -> list[list[Word]]:
    """Words grouped into lines by vertical overlap, each line read left to right. A vertical
    word (a label turned down a column) is a line of its own: it overlaps every line beside it."""
    groups: list[list[Word]] = []
    spans: list[list[float]] = []  # top, bottom of each group
    standing: list[list[Word]] = []
    for word in sorted(words_, key=lambda w: (w.top, w.x0)):
        if word.vertical:
            standing.append([word])
        elif groups and _same_line(spans[-1], word):
            groups[-1].append(word)
            span = spans[-1]
            span[0] = min(span[0], word.top)
            span[1] = max(span[1], word.bottom)
        else:
            groups.append([word])
            spans.append([word.top, word.bottom])
    for group in groups:
        group.sort(key=lambda w: w.x0)
    if standing:
        groups = sorted(groups + standing, key=lambda g: min(w.top for w in g))
    return groups


def _same_line(span: list[float], word: Word) -> bool:
    top, bottom = span
    overlap = min(bottom, word.bottom) - max(top, word.top)
    return overlap >= 0.5 * min(bottom - top, word.bottom - word.top)


def join_words(line: Sequence[Word]) -> str:
    """A line's words as text: a space between words, none between CJK words spread apart by
    justification. Justification spreads the characters of a line alike, so a gap under an em
    between CJK words is spacing when another such gap on the line matches it or when it parts
    two single characters; a lone gap before a word is a column boundary (a character of a
    label stacked down a narrow column: "本 （二）部分公开"), and so are a gap over an em and
    a space character the file holds (Chinese text is never justified with spaces)."""
    pairs = list(zip(line, line[1:]))
    cjk_gaps = {n: word.x0 - before.x1 for n, (before, word) in enumerate(pairs)
                if cjk.glue(before.text, word.text) == "" and not word.spaced}
    text = line[0].text
    for n, (before, word) in enumerate(pairs):
        gap = cjk_gaps.get(n)
        em = max(before.bottom - before.top, word.bottom - word.top, 1.0)
        spread = gap is not None and gap < CJK_WORD_GAP * em and (
            (len(before.text) == 1 and len(word.text) == 1)
            or any(abs(other - gap) <= max(1.0, 0.25 * gap)
                   for m, other in cjk_gaps.items() if m != n))
        text += ("" if spread else " ") + word.text
    return text


def cell_lines(glyphs: list[Glyph]) -> list[str]:
    """The lines of text of a table cell from the glyphs inside it, top to bottom."""
    found = words(glyphs)
    return [" ".join(w.text for w in row) for row in clusters(found, lambda w: w.top, Y_TOLERANCE)]


def cell_text(lines_: Iterable[str]) -> str:
    """A table cell's lines joined into its text, spaces between CJK characters dropped."""
    return cjk.join_cell(lines_)


# --------------------------------------------------------------------------- two columns

# a gap this wide (ems) between the words of a line may be a column gutter
GUTTER = 1.5
# at least this many lines must hold text on both sides of the gutter
COLUMN_LINES = 3


def in_columns(lines_: list[list[Word]]) -> list[list[Word]]:
    """Lines of text set in two columns read column by column: a run of lines that share one
    gutter, prose on both sides of it, becomes the left column's lines, then the right's.
    Tables are left alone: their parts hold values or several gaps, not one run of prose."""
    out: list[list[Word]] = []
    i = 0
    while i < len(lines_):
        end, gutter = _column_run(lines_, i)
        if end is None:
            out.append(lines_[i])
            i += 1
            continue
        left = [[w for w in line if w.x1 <= gutter] for line in lines_[i:end]]
        right = [[w for w in line if w.x0 >= gutter] for line in lines_[i:end]]
        out += [line for line in left if line] + [line for line in right if line]
        i = end
    return out


def _em(line: Sequence[Word]) -> float:
    return max(max(w.bottom - w.top for w in line), 1.0)


def _gutter(line: Sequence[Word]) -> Optional[tuple[float, float]]:
    """The one wide gap of a line with prose on both sides of it, as (left end, right start)."""
    em = _em(line)
    wide = [n for n, (a, b) in enumerate(zip(line, line[1:])) if b.x0 - a.x1 >= GUTTER * em]
    if len(wide) != 1:
        return None
    n = wide[0]
    if any(b.x0 - a.x1 > em for m, (a, b) in enumerate(zip(line, line[1:])) if m != n):
        return None
    return line[n].x1, line[n + 1].x0


def _column_run(lines_: list[list[Word]], start: int) -> tuple[Optional[int], float]:
    first = _gutter(lines_[start])
    if first is None:
        return None, 0.0
    low, high = first
    both = 1
    end = start + 1
    while end < len(lines_):
        line, before = lines_[end], lines_[end - 1]
        em = _em(line)
        if min(w.top for w in line) - max(w.bottom for w in before) > 2 * em:
            break  # a blank stretch ends the columns
        found = _gutter(line)
        if found is not None and min(high, found[1]) - max(low, found[0]) >= 0.5 * em:
            low, high = max(low, found[0]), min(high, found[1])
            both += 1
        elif found is None and (all(w.x1 <= high for w in line) or all(w.x0 >= low for w in line)) \
                and all(b.x0 - a.x1 <= em for a, b in zip(line, line[1:])):
            pass  # a line of one column only (the other's paragraph ended)
        else:
            break
        end += 1
    if both < COLUMN_LINES:
        return None, 0.0
    gutter = (low + high) / 2
    sides = ("".join(w.text for line in lines_[start:end] for w in line if w.x1 <= gutter),
             "".join(w.text for line in lines_[start:end] for w in line if w.x0 >= gutter))
    if not all(len(side) >= 4 * COLUMN_LINES and cjk.han_count(side) >= 0.6 * len(side)
               for side in sides):
        return None, 0.0
    return end, gutter
