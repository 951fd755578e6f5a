"""Everything the extractor derives from a format spec, built once per format and reused for
every report: label matchers of each table, the part matcher, the cell reader."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..formats import FormatSpec
from .cells import CellReader
from .labels import TableLabels, build_table_labels
from .parts import PartMatcher


@dataclass(frozen=True)
class FormatIndex:
    fmt: FormatSpec
    tables: Mapping[str, TableLabels]
    parts: PartMatcher
    cells: CellReader


_CACHE: dict[int, FormatIndex] = {}


def format_index(fmt: FormatSpec) -> FormatIndex:
    """The index of a format, built on first use. Keyed by identity: the cached index holds the
    format object, so its id cannot be reused by another."""
    index = _CACHE.get(id(fmt))
    if index is None or index.fmt is not fmt:
        index = FormatIndex(fmt=fmt, tables={t.key: build_table_labels(t) for t in fmt.tables},
                            parts=PartMatcher.for_format(fmt), cells=CellReader.for_format(fmt))
        _CACHE[id(fmt)] = index
    return index
