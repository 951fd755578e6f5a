"""Reading the format's tables out of their regions.

A region is read as a token stream (see tokens.py). ``reading = "row_labels"``: a recognised
row label starts its row and the values that follow, up to the next row label, are its cells;
a row with exactly one value per column is placed, a row with none is blank, a row with some but
not all is ``lost`` (which cell is missing cannot be known, so none is guessed); a row whose
values the reading cannot tell apart from its neighbours' is ``unplaced``. In a real grid
(HTML, DOCX, PDF table) a row label followed by exactly its cells is mapped by position instead,
an empty cell being a blank. ``reading = "flat"``: the table's values in block-then-column order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import AbstractSet, NamedTuple, Optional, Sequence

from ..formats import TableSpec
from ..model import Cell, Fragment, Label, Source, Table
from .align import (Occurrence, Written, adds_up, grid_fit, join_pieces, likeness, mark_interleaved,
                    mark_overflowing, mark_short_with_strays, name_rows, spread_clumps)
from ..build import make_label
from . import align
from .cells import CellReader
from .fuzzy import allowed, find
from .labels import NO_MATCH, LabelRef, Match, TableLabels
from .lines import TextLine, is_prose, is_sentence
from .recurring import Trace, read_recurring
from .tokens import Forms, Token, forms, row_tokens, split_words, tokens

_SPACE = re.compile(r"\s")

# a text token this short that names nothing is debris of a label cut into pieces
# (the characters of a vertical group label, "本" "年" "度")
DEBRIS_LENGTH = 2
# how many unrecognised pieces in a row may be the head of the next label
_ORPHANS = 4


@dataclass
class _Book:
    """What a reading has recognised so far: labels as written, text that matched nothing."""

    labels: TableLabels
    written: dict[tuple[str, str], Written] = field(default_factory=dict)
    last: Optional[Written] = None
    # the label of the row being read: its rest may follow another label (a group label in
    # the column to its left, printed between the lines of a wrapped row label)
    row: Optional[Written] = None
    unmatched: list[Fragment] = field(default_factory=list)
    # pieces seen since the last label that named nothing: the head of a label whose rest
    # follows ("三、本" … "年度 办理 结果", a vertical group label cut across rows)
    orphans: list[Token] = field(default_factory=list)
    # orphan pieces a label took as its head: (text, where)
    absorbed: set[tuple[str, Source]] = field(default_factory=set)
    extended: Optional[Written] = None  # the label the last "continued" piece extended

    def separate(self, token: Token, rows_first: bool) -> list[Token]:
        """A text naming several labels at once ("自然人 法人或其他组织 总计", a header flattened
        into one run) as one token per label: the longest runs of words naming a single label.
        With ``rows_first``, a text naming a row stays whole (the row label "（二）部分公开（…不计
        其他情形）" contains the column key 其他) unless it is too long to be one label: then it
        is several side by side ("三、本年度办理结果 （六）其他处理 1.申请人无正当理由…", a row of
        a table without rules flattened into one run)."""
        if not _SPACE.search(token.text):
            return [token]
        how = _separation(self.labels, token.text, rows_first)
        if how == "whole":
            return [token]
        if how == "rest":
            return self._rest_of_row(token)
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
        seen = _seen(self.labels, token.text)
        if seen.settled is not None:
            return seen.settled
        plain = seen.forms.plain
        for last in (self.last, self.row) if self.row is not self.last else (self.last,):
            if last is not None and self.labels.continues(last.ref, last.loose, plain):
                last.extend(token)
                self.extended = last
                return "continued", NO_MATCH
        if seen.named is not None:
            return seen.named
        self.orphans = [*self.orphans[-(_ORPHANS - 1):], token]
        if len(seen.forms.loose) <= DEBRIS_LENGTH:
            return "debris", NO_MATCH
        self.unmatched.append(Fragment(token.text, token.where))
        return "unmatched", NO_MATCH

    def classify_in(self, pieces: Sequence[Token], n: int) -> tuple[str, Match]:
        """classify() of ``pieces[n]``, told by its line: a word alone before the row's values
        is the row's label cut by a typo (复议 for 行政复议), unmatched, where a piece of a label
        cut across rows ("本" of a vertical 本年度) has the row's own label after it and is
        debris. A single character is always debris: a vertical label's characters fall
        between the rows, one before a row's values where the row's label stands on the line
        above ("3.危及“三安全一稳定”" / "度  5 0 0 0 0 0 5")."""
        token = pieces[n]
        kind, match = self.classify(token)
        if kind == "debris" and len(token.forms.loose) > 1 and _heads_values(pieces, n):
            self.unmatched.append(Fragment(token.text, token.where))
            return "unmatched", NO_MATCH
        return kind, match

    def written_label(self, ref: LabelRef, token: Token) -> Written:
        """The label as written, with the orphan pieces before it when they are its head."""
        written = Written.of(ref, token)
        if self.orphans:
            whole = _joined([*self.orphans, token], sep="")
            if len(whole.loose) > len(token.loose) and any(whole.loose in w for w in ref.wordings):
                # the orphans are the head of this label
                written = Written.of(ref, whole)
                heads = {(o.text, o.where) for o in self.orphans}
                self.absorbed |= heads
                self.unmatched = [f for f in self.unmatched if (f.text, f.where) not in heads]
            self.orphans = []
        return written

    def record(self, ref: LabelRef, token: Token) -> Written:
        written = self.written.get((ref.kind, ref.key))
        if written is None:
            written = self.written_label(ref, token)
            self.written[(ref.kind, ref.key)] = written
        self.last = written
        return written

    def start_row(self, ref: LabelRef, token: Token) -> Written:
        """The row label as written. A row label with another label's piece before it
        ("三、本 (一) 予以公开") keeps its own words; the piece waits as an orphan for the rest
        of its label."""
        own, head = _trim_to(ref, token, self.labels)
        written = self.written_label(ref, own)
        if head is not None:
            self.orphans = [head]
        self.last = self.row = written
        return written

    def resolved(self, written: Sequence[Written]) -> None:
        """Labels that matched no key but were recognised as rows: no longer unmatched."""
        if not self.unmatched:
            return  # most tables: no set of places (each hashing a Source) to build
        known = {(w.text, w.where) for w in written}
        self.unmatched = [f for f in self.unmatched if (f.text, f.where) not in known]

    def table_labels(self, rows: Sequence[Written] = ()) -> tuple[Label, ...]:
        everything = sorted([*self.written.values(), *rows],
                            key=lambda w: w.line if w.order is None else w.order)
        table = self.labels.spec.key
        return tuple([make_label(table, w.ref.kind, w.ref.key, w.text, w.ref.expected, w.where)
                      for w in everything])


@lru_cache(maxsize=8192)  # the same labels recur in every table of a batch
def _separation(labels: TableLabels, text: str, rows_first: bool) -> str:
    """How _Book.separate() takes a text with spaces: "whole", "rest" (perhaps a group label's
    piece and the rest of the row label being read) or "split" (one token per label)."""
    written = forms(text)
    match = labels.match(written.key)
    named = _named(match)
    if rows_first and match.rows and len(written.loose) <= labels.prose_length:
        return "whole"
    if not named:
        return "rest"
    if len(named) == 1 and any(written.loose in w for ref in named.values() for w in ref.wordings):
        # one label as written (with spaces: "结果 维持"); a text naming one label but more
        # than it ("（三）不予公开 保护第三方合法权", a group label and the head of a row
        # label a narrow column wrapped) is split
        return "whole"
    return "split"


class _Seen(NamedTuple):
    """What a token's text is to a table, whatever was read before it (classify() asks whether
    it continues the label before it in between)."""

    forms: Forms
    settled: Optional[tuple[str, Match]]  # debris or prose: decided before anything else
    named: Optional[tuple[str, Match]]  # a note or a label; None when it names nothing


@lru_cache(maxsize=8192)  # the same labels recur in every table of a batch
def _seen(labels: TableLabels, text: str) -> _Seen:
    written = forms(text)
    size = len(written.loose)
    if size == 0:
        return _Seen(written, ("debris", NO_MATCH), None)  # an enumerator on its own: "(六)", "1."
    if is_sentence(text) or size > labels.prose_length:
        return _Seen(written, ("prose", NO_MATCH), None)
    if labels.is_header_note(written.loose):
        return _Seen(written, None, ("note", NO_MATCH))
    match = labels.match(written.key)
    if not match.rows and not _within(match, written.loose):
        head = labels.row_head(written.loose)
        if head is not None:
            return _Seen(written, None, ("label", Match(rows=((head, size),))))
    return _Seen(written, None, ("label", match) if match else None)


def clear_seen_cache() -> None:
    _seen.cache_clear()
    _separation.cache_clear()


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
    # a column heading carries no outline number ("3.其他" is a row's label)
    return sum(1 for t in pieces if t.loose and labels.match(t.key).columns and t.plain == t.loose) >= 2


def _repeats(previous: Token, token: Token) -> bool:
    """Whether a label is the one in the field before it again: a cell merged across columns
    that a converter expanded, its text copied into each ("一、本年新收…\t一、本年新收…")."""
    return token.cell is None and previous.cell is None and token.fragment == previous.fragment + 1 \
        and token.text == previous.text


def _within(match: Match, piece: str) -> bool:
    """Whether the loose ``piece`` is (part of) the wording of a label the match names: then
    the match is what it names ("其他" is the column 其他, not the head of a row label)."""
    return any(piece in w for ref in (*match.others, *match.columns) for w in ref.wordings)


def _trim_to(ref: LabelRef, token: Token, labels: TableLabels) -> tuple[Token, Optional[Token]]:
    """(the words of ``token`` that are the label's own, the words before them or None). A
    group label glued to the row's with no space ("（三）不予公开1.属于国家秘密") is cut off
    where the row's wording begins."""
    loose = token.loose
    for wording in ref.wordings:  # a loop, not any(): this runs for every row label read
        if loose in wording:
            return token, None
    if not _SPACE.search(token.text):
        return _glued_to(ref, token, labels)
    words = split_words(token)
    for start in range(1, len(words)):
        rest = _joined(words[start:])
        if rest.loose and any(rest.loose in w for w in ref.wordings):
            return rest, _joined(words[:start])
    return token, None


def _glued_to(ref: LabelRef, token: Token, labels: TableLabels) -> tuple[Token, Optional[Token]]:
    for wording in ref.wordings:
        hit = find(wording, token.loose, allowed(len(wording)))
        if hit is None or hit[1] == 0 or not labels.names_group(token.loose[:hit[1]]):
            continue
        # the shortest end of the text whose loose form is the row's part of it
        size = len(token.loose) - hit[1]
        for cut in range(1, len(token.text)):
            if len(forms(token.text[cut:]).loose) <= size:
                own = Token(token.text[cut:], token.where, token.line, token.fragment)
                return own, Token(token.text[:cut], token.where, token.line, token.fragment)
    return token, None


def _joined(words: Sequence[Token], sep: str = " ") -> Token:
    first = words[0]
    return Token(sep.join(w.text for w in words), first.where, first.line, first.fragment)


# a table read from its region, notes on what could not be placed, and the lines of the region
# that are the table's (see table_rows); (None, (), None) when the region holds no trace of it
Reading = tuple[Optional[Table], tuple[str, ...], Optional[frozenset[int]]]


def read_table(labels: TableLabels, lines: Sequence[TextLine], region: range, cells: CellReader,
               plain_text: bool = False) -> Reading:
    """The table read from its region. ``plain_text``: the lines are a text file's (one place
    a line), whose tables recur in shapes (recurring.py)."""
    flat = labels.spec.reading == "flat"
    if plain_text:
        return read_recurring(labels, lines, region, cells, _read_flat_region if flat else _read_row_labels)
    if flat:
        return _read_flat_region(labels, lines, region, cells)
    return _read_row_labels(labels, lines, region, cells)


def table_rows(lines: Sequence[TextLine], region: range, text: AbstractSet[int], longest: int) -> frozenset[int]:
    """The lines of a table's region that are the table's: not running text, nor the part's
    text that stands among them (``text``: a header of an older format's columns)."""
    return frozenset(i for i in region if i not in text and not is_prose(lines[i], longest))


def _read_flat_region(labels: TableLabels, lines: Sequence[TextLine], region: range, cells: CellReader,
                      trace: Optional[Trace] = None) -> Reading:
    table, notes = _read_flat(labels, lines, region, cells, trace)
    return table, notes, None if table is None else table_rows(lines, region, (), labels.prose_length)


# --------------------------------------------------------------------------- row labels


def _choose_row(match: Match, labels: TableLabels, last_row: Optional[str],
                last_group: Optional[str], last_filled: Optional[str] = None) -> Optional[LabelRef]:
    """The row a label names. A row recognised only after certain rows ("3.其他" after 3.6.2)
    may follow the last row label or the last row that had values: a value-less label between
    them (a header repeated at a page break, whose "其他" and "总计" look like rows) does not
    hide the row."""
    if len(match.rows) == 1:  # most labels name one row: no list, no preference
        ref = match.rows[0][0]
        after = ref.after
        return ref if not after or last_row in after or last_group in after or last_filled in after else None
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
    fragments = line.line.fragments
    return _read_grid(grid_fit(fragments[after].text, fragments[after + 1:], width), cells)


def _read_grid(own: Optional[Sequence[Fragment]], cells: CellReader) -> Optional[tuple[Cell, ...]]:
    if own is None:
        return None
    return tuple(cells.read(f.text, f.where) if f.text.strip() else CellReader.empty("blank", f.where)
                 for f in own)


@dataclass
class _Reading:
    """What a table reading has found so far, line by line."""

    labels: TableLabels
    cells: CellReader
    book: _Book
    observed: list[Occurrence] = field(default_factory=list)
    current: Optional[Occurrence] = None
    # the label of a row an older format had (its values follow it) or only a group label of
    # this format (a row label follows): decided by the next token
    tentative: Optional[Occurrence] = None
    last_value_line: int = -1
    # the block being read is headed by an older format's columns
    former_block: bool = False

    def add(self, occurrence: Occurrence) -> Occurrence:
        self.observed.append(occurrence)
        self.current = occurrence
        return occurrence

    def value(self, token: Token, line: TextLine) -> Optional[str]:
        """Give a value to the row being read, or to a row of values with no label when the row
        being read has all its values and this one starts a line of its own. The row key when
        a named row took it."""
        if self.tentative is not None:
            self.add(self.tentative)
            self.tentative = None
        current = self.current
        fresh = token.line != self.last_value_line
        self.last_value_line = token.line
        if current is None or current.placed is not None or (
                fresh and token.line != current.label.line and self._complete(current)):
            current = self.add(Occurrence(Written(None, "", "", token.where, token.line), empty=True))
            if line.line.grid:
                current.trailing = line.line.fragments
        current.values.append(token)
        ref = current.label.ref
        return ref.key if ref is not None and ref.kind == "row" else None

    def _complete(self, occurrence: Occurrence) -> bool:
        ref = occurrence.label.ref
        if ref is None:  # values with no label (or debris): a row's worth, when every row has as many
            width = self.labels.uniform_width if occurrence.empty or occurrence.weak else None
        else:
            width = self.labels.widths[ref.key]
        return width is not None and len(occurrence.values) >= width

    def resume(self, label: Optional[Written]) -> None:
        """The rest of a row label, after a piece that named nothing (a group label's piece in
        the column to its left, printed between the lines of the wrapped row label): the row is
        the one being read again, and the values that followed the piece are its."""
        current = self.current
        if label is None or current is None or current.label is label or current.named or current.empty:
            return
        row = next((o for o in reversed(self.observed) if o.label is label), None)
        if row is None or row.placed is not None:
            return
        # every piece since the row's label (a group label wrapped over several lines of its
        # column: "无法提" with the row's values on its line, then "供")
        pieces = self.observed[self.observed.index(row) + 1:]
        if any(p.named or p.empty or p.trailing is not None or not (p.weak or self.labels.in_group_label(p.label.loose))
               for p in pieces if p is not current) or current.trailing is not None:
            return
        values = [v for p in pieces for v in p.values]
        width = self.labels.widths[label.ref.key] if label.ref is not None else None
        if width is not None and len(row.values) + len(values) > width:
            return
        row.values.extend(values)
        for piece in pieces:
            self.observed.remove(piece)
        self.current = row

    def interrupted(self) -> None:
        """A column heading among the values of a row: the table was extracted column by
        column, and which of the values around it are the row's cannot be known. A row short of
        values in the end is lost, as any short row (a blank cell before the next block's
        heading looks the same); one that gets a value for each cell is unplaced."""
        current = self.current
        if current is not None and current.is_row and current.placed is None and \
                0 < len(current.values) < self.labels.widths[current.label.ref.key]:  # type: ignore[union-attr]
            current.interrupted = True

    def unnamed(self, token: Token, line: TextLine, weak: bool) -> None:
        occurrence = self.add(Occurrence(Written.of(None, token), weak=weak, former=self.former_block))
        if line.line.grid:
            occurrence.trailing = line.line.fragments[token.fragment + 1:]


def _heads_values(pieces: Sequence[Token], n: int) -> bool:
    """Whether ``pieces[n]`` is the only text of its line and values follow it."""
    after = n + 1
    while after < len(pieces) and _repeats(pieces[after - 1], pieces[after]):
        after += 1  # the label copied into the fields of its merged cell
    return after < len(pieces) and all(p.cell is not None for p in pieces[after:]) \
        and all(p.cell is not None for p in pieces[:n])


def _read_row_labels(labels: TableLabels, lines: Sequence[TextLine], region: range, cells: CellReader,
                     trace: Optional[Trace] = None) -> Reading:
    sums_tested = align.sums_tested
    book = _Book(labels)
    reading = _Reading(labels, cells, book)
    last_row: Optional[str] = None
    last_group: Optional[str] = None
    last_filled: Optional[str] = None  # the last row that had values
    text_lines: set[int] = set()  # lines that stay the part's text
    for i in region:
        line = lines[i]
        found, values_from = row_tokens(line, cells)
        if trace is not None:
            trace.lines.append(found)
        if len(found) == 1 and found[0].cell is not None:
            # a value alone on its line (a table printed a cell a line): what the loop below
            # does with it (a line's first value is never the fast case), without the
            # bookkeeping of a line
            filled = reading.value(found[0], line)
            if filled is not None:
                last_filled = filled
            continue
        consumed_after: Optional[int] = None  # fragments past this one were placed by position
        previous: Optional[Token] = None
        if values_from is None:  # a text to separate, or a label run into its value
            pieces: list[Token] = []
            glued = False  # a text ending in a digit: perhaps a label run into its first value
            for raw in found:
                if raw.cell is None:
                    glued = glued or raw.text[-1].isdigit()
                    if _SPACE.search(raw.text):
                        pieces.extend(book.separate(raw, rows_first=True))
                        continue
                pieces.append(raw)  # what separate() keeps whole, without the call
            if glued:
                pieces = _split_glued(pieces, labels, cells)
            values_from = _values_from(pieces)
        else:
            pieces = found  # every token as it is: most lines
        # a row ending in a value is neither header nor older format's: most lines of a table,
        # without the calls
        ends_in_text = bool(pieces) and pieces[-1].cell is None
        header = ends_in_text and len(pieces) > 1 and _is_header(pieces, labels)
        if ends_in_text and labels.former_columns is not None and _names_former_columns(pieces, labels):
            reading.former_block = True
            text_lines.add(i)
        for n, token in enumerate(pieces):
            if consumed_after is not None and token.fragment > consumed_after:
                continue
            if token.cell is not None:  # a value never repeats a label (_repeats()): most tokens
                previous = token
                current = reading.current
                if token.line == reading.last_value_line and current is not None and current.placed is None \
                        and reading.tentative is None:
                    current.values.append(token)  # the next value on the line: value()'s common case
                    continue
                filled = reading.value(token, line)
                if filled is not None:
                    last_filled = filled
                if n >= values_from and consumed_after is None:
                    # only values left on the line: each would be the common case above, as
                    # value() leaves the row it gave this one to open on this line
                    reading.current.values.extend(pieces[n + 1:])  # type: ignore[union-attr]
                    break
                continue
            repeated = previous is not None and _repeats(previous, token)
            previous = token
            if repeated:
                continue  # a merged cell a converter copied into every field it covers
            reading.tentative = None
            kind, match = book.classify_in(pieces, n)
            if kind == "prose":
                # text between rows: what follows is not the current row's
                reading.current = None
                continue
            if kind in ("unmatched", "debris"):
                # a row we cannot name by its keys (yet): the alignment decides; punctuation or
                # an outline number alone ("”" of a wrapped label, "（六）") names nothing
                if token.loose:
                    reading.unnamed(token, line, weak=kind == "debris")
                continue
            if kind == "continued":
                reading.resume(book.extended)
            if kind != "label":
                continue
            for ref in match.others:
                if ref.kind == "group":
                    last_group = ref.key
                else:
                    reading.former_block = False  # a block's own header follows its label
            # in a header line, a label that is also a column's is the column ("其他", "总计")
            row = None if header and match.columns else _choose_row(match, labels, last_row, last_group,
                                                                    last_filled)
            if row is not None and row.spec.exact and token.plain != token.loose and \
                    labels.numbered_as_group(token.plain[:-len(token.loose)] if token.loose else "", token.loose):
                row = None  # "（六）其他" of "（六）其他处理" cut apart: a group label's piece
            # a group or block label in the same text as the row's: written as the words before it
            head = _trim_to(row, token, labels)[1] if row is not None and match.others else None
            for ref in match.others:
                book.record(ref, head or token)
            if row is None:
                if not match.others and match.columns and not header and (
                        token.plain != token.loose or any(t.cell is not None for t in pieces[n + 1:])):
                    # a column's key in a row's place — numbered as rows are, or with values
                    # after it on its line: a row label whose typo left a column's key in it
                    # ("3.其他他", "（七）总总计"), or a piece of a group label ("（六）其他处");
                    # a column heading has neither
                    book.unmatched.append(Fragment(token.text, token.where))
                    reading.unnamed(token, line, weak=labels.in_group_label(token.loose))
                    continue
                if not match.others:
                    for ref in match.columns:
                        book.record(ref, token)
                    if match.columns:
                        reading.interrupted()
                if match.former and not header:
                    former = _former(match.former[0], token, line, labels, cells)
                    if former.placed is not None:  # a grid row of its own values
                        reading.add(former)
                        consumed_after = token.fragment
                    else:
                        reading.tentative = former
                continue
            current = reading.add(Occurrence.of(book.start_row(row, token), reading.former_block))
            last_row, last_group = row.key, None
            if line.line.grid:
                current.placed = _grid_cells(line, token.fragment, labels.widths[row.key], cells)
                if current.placed is not None:
                    consumed_after = token.fragment
                    if any(c.kind != "blank" for c in current.placed):
                        last_filled = row.key
    observed = [o for o in reading.observed
                if o.named or o.filled or (o.label.text, o.label.where) not in book.absorbed]
    if not observed:
        return None, (), None
    notes: list[str] = []
    if not _all_named_with_values(observed):
        observed = join_pieces(observed, labels)
        notes += spread_clumps(observed, labels)
        mark_interleaved(observed, labels)
        name_rows(observed, labels)
        mark_overflowing(observed, labels)
    occurrences: dict[str, list[Occurrence]] = {}
    stray: list[Token] = []
    for occurrence in observed:
        if occurrence.named:
            occurrences.setdefault(occurrence.label.ref.key, []).append(occurrence)  # type: ignore[union-attr]
        else:
            stray.extend(occurrence.values)
    # values with no label at all (not another row's, whose label is unknown) may be a short row's
    unlabelled = sum(len(o.values) for o in observed if not o.named and not o.label.text)
    if unlabelled:
        mark_short_with_strays([o for o in observed if o.is_row], unlabelled, labels)
    book.resolved([o.label for o in observed if o.named])
    if trace is not None and align.sums_tested != sums_tested:
        trace.plain = False  # its course turned on what values add up to, not on their kinds alone
    if not occurrences and not stray:
        return None, (), None
    table_cells, chosen, placing = _place_rows(labels, occurrences, cells)
    notes += placing
    if stray:
        notes.append(f"{labels.spec.key}: {len(stray)} value(s) outside any row: "
                     + " ".join(t.text for t in stray[:20]))
    where = lines[region.start].where if len(region) else None
    table = Table(key=labels.spec.key, cells=table_cells, labels=book.table_labels(chosen),
                  unmatched=tuple(book.unmatched), where=where)
    return table, tuple(notes), table_rows(lines, region, text_lines, labels.prose_length)


def _values_from(pieces: Sequence[Token]) -> int:
    """The index from which every token of a line is a value (their count when the last is text)."""
    start = len(pieces)
    while start and pieces[start - 1].cell is not None:
        start -= 1
    return start


def _all_named_with_values(observed: Sequence[Occurrence]) -> bool:
    """Whether every label read names its row and has its values after it (most tables): then
    the alignment steps have nothing to join, spread, mark or name, and are not run."""
    for occurrence in observed:  # a loop, not all(): it runs for every table
        if occurrence.label.ref is None or occurrence.empty or not (occurrence.values or occurrence.placed is not None):
            return False
    return True


def _former(ref: LabelRef, token: Token, line: TextLine, labels: TableLabels, cells: CellReader) -> Occurrence:
    """The label of a row of an older format, which takes the values that follow it at once."""
    occurrence = Occurrence(Written.of(ref, token))
    if line.line.grid:
        placed = _grid_cells(line, token.fragment, labels.widths[ref.key], cells)
        if placed is not None and any(c.kind in ("number", "not_applicable") for c in placed):
            occurrence.placed = placed
    return occurrence


def _names_former_columns(pieces: Sequence[Token], labels: TableLabels) -> bool:
    """Whether a line is a header naming an older format's columns (no values in it)."""
    named = False
    for token in pieces:
        if token.cell is not None:
            return False
        named = named or labels.names_former_column(token.key)
    return named


# a label run straight into its first value: "行政规范性文件0", "行政事业性收费12.5"
_GLUED = re.compile(r"^(?P<label>.*[^\d.,])(?P<value>\d[\d,]*(?:\.\d+)?)$")


def _split_glued(pieces: list[Token], labels: TableLabels, cells: CellReader) -> list[Token]:
    """Tokens whose text is a label of the table with its first value glued on, as the label
    and the value: the format's label text says where the label ends."""
    out: list[Token] = []
    for token in pieces:
        if token.cell is not None or not token.text[-1:].isdigit():
            out.append(token)
            continue
        glued = _GLUED.match(token.text)
        head = glued.group("label").rstrip() if glued else ""
        value = cells.value_of(glued.group("value"), token.where) if glued else None
        if value is None or not head or not _ends_a_label(head, labels):
            out.append(token)
            continue
        out.append(Token(head, token.where, token.line, token.fragment))
        out.append(Token(glued.group("value"), token.where, token.line, token.fragment, value))
    return out


def _ends_a_label(text: str, labels: TableLabels) -> bool:
    """Whether a text is, or ends with, the wording of one of the table's rows."""
    key = forms(text).loose
    if not key:
        return False
    for ref in labels.row_refs:
        for wording in ref.wordings:
            if key.endswith(wording):
                return True
    return bool(likeness(labels, key))


def _place_rows(labels: TableLabels, occurrences: dict[str, list[Occurrence]], cells: CellReader
                ) -> tuple[dict[tuple[str, str], Cell], list[Written], list[str]]:
    spec = labels.spec
    placed: dict[tuple[str, str], Cell] = {}
    chosen: list[Written] = []
    notes: list[str] = []
    former = {row.key for row in spec.former_rows}
    for row in (*spec.rows, *spec.former_rows):
        found = occurrences.get(row.key)
        if not found:
            continue
        width = labels.widths[row.key]
        for occurrence in found:
            if occurrence.placed is None and occurrence.trailing is not None:
                occurrence.placed = _read_grid(grid_fit(occurrence.label.text, occurrence.trailing, width), cells)
        best = found[0] if len(found) == 1 else max(
            found, key=lambda o: (o.placed is not None, len(o.values) == width, min(len(o.values), width)))
        if row.key in former:
            notes.append(f"{spec.key}: row {row.key} ({row.label}) of an older format is printed with "
                         "values of its own; they are read as that row's, not as the rows that replace it")
        else:
            chosen.append(_label_of(best, found))
        if len(found) > 1:
            notes.append(f"{spec.key}: row {row.key} appears {len(found)} times; "
                         f"the one at {best.label.where.describe() or 'its first place'} is used")
        values = best.values
        if best.former:
            row_cells = [CellReader.empty("unplaced", best.label.where)] * width
            notes.append(f"{spec.key}: row {row.key} is printed under the columns of an older format; "
                         "its values are not this format's columns and are not read")
        elif best.placed is not None:
            row_cells = list(best.placed)
        elif best.unplaced:
            row_cells = [CellReader.empty("unplaced", best.label.where)] * width
        elif best.lost or best.interrupted:
            kind = "unplaced" if best.interrupted and len(values) >= width else "lost"
            row_cells = [CellReader.empty(kind, best.label.where)] * width
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
        for (key, unit), cell in zip(labels.places[row.key], row_cells):
            raw = cell.raw
            # in_column() returns a count written in digits as it is: most cells, without the call
            placed[key] = cell if cell.kind != "number" or (raw.isdigit() and raw.isascii()) else \
                cells.in_column(cell, unit)
    return placed, chosen, notes


def _label_of(best: Occurrence, found: Sequence[Occurrence]) -> Written:
    """The row's label as written: the chosen occurrence's, or, when that one had no label
    (values placed by position), another occurrence's, standing where the values are."""
    if best.label.text:
        return best.label
    worded = next((o.label for o in found if o.label.text), None)
    if worded is None:
        return best.label
    return replace(worded, order=best.label.line)


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


def _unknown(values: Sequence[Cell], cells: int) -> Cell:
    """A cell of a table whose values cannot be told apart: the checker's doing when the report
    printed a value for every cell, the report's when it printed fewer (see align.mark_unknown)."""
    return CellReader.empty("lost" if len(values) < cells else "unplaced", values[0].where)


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


def _name_unknown_blocks(spec: TableSpec, labels: TableLabels, by_row: dict[str, list[Cell]]) -> bool:
    """Give the values of a block label no wording named (``?n``) to the one block no label
    named, when they are exactly its values; drop any other. Whether values were dropped."""
    unknown = [key for key, found in by_row.items() if key.startswith("?") and found]
    missing = [row.key for row in spec.rows if not by_row.get(row.key)]
    if len(unknown) == 1 and len(missing) == 1 and len(by_row[unknown[0]]) == labels.widths[missing[0]]:
        by_row[missing[0]] = by_row.pop(unknown[0])
        unknown = []
    for key in [k for k in by_row if k.startswith("?")]:
        del by_row[key]
    return bool(unknown)


def _blocks_add_up(values: Sequence[Cell], size: int, labels: TableLabels) -> bool:
    """Whether values printed among the table's headings are still in the table's order: as
    many as its cells, and every block adding up (its total the sum of its parts)."""
    width = labels.uniform_width
    if len(values) != size or not width:
        return False
    return all(adds_up(values[n:n + width], labels) for n in range(0, size, width))


def _block_by_likeness(labels: TableLabels, token: Token) -> Match:
    """A block label of a table read flat that no key names but that is within a few typos of
    one block's wording, and of no other's."""
    like = likeness(labels, token.loose)
    if len(like) == 1 or (len(like) > 1 and (like[0].inside, -like[0].score) < (like[1].inside, -like[1].score)):
        return Match(rows=((like[0].ref, len(token.loose)),))
    return NO_MATCH


def _read_flat(labels: TableLabels, lines: Sequence[TextLine], region: range, cells: CellReader,
               trace: Optional[Trace] = None) -> tuple[Optional[Table], tuple[str, ...]]:
    sums_tested = align.sums_tested
    spec = labels.spec
    keys = spec.cell_keys()
    book = _Book(labels)
    values: list[Cell] = []
    placed: Optional[tuple[Cell, ...]] = None
    # values by the row (block) label they follow, for a table printed with its blocks as rows
    by_row: dict[str, list[Cell]] = {}
    row: Optional[str] = None
    seen: list[str] = []  # the block labels, in the order printed
    unlabelled = False
    # values before any of the table's own labels: the table's, when no value follows them;
    # otherwise another table's spilled into this region (text extracted column by column)
    leading = 0
    # the runs of values between column headings: each must be whole blocks, else the table
    # was extracted column by column and the order of its values is not the table's
    runs: list[int] = [0]
    for i in region:
        line = lines[i]
        if line.line.grid and placed is None and not values:
            placed = _grid_flat(line, len(keys), cells)
            if placed is not None:
                continue
        width = labels.widths.get(row, labels.uniform_width) if row is not None else None
        if line.line.grid and width and not by_row[row]:  # type: ignore[index]
            # a grid row of exactly one block's cells under the block's label (a small table
            # per block, or one whose label no wording names): mapped by position, an empty
            # cell being a blank
            block = _grid_flat(line, width, cells)
            if block is not None:
                by_row[row] = list(block)
                values.extend(c for c in block if c.kind != "blank")
                continue
        previous: Optional[Token] = None
        consumed_after: Optional[int] = None
        found = tokens(line, cells)
        if trace is not None:
            trace.lines.append(found)
        pieces = [piece for raw in found
                  for piece in ([raw] if raw.cell is not None else book.separate(raw, rows_first=False))]
        for n, token in enumerate(pieces):
            if consumed_after is not None and token.fragment > consumed_after:
                continue
            repeated = previous is not None and _repeats(previous, token)
            previous = token
            if repeated:
                continue
            if token.cell is not None:
                values.append(token.cell)
                runs[-1] += 1
                if not book.written:
                    leading += 1
                elif row is None:
                    unlabelled = True
                else:
                    by_row[row].append(token.cell)
                continue
            kind, match = book.classify_in(pieces, n)
            if kind == "unmatched":
                match = _block_by_likeness(labels, token)
                kind = "label" if match else kind
            if kind == "unmatched" and (row is not None or any(t.cell is not None for t in pieces[n + 1:])):
                # a block label beyond recognition (among labelled blocks, or with values after
                # it on its line): its values are set apart, for its place to name
                row = f"?{len(by_row)}"
                by_row[row] = []
                continue
            if kind == "label":
                if runs[-1] and match.columns and not match.rows:
                    runs.append(0)
                for ref in (*(r for r, _ in match.rows), *match.others, *match.columns):
                    book.record(ref, token)
                if match.rows:
                    row = max(match.rows, key=lambda item: item[1])[0].key
                    if by_row.get(row):  # a block named again after its values: not rows
                        unlabelled = True
                    if row not in seen:
                        seen.append(row)
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
    spilled: list[Cell] = []
    if leading and len(values) > leading:
        spilled, values = values[:leading], values[leading:]
        runs[0] -= leading
        notes.append(f"{spec.key}: {leading} value(s) before its headings are not its own: "
                     + " ".join(c.raw for c in spilled[:20]))
    elif leading:
        unlabelled = True
    unlabelled = _name_unknown_blocks(spec, labels, by_row) or unlabelled
    by_label = None if placed is not None or unlabelled else _by_label(spec, by_row)
    order = [spec.rows.index(spec.row(key)) for key in seen]
    if placed is not None:
        row_cells = list(placed)
    elif by_label is not None:
        row_cells = [by_label.get(key) for key in keys]  # a block not printed has no cells
    elif not values:
        if sum(1 for w in book.written.values() if w.ref is not None and w.ref.kind == "column") < 2:
            return None, ()
        # the table's header with no values under it: a blank table, not a missing one
        where = lines[region.start].where if len(region) else None
        row_cells = [CellReader.empty("blank", where)] * len(keys)
    elif order != sorted(order):
        row_cells = [_unknown(values, len(keys))] * len(keys)
        notes.append(f"{spec.key}: its blocks are printed in another order than the format's and not every "
                     "one can be named, so the order of its values is not known and none is placed")
    elif any(run % (labels.uniform_width or len(keys)) for run in runs[:-1] if run) and len(runs) > 1 \
            and not _blocks_add_up(values, len(keys), labels):
        row_cells = [_unknown(values, len(keys))] * len(keys)
        notes.append(f"{spec.key}: its values are printed among its column headings (text extracted column by "
                     "column), so their order is not the table's and none is placed: "
                     + " ".join(c.raw for c in values))
    else:
        row_cells, note = _in_order(spec, keys, values)
        if note:
            notes.append(note)
    where = lines[region.start].where if len(region) else None
    table_cells = {key: cells.in_column(cell, spec.column(key[1]).unit)
                   for key, cell in zip(keys, row_cells) if cell is not None}
    table = Table(key=spec.key, cells=table_cells, labels=book.table_labels(),
                  unmatched=tuple(book.unmatched), where=where)
    if trace is not None and align.sums_tested != sums_tested:
        trace.plain = False  # its blocks were tested for adding up
    return table, tuple(notes)
