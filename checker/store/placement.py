"""The columns of an office's manifest that place an agency rather than describe a report:
地区 (its region, a path such as 山西省/吕梁市; the batch reads it too, for its comparisons) and
上级机关 (its superior agency, which the batch ignores). The store keeps both on the agency."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..batch.discovery import file_key
from ..batch.manifest import COLUMNS as REPORT_COLUMNS
from .ingest import Placement

PLACEMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "region": REPORT_COLUMNS["region"],
    "parent": ("parent", "superior", "上级机关", "上级单位", "主管机关"),
}


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""


def read_placements(path: str | Path) -> dict[str, Placement]:
    """File key (as checker.batch.discovery.file_key gives it) -> the agency's placement; only
    rows that name a region or a superior."""
    rows = list(csv.reader(io.StringIO(_text(Path(path).read_bytes()))))
    if not rows:
        return {}
    wanted = {alias.lower(): column for column, aliases in
              {**PLACEMENT_COLUMNS, "file": REPORT_COLUMNS["file"]}.items() for alias in aliases}
    index: dict[str, int] = {}
    for position, title in enumerate(rows[0]):
        column = wanted.get(title.strip().lower())
        if column is not None:
            index.setdefault(column, position)
    if "file" not in index or not ({"region", "parent"} & set(index)):
        return {}
    folder = os.path.dirname(str(path))
    out: dict[str, Placement] = {}
    for cells in rows[1:]:
        def cell(column: str) -> str:
            at = index.get(column)
            return cells[at].strip() if at is not None and at < len(cells) else ""
        if not cell("file") or not (cell("region") or cell("parent")):
            continue
        key = file_key(os.path.normpath(os.path.join(folder, cell("file"))))
        out[key] = Placement(region=cell("region") or None, parent=cell("parent") or None)
    return out
