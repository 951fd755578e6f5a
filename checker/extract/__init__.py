"""Document + format -> Report: the six parts, the paragraphs, the three tables of typed cells
and the metadata, found by the wording the format spec (rules/formats/*.toml) gives.

Every step is a pure function over the prepared lines; nothing here names a row, a column or a
part: those are data."""
from __future__ import annotations

from bisect import bisect_left
from typing import Mapping, Optional, Sequence

from ..formats import FormatSpec
from ..model import Document, Report, Table
from .index import format_index
from .labels import clear_match_cache
from .lines import TextLine, is_prose, prepare
from .meta import build_meta, find_signature, find_title
from .paragraphs import build_paragraphs
from .parts import Heading, build_parts, clear_heading_cache, find_headings
from .regions import locate_tables
from .tables import read_table
from .tokens import forms

# the reader's mark for a PDF without a text layer (a scan): tables exist but cannot be read
NO_TEXT_LAYER = "no_text_layer"
# nothing of a report was found: no part heading, no table
NO_REPORT = "no_report"


def extract(document: Document, fmt: FormatSpec) -> Report:
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
        if region is not None:
            table, table_notes = read_table(labels, lines, region, index.cells)
            notes.extend(table_notes)
        if table is None and spec.key in pictured:
            table = Table(key=spec.key, cells={}, unreadable=True)
            notes.append(f"{spec.key}: no table under its part's heading, but a picture: "
                         "the table is taken to be published as an image, which cannot be read")
        tables[spec.key] = table
        if table is not None and region is not None:
            table_lines.update(i for i in region if not is_prose(lines[i], labels.prose_length))

    first_heading = min((h.line for h in headings.values()), default=None)
    last_heading = max((h.line for h in headings.values()), default=-1)
    title = find_title(lines, fmt, first_heading)
    signature = find_signature(lines, after=last_heading + 1)
    paragraphs = build_paragraphs(lines, headings, table_lines, signature.line if signature else None)

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
    if not any(line.kind == "image" for line in document.lines):
        return set()
    position = {id(line): n for n, line in enumerate(document.lines)}
    starts = sorted((position[id(lines[h.line].line)], part) for part, h in headings.items())
    heading_at = [start for start, _ in starts]
    pictured_parts = {starts[i - 1][1] for n, line in enumerate(document.lines) if line.kind == "image"
                      if (i := bisect_left(heading_at, n))}
    return {spec.key for spec in fmt.tables if spec.part in pictured_parts}


def clear_caches() -> None:
    """Forget the normalised label texts seen so far (they are cached across reports of a
    batch); for measuring a cold parse."""
    forms.cache_clear()
    clear_match_cache()
    clear_heading_cache()
