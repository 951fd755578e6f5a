"""Reading the format's tables out of their regions.

A region is read as a token stream (see tokens.py). ``reading = "row_labels"``: a recognised
row label starts its row and the values that follow, up to the next row label, are its cells;
a row with exactly one value per column is placed, a row with none is blank, a row with some but
not all is ``lost`` (which cell is missing cannot be known, so none is guessed). In a real grid
(HTML, DOCX, PDF table) a row label followed by exactly its cells is mapped by position instead,
an empty cell being a blank. ``reading = "flat"``: the table's values in block-then-column order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from ..formats import TableSpec
from ..model import Cell, Fragment, Label, Source, Table
from .cells import CellReader
from .labels import NO_MATCH, LabelRef, Match, TableLabels
from .lines import TextLine, is_sentence
from .tokens import Token, forms, split_words, tokens

_SPACE = re.compile(r"\s")

# a text token this short that names nothing is debris of a label cut into pieces
# (the characters of a vertical group label, "本" "年" "度")
DEBRIS_LENGTH = 2
# how many unrecognised pieces in a row may be the head of the next label
_ORPHANS = 4


@dataclass
class _Written:
    """A label as written so far (a continuation may still extend it)."""

    ref: LabelRef
    text: str
    loose: str
    where: Source
    line: int

    @classmethod
    def of(cls, ref: LabelRef, token: Token) -> "_Written":
        return cls(ref, token.text, token.loose, token.where, token.line)

    def extend(self, token: Token) -> None:
        self.text += token.text
        self.loose += token.plain


@dataclass
class _Occurrence:
    label: _Written
    values: list[Token] = field(default_factory=list)
    placed: Optional[tuple[Cell, ...]] = None  # cells mapped by grid position


@dataclass
class _Book:
    """What a reading has recognised so far: labels as written, text that matched nothing."""

    labels: TableLabels
    written: dict[tuple[str, str], _Written] = field(default_factory=dict)
    last: Optional[_Written] = None
    # the label of the row being read: its rest may follow another label (a group label in
    # the column to its left, printed between the lines of a wrapped row label)
    row: Optional[_Written] = None
    unmatched: list[Fragment] = field(default_factory=list)
    # pieces seen since the last label that named nothing: the head of a label whose rest
    # follows ("三、本" … "年度 办理 结果", a vertical group label cut across rows)
    orphans: list[Token] = field(default_factory=list)

    def separate(self, token: Token, rows_first: bool) -> list[Token]:
        """A text naming several labels at once ("自然人 法人或其他组织 总计", a header flattened
        into one run) as one token per label: the longest runs of words naming a single label.
        With ``rows_first``, a text naming a row stays whole (the row label "（二）部分公开（…不计
        其他情形）" contains the column key 其他) unless it is too long to be one label: then it
        is several side by side ("三、本年度办理结果 （六）其他处理 1.申请人无正当理由…", a row of
        a table without rules flattened into one run)."""
        if not _SPACE.search(token.text):
            return [token]
        match = self.labels.match(token.key)
        named = _named(match)
        if rows_first and match.rows and len(token.loose) <= self.labels.prose_length:
            return [token]
        if not named:
            return self._rest_of_row(token)
        if len(named) == 1 and any(token.loose in w for ref in named.values() for w in ref.wordings):
            # one label as written (with spaces: "结果 维持"); a text naming one label but more
            # than it ("（三）不予公开 保护第三方合法权", a group label and the head of a row
            # label a narrow column wrapped) is split
            return [token]
        words = split_words(token)
        pieces: list[Token] = []
        start = 0
        while start < len(words):
            # the longest run of words that is (part of) one label's wording, else the first
            # run that names one label at all, else the single word
            within = named_at = None
            for end in range(start + 1, len(words) + 1):
                run = _joined(words[start:end])
                named = _named(self.labels.match(run.key))
                if len(named) > 1:
                    break
                if named:
                    named_at = named_at or end
                    if any(run.loose in w for ref in named.values() for w in ref.wordings):
                        within = end
            end = within or named_at or start + 1
            pieces.append(_joined(words[start:end]))
            start = end
        return pieces

    def _rest_of_row(self, token: Token) -> list[Token]:
        """A text naming no label whole may be a group label's piece, printed in the column to
        the left, then the rest of the row label being read ("处理 正、行政机关不再处理其政府信"
        within "（六）其他处理" and "1.申请人无正当理由逾期不补正、…"): the two, apart."""
        row = self.row
        if row is None:
            return [token]
        words = split_words(token)
        for start in range(1, len(words)):
            rest = _joined(words[start:])
            if self.labels.continues(row.ref, row.loose, rest.plain):
                return [_joined(words[:start]), rest]
        return [token]

    def classify(self, token: Token) -> tuple[str, Match]:
        """One of "label" (with the match), "prose", "debris", "continued", "note", "unmatched"."""
        written = forms(token.text)  # once, not at each of the token's properties
        size = len(written.loose)
        if size == 0:
            return "debris", NO_MATCH  # an enumerator on its own: "(六)", "1."
        if is_sentence(token.text) or size > self.labels.prose_length:
            return "prose", NO_MATCH
        for last in (self.last, self.row):
            if last is not None and self.labels.continues(last.ref, last.loose, written.plain):
                last.extend(token)
                return "continued", NO_MATCH
        if self.labels.is_header_note(written.loose):
            return "note", NO_MATCH
        match = self.labels.match(written.key)
        if not match.rows and not _within(match, written.loose):
            head = self.labels.row_head(written.loose)
            if head is not None:
                return "label", Match(rows=((head, size),))
        if match:
            return "label", match
        self.orphans = [*self.orphans[-(_ORPHANS - 1):], token]
        if size <= DEBRIS_LENGTH:
            return "debris", NO_MATCH
        self.unmatched.append(Fragment(token.text, token.where))
        return "unmatched", NO_MATCH

    def written_label(self, ref: LabelRef, token: Token) -> _Written:
        """The label as written, with the orphan pieces before it when they are its head."""
        written = _Written.of(ref, token)
        if self.orphans:
            whole = _joined([*self.orphans, token], sep="")
            if len(whole.loose) > len(token.loose) and any(whole.loose in w for w in ref.wordings):
                # the orphans are the head of this label
                written = _Written.of(ref, whole)
                heads = {(o.text, o.where) for o in self.orphans}
                self.unmatched = [f for f in self.unmatched if (f.text, f.where) not in heads]
            self.orphans = []
        return written

    def record(self, ref: LabelRef, token: Token) -> _Written:
        written = self.written.get((ref.kind, ref.key))
        if written is None:
            written = self.written_label(ref, token)
            self.written[(ref.kind, ref.key)] = written
        self.last = written
        return written

    def start_row(self, ref: LabelRef, token: Token) -> _Written:
        """The row label as written. A row label with another label's piece before it
        ("三、本 (一) 予以公开") keeps its own words; the piece waits as an orphan for the rest
        of its label."""
        own, head = _trim_to(ref, token)
        written = self.written_label(ref, own)
        if head is not None:
            self.orphans = [head]
        self.last = self.row = written
        return written

    def table_labels(self, rows: Sequence[_Written] = ()) -> tuple[Label, ...]:
        everything = sorted([*self.written.values(), *rows], key=lambda w: w.line)
        table = self.labels.spec.key
        return tuple(Label(table=table, kind=w.ref.kind, key=w.ref.key, written=w.text,
                           expected=w.ref.expected, where=w.where) for w in everything)


def _named(match: Match) -> dict[tuple[str, str], LabelRef]:
    """The distinct labels a match names."""
    refs = [*(ref for ref, _ in match.rows), *match.others, *match.columns]
    return {(ref.kind, ref.key): ref for ref in refs}


def _is_header(pieces: Sequence[Token], labels: TableLabels) -> bool:
    """Whether a line is a header row: no values, and column labels in two or more of its
    pieces (a header repeated after a page break: "商业企业 … 其他 总计")."""
    if len(pieces) < 2:
        return False
    for token in pieces:  # loops, not any()/sum(): this runs for every line of a table
        if token.cell is not None:
            return False
    return sum(1 for t in pieces if t.loose and labels.match(t.key).columns) >= 2


def _repeats(previous: Token, token: Token) -> bool:
    """Whether a label is the one in the field before it again: a cell merged across columns
    that a converter expanded, its text copied into each ("一、本年新收…\t一、本年新收…")."""
    return token.cell is None and previous.cell is None and token.fragment == previous.fragment + 1 \
        and token.text == previous.text


def _within(match: Match, piece: str) -> bool:
    """Whether the loose ``piece`` is (part of) the wording of a label the match names: then
    the match is what it names ("其他" is the column 其他, not the head of a row label)."""
    return any(piece in w for ref in (*match.others, *match.columns) for w in ref.wordings)


def _trim_to(ref: LabelRef, token: Token) -> tuple[Token, Optional[Token]]:
    """(the words of ``token`` that are the label's own, the words before them or None)."""
    if not _SPACE.search(token.text) or any(token.loose in w for w in ref.wordings):
        return token, None
    words = split_words(token)
    for start in range(1, len(words)):
        rest = _joined(words[start:])
        if rest.loose and any(rest.loose in w for w in ref.wordings):
            return rest, _joined(words[:start])
    return token, None


def _joined(words: Sequence[Token], sep: str = " ") -> Token:
    first = words[0]
    return Token(sep.join(w.text for w in words), first.where, first.line, first.fragment)


def read_table(labels: TableLabels, lines: Sequence[TextLine], region: range,
               cells: CellReader) -> tuple[Optional[Table], tuple[str, ...]]:
    """The table read from its region (None when the region holds no trace of it), and notes
    on what could not be placed."""
    if labels.spec.reading == "flat":
        return _read_flat(labels, lines, region, cells)
    return _read_row_labels(labels, lines, region, cells)


# --------------------------------------------------------------------------- row labels


def _choose_row(match: Match, labels: TableLabels, last_row: Optional[str],
                last_group: Optional[str], last_filled: Optional[str] = None) -> Optional[LabelRef]:
    """The row a label names. A row recognised only after certain rows ("3.其他" after 3.6.2)
    may follow the last row label or the last row that had values: a value-less label between
    them (a header repeated at a page break, whose "其他" and "总计" look like rows) does not
    hide the row."""
    allowed = [(ref, size) for ref, size in match.rows
               if not ref.after or last_row in ref.after or last_group in ref.after
               or last_filled in ref.after]
    if not allowed:
        return None
    if len(allowed) == 1:
        return allowed[0][0]
    order = labels.row_order
    here = order.get(last_row, -1) if last_row else -1

    def preference(item: tuple[LabelRef, int]) -> tuple[int, int]:
        ref, size = item
        # the longest key wins; between equals, the row that comes next in the format
        return (-size, (order[ref.key] - here) % len(order))

    return min(allowed, key=preference)[0]


def _grid_cells(line: TextLine, after: int, width: int, cells: CellReader) -> Optional[tuple[Cell, ...]]:
    """The ``width`` cells after a row label in a grid row, when the row has exactly those (any
    extra cells between the label and them must be the rest of a spanned label cell: empty, or
    the label again where a converter copied a merged cell into every position it covers)."""
    label = line.line.fragments[after].text.strip()
    trailing = line.line.fragments[after + 1:]
    if len(trailing) < width or any(f.text.strip() not in ("", label) for f in trailing[:len(trailing) - width]):
        return None
    own = trailing[len(trailing) - width:]
    return tuple(cells.read(f.text, f.where) if f.text.strip() else CellReader.empty("blank", f.where)
                 for f in own)


def _read_row_labels(labels: TableLabels, lines: Sequence[TextLine], region: range,
                     cells: CellReader) -> tuple[Optional[Table], tuple[str, ...]]:
    book = _Book(labels)
    occurrences: dict[str, list[_Occurrence]] = {}
    current: Optional[_Occurrence] = None
    last_row: Optional[str] = None
    last_group: Optional[str] = None
    last_filled: Optional[str] = None  # the last row that had values
    stray: list[Token] = []
    for i in region:
        line = lines[i]
        consumed_after: Optional[int] = None  # fragments past this one were placed by position
        previous: Optional[Token] = None
        pieces: list[Token] = []
        for raw in tokens(line, cells):
            if raw.cell is None and _SPACE.search(raw.text):
                pieces.extend(book.separate(raw, rows_first=True))
            else:
                pieces.append(raw)  # what separate() keeps whole, without the call
        header = _is_header(pieces, labels)
        for token in pieces:
            if consumed_after is not None and token.fragment > consumed_after:
                continue
            repeated = previous is not None and _repeats(previous, token)
            previous = token
            if repeated:
                continue  # a merged cell a converter copied into every field it covers
            if token.cell is not None:
                if current is not None and current.placed is None:
                    current.values.append(token)
                    last_filled = current.label.ref.key
                else:
                    stray.append(token)
                continue
            kind, match = book.classify(token)
            if kind in ("prose", "unmatched"):
                # a row we cannot name, or text between rows: what follows is not the
                # current row's (values with no row are noted, never given to a neighbour)
                current = None
                continue
            if kind != "label":
                continue
            for ref in match.others:
                book.record(ref, token)
                if ref.kind == "group":
                    last_group = ref.key
            # in a header line, a label that is also a column's is the column ("其他", "总计")
            row = None if header and match.columns else _choose_row(match, labels, last_row, last_group,
                                                                    last_filled)
            if row is None:
                if not match.others:
                    for ref in match.columns:
                        book.record(ref, token)
                continue
            current = _Occurrence(book.start_row(row, token))
            occurrences.setdefault(row.key, []).append(current)
            last_row, last_group = row.key, None
            if line.line.grid:
                current.placed = _grid_cells(line, token.fragment, labels.widths[row.key], cells)
                if current.placed is not None:
                    consumed_after = token.fragment
                    if any(c.kind != "blank" for c in current.placed):
                        last_filled = row.key
    if not occurrences and not stray:
        return None, ()
    table_cells, chosen, notes = _place_rows(labels, occurrences, cells)
    if stray:
        notes.append(f"{labels.spec.key}: {len(stray)} value(s) outside any row: "
                     + " ".join(t.text for t in stray[:20]))
    where = lines[region.start].where if len(region) else None
    table = Table(key=labels.spec.key, cells=table_cells, labels=book.table_labels(chosen),
                  unmatched=tuple(book.unmatched), where=where)
    return table, tuple(notes)


def _place_rows(labels: TableLabels, occurrences: dict[str, list[_Occurrence]], cells: CellReader
                ) -> tuple[dict[tuple[str, str], Cell], list[_Written], list[str]]:
    spec = labels.spec
    placed: dict[tuple[str, str], Cell] = {}
    chosen: list[_Written] = []
    notes: list[str] = []
    for row in spec.rows:
        found = occurrences.get(row.key)
        if not found:
            continue
        columns = spec.columns_of(row)
        width = len(columns)
        best = max(found, key=lambda o: (o.placed is not None, len(o.values) == width,
                                         min(len(o.values), width)))
        chosen.append(best.label)
        if len(found) > 1:
            notes.append(f"{spec.key}: row {row.key} appears {len(found)} times; "
                         f"the one at {best.label.where.describe() or 'its first place'} is used")
        values = best.values
        if best.placed is not None:
            row_cells = list(best.placed)
        elif len(values) >= width:
            row_cells = [t.cell for t in values[:width]]  # type: ignore[misc]
            if len(values) > width:
                notes.append(f"{spec.key}: row {row.key} has {len(values)} values for {width} "
                             f"columns; the extra ones are ignored: "
                             + " ".join(t.text for t in values[width:]))
        elif not values:
            row_cells = [CellReader.empty("blank", best.label.where)] * width
        else:
            row_cells = [CellReader.empty("lost", best.label.where)] * width
            notes.append(f"{spec.key}: row {row.key} has {len(values)} values for {width} "
                         f"columns, so none can be placed: " + " ".join(t.text for t in values))
        for column, cell in zip(columns, row_cells):
            placed[(row.key, column.key)] = cells.in_column(cell, column.unit)
    return placed, chosen, notes


# --------------------------------------------------------------------------- flat


def _grid_flat(line: TextLine, size: int, cells: CellReader) -> Optional[tuple[Cell, ...]]:
    """A grid row holding the whole table: ``size`` cells of values or blanks after any labels."""
    fragments = line.line.fragments
    start = 0
    while start < len(fragments) and fragments[start].text.strip() and \
            cells.value(fragments[start].text) is None:
        start += 1
    own = fragments[start:]
    if len(own) != size:
        return None
    read = [cells.value(f.text, f.where) if f.text.strip() else CellReader.empty("blank", f.where)
            for f in own]
    if any(c is None for c in read) or all(c.kind == "blank" for c in read):  # type: ignore[union-attr]
        return None
    return tuple(read)  # type: ignore[arg-type]


def _by_label(spec: TableSpec, by_row: dict[str, list[Cell]]) -> Optional[dict[tuple[str, str], Cell]]:
    """The cells of a table printed with its blocks as rows ("行政复议 0 0 1 0 1"), when every
    value followed a block label and each labelled block has exactly one value per column (or
    none: a blank row); None when the values are not laid out that way."""
    if not any(by_row.values()):
        return None
    out: dict[tuple[str, str], Cell] = {}
    for row, found in by_row.items():
        columns = spec.columns_of(spec.row(row))
        if found and len(found) != len(columns):
            return None
        for n, column in enumerate(columns):
            out[(row, column.key)] = found[n] if found else CellReader.empty("blank", None)
    return out


def _in_order(spec: TableSpec, keys: Sequence[tuple[str, str]], values: list[Cell]
              ) -> tuple[list[Cell], str]:
    """The values in the table's reading order. Too few: when whole blocks are missing (the
    shortfall is a whole number of blocks) the values fill the first blocks and the rest are
    lost; otherwise a cell inside a block was dropped (a blank field of a text row) and every
    value after it would land one place off, so none is placed."""
    if len(values) >= len(keys):
        note = "" if len(values) == len(keys) else (
            f"{spec.key}: {len(values)} values for {len(keys)} cells; the extra ones are ignored: "
            + " ".join(c.raw for c in values[len(keys):]))
        return values[:len(keys)], note
    where = values[-1].where
    widths = {len(spec.columns_of(row)) for row in spec.rows}
    missing = len(keys) - len(values)
    if len(widths) == 1 and missing % widths.pop() == 0:
        return values + [CellReader.empty("lost", where)] * missing, (
            f"{spec.key}: {len(values)} values for {len(keys)} cells; the last {missing} are lost")
    return [CellReader.empty("lost", where)] * len(keys), (
        f"{spec.key}: {len(values)} values for {len(keys)} cells; which are missing cannot be "
        "known, so none is placed: " + " ".join(c.raw for c in values))


def _read_flat(labels: TableLabels, lines: Sequence[TextLine], region: range,
               cells: CellReader) -> tuple[Optional[Table], tuple[str, ...]]:
    spec = labels.spec
    keys = spec.cell_keys()
    book = _Book(labels)
    values: list[Cell] = []
    placed: Optional[tuple[Cell, ...]] = None
    # values by the row (block) label they follow, for a table printed with its blocks as rows
    by_row: dict[str, list[Cell]] = {}
    row: Optional[str] = None
    unlabelled = False
    for i in region:
        line = lines[i]
        if line.line.grid and placed is None and not values:
            placed = _grid_flat(line, len(keys), cells)
            if placed is not None:
                continue
        if line.line.grid and row is not None and not by_row[row]:
            # a grid row of exactly one block's cells under the block's label (a small table
            # per block): mapped by position, an empty cell being a blank
            block = _grid_flat(line, labels.widths[row], cells)
            if block is not None:
                by_row[row] = list(block)
                values.extend(c for c in block if c.kind != "blank")
                continue
        previous: Optional[Token] = None
        consumed_after: Optional[int] = None
        for token in (piece for raw in tokens(line, cells) for piece in
                      ([raw] if raw.cell is not None else book.separate(raw, rows_first=False))):
            if consumed_after is not None and token.fragment > consumed_after:
                continue
            repeated = previous is not None and _repeats(previous, token)
            previous = token
            if repeated:
                continue
            if token.cell is not None:
                values.append(token.cell)
                if row is None:
                    unlabelled = True
                else:
                    by_row[row].append(token.cell)
                continue
            kind, match = book.classify(token)
            if kind == "label":
                for ref in (*(r for r, _ in match.rows), *match.others, *match.columns):
                    book.record(ref, token)
                if match.rows:
                    row = max(match.rows, key=lambda item: item[1])[0].key
                    if by_row.get(row):  # a block named again after its values: not rows
                        unlabelled = True
                    by_row.setdefault(row, [])
                    if line.line.grid and not by_row[row]:
                        # the block's label followed by exactly its cells: mapped by position
                        own = _grid_cells(line, token.fragment, labels.widths[row], cells)
                        if own is not None and any(c.kind != "blank" for c in own) \
                                and not any(c.kind == "text" for c in own):
                            by_row[row] = list(own)
                            values.extend(c for c in own if c.kind != "blank")
                            consumed_after = token.fragment
    notes: list[str] = []
    by_label = None if placed is not None or unlabelled else _by_label(spec, by_row)
    if placed is not None:
        row_cells = list(placed)
    elif by_label is not None:
        row_cells = [by_label.get(key) for key in keys]  # a block not printed has no cells
    elif not values:
        return None, ()
    else:
        row_cells, note = _in_order(spec, keys, values)
        if note:
            notes.append(note)
    where = lines[region.start].where if len(region) else None
    table_cells = {key: cells.in_column(cell, spec.column(key[1]).unit)
                   for key, cell in zip(keys, row_cells) if cell is not None}
    table = Table(key=spec.key, cells=table_cells, labels=book.table_labels(),
                  unmatched=tuple(book.unmatched), where=where)
    return table, tuple(notes)
