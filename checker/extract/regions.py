"""Where each table is: from its part heading to the next part heading, or, when the heading is
missing (or its part holds no trace of the table), from the first line naming one of the table's
anchors. Regions never overlap: a region ends where the next table's begins."""
from __future__ import annotations

from bisect import bisect_right
from typing import Mapping, Optional, Sequence

from ..formats import TableSpec
from .cells import CellReader
from .index import FormatIndex
from .lines import TextLine, is_prose
from .parts import Heading

# how far above an anchor line a table's header may start
_HEADER_LINES = 8


def _has_value(line: TextLine, cells: CellReader) -> bool:
    return any(cells.value_of(text) is not None for text in line.shown)


def _anchor_line(spec: TableSpec, lines: Sequence[TextLine], span: range, longest: int) -> Optional[int]:
    anchors = spec.anchors
    for i in span:
        line = lines[i]
        if is_prose(line, longest):
            continue
        key = line.key
        for anchor in anchors:  # loops, not any(): this runs over most lines of a report
            if anchor in key:
                return i
    return None


def locate_tables(lines: Sequence[TextLine], headings: Mapping[int, Heading],
                  index: FormatIndex) -> dict[str, range]:
    """The line range of each table that has a place in the document."""
    heading_lines = sorted(h.line for h in headings.values())
    heading_set = set(heading_lines)

    def next_heading(after: int) -> int:
        i = bisect_right(heading_lines, after)
        return heading_lines[i] if i < len(heading_lines) else len(lines)

    starts: dict[str, tuple[int, int]] = {}
    for spec in index.fmt.tables:
        longest = index.tables[spec.key].prose_length
        heading = headings.get(spec.part)
        span = range(heading.line + heading.lines, next_heading(heading.line)) if heading else None
        if span is None or _anchor_line(spec, lines, span, longest) is None:
            hit = _anchor_line(spec, lines, range(len(lines)), longest)
            if hit is not None:
                start = hit
                # take in the header rows above the anchor: label-only lines, no prose
                while (start > 0 and hit - start < _HEADER_LINES and start - 1 not in heading_set
                       and not is_prose(lines[start - 1], longest)
                       and not _has_value(lines[start - 1], index.cells)):
                    start -= 1
                span = range(start, next_heading(hit))
        if span is not None and len(span):
            starts[spec.key] = (span.start, span.stop)
    ordered = sorted(starts.items(), key=lambda item: item[1][0])
    regions: dict[str, range] = {}
    for n, (key, (start, stop)) in enumerate(ordered):
        if n + 1 < len(ordered):
            stop = min(stop, max(start, ordered[n + 1][1][0]))
        regions[key] = range(start, stop)
    return regions
