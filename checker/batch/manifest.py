"""The office's manifest: a CSV with one row per report (file, agency, kind, year, publication
date). Its values override what the parser inferred from the report itself: the office knows
when a report went online, the report only knows the date in its signature block.

Headers may be English or Chinese (文件, 机关, 类型, 年度, 发布日期, and 地区 for comparisons by
region); other columns are ignored, blank cells override nothing. Files are relative to the
manifest's folder. The encoding is detected as for reports (UTF-8 with or without BOM, GB18030
— what Excel saves on a Chinese Windows —, Big5...). A broken quote that would merge rows, or a
field too long to be one, is an error naming the line, never a silently different batch."""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, replace
from datetime import date
from typing import Iterator, Mapping, Optional

from .. import limits
from ..errors import ConfigError, ReadError
from ..facts import Facts, parse_day, parse_kind, parse_year, supply
from ..formats import FormatSpec, get_format
from ..model import AgencyKind, Report
from ..readers.bounds import read_file
from .discovery import file_key

COLUMNS: dict[str, tuple[str, ...]] = {
    "file": ("file", "path", "文件", "文件名", "文件路径"),
    "agency": ("agency", "机关", "机关名称", "单位"),
    "kind": ("kind", "agency_kind", "类型", "机关类型"),
    "year": ("year", "年度", "报告年度"),
    "published": ("published", "published date", "published_date", "publication date", "date",
                  "发布日期", "公开日期"),
    "region": ("region", "地区", "区域", "所属地区", "行政区划"),
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
    region: Optional[str] = None

    def facts(self) -> dict[str, object]:
        """The report facts it gives, in the form of a result's meta (for a file that could not
        be read: its row still says whose report it is and for which year)."""
        known = {"agency": self.agency, "agency_kind": self.kind, "year": self.year, "published": self.published}
        meta: dict[str, object] = {k: v for k, v in known.items() if v is not None}
        if meta:
            meta["sources"] = {k: "manifest" for k in meta}
        return meta


@dataclass(frozen=True)
class Manifest:
    path: str
    rows: Mapping[str, ManifestRow]  # by file key, in the manifest's order

    def row(self, key: str) -> Optional[ManifestRow]:
        return self.rows.get(key)


# tried in turn when the reports' detection gives a header without a file column: Big5 text
# decodes without error as GB18030 too, but only its own decoding finds 文件 in the header
_FALLBACK_ENCODINGS = ("big5", "gb18030", "utf-16")


def _decode(data: bytes) -> str:
    from ..readers.encoding import decode

    text = decode(data)[0]
    if _has_file_column(text):
        return text
    for encoding in _FALLBACK_ENCODINGS:
        try:
            other = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _has_file_column(other):
            return other
    return text


def _has_file_column(text: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    names = {alias.lower() for alias in COLUMNS["file"]}
    return any(cell.strip().strip('"').lower() in names for cell in first.split(","))


# a manifest cell is a file name, a name or a date: anything this long is a broken quote that
# swallowed the rest of the file
FIELD_LIMIT = 4096


def _records(text: str, path: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record. A quote left open merges the lines after it into one
    cell: a cell spanning lines, or far too long, is an error naming the line it started on."""
    reader = csv.reader(io.StringIO(text), strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ConfigError(path, f"broken CSV near this line ({exc}); check the quotes", line=start) from None
        for cell in cells:
            if "\n" in cell or "\r" in cell or len(cell) > FIELD_LIMIT:
                raise ConfigError(path, f"a quote opened on this line is not closed until line {reader.line_num} "
                                        "(rows would merge); check the quotes", line=start)
        yield start, cells
        start = reader.line_num + 1


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
    try:  # held to the reports' size limit: a manifest of 100,000 rows is a few MB
        text = _decode(read_file(path, limits.current().bytes_of("file_mb")))
    except ReadError as exc:
        raise ConfigError(path, f"cannot read the manifest: {exc.reason}") from None
    records = _records(text, path)
    first = next(records, None)
    if first is None:
        raise ConfigError(path, "the manifest is empty")
    columns = _columns(first[1], path)
    folder = os.path.dirname(path)
    rows: dict[str, ManifestRow] = {}
    for line, cells in records:
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
                          agency=cell("agency") or None, region=cell("region") or None)
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
