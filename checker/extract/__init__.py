"""Document + format -> Report: the six parts, the paragraphs, the three tables of typed cells
and the metadata, found by the wording the format spec (rules/formats/*.toml) gives.

Every step is a pure function over the prepared lines; nothing here names a row, a column or a
part: those are data."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import attrgetter
from typing import AbstractSet, Mapping, Optional, Sequence

from ..formats import FormatSpec, TableSpec
from ..model import Document, Report, Table
from .index import format_index
from .align import clear_alignment_caches
from .cells import CellReader
from .labels import clear_match_cache
from .lines import TextLine, clear_line_caches, prepare
from .meta import build_meta, find_signature, find_title
from .paragraphs import build_paragraphs
from .parts import Heading, build_parts, clear_heading_cache, find_headings
from .regions import locate_tables
from .statements import small_tables
from .recurring import clear_recipes
from .tables import clear_seen_cache, read_table, table_rows
from .tokens import clear_token_caches

# the reader's mark for a PDF without a text layer (a scan): tables exist but cannot be read
NO_TEXT_LAYER = "no_text_layer"
# nothing of a report was found: no part heading, no table
NO_REPORT = "no_report"
_KIND = attrgetter("kind")


def extract(document: Document, fmt: FormatSpec, parts: Optional[AbstractSet[int]] = None) -> Report:
    """With ``parts``, only the paragraphs of those parts, of the part the metadata is read
    from and of none (the title's, the signature's) are built: what a batch's first pass needs
    (the metadata, the text it fingerprints), without the rows of the tables' parts read as
    paragraphs."""
    index = format_index(fmt)
    lines = prepare(document)
    headings = find_headings(lines, index.parts)
    regions = locate_tables(lines, headings, index)

    pictured = pictured_tables(document, lines, headings, fmt)
    tables: dict[str, Optional[Table]] = {}
    notes: list[str] = list(document.notes)
    table_lines: set[int] = set()
    for spec in fmt.tables:
        labels = index.tables[spec.key]
        region = regions.get(spec.key)
        if NO_TEXT_LAYER in document.flags:
            tables[spec.key] = Table(key=spec.key, cells={}, unreadable=True)
            continue
        table = None
        rows: Optional[frozenset[int]] = None
        if region is not None:
            table, table_notes, rows = read_table(labels, lines, region, index.cells,
                                                  plain_text=document.reader == "text")
            notes.extend(table_notes)
        if table is None and region is not None:
            table = blank_table(spec, document, lines, region, index.cells)
        if table is None and spec.key in pictured:
            table = Table(key=spec.key, cells={}, unreadable=True)
            notes.append(f"{spec.key}: no table under its part's heading, but a picture: "
                         "the table is taken to be published as an image, which cannot be read")
        tables[spec.key] = table
        if table is not None and region is not None:
            table_lines.update(rows if rows is not None else table_rows(lines, region, (), labels.prose_length))

    first_heading = min((h.line for h in headings.values()), default=None)
    last_heading = max((h.line for h in headings.values()), default=-1)
    title = find_title(lines, fmt, first_heading)
    signature = find_signature(lines, after=last_heading + 1)
    closing = signature.line if signature else None
    skip = table_lines if parts is None else \
        table_lines | under_other_parts(headings, {fmt.period_part, *parts}, len(lines), closing)
    statements, taken = small_tables(lines, skip, index.cells)
    paragraphs = build_paragraphs(lines, headings, skip, closing, statements, taken)

    flags = set(document.flags)
    if not headings and not any(t is not None for t in tables.values()):
        flags.add(NO_REPORT)
    return Report(
        source=document.source, reader=document.reader, format=fmt.id,
        meta=build_meta(title, signature, paragraphs, fmt, document.facts),
        parts=build_parts(fmt, headings, paragraphs),
        paragraphs=paragraphs, tables=tables, encoding=document.encoding,
        flags=frozenset(flags), notes=tuple(notes), lines=document.lines,
    )


def pictured_tables(document: Document, lines: Sequence[TextLine], headings: Mapping[int, Heading],
                    fmt: FormatSpec) -> set[str]:
    """The tables whose part holds a picture between its heading and the next part's: where
    no table is found, that picture is taken to be the table, published as an image."""
    if not fmt.tables or "image" not in map(_KIND, document.lines):  # no generator: every line
        return set()
    position = {id(line): n for n, line in enumerate(document.lines)}
    starts = sorted((position[id(lines[h.line].line)], part) for part, h in headings.items())
    heading_at = [start for start, _ in starts]
    pictured_parts = {starts[i - 1][1] for n, line in enumerate(document.lines) if line.kind == "image"
                      if (i := bisect_left(heading_at, n))}
    return {spec.key for spec in fmt.tables if spec.part in pictured_parts}


def under_other_parts(headings: Mapping[int, Heading], parts: AbstractSet[int], count: int,
                      closing: Optional[int]) -> set[int]:
    """The lines under the heading of each part not in ``parts``, up to the next heading or the
    signature. A heading ends the paragraph before it, so leaving these lines out changes no
    paragraph of another part."""
    starts = sorted(h.line for h in headings.values())
    end = count if closing is None else closing
    under: set[int] = set()
    for heading in headings.values():
        if heading.part in parts:
            continue
        after = bisect_right(starts, heading.line)
        stop = min(starts[after] if after < len(starts) else count, end)
        under.update(range(heading.line + heading.lines, stop))
    return under


def blank_table(spec: TableSpec, document: Document, lines: Sequence[TextLine], region: range,
                cells: CellReader) -> Optional[Table]:
    """A table printed with its header and nothing in its value cells (a Word or web table left
    empty): present, every cell blank. It is a real table (its region holds grid rows) with a
    row of empty cells at least one block wide and no value anywhere (a row of empty cells
    alone is left out of the prepared lines, so the document's own lines are looked at)."""
    if not len(region) or not any(lines[i].line.grid for i in region):
        return None
    position = {id(line): n for n, line in enumerate(document.lines)}
    start = position[id(lines[region.start].line)]
    stop = position[id(lines[region.stop].line)] if region.stop < len(lines) else len(document.lines)
    narrowest = min(len(spec.columns_of(row)) for row in spec.rows)
    rows = [line for line in document.lines[start:stop] if line.grid]
    if any(cells.value(f.text) is not None for line in rows for f in line.fragments):
        return None
    empty = [line for line in rows if sum(1 for f in line.fragments if not f.text.strip()) >= narrowest]
    if not empty:
        return None
    keys = spec.cell_keys()
    fragments = empty[0].fragments if len(empty) == 1 and len(empty[0].fragments) == len(keys) else ()
    table_cells = {key: CellReader.empty("blank", fragments[n].where if fragments else empty[0].where)
                   for n, key in enumerate(keys)}
    return Table(key=spec.key, cells=table_cells, where=lines[region.start].where)


def clear_caches() -> None:
    """Forget the normalised label and line texts seen so far (they are cached across reports
    of a batch); for measuring a cold parse."""
    clear_token_caches()
    clear_line_caches()
    clear_alignment_caches()
    clear_match_cache()
    clear_heading_cache()
    clear_seen_cache()
    clear_recipes()
