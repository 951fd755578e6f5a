"""The office's manifest: a CSV with one row per report (file, agency, kind, year, publication
date). Its values override what the parser inferred from the report itself: the office knows
when a report went online, the report only knows the date in its signature block.

Headers may be English or Chinese (文件, 机关, 类型, 年度, 发布日期); other columns are ignored,
blank cells override nothing. Files are relative to the manifest's folder. The CSV may be UTF-8
(with or without BOM) or GB18030, which is what Excel saves on a Chinese Windows."""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Mapping, Optional

from ..errors import ConfigError
from ..facts import Facts, parse_day, parse_kind, parse_year, supply
from ..formats import FormatSpec, get_format
from ..model import AgencyKind, Report
from .discovery import file_key

COLUMNS: dict[str, tuple[str, ...]] = {
    "file": ("file", "path", "文件", "文件名", "文件路径"),
    "agency": ("agency", "机关", "机关名称", "单位"),
    "kind": ("kind", "agency_kind", "类型", "机关类型"),
    "year": ("year", "年度", "报告年度"),
    "published": ("published", "published date", "published_date", "publication date", "date",
                  "发布日期", "公开日期"),
}


@dataclass(frozen=True)
class ManifestRow:
    file: str  # as the batch shows it: the manifest's folder joined with the file column
    key: str  # file_key(file)
    origin: str  # "manifest.csv 第3行", for evidence
    agency: Optional[str] = None
    kind: Optional[AgencyKind] = None
    year: Optional[int] = None
    published: Optional[date] = None


@dataclass(frozen=True)
class Manifest:
    path: str
    rows: Mapping[str, ManifestRow]  # by file key, in the manifest's order

    def row(self, key: str) -> Optional[ManifestRow]:
        return self.rows.get(key)


def _decode(data: bytes, path: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ConfigError(path, "neither UTF-8 nor GB18030 text")


def _columns(header: list[str], path: str) -> dict[str, int]:
    names = {alias.lower(): column for column, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        column = names.get(title.strip().lower())
        if column is not None and column not in found:
            found[column] = index
    if "file" not in found:
        raise ConfigError(path, "no file column (文件 / file) in the header row", line=1)
    return found


def load_manifest(path: str) -> Manifest:
    try:
        text = _decode(Path(path).read_bytes(), path)
    except OSError as exc:
        raise ConfigError(path, f"cannot read the manifest: {exc.strerror or exc}") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise ConfigError(path, "the manifest is empty")
    columns = _columns(header, path)
    folder = os.path.dirname(path)
    rows: dict[str, ManifestRow] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue

        def cell(column: str) -> str:
            index = columns.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        name = cell("file")
        if not name:
            raise ConfigError(path, "the file column is blank", line=line)
        file = os.path.normpath(os.path.join(folder, name))
        row = ManifestRow(file=file, key=file_key(file), origin=f"{os.path.basename(path)} 第{line}行",
                          agency=cell("agency") or None)
        kind_text = cell("kind")
        if kind_text:
            if parse_kind(kind_text) is None:
                raise ConfigError(path, f"unknown kind {kind_text!r}; use 人民政府 / 政府部门 / 其他 "
                                        "(government / department / other)", line=line)
            row = replace(row, kind=parse_kind(kind_text))
        year_text = cell("year")
        if year_text:
            year = parse_year(year_text)
            if year is None:
                raise ConfigError(path, f"year {year_text!r} is not a year like 2024", line=line)
            row = replace(row, year=year)
        published_text = cell("published")
        if published_text:
            published = parse_day(published_text)
            if published is None:
                raise ConfigError(path, f"date {published_text!r} is not a date like 2025-01-20 or "
                                        "2025年1月20日", line=line)
            row = replace(row, published=published)
        if row.key in rows:
            raise ConfigError(path, f"{name} is listed twice", line=line)
        rows[row.key] = row
    return Manifest(path=path, rows=rows)


def apply_row(report: Report, row: Optional[ManifestRow], fmt: Optional[FormatSpec] = None) -> Report:
    """The report with the manifest's values in place of the inferred ones (checker.facts, as
    `xxgk check --manifest` does). A manifest date becomes the publication date the timeliness
    rules read, quoted as coming from the manifest."""
    if row is None:
        return report
    return supply(report, row_facts(row), "manifest", fmt or get_format(report.format))


def row_facts(row: ManifestRow) -> Facts:
    return Facts(agency=row.agency, kind=row.kind, year=row.year, published=row.published,
                 note=f"批量清单 {row.origin}")
