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

from ..model import Cell, Fragment, Label, Source, Table
from .cells import CellReader
from .labels import LabelRef, Match, TableLabels
from .lines import TextLine, is_sentence
from .tokens import Token, split_words, tokens

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
    unmatched: list[Fragment] = field(default_factory=list)
    # pieces seen since the last label that named nothing: the head of a label whose rest
    # follows ("三、本" … "年度 办理 结果", a vertical group label cut across rows)
    orphans: list[Token] = field(default_factory=list)

    def separate(self, token: Token, rows_first: bool) -> list[Token]:
        """A text naming several labels at once ("自然人 法人或其他组织 总计", a header flattened
        into one run) as one token per label: the longest runs of words naming a single label.
        With ``rows_first``, a text naming a row stays whole (the row label "（二）部分公开（…不计
        其他情形）" contains the column key 其他)."""
        if not _SPACE.search(token.text):
            return [token]
        match = self.labels.match(token.key)
        if len(_named(match)) < 2 or (rows_first and match.rows):
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

    def classify(self, token: Token) -> tuple[str, Match]:
        """One of "label" (with the match), "prose", "debris", "continued", "note", "unmatched"."""
        size = len(token.loose)
        if size == 0:
            return "debris", Match()  # an enumerator on its own: "(六)", "1."
        if is_sentence(token.text) or size > self.labels.prose_length:
            return "prose", Match()
        last = self.last
        if last is not None and self.labels.continues(last.ref, last.loose, token.plain):
            last.extend(token)
            return "continued", Match()
        if self.labels.is_header_note(token.loose):
            return "note", Match()
        match = self.labels.match(token.key)
        if match:
            return "label", match
        self.orphans = [*self.orphans[-(_ORPHANS - 1):], token]
        if size <= DEBRIS_LENGTH:
            return "debris", Match()
        self.unmatched.append(Fragment(token.text, token.where))
        return "unmatched", Match()

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
        self.last = written
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
                last_group: Optional[str]) -> Optional[LabelRef]:
    allowed = [(ref, size) for ref, size in match.rows
               if not ref.after or last_row in ref.after or last_group in ref.after]
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
    extra cells between the label and them must be empty: the rest of a spanned label cell)."""
    trailing = line.line.fragments[after + 1:]
    if len(trailing) < width or any(f.text.strip() for f in trailing[:len(trailing) - width]):
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
    stray: list[Token] = []
    for i in region:
        line = lines[i]
        consumed_after: Optional[int] = None  # fragments past this one were placed by position
        for token in (piece for raw in tokens(line, cells) for piece in
                      ([raw] if raw.cell is not None else book.separate(raw, rows_first=True))):
            if consumed_after is not None and token.fragment > consumed_after:
                continue
            if token.cell is not None:
                if current is not None and current.placed is None:
                    current.values.append(token)
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
            row = _choose_row(match, labels, last_row, last_group)
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
    if not occurrences and not stray:
        return None, ()
    table_cells, chosen, notes = _place_rows(labels, occurrences)
    if stray:
        notes.append(f"{labels.spec.key}: {len(stray)} value(s) outside any row: "
                     + " ".join(t.text for t in stray[:20]))
    where = lines[region.start].where if len(region) else None
    table = Table(key=labels.spec.key, cells=table_cells, labels=book.table_labels(chosen),
                  unmatched=tuple(book.unmatched), where=where)
    return table, tuple(notes)


def _place_rows(labels: TableLabels, occurrences: dict[str, list[_Occurrence]]
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
            placed[(row.key, column.key)] = cell
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


def _read_flat(labels: TableLabels, lines: Sequence[TextLine], region: range,
               cells: CellReader) -> tuple[Optional[Table], tuple[str, ...]]:
    spec = labels.spec
    keys = spec.cell_keys()
    book = _Book(labels)
    values: list[Cell] = []
    placed: Optional[tuple[Cell, ...]] = None
    for i in region:
        line = lines[i]
        if line.line.grid and placed is None and not values:
            placed = _grid_flat(line, len(keys), cells)
            if placed is not None:
                continue
        for token in (piece for raw in tokens(line, cells) for piece in
                      ([raw] if raw.cell is not None else book.separate(raw, rows_first=False))):
            if token.cell is not None:
                values.append(token.cell)
                continue
            kind, match = book.classify(token)
            if kind == "label":
                for ref in (*(r for r, _ in match.rows), *match.others, *match.columns):
                    book.record(ref, token)
    notes: list[str] = []
    if placed is not None:
        row_cells = list(placed)
    elif not values:
        return None, ()
    else:
        row_cells = values[:len(keys)]
        if len(values) < len(keys):
            where = values[-1].where
            row_cells += [CellReader.empty("lost", where)] * (len(keys) - len(values))
            notes.append(f"{spec.key}: {len(values)} values for {len(keys)} cells; "
                         f"the last {len(keys) - len(values)} are lost")
        elif len(values) > len(keys):
            notes.append(f"{spec.key}: {len(values)} values for {len(keys)} cells; the extra ones "
                         "are ignored: " + " ".join(c.raw for c in values[len(keys):]))
    where = lines[region.start].where if len(region) else None
    table = Table(key=spec.key, cells=dict(zip(keys, row_cells)), labels=book.table_labels(),
                  unmatched=tuple(book.unmatched), where=where)
    return table, tuple(notes)
