"""``xxgk parse --format text``: the parsed report as a person reads it — metadata, parts, and
each table as an aligned grid. A blank cell shows as ·, a lost cell as ?, a cell the checker could
not place as ~, a missing row as —."""
from __future__ import annotations

import unicodedata
from typing import Optional

from ..formats import FormatSpec, TableSpec
from ..model import Cell, Report, Table
from ..textnorm import loose

BLANK, LOST, UNPLACED, MISSING = "·", "?", "~", "—"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _show(cell: Optional[Cell]) -> str:
    if cell is None:
        return MISSING
    if cell.kind == "number":
        return str(cell.value)
    if cell.kind == "blank":
        return BLANK
    if cell.kind == "lost":
        return LOST
    if cell.kind == "unplaced":
        return UNPLACED
    return cell.raw or BLANK


def _grid(table: Table, spec: TableSpec) -> list[str]:
    if table.unreadable:
        return ["  (unreadable: the table could not be read, e.g. a scanned page)"]
    columns = spec.columns
    header = ["", *(c.label for c in columns)]
    rows = []
    present = {row for row, _ in table.cells}
    for row in (*spec.rows, *(r for r in spec.former_rows if r.key in present)):
        own = {c.key for c in spec.columns_of(row)}
        rows.append([f"{row.key} {row.label}", *(_show(table.cell(row.key, c.key)) if c.key in own else ""
                                                 for c in columns)])
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = ["  " + "  ".join(_pad(h, widths[i]) for i, h in enumerate(header)).rstrip()]
    for r in rows:
        out.append("  " + "  ".join(_pad(v, widths[i], right=i > 0) for i, v in enumerate(r)).rstrip())
    return out


def render_report(report: Report, fmt: FormatSpec) -> str:
    meta = report.meta
    out = [f"{report.source}  ({report.reader}, {report.encoding or 'unknown encoding'}, {report.format})"]
    period = f"{meta.period_start} – {meta.period_end}" if meta.period_start else None
    for name, value in (("title", meta.title), ("agency", meta.agency), ("kind", meta.agency_kind),
                        ("year", meta.year), ("period", period), ("published", meta.published),
                        ("signed by", meta.signature_agency)):
        out.append(f"  {name:<10} {value if value is not None else MISSING}")
    out.append("")
    out.append("parts")
    for part in report.parts:
        if part.found:
            where = part.where.describe() if part.where else ""
            out.append(f"  {part.id}  {part.heading}  ({where}, {len(part.text)} chars)")
        else:
            out.append(f"  {part.id}  {MISSING} missing: {fmt.part(part.id).label}")
    for spec in fmt.tables:
        table = report.tables.get(spec.key)
        out.append("")
        out.append(f"table {spec.key} — {spec.name}")
        out.extend(_grid(table, spec) if table is not None else ["  (not found)"])
        if table is not None:
            out.extend(f"  label {l.kind} {l.key}: {l.written!r} (expected {l.expected!r})"
                       for l in table.labels if loose(l.written) != loose(l.expected))
            out.extend(f"  unmatched: {f.text!r} ({f.where.describe()})" for f in table.unmatched)
    if report.flags:
        out.append("")
        out.append("flags: " + ", ".join(sorted(report.flags)))
    if report.notes:
        out.append("")
        out.extend(f"note: {n}" for n in report.notes)
    return "\n".join(out) + "\n"
