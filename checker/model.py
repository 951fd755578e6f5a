"""The data model, in the order the flow builds it.

file --reader--> Document (lines of text fragments with their positions)
     --extract-> Report (meta, parts, paragraphs, tables of typed cells)

Everything here is a frozen dataclass: readers and extractors build new values, nobody mutates
them afterwards. Numbers are ``int`` or ``Decimal``, never ``float``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Literal, Mapping, Optional, Union

from .frozen import quick_init

Number = Union[int, Decimal]


# --------------------------------------------------------------------------- where things are


_WHERE_WORDS = {
    "zh": {"page": "第{}页", "table": "表{}", "row": "第{}行", "col": "第{}列", "line": "第{}行", "sep": " "},
    "en": {"page": "page {}", "table": "table {}", "row": "row {}", "col": "column {}", "line": "line {}", "sep": ", "},
}


@dataclass(frozen=True)
class Source:
    """Where a piece of text was found. Which fields are set depends on the reader:
    text files give ``line``; PDF gives ``page`` and ``x``/``y`` (points from the top left);
    HTML and DOCX give ``table`` (0-based index in the document) with ``row``/``col`` in its
    expanded grid, or ``line`` (the index of the block) for running text."""

    line: Optional[int] = None
    page: Optional[int] = None
    table: Optional[int] = None
    row: Optional[int] = None
    col: Optional[int] = None
    x: Optional[Decimal] = None
    y: Optional[Decimal] = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    def describe(self, lang: str = "zh") -> str:
        """Short human form used in evidence: '第12行', '第3页', '表2 第4行第5列' (English with
        lang="en": 'line 12', 'page 3', 'table 2, row 4, column 5')."""
        words = _WHERE_WORDS.get(lang, _WHERE_WORDS["zh"])
        bits: list[str] = []
        if self.page is not None:
            bits.append(words["page"].format(self.page))
        if self.table is not None:
            bits.append(words["table"].format(self.table + 1))
            if self.row is not None:
                bits.append(words["row"].format(self.row + 1))
            if self.col is not None:
                bits.append(words["col"].format(self.col + 1))
        elif self.line is not None:
            bits.append(words["line"].format(self.line))
        return words["sep"].join(bits)


# --------------------------------------------------------------------------- reader output


@dataclass(frozen=True, slots=True)
class Fragment:
    """One cell or one run of text, as the reader found it. ``text`` may be empty (a blank
    table cell in an HTML/DOCX/PDF grid)."""

    text: str
    where: Source


# "image": a picture in the flow of the text (its alt text, if any, is the fragment): a table
# published as a picture is there but cannot be read
LineKind = Literal["text", "row", "image"]


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the document: running text (one fragment) or a table row (one fragment per
    cell; a merged cell appears once, at its first position)."""

    fragments: tuple[Fragment, ...]
    kind: LineKind = "text"
    where: Source = field(default_factory=Source)
    # True when the fragments are the real cells of a table grid (HTML, DOCX, a PDF table
    # object): an empty fragment is then a blank cell. Rows split from plain text (tabs, bars)
    # are not grids: their empty fields are often merged-cell debris, not blank cells.
    grid: bool = False

    @property
    def text(self) -> str:
        return "\t".join(f.text for f in self.fragments)


@dataclass(frozen=True)
class PageFact:
    """A fact about the report that the page around it states, not the report's own text: a web
    page's title (its <title>, a meta tag, the article-title element) or its publication date
    (a 发布时间 line, a meta PubDate). ``text`` as the page writes it; ``where`` on the page,
    for evidence ("meta PubDate", "页面文字", "<title>")."""

    text: str
    where: str


# the names of the facts a reader may find on the page (the keys of Document.facts)
PAGE_FACTS: tuple[str, ...] = ("title", "published")


@dataclass(frozen=True)
class Document:
    """What every reader produces: the same intermediate form for text, HTML, PDF and Word."""

    source: str
    reader: str  # "text" | "html" | "pdf" | "docx"
    lines: tuple[Line, ...]
    encoding: Optional[str] = None
    # Facts the reader established about the file itself, e.g. "no_text_layer" for a scanned
    # PDF: the extractor marks tables not assessable instead of absent.
    flags: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()
    # what the page around the report says about it (web pages): name in PAGE_FACTS -> fact.
    # The extractor uses a page fact only where the report's own text is silent, and records
    # its origin as "page" (Meta.sources).
    facts: Mapping[str, PageFact] = field(default_factory=dict)


# --------------------------------------------------------------------------- report model

# "lost": the report's row holds fewer values than the format has columns (a defect of the
# report); "unplaced": the report printed the values, but the checker could not tell which of
# them is this cell's (labels and values extracted apart, a row under a former format's columns)
CellKind = Literal["number", "blank", "not_applicable", "text", "lost", "unplaced"]


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell. ``value`` is set only when ``kind == "number"``: a blank cell, a
    not-applicable mark (/, —, 无) or stray text is never 0. ``lost`` marks a cell that exists in
    the format but whose value could not be placed because its row had fewer values than
    columns; ``unplaced`` one whose value the checker could not tell apart from its neighbours'
    (the report's fault in the first case, the checker's in the second)."""

    value: Optional[Number]
    kind: CellKind
    raw: str
    where: Optional[Source] = None

    @property
    def is_number(self) -> bool:
        return self.kind == "number"


@dataclass(frozen=True, slots=True)
class Label:
    """A row, column or block label as written in the report, beside the mandated wording."""

    table: str
    kind: Literal["block", "group", "row", "column"]
    key: str
    written: str
    expected: str
    where: Optional[Source] = None


@dataclass(frozen=True, slots=True)
class Table:
    """A table of the format. ``cells`` maps (row key, column key) to a cell; the format spec
    says which pairs exist and how the table is shaped in JSON."""

    key: str
    cells: Mapping[tuple[str, str], Cell]
    labels: tuple[Label, ...] = ()
    unmatched: tuple[Fragment, ...] = ()
    where: Optional[Source] = None
    # True when the table was found but could not be read at all (e.g. a scanned PDF page):
    # every rule on it is not assessable rather than failed.
    unreadable: bool = False

    def cell(self, row: str, col: str) -> Optional[Cell]:
        return self.cells.get((row, col))


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Running text joined across line and page breaks; ``part`` is the part id (1-6) it
    belongs to, or None for the preface and the signature block."""

    text: str
    part: Optional[int]
    where: Source


@quick_init  # (made without a call into object.__setattr__ for each field, as Report is)
@dataclass(frozen=True)
class Part:
    id: int
    found: bool
    heading: str = ""  # as written
    ordinal: str = ""  # as written, e.g. "一", "" when the heading had none
    where: Optional[Source] = None
    index: int = -1  # position among the found headings, in document order
    text: str = ""
    # the heading is not worded as the format words the part (nor as an accepted variant): a
    # typo, a dropped or added word
    misworded: bool = False


AgencyKind = Literal["government", "department", "other"]


@dataclass(frozen=True)
class Meta:
    title: Optional[str] = None
    title_where: Optional[Source] = None
    agency: Optional[str] = None
    agency_kind: Optional[AgencyKind] = None
    year: Optional[int] = None
    period_start: Optional[date] = None
    period_end: Optional[date] = None
    period_text: Optional[str] = None
    period_where: Optional[Source] = None
    published: Optional[date] = None
    published_text: Optional[str] = None
    published_where: Optional[Source] = None
    signature_agency: Optional[str] = None
    # the date of the report's own signature block (落款); ``published`` may come from elsewhere
    # (the page, a manifest) and so cannot tell whether the report is signed
    signature_date: Optional[date] = None
    # where each known fact came from, as (field, origin) pairs: origin is one of FACT_ORIGINS.
    # Evidence names the origin, so a reader sees whether a date is the report's own 落款 or a
    # manifest's.
    sources: tuple[tuple[str, str], ...] = ()

    def source_of(self, name: str) -> Optional[str]:
        return next((origin for field_name, origin in self.sources if field_name == name), None)

    def with_fact(self, name: str, value: object, origin: str, **extra: object) -> "Meta":
        """A copy with one fact set and its origin recorded (``extra``: companion fields such
        as ``published_text``)."""
        kept = tuple(pair for pair in self.sources if pair[0] != name)
        return replace(self, **{name: value, **extra}, sources=kept + ((name, origin),))


# "report": the report's own text; "page": the web page around it (its <title>, a 发布日期 line
# or meta tag); "manifest": a batch manifest; "option": the command line
FACT_ORIGINS: tuple[str, ...] = ("report", "page", "manifest", "option")
FACT_FIELDS: tuple[str, ...] = ("title", "agency", "agency_kind", "year", "published")


@quick_init
@dataclass(frozen=True)
class Report:
    source: str
    reader: str
    format: str
    meta: Meta
    parts: tuple[Part, ...]  # all six, found ones first in document order, then the missing ones
    paragraphs: tuple[Paragraph, ...]
    tables: Mapping[str, Optional[Table]]  # absent tables map to None
    encoding: Optional[str] = None
    flags: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()
    lines: tuple[Line, ...] = ()  # the document lines, for evidence and quality rules

    def part(self, part_id: int) -> Optional[Part]:
        for part in self.parts:
            if part.id == part_id:
                return part if part.found else None
        return None
