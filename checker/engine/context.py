"""What a rule sees of a report: the accessors behind the names an expression may use.

The root names form a small, explicit registry (ROOTS); a table appears as a read-only mapping
row -> column -> Cell shaped like the parse JSON, so ``applications["3.7"].total`` and
``active_disclosure.administrative_licensing`` read the same in rules and in output.

A ReportView also collects evidence while a rule runs: every cell an expression touches and
every sentence a text function quotes. The engine resets it before each rule."""
from __future__ import annotations

import re
import weakref
from itertools import repeat
from operator import attrgetter, is_not
from bisect import bisect_right
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Iterator, Optional, Sequence

from ..build import make_cell
from ..formats import FormatSpec, TableSpec
from ..frozen import filled, quick_init
from ..memo import by_identity
from ..model import Cell, Paragraph, Report, Source, Table
from ..messages import KIND_LABELS
from ..results import Evidence, quote
from .expr import Missing
from ..textnorm import fold, squash_folded

# a sentence: up to and with its end mark, or the text after the last one (found as it is
# scanned, not by splitting at a look-behind tried at every character)
_SENTENCE = re.compile(r"[^。！？；!?;]*[。！？；!?;]|[^。！？；!?;]+")


@quick_init
@dataclass(frozen=True)
class Sentence:
    text: str
    part: Optional[int]
    where: Source
    flat: str = ""  # squash(text), computed once: every text rule matches on it
    folded: str = ""  # fold(text): full-width digits and brackets made plain, spacing kept

    def evidence(self) -> Evidence:
        """The sentence quoted: one Evidence however many rules quote it (kept beside the
        fields, not one of them)."""
        quoted = self.__dict__.get("_quoted")
        if quoted is None:
            quoted = quote(self.text, self.where)
            object.__setattr__(self, "_quoted", quoted)
        return quoted


class ScopeText:
    """Sentences joined by newlines, as written, folded and squashed, with where each sentence
    starts in the squashed text and in the text as written (to find the sentence a match falls
    in). Each is made at its first use: a scope's rules read one or two of them."""

    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.sentences = tuple(sentences)

    @classmethod
    def of(cls, sentences: Sequence[Sentence]) -> "ScopeText":
        return cls(sentences)

    @cached_property
    def text(self) -> str:
        return "\n".join([s.text for s in self.sentences])

    @cached_property
    def folded(self) -> str:
        return "\n".join([s.folded for s in self.sentences])

    @cached_property
    def flat(self) -> str:
        return "\n".join([s.flat for s in self.sentences])

    @cached_property
    def flat_starts(self) -> tuple[int, ...]:
        return _starts([s.flat for s in self.sentences])

    @cached_property
    def text_starts(self) -> tuple[int, ...]:
        return _starts([s.text for s in self.sentences])

    def sentences_searched(self, pattern: "re.Pattern[str]") -> list[int]:
        """The indices of the sentences whose text as written the pattern matches, for a
        pattern whose match depends only on what it consumes (checker.engine.screens.
        context_free): no sentence before the first match in the joined text can hold one, so
        the joined text is searched from one hit's sentence to the next, and only the sentence
        a match starts in is searched on its own (a match may run on into the next one)."""
        sentences, search = self.sentences, pattern.search
        return _hit_sentences(self.text, self.text_starts, search,
                              lambda index: search(sentences[index].text) is not None)

    def sentences_matching_flat(self, pattern: "re.Pattern[str]") -> list[Sentence]:
        """The sentences in whose squashed text the pattern matches (for patterns that cannot
        match a newline, exactly those a sentence-by-sentence search finds)."""
        return [self.sentences[i] for i in self.flat_hits(pattern)]

    def flat_hits(self, pattern: "re.Pattern[str]") -> list[int]:
        """The indices of those sentences: a match cannot run past its sentence, so after one,
        the search goes on from the next sentence (not through every match of a word the
        sentence repeats)."""
        return _hit_sentences(self.flat, self.flat_starts, pattern.search)


def _hit_sentences(joined: str, starts: Sequence[int], search: Callable[..., Any],
                   confirm: Optional[Callable[[int], bool]] = None) -> list[int]:
    """The sentences (by index, in order) in which a search of their joined text finds a match
    starting, the search going on from the sentence after each hit; ``confirm``: whether the
    sentence a match starts in holds one of its own."""
    found: list[int] = []
    last = len(starts) - 1
    match = search(joined) if starts else None
    while match is not None:
        index = bisect_right(starts, match.start()) - 1
        if confirm is None or confirm(index):
            found.append(index)
        if index >= last:
            break
        match = search(joined, starts[index + 1])
    return found


class RowView(Mapping):
    """One table row: column key -> Cell."""

    def __init__(self, table: "TableView", row: str, columns: Sequence[str]) -> None:
        self._table = table
        self._row = row
        self._columns = tuple(columns)
        self._addresses = table._addresses
        # column -> (placed cell, its address), looked up at the first read: rules read the
        # cells again and again, but not every cell of every row (a lost cell is not kept: it
        # is made anew at each read, by TableView.cell)
        self._placed: dict[str, tuple[Cell, tuple[str, str, str]]] = {}

    def __getitem__(self, col: str) -> Cell:
        placed = self._placed.get(col)
        if placed is None:
            if col not in self._columns:
                raise KeyError(col)
            cell = self._table.table.cells.get((self._row, col))
            if cell is None:
                return self._table.cell(self._row, col)
            placed = self._placed[col] = (cell, (self._table.key, self._row, col))
        cell, address = placed
        self._addresses[id(cell)] = address
        return cell

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __repr__(self) -> str:
        return f"<row {self._table.key}[{self._row}]>"


UNREADABLE_TABLE = "the table cannot be read (published as a picture, or a scanned page)"


class TableView(Mapping):
    """A table as rules read it: row key -> RowView, or -> Cell for a one-column row of a
    nested table (``active_disclosure.administrative_licensing``)."""

    def __init__(self, table: Table, spec: TableSpec, addresses: Optional[dict[int, tuple[str, str, str]]] = None,
                 prefix: str = "", made: Optional[dict[int, Cell]] = None) -> None:
        self.table = table
        self.spec = spec
        self.key = spec.key
        self.input = f"{prefix}table:{spec.key}"  # its key as an input (checker.engine.inputs)
        self._rows = spec.row_column_keys
        self._row_views: dict[str, RowView] = {}
        # id(cell) -> (table, row, col) of the cell last read: evidence names the cell read even
        # when a reader shares one Cell object between several positions
        self._addresses = addresses if addresses is not None else {}
        self._lost: list[Cell] = []  # the cells made for reads (see cell) and for plain
        # id of each of them -> the cell it stands for (a lost cell for itself)
        self._made = made if made is not None else {}

    def readable(self) -> "TableView":
        """The view, when its cells can be read; Missing for a table that is there but cannot be
        read (published as a picture, or on a scanned page): its rules are not assessable."""
        if self.table.unreadable:
            raise Missing(reason=UNREADABLE_TABLE, inputs=(self.input,))
        return self

    def cell(self, row: str, col: str) -> Cell:
        if self.table.unreadable:
            raise Missing(reason=UNREADABLE_TABLE, inputs=(self.input,))
        cell = self.table.cells.get((row, col))
        if cell is None:  # a cell the reader never placed is lost, not zero
            return self._made_lost_cell(row, col)
        self._addresses[id(cell)] = (self.key, row, col)
        return cell

    def _made_lost_cell(self, row: str, col: str) -> Cell:
        return self._made_cell(Cell(value=None, kind="lost", raw=""), None, row, col)

    def _made_cell(self, cell: Cell, original: Optional[Cell], row: str, col: str) -> Cell:
        # kept as long as the view, with its address: a cell made and let go leaves its id
        # to the next object, and the address to a cell of last year's report made there
        self._lost.append(cell)
        self._made[id(cell)] = original if original is not None else cell
        self._addresses[id(cell)] = (self.key, row, col)
        return cell

    def plain(self) -> dict[str, Any]:
        """The table as plain dicts, row -> column -> the cell's number (a cell without one as
        a Cell: lost, blank, a mark), shaped as the view is (a one-column row of a nested
        table is its cell); see checker.engine.expr.plain.

        A cell without a number is a copy of its own for each place, with the place as its
        address (a reader may put one Cell at several places, a row of lost cells), and a place
        the reader left empty a lost cell of its own, as a read through the view makes it: a
        Missing raised at one of them names the place the view would name (see ReportView.made)."""
        get = self.table.cells.get
        nested = self.spec.layout == "nested"
        rows: dict[str, Any] = {}
        for row, columns, places in _row_places(self.spec):
            found = list(map(get, places))
            # a row of cells with numbers (nearly every row) in C; a place without a cell or a
            # cell without a number takes the cell made for it
            values = list(map(_VALUE, found)) if all(map(is_not, found, _NONES)) else None
            if values is None or not all(map(is_not, values, _NONES)):
                values = [self._made_lost_cell(row, col) if cell is None
                          else self._made_cell(_copy(cell), cell, row, col) if cell.value is None
                          else cell.value for (_, col), cell in zip(places, found)]
            rows[row] = values[0] if nested and len(columns) == 1 else dict(zip(columns, values))
        return rows

    def __getitem__(self, row: str) -> Any:
        view = self._row_views.get(row)
        if view is not None:
            return view
        columns = self._rows[row]  # KeyError for an unknown row: the evaluator names it
        if self.table.unreadable:
            raise Missing(reason=UNREADABLE_TABLE, inputs=(self.input,))
        if self.spec.layout == "nested" and len(columns) == 1:
            return self.cell(row, columns[0])
        view = self._row_views.get(row)
        if view is None:
            view = self._row_views[row] = RowView(self, row, columns)
        return view

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return f"<table {self.key}>"


_VALUE = attrgetter("value")
_NONES = repeat(None)


def _copy(cell: Cell) -> Cell:
    return make_cell(cell.value, cell.kind, cell.raw, cell.where)


@by_identity(64)
def _row_places(spec: TableSpec) -> tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], ...]:
    """Each row of the table with its columns and its (row, column) places."""
    return tuple((row, tuple(columns), tuple((row, col) for col in columns))
                 for row, columns in spec.row_column_keys.items())


def _paragraph_sentences(paragraph: Paragraph) -> list[Sentence]:
    sentences = []
    part, where = paragraph.part, paragraph.where
    for piece in _SENTENCE.findall(paragraph.text):
        piece = piece.strip()
        if piece:
            folded = fold(piece)
            # unchecked: a report has sentences by the hundred, all made here
            sentences.append(filled(Sentence, {"text": piece, "part": part, "where": where,
                                               "flat": squash_folded(folded), "folded": folded}))
    return sentences


def _starts(texts: Sequence[str]) -> tuple[int, ...]:
    """Where each text starts in the texts joined by newlines."""
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    return tuple(starts)


# Between two sentences folded and squashed together: a control character that folding keeps
# as it is (a starter that composes with nothing, so Unicode normalisation works on each side
# alone) and squashing does not drop (it is no space, no mark)
_JOINT = "\x00"


def _report_sentences(paragraphs: Sequence[Paragraph]) -> list[Sentence]:
    """The sentences of every paragraph, as _paragraph_sentences makes them one by one, with
    the report's sentences folded and squashed in one call each (not three calls a sentence);
    a text that holds the joint itself is done sentence by sentence."""
    pieces: list[tuple[str, Paragraph]] = []
    for paragraph in paragraphs:
        for piece in _SENTENCE.findall(paragraph.text):
            piece = piece.strip()
            if piece:
                pieces.append((piece, paragraph))
    if not pieces:
        return []
    joined = _JOINT.join(piece for piece, _ in pieces)
    if joined.count(_JOINT) != len(pieces) - 1:
        return [s for p in paragraphs for s in _paragraph_sentences(p)]
    folded_all = fold(joined)
    folded = folded_all.split(_JOINT)
    flat = squash_folded(folded_all).split(_JOINT)
    if len(folded) != len(pieces) or len(flat) != len(pieces):  # pragma: no cover - the joint is kept
        return [s for p in paragraphs for s in _paragraph_sentences(p)]
    # unchecked: a report has sentences by the hundred, all made here
    return [filled(Sentence, {"text": piece, "part": paragraph.part, "where": paragraph.where,
                              "flat": flat_one, "folded": folded_one})
            for (piece, paragraph), folded_one, flat_one in zip(pieces, folded, flat)]


class ReportText:
    """A report's sentences, by scope, and each scope's joined text: the same for every view of
    the report (a report of a batch is checked, then read again as last year's beside the next
    year's), kept while the report lives (``text_of``)."""

    def __init__(self, report: Report) -> None:
        self.all = _report_sentences(report.paragraphs)
        self.scopes: dict[Any, list[Sentence]] = {"all": self.all}
        self.joined: dict[Any, ScopeText] = {}
        # what rule kinds computed from the text alone (the shingles of a scope)
        self.memo: dict[Any, Any] = {}

    def select(self, scope: Any) -> list[Sentence]:
        if scope == "narrative":
            return [s for s in self.all if s.part is not None]
        if scope == "preface":
            return [s for s in self.all if s.part is None]
        wanted = {int(p) for p in scope}
        return [s for s in self.all if s.part in wanted]


# id(report) -> (the report, weakly, and its text): an entry goes with its report
_TEXTS: dict[int, tuple["weakref.ref[Report]", ReportText]] = {}


def text_of(report: Report) -> ReportText:
    key = id(report)
    known = _TEXTS.get(key)
    if known is not None and known[0]() is report:
        return known[1]
    text = ReportText(report)
    _TEXTS[key] = (weakref.ref(report, lambda _, key=key: _TEXTS.pop(key, None)), text)
    return text


@dataclass
class ReportView:
    """One report with everything rules ask of it, computed once and cached."""

    report: Report
    fmt: FormatSpec
    previous: Optional["ReportView"] = None
    peers: tuple["ReportView", ...] = ()
    # "previous." for last year's report read beside this one: the prefix of its inputs' keys
    prefix: str = ""
    # what the rule being evaluated has quoted so far, in order (a dict as an ordered set)
    quoted: dict[Evidence, None] = field(default_factory=dict)
    _bindings: Optional[dict[str, Any]] = None
    _text: Optional["ReportText"] = None
    _addresses: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    _made: dict[int, Cell] = field(default_factory=dict)  # see TableView._made and made()
    _tables: dict[str, Optional[TableView]] = field(default_factory=dict)
    _plain: dict[str, Any] = field(default_factory=dict)
    # what rule kinds computed from this report and may need again in the same check (e.g. the
    # shingles of a scope, which DUP-001 and DUP-002 both compare); lives as long as the view
    memo: dict[Any, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ names for expressions

    @property
    def bindings(self) -> dict[str, Any]:
        if self._bindings is None:
            names = {name: accessor(self) for name, accessor in ROOTS.items()}
            names.update({table.key: self.table_view(table.key) for table in self.fmt.tables})
            self._bindings = names
        return self._bindings

    def plain_table(self, key: str) -> Any:
        """A readable table of the report as plain dicts (TableView.plain), made at the first
        ask; the view itself for a table that is absent (None) or cannot be read."""
        known = self._plain.get(key)
        if known is None:
            view = self.bindings.get(key)
            known = self._plain[key] = view.plain() if view is not None and not view.table.unreadable else view
        return known

    def table_view(self, key: str) -> Optional[TableView]:
        if key not in self._tables:
            table = self.report.tables.get(key)
            self._tables[key] = None if table is None else TableView(table, self.fmt.table(key), self._addresses,
                                                                     self.prefix, self._made)
        return self._tables[key]

    # ------------------------------------------------------------------ text

    def sentences(self, scope: Any = "narrative") -> list[Sentence]:
        """Sentences of the paragraphs in scope: "all" (preface and signature too),
        "narrative" (the six parts), "preface", or a list of part ids."""
        if self._text is None:
            self._text = text_of(self.report)
        key = scope if isinstance(scope, str) else tuple(scope)
        found = self._text.scopes.get(key)
        if found is None:
            found = self._text.scopes[key] = self._text.select(scope)
        return found

    def scope_text(self, scope: Any) -> "ScopeText":
        """The sentences of a scope joined, one per line: a rule searches the whole scope once
        and looks sentence by sentence only on a hit."""
        if self._text is None:
            self._text = text_of(self.report)
        key = scope if isinstance(scope, str) else tuple(scope)
        found = self._text.joined.get(key)
        if found is None:
            found = self._text.joined[key] = ScopeText.of(self.sentences(scope))
        return found

    @property
    def text_memo(self) -> dict[Any, Any]:
        """What rule kinds computed from the report's text alone, kept as long as the report
        (``text_of``): the same for every view of it, so last year's report compared again
        beside the next year's, or a peer beside every report it is a peer of, is not worked
        through again."""
        if self._text is None:
            self._text = text_of(self.report)
        return self._text.memo

    def scope_found(self, scope: Any) -> bool:
        """Whether any part a scope names exists (with none of them, a text rule has nothing
        to read)."""
        if isinstance(scope, str):
            return True
        return any(self.report.part(int(p)) is not None for p in scope)

    # ------------------------------------------------------------------ evidence

    def locate(self, cell: Cell, table: str, row: str, col: str) -> None:
        """Say where a cell handed around outside a table view (a for_each item) sits."""
        self._addresses[id(cell)] = (table, row, col)

    def made(self, cell: Any) -> Optional[Cell]:
        """For a cell a table of this report (or of last year's) made, with its place as its
        address - a lost cell, or a plain table's copy of a cell without a number - the cell it
        stands for (a lost cell for itself); None for any other."""
        found = self._made.get(id(cell))
        if found is None and self.previous is not None:
            found = self.previous._made.get(id(cell))
        return found

    def cell_evidence(self, cell: Cell) -> Evidence:
        """A cell as evidence, named by its row and column; with last year's report beside this
        one, each cell says which year's it is (and last year's, which file)."""
        address = self._addresses.get(id(cell))
        role = file = None
        if address is None and self.previous is not None:
            address = self.previous._addresses.get(id(cell))
            if address is not None:
                role, file = "last_year", self.previous.report.source
        elif address is not None and self.previous is not None:
            role = "this_year"
        table, row, col = address if address else (None, None, None)
        label = None
        if table is not None:
            label = self.fmt.table(table).cell_label(row, col)
        # every field, in their order (a failing table item quotes its cells by the dozen)
        return filled(Evidence, {"kind": "cell", "text": cell.raw, "where": cell.where, "table": table, "row": row,
                                 "col": col, "value": cell.value, "cell_kind": cell.kind, "role": role,
                                 "origin": None, "file": file, "label": label})

    @property
    def evidence(self) -> list[Evidence]:
        return list(self.quoted)

    def note(self, item: Evidence) -> None:
        self.quoted.setdefault(item, None)


# The view whose rule is being evaluated; domain functions (checker.engine.vocabulary) read it.
CURRENT: ContextVar[ReportView] = ContextVar("xxgk_current_report")


def current() -> ReportView:
    return CURRENT.get()


# --------------------------------------------------------------------------- root accessors


class MetaView(Mapping):
    """The report's metadata. Reading a field quotes where it was found (the title line, the
    signature date, the statistics period) as evidence of the rule reading it; a fact that came
    from elsewhere (the web page, a manifest, the command line) is quoted with its origin."""

    def __init__(self, view: ReportView) -> None:
        meta = view.report.meta
        self._view = view
        self._meta = meta
        self._values: dict[str, Any] = {
            "title": meta.title, "agency": meta.agency, "agency_kind": meta.agency_kind,
            "year": meta.year, "period_start": meta.period_start, "period_end": meta.period_end,
            "period_text": meta.period_text, "published": meta.published,
            "published_text": meta.published_text, "signature_agency": meta.signature_agency,
            "signature_date": meta.signature_date,
        }
        title = (meta.title, meta.title_where)
        period = (meta.period_text, meta.period_where)
        published = (meta.published_text, meta.published_where)
        self._quotes = {"title": title, "agency": title, "year": title, "agency_kind": title,
                        "period_start": period, "period_end": period, "period_text": period,
                        "published": published, "published_text": published,
                        "signature_agency": (meta.signature_agency, None),
                        # the 落款 date is quoted where the report's own text gives it
                        "signature_date": published if meta.source_of("published") == "report" else (None, None)}
        self._noted: dict[str, Optional[Evidence]] = {}  # see _quoted

    def __getitem__(self, key: str) -> Any:
        value = self._values[key]
        noted = self._noted.get(key, _UNWORKED)
        if noted is _UNWORKED:
            noted = self._noted[key] = self._quoted(key, value)
        if noted is not None:
            self._view.note(noted)
        return value

    def _quoted(self, key: str, value: Any) -> Optional[Evidence]:
        """What reading a field quotes (the same at every read: one Evidence for every rule)."""
        fact = "published" if key == "published_text" else key
        origin = self._meta.source_of(fact)
        if origin not in (None, "report") and value is not None:
            shown = KIND_LABELS["zh"].get(value, value) if fact == "agency_kind" else value
            text = self._quotes[key][0] if fact == "published" else f"{FACT_LABELS.get(fact, fact)}：{shown}"
            return Evidence(kind="note", text=text or str(value), role="fact", origin=origin)
        text, where = self._quotes.get(key, (None, None))
        return quote(text, where) if text else None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


_UNWORKED = object()

# how evidence names a fact that came from outside the report's text
FACT_LABELS = {"title": "标题", "agency": "机关", "agency_kind": "机关类型", "year": "年度", "published": "发布日期"}


def _meta(view: ReportView) -> MetaView:
    return MetaView(view)


def _parts(view: ReportView) -> list[dict[str, Any]]:
    return [_part_dict(p) for p in view.report.parts if p.found]


def _part_dict(part: Any) -> dict[str, Any]:
    return {"id": part.id, "found": part.found, "heading": part.heading, "ordinal": part.ordinal,
            "text": part.text, "line": part.where.line if part.where else None}


def _report(view: ReportView) -> dict[str, Any]:
    r = view.report
    return {"source": r.source, "reader": r.reader, "format": r.format, "flags": sorted(r.flags)}


def _previous(view: ReportView) -> Optional[dict[str, Any]]:
    return view.previous.bindings if view.previous is not None else None


# The fixed root names; each table of the format is a root name too (see ReportView.bindings).
ROOTS: dict[str, Callable[[ReportView], Any]] = {
    "meta": _meta,
    "parts": _parts,
    "report": _report,
    "previous": _previous,
}


def root_names(fmt: FormatSpec) -> frozenset[str]:
    """Every name an expression may start with: the fixed roots and one per table."""
    return frozenset(ROOTS) | {table.key for table in fmt.tables}
