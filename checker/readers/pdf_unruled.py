"""Tables printed without rules — a web page printed to PDF, a Word table whose borders were
removed — read into the same rows of cells a ruled table gives (pdf_tables.Table), so that each
value lands in its cell.

Without rules the page's text lines are all there is, and they mislead: a header cell wraps over
several lines in its narrow column, its pieces interleaved with the neighbours' ("社会公益组" /
"织"); a row's values sit half a line off its label's baseline when the label wraps and the
cells are centred; a label runs into its first value ("行政规范性文件8"); header words of
adjacent columns, set a few points apart, read as one word. So the table is rebuilt from its
geometry:

- columns: the values line up under each other; the value columns are where they do, and the
  label zone is what lies left of them;
- rows: each line holding values anchors a row; the label lines between two anchors are shared
  out so that every row's label is whole (a wrapped cell's lines are full up to its last) and
  sits as the table sets its cells (centred on its values, or starting or ending with them);
- cells: words are joined within one column only, top to bottom; a header cell's lines are
  joined while the line above fills its column (a short line is a cell of its own: a merged
  header over several columns, stacked above another);
- a group label set in a column of its own left of the row labels (三、本年度办理结果) is one
  cell, however the rows cut its lines.

Numbers that do not line up (a date in a sentence, a page number) make no table. Nothing here
knows the report format's wording: only its geometry and what a value looks like."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from statistics import median
from typing import Callable, Optional, Sequence

from ..textnorm import parse_number, strip_enumerator
from . import cjk
from .pdf_grid import connected
from .pdf_tables import Cell, Table, is_value
from .pdf_text import Word, cut, cut_before

# a value with a unit after it ("12件", "461万元") is a value too
_UNIT_VALUE = re.compile(r"^[0-9０-９](?:[0-9０-９,，.．]*[0-9０-９])?\s*(?:件|个|项|条|次|人|家|万元|元)$")
# a part heading ends a table: 一、… 第三部分 …
_MARK_STARTS = frozenset("/／\\—–－-.．+无不")
# a label with a number run into its end, and how long a label that is may be
_GLUED = re.compile(r"^(.*[^\s0-9０-９,，.．])([0-9０-９][0-9０-９,，.．]*)$")
_GLUED_LABEL = 40
_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十]{1,3}部分|[一二三四五六七八九十]{1,3}\s*[、．.])")
_SENTENCE_END = ("。", "！", "？", "!", "?", "：", ":")
# how many lines without values may lie between two value lines of one table (a label wrapped
# over many lines, a block's header rows)
_MAX_BETWEEN = 12
# how many header lines above the first value line, and wrapped label lines below the last
_MAX_HEADER = 14
_MAX_TAIL = 8
# lines further apart than this many line heights are not one table; a header's lines are
# closer still
_MAX_GAP = 2.5
_HEADER_GAP = 2.0
# a line is full (a wrapped cell's line, not its last) within this many ems of its column's width
_FULL_EMS = 1.6
_TOLERANCE = 1.0
# a gap between labels parts two label columns when at most this share of the lines have a label
# running across it (rows whose label spans the columns: 一、本年新收…)
_CROSSING = 0.5
# what a row without values (a blank row of its own) costs, in line heights, in sharing out a
# body's label lines: less than a second item in another row's label (2)
_BLANK_ROW = 1.5
_NUMERAL = re.compile(r"[0-9０-９]+|[一二三四五六七八九十〇]+")


def is_value_word(text: str) -> bool:
    # most words of a page are words: a value starts with a digit or a mark's first character
    if not text or not (text[0].isdigit() or text[0] in _MARK_STARTS):
        return False
    return is_value(text) or _UNIT_VALUE.match(text) is not None


@dataclass
class _Line:
    index: int
    words: list[Word]
    values: list[Word] = field(default_factory=list)  # the values ending the line
    standing: bool = False  # a label turned down its column

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        return max(w.bottom - w.top for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _line(index: int, words: list[Word]) -> _Line:
    line = _Line(index, list(words), standing=any(w.vertical for w in words))
    if line.standing:
        return line
    values: list[Word] = []
    for word in reversed(line.words):
        if not is_value_word(word.text):
            break
        values.insert(0, word)
    line.values = values
    return line


def _is_prose(line: _Line) -> bool:
    text = line.text.rstrip()
    return "。" in text or text.endswith(_SENTENCE_END)


def _is_heading(line: _Line) -> bool:
    return not line.values and not line.standing and _HEADING.match(line.text) is not None


@dataclass(frozen=True)
class _Column:
    x0: float
    x1: float

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2


def unruled_tables(page: int, lines: Sequence[list[Word]]) -> tuple[list[list[Word]], list[Table]]:
    """The page's lines (each a list of words, as pdf_text.lines gives them) that are no part of
    a table without rules, and those tables."""
    used, tables = tables_and_lines(page, lines)
    return [words for i, words in enumerate(lines) if i not in used], tables


def tables_and_lines(page: int, lines: Sequence[list[Word]]) -> tuple[set[int], list[Table]]:
    """The indices of the lines that tables without rules take, and those tables."""
    lines = _unglued(lines)
    found = [_line(i, words) for i, words in enumerate(lines)]
    tables: list[Table] = []
    used: set[int] = set()
    for start, stop in _regions(found):
        built = _Table(page, found, start, stop).build()
        if built is not None:
            table, taken = built
            tables.append(table)
            used.update(taken)
    return used, tables


def foot_lines(lines: Sequence[list[Word]], below: float, page_number: Callable[[str], bool]) -> list[int]:
    """The indices of the lines at the foot of a page (under ``below``, the last table's bottom)
    that may be the head of a table the page break cut off: the run after the last sentence or
    part heading, of lines without values (a page number aside), one of them set in several
    cells. A table the next page starts takes them as its header if they fit over it."""
    run: list[int] = []
    for n in range(len(lines) - 1, -1, -1):
        line = _line(n, lines[n])
        if line.standing or not line.words or line.top <= below:
            break
        if page_number(line.text.strip()):
            continue
        if line.values or _is_prose(line) or _is_heading(line) or len(run) >= _MAX_HEADER:
            break
        run.insert(0, n)
    if not any(len(lines[n]) > 1 for n in run):
        return []
    return run


def set_above(head: Sequence[list[Word]], lines: Sequence[list[Word]]) -> list[list[Word]]:
    """Copies of ``head`` (lines from the foot of the page before) moved up or down to stand
    right above ``lines``, a line's spacing apart, as they would without the page break."""
    if not head or not lines:
        return []
    top = min(w.top for w in lines[0])
    bottom = max(w.bottom for w in head[-1])
    height = max(w.bottom - w.top for w in head[-1])
    shift = top - 0.3 * height - bottom
    return [[replace(w, top=w.top + shift, bottom=w.bottom + shift) for w in line] for line in head]


def _unglued(lines: Sequence[list[Word]]) -> list[list[Word]]:
    """Lines whose label runs into its first value ("规章0", "行政规范性文件77": a label set
    flush right against a value with no margin between) with the value cut off, where such
    values start at one x down the page, or where other lines' values do: a column."""
    found: list[tuple[int, int, int, float]] = []  # line, word, characters before the value, x
    for n, words in enumerate(lines):
        k = len(words) - 1
        while k >= 0 and is_value_word(words[k].text):
            k -= 1
        if k < 0 or not words[k].text[-1:].isdigit() or not words[k].glyphs or "。" in words[k].text:
            continue
        match = _GLUED.match(words[k].text)
        if match is None or not 0 < cjk.han_count(match.group(1)) <= _GLUED_LABEL:
            continue
        chars = len(match.group(1))
        glyph = next((g for g, before in _glyph_offsets(words[k]) if before == chars), None)
        if glyph is not None:
            found.append((n, k, chars, glyph.x0))
    if not found:
        return list(lines)
    starts = sorted(x for *_, x in found)
    values = sorted(w.x0 for words in lines for w in words if is_value_word(w.text))
    out = [list(words) for words in lines]
    for n, k, chars, x in sorted(found, reverse=True):
        alike = sum(1 for other in starts if abs(other - x) <= _TOLERANCE) - 1
        alike += sum(1 for other in values if abs(other - x) <= _TOLERANCE)
        if not alike:
            continue
        pieces = cut_before(out[n][k], chars)
        if pieces is not None:
            out[n][k:k + 1] = list(pieces)
    return out


def _glyph_offsets(word: Word):
    count = 0
    for glyph in word.glyphs:
        yield glyph, count
        count += len(glyph.text)


def _regions(lines: list[_Line]) -> list[tuple[int, int]]:
    """Runs of lines [start, stop) from a value line to a value line, with only label or header
    lines between them, close together."""
    seeds = [n for n, line in enumerate(lines) if line.values and not _is_prose(line)]
    out: list[tuple[int, int]] = []
    start = last = None
    for n in seeds:
        if last is not None and _joinable(lines, last, n):
            last = n
            continue
        if start is not None:
            out.append((start, last + 1))
        start = last = n
    if start is not None:
        out.append((start, last + 1))
    return out


def _joinable(lines: list[_Line], last: int, n: int) -> bool:
    if n - last - 1 > _MAX_BETWEEN:
        return False
    for m in range(last + 1, n + 1):
        line, above = lines[m], lines[m - 1]
        if m < n and (_is_prose(line) or _is_heading(line)):
            return False
        if not line.standing and not above.standing and \
                line.top - above.bottom > _MAX_GAP * max(line.height, above.height):
            return False
    return True


class _Table:
    """One region of the page read as a table, or found to be none."""

    def __init__(self, page: int, lines: list[_Line], start: int, stop: int) -> None:
        self.page = page
        self.lines = lines
        self.start, self.stop = start, stop

    # ------------------------------------------------------------------ columns

    def build(self) -> Optional[tuple[Table, set[int]]]:
        body = self.lines[self.start:self.stop]
        anchors = [line for line in body if line.values and not _is_prose(line)]
        counts = [len(line.values) for line in anchors]
        numbers = [sum(1 for w in line.values if parse_number(w.text) is not None) for line in anchors]
        # a table has figures; one line of them needs three ("- 3 -" is a page number)
        if not anchors or sum(numbers) < 3 or (len(anchors) < 2 and max(numbers) < 3):
            return None
        columns = self._columns(anchors, max(counts))
        if columns is None:
            return None
        self.columns = columns
        self.bounds: list[float] = []
        self.left_edge = columns[0].x0 - _TOLERANCE
        self.em = median(line.height for line in body)
        self.table_left = min(w.x0 for line in body for w in line.words)
        self.untaken: set[int] = set()
        region = self._with_header(list(range(self.start, self.stop)))
        if len(anchors) < 2 and region[0] == self.start:
            return None  # one line of figures with no header over it: nothing says it is a table
        region = self._with_tail(region)
        lines = [self._cut_run_ins(self.lines[n]) for n in region]
        self.align = self._alignment(anchors, [w for line in lines if not line.values and not line.standing
                                               for w in line.words if self._in_value_zone(w)])
        return self._rows(lines), set(region) - self.untaken

    def _columns(self, anchors: list[_Line], most: int) -> Optional[list[_Column]]:
        """The value columns: where the values of the fullest rows stand, every other value of
        the table lying within one of them."""
        full = [line for line in anchors if len(line.values) == most]
        spans = [[(w.x0, w.x1) for w in line.values] for line in full]
        columns = [_Column(min(s[k][0] for s in spans), max(s[k][1] for s in spans)) for k in range(most)]
        if any(a.x1 >= b.x0 for a, b in zip(columns, columns[1:])):
            return None  # the fullest rows do not line up: no columns
        if len(anchors) > 1:
            placed = sum(1 for line in anchors for w in line.values if self._column_of(w, columns) is not None)
            if placed < 0.9 * sum(len(line.values) for line in anchors):
                return None
        return columns

    def _alignment(self, anchors: list[_Line], headers: list[Word]) -> str:
        """How the table sets text in its cells — "left", "right" or "centre" — from the edge
        the values of a column share when they differ in width, and the edge a column's header
        words share with its values."""
        by_column: dict[Optional[int], list[Word]] = {}
        for word in (w for line in anchors for w in line.values):
            by_column.setdefault(self._column_of(word, self.columns), []).append(word)
        for word in headers:
            k = self._nearest(word)
            if word.x1 - word.x0 < 2 * (self.columns[k].x1 - self.columns[k].x0) + 4 * self.em:
                by_column.setdefault(k, []).append(word)
        votes: dict[str, int] = {}
        for k in range(len(self.columns)):
            words = by_column.get(k, [])
            if len(words) < 2 or max(w.x1 - w.x0 for w in words) - min(w.x1 - w.x0 for w in words) < 2:
                continue
            spread = {"left": _spread([w.x0 for w in words]), "right": _spread([w.x1 for w in words]),
                      "centre": _spread([(w.x0 + w.x1) / 2 for w in words])}
            best = min(spread, key=lambda a: spread[a])
            votes[best] = votes.get(best, 0) + 1
        return max(votes, key=lambda a: votes[a]) if votes else "centre"

    def _nearest(self, word: Word) -> int:
        """The column whose values' middle, left or right edge lies nearest the word's."""
        def distance(column: _Column) -> float:
            return min(abs(word.x0 - column.x0), abs(word.x1 - column.x1),
                       abs((word.x0 + word.x1) / 2 - column.middle))
        return min(range(len(self.columns)), key=lambda k: distance(self.columns[k]))

    @staticmethod
    def _column_of(word: Word, columns: list[_Column]) -> Optional[int]:
        """The column a value stands in: the one it overlaps most, or whose middle its middle is
        nearest, within a column's pitch."""
        best, overlap = None, 0.0
        for k, column in enumerate(columns):
            shared = min(word.x1, column.x1) - max(word.x0, column.x0)
            if shared > overlap:
                best, overlap = k, shared
        if best is not None:
            return best
        middle = (word.x0 + word.x1) / 2
        k = min(range(len(columns)), key=lambda k: abs(columns[k].middle - middle))
        pitch = max((b.x0 - a.x0 for a, b in zip(columns, columns[1:])), default=columns[0].x1 - columns[0].x0)
        return k if abs(columns[k].middle - middle) <= pitch / 2 else None

    # ------------------------------------------------------------------ extent

    def _in_value_zone(self, word: Word) -> bool:
        return word.x1 > self.left_edge + 2 * _TOLERANCE  # a label may touch the first column

    def _with_header(self, region: list[int]) -> list[int]:
        """The header lines above the first value line: lines close above it, not prose, not a
        part heading, no sentence reaching into the value columns."""
        n = region[0]
        while n > 0 and region[0] - n < _MAX_HEADER:
            line, below = self.lines[n - 1], self.lines[n]
            if line.standing:
                n -= 1
                continue
            if _is_prose(line) or _is_heading(line) or line.values:
                break
            if not below.standing and below.top - line.bottom > _HEADER_GAP * max(line.height, below.height):
                break
            if any(self._in_value_zone(w) and w.x1 - w.x0 > 0.5 * (self.columns[-1].x1 - self.table_left)
                   for w in line.words):
                break  # a run of text across half the table and into its values: prose
            n -= 1
        return list(range(n, region[0])) + region

    def _with_tail(self, region: list[int]) -> list[int]:
        """Label lines just below the last value line, close to it (a label wrapped past its
        values); how many of them belong to the last row is decided with the rows."""
        n = region[-1] + 1
        self.tail = 0
        while n < len(self.lines) and self.tail < _MAX_TAIL:
            line, above = self.lines[n], self.lines[n - 1]
            if line.standing or line.values or _is_prose(line) or _is_heading(line) \
                    or any(self._in_value_zone(w) for w in line.words) \
                    or line.top - above.bottom > 0.6 * max(line.height, above.height):
                break
            self.tail += 1
            n += 1
        return region + list(range(region[-1] + 1, n))

    def _cut_run_ins(self, line: _Line) -> _Line:
        """A label run into its first value ("行政规范性文件8"): cut at the first column's edge."""
        words: list[Word] = []
        for word in line.words:
            if word.glyphs and word.x0 < self.left_edge < word.x1 and not is_value_word(word.text):
                left, right = cut(word, self.left_edge)
                if left is not None and right is not None and is_value_word(right.text):
                    words += [left, right]
                    continue
            words.append(word)
        if words == line.words:
            return line
        return _line(line.index, words)

    # ------------------------------------------------------------------ rows

    def _rows(self, lines: list[_Line]) -> Table:
        blocks: list[tuple[str, list[_Line]]] = []
        for line in lines:
            group = "header" if self._kind(line) == "header" else "body"
            if blocks and blocks[-1][0] == group:
                blocks[-1][1].append(line)
            else:
                blocks.append((group, [line]))
        # label lines among header lines, with no values (a header cell of the label column
        # wrapped beside the column headers) are header too
        merged: list[tuple[str, list[_Line]]] = []
        for group, members in blocks:
            if group == "body" and not any(line.values for line in members) and merged \
                    and merged[-1][0] == "header":
                group = "header"
            if merged and merged[-1][0] == group:
                merged[-1][1].extend(members)
            else:
                merged.append((group, members))
        blocks = merged
        self._label_measures([line for group, members in blocks if group == "body" for line in members])
        rows: list[list[_Piece]] = []
        carried: list[_Line] = []
        for n, (group, members) in enumerate(blocks):
            if group == "header":
                # a label line left over from the rows above is a header row of its own (a
                # block's label over its column headers: 第二十条第（五）项 / 信息内容 …)
                rows += [[_Piece(_joined(line.words), line.words[0].x0, line.top, "header", -1, line.bottom)]
                         for line in carried]
                rows += self._header_rows(members)
                carried = []
                continue
            last = n == len(blocks) - 1
            # label lines ending a body before a header block may be the next block's label
            # (第二十条第（五）项 over its rows): which of them the last row keeps is decided
            # with the rows, the rest go to the header
            trailing = 0 if last else _trailing_labels(members)
            body_rows, untaken = self._body_rows(members, tail=self.tail if last else trailing, lead=n == 0)
            rows += body_rows
            if last:
                self.untaken.update(line.index for line in untaken)
            else:
                carried = untaken
        return self._table(_merged_groups(rows))

    def _kind(self, line: _Line) -> str:
        if line.standing:
            return "label"
        if line.values:
            return "values"
        return "header" if any(self._in_value_zone(w) for w in line.words) else "label"

    # a body: value lines (anchors) and label lines, label lines shared out among the anchors

    def _body_rows(self, lines: list[_Line], tail: int, lead: bool = False
                   ) -> tuple[list[list["_Piece"]], list[_Line]]:
        """The rows of a body, and the last ``tail`` lines it leaves to what follows; ``lead``:
        the lines above the first values may be a row of their own (the table opens the page)."""
        flat = [line for line in lines if not line.standing]
        anchors = [n for n, line in enumerate(flat) if line.values]
        if not anchors:  # label lines between two header blocks: a row without values
            return ([self._label_pieces(flat)] if flat else []), []
        full = [self._is_full(line) for line in flat]
        items = [self._items(line) for line in flat]
        best: Optional[tuple[float, list[tuple[int, int]], list[tuple[int, int]]]] = None
        for align in ("middle", "top", "bottom"):
            found = self._share_out(flat, full, items, anchors, tail, align, lead)
            if best is None or found[0] < best[0] - 1e-6:
                best = found
        assert best is not None
        spans, blanks = best[1], best[2]
        untaken = flat[spans[-1][1] + 1:]
        placed = [(first, self._label_pieces(flat[first:last + 1]) + self._value_pieces(flat[anchor]))
                  for (first, last), anchor in zip(spans, anchors)]
        placed += [(first, self._label_pieces(flat[first:last + 1]) + self._blank_pieces(flat[first]))
                   for first, last in blanks]
        rows = [row for _, row in sorted(placed, key=lambda pair: pair[0])]
        first_taken = min([spans[0][0]] + [first for first, _ in blanks])
        if first_taken:
            rows.insert(0, self._label_pieces(flat[:first_taken]))
        for standing in (line for line in lines if line.standing):
            # a label turned down its column: with the row it is centred on
            middle = (standing.top + standing.bottom) / 2
            k = min(range(len(anchors)), key=lambda k: abs(_middle(flat[anchors[k]].values) - middle))
            word = standing.words[0]
            rows[k].insert(0, _Piece(word.text, word.x0, word.top, "group", 0, word.bottom))
        return rows, untaken

    def _label_measures(self, lines: list[_Line]) -> None:
        """The label zone's own columns (a block or group label set left of the row labels) and
        how wide the row labels' column (the last) is: its longest line. Two labels side by
        side on a line have a column boundary between them; the boundaries the pairs allow are
        narrowed to where they all agree (centred labels end and start anywhere in their
        column), and a boundary few labels run across (一、本年新收… spans the columns) stands."""
        flat = [line for line in lines if not line.standing]
        words = [w for line in flat for w in self._labels(line)]
        pairs = sorted(((left.x1, right.x0) for line in flat
                        for left, right in zip(self._labels(line), self._labels(line)[1:])
                        if right.x0 - left.x1 > 0.5 * (left.bottom - left.top)),
                       key=lambda pair: pair[1] - pair[0])
        ranges: list[list[float]] = []
        for low, high in pairs:
            for shared in ranges:
                if max(low, shared[0]) < min(high, shared[1]):
                    shared[0], shared[1] = max(low, shared[0]), min(high, shared[1])
                    break
            else:
                ranges.append([low, high])
        for shared in ranges:  # past every label that lies left of the boundary
            shared[0] = max([shared[0]] + [w.x1 for w in words if w.x0 < shared[0] and w.x1 < shared[1]])
        separators = sorted((low + high) / 2 for low, high in ranges if low < high)
        self.separators = [x for x in separators
                           if sum(1 for w in words if w.x0 < x < w.x1) <= _CROSSING * len(flat)]
        extents = [self._row_label_extent(line) for line in flat]
        self.label_width = max((e[1] - e[0] for e in extents if e is not None), default=0.0)

    def _labels(self, line: _Line) -> list[Word]:
        return [w for w in line.words if not self._in_value_zone(w) and w not in line.values]

    def _sub_column(self, word: Word) -> tuple[int, bool]:
        """The label column a word starts in, and whether it runs on across the next."""
        k = sum(1 for x in self.separators if x <= word.x0)
        spanning = any(word.x0 < x < word.x1 for x in self.separators)
        return k, spanning

    def _row_label_extent(self, line: _Line) -> Optional[tuple[float, float]]:
        last = len(self.separators)
        words = [w for w in self._labels(line) if self._sub_column(w) == (last, False)]
        return (words[0].x0, words[-1].x1) if words else None

    def _item_style(self, line: _Line, column: int) -> Optional[str]:
        """How the line's label in a label column is numbered ("9." for 1. 2., "（九）" for （一）
        （二）), or None when it starts no item there."""
        for word in self._labels(line):
            if self._sub_column(word)[0] == column:
                number = word.text[:len(word.text) - len(strip_enumerator(word.text))]
                return _NUMERAL.sub("9", number) or None
        return None

    def _is_full(self, line: _Line) -> Optional[bool]:
        """Whether the line's row label fills its column (a wrapped cell's line before its
        last); None for a line without a row label of its own."""
        extent = self._row_label_extent(line)
        if extent is None:
            return None
        return extent[1] - extent[0] >= self.label_width - _FULL_EMS * line.height

    def _items(self, line: _Line) -> dict[int, bool]:
        """Per label column the line has words in (a label running across columns is in each),
        whether one of them starts an item of its own: an enumerator (1. （三） 四、)."""
        out: dict[int, bool] = {}
        for word in self._labels(line):
            first, _ = self._sub_column(word)
            last = sum(1 for x in self.separators if x < word.x1)
            starts = strip_enumerator(word.text) != word.text
            for column in range(first, last + 1):
                out[column] = out.get(column, False) or starts
        return out

    def _share_out(self, lines: list[_Line], full: list[Optional[bool]], items: list[dict[int, bool]],
                   anchors: list[int], tail: int, align: str, lead: bool = False
                   ) -> tuple[float, list[tuple[int, int]], list[tuple[int, int]]]:
        """Each anchor's span of lines (first, last): the lines between two anchors go to one or
        the other, the lines before the first anchor to it, the lines after the last to it but
        for up to ``tail`` of them (lines just below the table, which may be no part of it).
        Cost: how far each row's values sit from where ``align`` puts them, every label line
        short of its column's width that is not its cell's last, and every item started below
        the first line a row's label column has (a cell holds one item).

        Label lines between two anchors, from the start of a cell of the row labels' column to
        the start of the next (an item where the labels are numbered, else a line under one that
        ends its cell: not full), may be a row of their own without values (a blank row): at a
        cost of ``_BLANK_ROW`` line heights, less than the two items, or the short line before
        its last, one row would otherwise hold."""
        count = len(anchors)
        row_labels = len(self.separators)

        def cost(k: int, first: int, last: int) -> float:
            anchor = lines[anchors[k]]
            top, bottom = lines[first].top, lines[last].bottom
            v_top = min(w.top for w in anchor.values)
            v_bottom = max(w.bottom for w in anchor.values)
            if align == "middle":
                off = abs((top + bottom) / 2 - (v_top + v_bottom) / 2)
            elif align == "top":
                off = abs(top - v_top)
            else:
                off = abs(bottom - v_bottom)
            labelled = [n for n in range(first, last + 1) if full[n] is not None]
            short = sum(1 for n in labelled[:-1] if not full[n])
            seen: set[int] = set()
            for n in range(first, last + 1):
                for column, starts in items[n].items():
                    short += starts and column in seen
                    seen.add(column)
            return off + 2 * anchor.height * short

        def blank_cost(first: int, last: int) -> float:
            labelled = [n for n in range(first, last + 1) if full[n] is not None]
            short = sum(1 for n in labelled[:-1] if not full[n])
            short += sum(1 for n in range(first + 1, last + 1) if items[n].get(row_labels))
            return lines[first].height * (_BLANK_ROW + 2 * short)

        # where the row labels are numbered, a label starts with its number; where they are not,
        # under a line that ends its cell (not full)
        numbered = any(found.get(row_labels, False) for found in items)

        styles = [self._item_style(line, row_labels) for line in lines]

        def starts_a_cell(n: int, sibling: Optional[str] = None) -> bool:
            # a line without a row label of its own (a label across the columns) is no rest of
            # one; a numbered label after a blank row is its sibling (2. after 1.), or the only
            # label of its line (not a group label's number beside the rest of a row label)
            if n >= len(lines) or n == 0 or full[n] is None:
                return True
            if numbered:
                return items[n].get(row_labels, False) and (
                    sibling is None or styles[n] == sibling or len(self._labels(lines[n])) == 1)
            return full[n - 1] is not True

        def opens_a_row(n: int) -> bool:
            return full[n] is not None and starts_a_cell(n)

        def with_blank_rows(states: dict, before: int) -> dict:
            """The states, and those a blank row (or several) starting at one of them reaches,
            up to the line ``before``."""
            out = dict(states)
            frontier = list(states)
            while frontier:
                first = frontier.pop()
                if first >= before or not opens_a_row(first):
                    continue
                so_far, spans, blanks = out[first]
                for last in range(first, before):
                    if not starts_a_cell(last + 1, styles[first]):
                        continue  # a row ends where the next cell starts
                    total = so_far + blank_cost(first, last)
                    if last + 1 not in out or total < out[last + 1][0]:
                        out[last + 1] = (total, spans, blanks + [(first, last)])
                        frontier.append(last + 1)
            return out

        # the first row may leave the lines above its own to what comes before (the rest of a
        # label the page break cut off, which then rejoins its row on the page before)
        best: dict[int, tuple[float, list[tuple[int, int]], list[tuple[int, int]]]] = {
            first: (0.0, [], []) for first in range(0, (anchors[0] if lead else 0) + 1)}
        for k in range(count):
            best = with_blank_rows(best, anchors[k])
            if k + 1 < count:
                lasts = range(anchors[k], anchors[k + 1])
            else:
                lasts = range(len(lines) - 1 - tail, len(lines))
            following: dict[int, tuple[float, list[tuple[int, int]], list[tuple[int, int]]]] = {}
            for first, (so_far, spans, blanks) in best.items():
                if first > anchors[k]:
                    continue
                for last in lasts:
                    if last < anchors[k]:
                        continue
                    total = so_far + cost(k, first, last)
                    if last + 1 not in following or total < following[last + 1][0]:
                        following[last + 1] = (total, spans + [(first, last)], blanks)
            best = following
        # of equal costs the sharing that keeps more of the tail (a label wrapped past its values)
        # and of the lead
        return min(best.values(), key=lambda item: (round(item[0], 6), -item[1][-1][1], item[1][0][0]))

    def _label_pieces(self, members: list[_Line]) -> list["_Piece"]:
        """A row's label cells, one per label column: a block or group label, the row label, or
        a label running across several columns (kept in the column it starts in)."""
        cells: dict[tuple[int, bool], list[Word]] = {}
        for line in members:
            for word in self._labels(line):
                cells.setdefault(self._sub_column(word), []).append(word)
        for (k, spanning), words in list(cells.items()):
            across = cells.get((k, True))
            if not spanning and across and min(w.top for w in across) < min(w.top for w in words) \
                    and max(w.bottom for w in words) < max(w.bottom for w in across):
                # a short line of a label running across the columns, centred within one of
                # them, between the label's longer lines: the label's, not a group label
                across.extend(words)
                del cells[(k, spanning)]
        last = len(self.separators)
        return [_Piece(_joined(words), min(w.x0 for w in words), min(w.top for w in words),
                       "label" if (k, spanning) == (last, False) else "spanning" if spanning else "group", k,
                       max(w.bottom for w in words))
                for (k, spanning), words in sorted(cells.items())]

    def _blank_pieces(self, line: _Line) -> list["_Piece"]:
        """The empty value cells of a row without values."""
        return [_Piece("", column.x0, line.top, "value", k) for k, column in enumerate(self.columns)]

    def _value_pieces(self, line: _Line) -> list["_Piece"]:
        cells: dict[int, list[Word]] = {}
        for word in line.values:
            k = self._column_of(word, self.columns)
            if k is None:
                k = 0 if (word.x0 + word.x1) / 2 < self.columns[0].x0 else len(self.columns) - 1
            cells.setdefault(k, []).append(word)
        top = min(w.top for w in line.values)
        return [_Piece(" ".join(w.text for w in cells.get(k, [])),
                       cells[k][0].x0 if k in cells else self.columns[k].x0, top, "value", k)
                for k in range(len(self.columns))]

    # a header block: words joined into cells within their column while the line above is full

    def _header_rows(self, lines: list[_Line]) -> list[list["_Piece"]]:
        words = [w for line in lines for w in line.words]
        # per word, the slots its line's words each stand in alone (cells of their own)
        alone = {id(w): {self._slot(o)[0] for o in line.words if self._slot(o)[0] == self._slot(o)[1]}
                 for line in lines for w in line.words}
        links = [(i, j) for i, a in enumerate(words) for j, b in enumerate(words)
                 # b below a (text lines gather words of stepped heights), close, overlapping
                 if b.top - a.top >= 0.5 * (a.bottom - a.top)
                 and b.top - a.bottom <= 0.6 * max(a.bottom - a.top, b.bottom - b.top)
                 and min(a.x1, b.x1) - max(a.x0, b.x0) > 0 and self._continues(a, b, alone[id(b)])]
        groups = [[words[i] for i in group] for group in connected(len(words), links)]
        pieces = sorted((_Piece(_joined(ws), min(w.x0 for w in ws), min(w.top for w in ws), "header",
                                self._column_index(ws)) for ws in groups), key=lambda p: p.top)
        rows: list[list[_Piece]] = []
        for piece in pieces:
            if rows and piece.top - rows[-1][0].top <= 0.6 * self.em:
                rows[-1].append(piece)
            else:
                rows.append([piece])
        return [sorted(row, key=lambda p: p.x) for row in rows]

    def _bounds(self) -> list[float]:
        """Where each value column's slot begins, and where the last ends: at the values' left
        edge when the table sets them flush left, right after the column before when flush
        right, half way between the columns' middles when centred."""
        if self.bounds:
            return self.bounds
        cols = self.columns
        middles = [c.middle for c in cols]
        pitch = median([b - a for a, b in zip(middles, middles[1:])] or [cols[0].x1 - cols[0].x0])
        if self.align == "left":
            inner = [c.x0 - _TOLERANCE for c in cols[1:]]
            end = cols[-1].x0 + pitch - _TOLERANCE
        elif self.align == "right":
            inner = [c.x1 + _TOLERANCE for c in cols[:-1]]
            end = cols[-1].x1 + _TOLERANCE
        else:
            inner = [(a + b) / 2 for a, b in zip(middles, middles[1:])]
            end = middles[-1] + pitch / 2
        self.bounds = [self.left_edge] + inner + [end]
        return self.bounds

    def _slot(self, word: Word) -> tuple[int, int]:
        """The first and last slot a word covers (-1: the label zone)."""
        return self._slot_of(word.x0 + _TOLERANCE), self._slot_of(word.x1 - _TOLERANCE)

    def _slot_of(self, x: float) -> int:
        return bisect_right(self._bounds()[:-1], x) - 1

    def _continues(self, upper: Word, lower: Word, cells: set[int] = frozenset()) -> bool:  # type: ignore[assignment]
        """Whether header line ``lower`` goes on the cell of the line just above it. Within one
        column: when it is no wider than the column (a narrow column wraps its header, a
        character a line if need be; a wider line below is a merged cell of its own). Across
        several columns: when the line above fills them (a short line over several columns is
        a merged cell of its own, and the line below it another), and the line below sits under
        it as the cell's text is set (``_aligned``) and does not stand one word a column under
        it (``cells``: the slots its line's words each fill alone; the columns' own headers under
        a merged one whose text happens to reach across two)."""
        first, last = self._slot(upper)
        middle = self._slot_of((lower.x0 + lower.x1) / 2)
        if not first <= middle <= last:
            return False
        start, end = self._slot_extent(first, last)
        em = upper.bottom - upper.top
        if first == last:
            return lower.x1 - lower.x0 <= end - start + 0.5 * em
        if sum(1 for k in cells if first <= k <= last) > 1 or not self._aligned(upper, lower):
            return False
        return upper.x1 - upper.x0 >= (end - start) - _FULL_EMS * em

    def _aligned(self, upper: Word, lower: Word) -> bool:
        """Whether a line sits under the one above as the table sets text in a cell: starting
        where it starts (flush left), ending where it ends (flush right), or centred under it."""
        em = upper.bottom - upper.top
        if self.align == "left":
            return abs(lower.x0 - upper.x0) <= 0.5 * em
        if self.align == "right":
            return abs(lower.x1 - upper.x1) <= 0.5 * em
        return abs((lower.x0 + lower.x1) / 2 - (upper.x0 + upper.x1) / 2) <= em

    def _slot_extent(self, first: int, last: int) -> tuple[float, float]:
        bounds = self._bounds()
        start = self.table_left if first < 0 else bounds[first]
        return start, bounds[last + 1] if last + 1 < len(bounds) else bounds[-1]

    def _column_index(self, words: list[Word]) -> int:
        first, _ = self._slot(min(words, key=lambda w: w.x0))
        return first

    # ------------------------------------------------------------------ the table

    def _table(self, rows: list[list["_Piece"]]) -> Table:
        labels = len(self.separators) + 1
        out: list[tuple[Cell, ...]] = []
        for r, pieces in enumerate(rows):
            cells: list[Cell] = []
            for piece in pieces:
                if piece.kind == "value":
                    col = labels + piece.column
                elif piece.kind == "header":
                    col = 0 if piece.column < 0 else labels + piece.column
                else:
                    col = min(piece.column, labels - 1)
                cells.append(Cell(piece.text, r, col, 1, 1, piece.x, piece.top))
            cells.sort(key=lambda c: (c.col, c.x))
            out.append(tuple(cells))
        top = min(line.top for line in self.lines[self.start:self.stop])
        return Table(self.page, float(top), labels + len(self.columns), tuple(out))


@dataclass
class _Piece:
    """A cell's text as found: where it starts, and what it is (a group or row label, a label
    spanning both, a value in column ``column``, a header cell from slot ``column``)."""

    text: str
    x: float
    top: float
    kind: str
    column: int = -1
    bottom: float = 0.0


def _spread(xs: list[float]) -> float:
    return max(xs) - min(xs)


def _middle(words: Sequence[Word]) -> float:
    return (min(w.top for w in words) + max(w.bottom for w in words)) / 2


def _joined(words: list[Word]) -> str:
    """A cell's words: the lines top to bottom, each line's words left to right."""
    ordered = sorted(words, key=lambda w: (w.top, w.x0))
    lines: list[list[Word]] = []
    for word in ordered:
        if lines and word.top - lines[-1][0].top <= 0.5 * (word.bottom - word.top):
            lines[-1].append(word)
        else:
            lines.append([word])
    return cjk.join_cell(" ".join(w.text for w in sorted(line, key=lambda w: w.x0)) for line in lines)


def _trailing_labels(lines: list[_Line]) -> int:
    """How many label lines (no values) end a body."""
    count = 0
    for line in reversed(lines):
        if line.values or line.standing:
            break
        count += 1
    return count


def _merged_groups(rows: list[list[_Piece]]) -> list[list[_Piece]]:
    """A block or group label whose lines the rows cut apart ("三、本年度" / "办理结果" beside
    two rows, one character a line down a narrow column) is one cell, in the first of its rows:
    a group piece continues the nearest one above it in the same label column when nothing
    lies between them, their lines follow each other, and it does not start an item of its own
    (an enumerator)."""
    last: dict[int, _Piece] = {}  # label column -> the group piece seen last in it
    for row in rows:
        for piece in [p for p in row if p.kind in ("group", "spanning", "label")]:
            above = last.get(piece.column)
            if piece.kind == "group" and above is not None and above.kind == "group" \
                    and piece.top - above.bottom <= 0.8 * (piece.bottom - piece.top) \
                    and strip_enumerator(piece.text) == piece.text:
                above.text = cjk.join_cell([above.text, piece.text])
                above.bottom = piece.bottom
                row.remove(piece)
                continue
            last[piece.column] = piece
            if piece.kind == "spanning":  # it covers the columns to its right too
                for column in list(last):
                    if column > piece.column:
                        del last[column]
    return rows
