"""The parse output as JSON-ready data (the public contract of ``xxgk parse --format json``, see
schemas/report.schema.json). Table shapes come from the format spec, not from per-table code:

- ``layout = "nested"``: row -> column -> cell; a row whose block has one column -> the cell;
- ``layout = "matrix"``: ``{"columns": [...], "rows": {row: [cell per column]}}``.

A table the report lacks is null; a row the table lacks is null. A table that exists but could
not be read (a scanned page) has every cell ``lost`` and ``"unreadable": true``.
Write the result with checker.jsonout: numbers stay int or Decimal, never float."""
from __future__ import annotations

from typing import Any, Optional

from ..formats import FormatSpec, TableSpec
from ..model import Cell, Label, Meta, Paragraph, Part, Report, Source, Table

LOST = Cell(None, "lost", "")


def _where(source: Optional[Source]) -> dict[str, Any]:
    return source.as_dict() if source is not None else {}


def _line(source: Optional[Source]) -> Optional[int]:
    return source.line if source is not None else None


def cell_to_dict(cell: Cell) -> dict[str, Any]:
    return {"value": cell.value, "kind": cell.kind, "raw": cell.raw, **_where(cell.where)}


def meta_to_dict(meta: Meta) -> dict[str, Any]:
    period = None
    if meta.period_start is not None:
        period = {"start": meta.period_start, "end": meta.period_end, "text": meta.period_text}
    return {
        "title": meta.title,
        "agency": meta.agency,
        "agency_kind": meta.agency_kind,
        "year": meta.year,
        "period": period,
        "published": meta.published,
        "published_text": meta.published_text,
        "signature_agency": meta.signature_agency,
        "signature_date": meta.signature_date,
        "title_line": _line(meta.title_where),
        "period_line": _line(meta.period_where),
        "published_line": _line(meta.published_where),
        "sources": dict(meta.sources),
    }


def part_to_dict(part: Part, fmt: FormatSpec) -> dict[str, Any]:
    return {"id": part.id, "found": part.found, "heading": part.heading, "ordinal": part.ordinal,
            "expected": fmt.part(part.id).label, "misworded": part.misworded,
            "index": part.index if part.found else None,
            "line": _line(part.where), "where": _where(part.where), "text": part.text}


def paragraph_to_dict(paragraph: Paragraph) -> dict[str, Any]:
    return {"part": paragraph.part, "line": _line(paragraph.where), "where": _where(paragraph.where),
            "text": paragraph.text}


def label_to_dict(label: Label) -> dict[str, Any]:
    return {"table": label.table, "kind": label.kind, "key": label.key, "written": label.written,
            "expected": label.expected, "line": _line(label.where), "where": _where(label.where)}


def table_to_dict(table: Optional[Table], spec: TableSpec) -> Optional[dict[str, Any]]:
    if table is None:
        return None

    def cell(row: str, col: str) -> dict[str, Any]:
        return cell_to_dict(LOST if table.unreadable else table.cells[(row, col)])

    present = {row for row, _ in table.cells}

    def has_row(row: str) -> bool:
        return table.unreadable or row in present

    # the format's rows, then any row of an older format the report printed (read as what it is)
    rows = (*spec.rows, *(r for r in spec.former_rows if r.key in present))
    out: dict[str, Any]
    if spec.layout == "matrix":
        columns = [c.key for c in spec.columns]
        out = {"columns": columns,
               "rows": {r.key: [cell(r.key, c) for c in columns] if has_row(r.key) else None
                        for r in rows}}
    else:
        out = {}
        for row in rows:
            columns = spec.columns_of(row)
            if not has_row(row.key):
                out[row.key] = None
            elif len(columns) == 1:
                out[row.key] = cell(row.key, columns[0].key)
            else:
                out[row.key] = {c.key: cell(row.key, c.key) for c in columns}
    if table.unreadable:
        out["unreadable"] = True
    return out


def report_to_dict(report: Report, fmt: FormatSpec) -> dict[str, Any]:
    tables = [t for t in report.tables.values() if t is not None]
    return {
        "source": report.source,
        "reader": report.reader,
        "encoding": report.encoding,
        "format": report.format,
        "meta": meta_to_dict(report.meta),
        "parts": [part_to_dict(p, fmt) for p in report.parts],
        "paragraphs": [paragraph_to_dict(p) for p in report.paragraphs],
        "tables": {spec.key: table_to_dict(report.tables.get(spec.key), spec) for spec in fmt.tables},
        "labels": [label_to_dict(label) for t in tables for label in t.labels],
        "unmatched": [{"table": t.key, "text": f.text, "line": _line(f.where), "where": _where(f.where)}
                      for t in tables for f in t.unmatched],
        "flags": sorted(report.flags),
        "notes": list(report.notes),
    }
