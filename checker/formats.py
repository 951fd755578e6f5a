"""The mandated report format, loaded from ``rules/formats/*.toml`` (see gov-2021.toml)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Optional

from . import tomlfile
from .errors import ConfigError
from .resources import formats_dir
from .textnorm import label_key

DEFAULT_FORMAT = "gov-2021"


@dataclass(frozen=True)
class LabelSpec:
    """Anything with a mandated wording: a part, block, group, row or column."""

    key: str
    label: str
    variants: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()  # normalised (label_key) distinctive substrings

    @property
    def wordings(self) -> tuple[str, ...]:
        """Every accepted full wording, normalised; the mandated one first."""
        return (label_key(self.label),) + tuple(label_key(v) for v in self.variants)


@dataclass(frozen=True)
class PartSpec(LabelSpec):
    id: int = 0
    ordinal: str = ""
    all_keys: tuple[str, ...] = ()
    basis: str = ""


@dataclass(frozen=True)
class BlockSpec(LabelSpec):
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnSpec(LabelSpec):
    unit: str = "count"
    group: Optional[str] = None
    total_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowSpec(LabelSpec):
    block: Optional[str] = None
    group: Optional[str] = None
    leaf: bool = False
    exact: bool = False  # the label must equal a key, not merely contain it
    after: tuple[str, ...] = ()  # only recognised right after one of these rows/groups
    total_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    key: str
    name: str
    part: int
    reading: str  # "row_labels" | "flat"
    layout: str  # "nested" | "matrix"
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]
    blocks: tuple[BlockSpec, ...] = ()
    groups: tuple[LabelSpec, ...] = ()
    column_groups: tuple[LabelSpec, ...] = ()
    anchors: tuple[str, ...] = ()
    header_note: str = ""
    # rows of an older format that this one split or dropped (the 2019 format's single
    # （六）其他处理): read as what they are when a report prints them with values, never one of
    # the format's rows
    former_rows: tuple[RowSpec, ...] = ()
    # normalised column headings of an older format: values under them are not this format's
    former_columns: tuple[str, ...] = ()

    # lookups by key, built once (the spec is immutable; rules ask these in inner loops)
    @cached_property
    def _columns(self) -> dict[str, ColumnSpec]:
        return {c.key: c for c in self.columns}

    @cached_property
    def _rows(self) -> dict[str, RowSpec]:
        return {r.key: r for r in self.rows}

    @cached_property
    def _row_columns(self) -> dict[str, tuple[ColumnSpec, ...]]:
        blocks = {b.key: b for b in self.blocks}
        return {r.key: (tuple(self._columns[k] for k in blocks[r.block].columns) if r.block in blocks
                        else self.columns) for r in (*self.rows, *self.former_rows)}

    def column(self, key: str) -> ColumnSpec:
        """The column with this key (KeyError if there is none)."""
        return self._columns[key]

    def row(self, key: str) -> RowSpec:
        """The row with this key (KeyError if there is none)."""
        return self._rows[key]

    def block(self, key: Optional[str]) -> Optional[BlockSpec]:
        return next((b for b in self.blocks if b.key == key), None)

    def columns_of(self, row: RowSpec) -> tuple[ColumnSpec, ...]:
        """The columns a row has values in: its block's columns, else all columns."""
        return self._row_columns[row.key]

    @cached_property
    def row_column_keys(self) -> dict[str, tuple[str, ...]]:
        """Row key -> the keys of the columns it has values in."""
        return {r.key: tuple(c.key for c in self.columns_of(r)) for r in self.rows}

    def cell_keys(self) -> tuple[tuple[str, str], ...]:
        """Every (row, column) pair of the table, in reading order."""
        return tuple((r.key, c.key) for r in self.rows for c in self.columns_of(r))

    @cached_property
    def cell_names(self) -> tuple[tuple[str, str, str, str], ...]:
        """Every cell as (row key, column key, column unit, the name a person reads: the row
        label, with the column label where the row has several columns), in reading order."""
        names = []
        for row in self.rows:
            columns = self.columns_of(row)
            for col in columns:
                label = row.label if len(columns) == 1 else f"{row.label}·{col.label}"
                names.append((row.key, col.key, col.unit, label))
        return tuple(names)

    @cached_property
    def _cell_labels(self) -> dict[tuple[str, str], str]:
        return {(row, col): label for row, col, _, label in self.cell_names}

    def cell_label(self, row: str, col: str) -> str:
        """The name a person reads for a cell (see cell_names)."""
        return self._cell_labels.get((row, col), f"{row}·{col}")


@dataclass(frozen=True)
class FormatSpec:
    id: str
    title: str
    basis: str
    from_year: int
    ordinals: tuple[str, ...]
    parts: tuple[PartSpec, ...]
    tables: tuple[TableSpec, ...]
    blank_marks: frozenset[str]
    not_applicable_marks: frozenset[str]
    markers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    until_year: Optional[int] = None
    path: str = ""
    # normalised words that mark the report's title line ("年度报告")
    title_keys: tuple[str, ...] = ()
    # normalised words that begin the report's name in its title ("政府信息公开…"): a title
    # without a year names the agency before them
    title_subjects: tuple[str, ...] = ()
    # normalised words joining the agency's name to the rest of its title ("关于"): not the name's
    name_particles: tuple[str, ...] = ()
    # normalised endings an agency's name may have or not and still name the same reporter
    same_agency_suffixes: tuple[str, ...] = ()
    # the part whose paragraphs state the year and the statistics period, with the preface's
    # (None: the preface's alone)
    period_part: Optional[int] = None
    # (name ending, agency kind), longest ending first: the first that matches decides
    agency_endings: tuple[tuple[str, str], ...] = ()
    # column unit -> unit words a value may be written with ("件", "万元")
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def agency_areas(self) -> tuple[str, ...]:
        """The endings of a government's name that name an area (省, 县, 区...; not 人民政府)."""
        return tuple(e for e, kind in self.agency_endings if kind == "government" and "政府" not in e)

    @cached_property
    def _tables_by_key(self) -> dict[str, TableSpec]:
        return {t.key: t for t in self.tables}

    def table(self, key: str) -> TableSpec:
        """The table with this key (KeyError if there is none)."""
        return self._tables_by_key[key]

    def part(self, part_id: int) -> PartSpec:
        return next(p for p in self.parts if p.id == part_id)


def _keys(item: dict) -> tuple[str, ...]:
    return tuple(label_key(k) for k in item.get("keys", ()))


def _labelled(cls, item: dict, **extra):
    return cls(key=str(item["key"]), label=item["label"], variants=tuple(item.get("variants", ())),
               keys=_keys(item), **extra)


def _table(item: dict, file: str) -> TableSpec:
    columns = tuple(_labelled(ColumnSpec, c, unit=c["unit"], group=c.get("group"),
                              total_of=tuple(c.get("total_of", ()))) for c in item["columns"])
    rows = tuple(_labelled(RowSpec, r, block=r.get("block"), group=r.get("group"),
                           leaf=bool(r.get("leaf", False)), exact=bool(r.get("exact", False)),
                           after=tuple(r.get("after", ())), total_of=tuple(r.get("total_of", ())))
                 for r in item["rows"])
    blocks = tuple(_labelled(BlockSpec, b, columns=tuple(b["columns"])) for b in item.get("blocks", ()))
    spec = TableSpec(
        key=item["key"], name=item["name"], part=item["part"], reading=item["reading"],
        layout=item["layout"], columns=columns, rows=rows, blocks=blocks,
        groups=tuple(_labelled(LabelSpec, g) for g in item.get("groups", ())),
        column_groups=tuple(_labelled(LabelSpec, g) for g in item.get("column_groups", ())),
        anchors=tuple(label_key(a) for a in item.get("anchors", ())),
        header_note=item.get("header_note", ""),
        former_rows=tuple(_labelled(RowSpec, r, block=r.get("block")) for r in item.get("former_rows", ())),
        former_columns=tuple(label_key(c) for c in item.get("former_columns", ())),
    )
    _check_references(spec, file)
    return spec


def _check_references(spec: TableSpec, file: str) -> None:
    """Cross-references the JSON Schema cannot express."""
    column_keys = {c.key for c in spec.columns}
    block_keys = {b.key for b in spec.blocks}
    row_keys = {r.key for r in spec.rows}
    group_keys = {g.key for g in spec.groups} | {g.key for g in spec.column_groups}
    for block in spec.blocks:
        for col in block.columns:
            if col not in column_keys:
                raise ConfigError(file, f"block {block.key!r} names unknown column {col!r}", rule=spec.key,
                                  key="blocks.columns")
    for row in (*spec.rows, *spec.former_rows):
        if row.block and row.block not in block_keys:
            raise ConfigError(file, f"row {row.key!r} names unknown block {row.block!r}", rule=spec.key,
                              key="rows.block")
        if row.group and row.group not in group_keys:
            raise ConfigError(file, f"row {row.key!r} names unknown group {row.group!r}", rule=spec.key,
                              key="rows.group")
        for other in row.after + row.total_of:
            if other not in row_keys and other not in group_keys:
                raise ConfigError(file, f"row {row.key!r} refers to unknown row {other!r}", rule=spec.key,
                                  key="rows.after")
    former = {r.key for r in spec.former_rows}
    if former & row_keys:
        raise ConfigError(file, f"former rows {sorted(former & row_keys)} are also rows of the format",
                          rule=spec.key, key="former_rows.key")
    if spec.blocks and any(r.block is None for r in (*spec.rows, *spec.former_rows)):
        raise ConfigError(file, "every row of a table with blocks must name its block", rule=spec.key,
                          key="rows.block")


def _agency_endings(agency: dict) -> tuple[tuple[str, str], ...]:
    pairs = [(label_key(ending), kind) for kind, endings in agency.items() for ending in endings]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def load_format(path: Path | str) -> FormatSpec:
    file = str(path)
    data = tomlfile.load(path, "format.schema.json", items_key="tables")
    parts = tuple(PartSpec(key=str(p["id"]), label=p["label"], variants=tuple(p.get("variants", ())),
                           keys=_keys(p), id=p["id"], ordinal=p["ordinal"],
                           all_keys=tuple(label_key(k) for k in p.get("all_keys", ())),
                           basis=p.get("basis", ""))
                  for p in data["parts"])
    return FormatSpec(
        id=data["id"], title=data["title"], basis=data["basis"], from_year=data["from_year"],
        until_year=data.get("until_year"), ordinals=tuple(data["ordinals"]), parts=parts,
        tables=tuple(_table(t, file) for t in data["tables"]),
        blank_marks=frozenset(data["cells"]["blank"]),
        not_applicable_marks=frozenset(data["cells"]["not_applicable"]),
        markers={k: tuple(v) for k, v in data.get("markers", {}).items()},
        path=file,
        title_keys=tuple(label_key(k) for k in data.get("meta", {}).get("title_keys", ())),
        title_subjects=tuple(label_key(k) for k in data.get("meta", {}).get("title_subjects", ())),
        name_particles=tuple(label_key(k) for k in data.get("meta", {}).get("name_particles", ())),
        same_agency_suffixes=tuple(label_key(k) for k in data.get("meta", {}).get("same_agency_suffixes", ())),
        period_part=data.get("meta", {}).get("period_part"),
        agency_endings=_agency_endings(data.get("agency", {})),
        units={unit: tuple(words) for unit, words in data["cells"].get("units", {}).items()},
    )


def available_formats() -> dict[str, Path]:
    return {p.stem: p for p in sorted(formats_dir().glob("*.toml"))}


@lru_cache(maxsize=None)
def get_format(name_or_path: str = DEFAULT_FORMAT) -> FormatSpec:
    """A format by id (a file in rules/formats/) or by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        return load_format(path)
    formats = available_formats()
    if name_or_path not in formats:
        raise ConfigError(name_or_path, f"unknown format; available: {', '.join(formats) or 'none'}")
    return load_format(formats[name_or_path])
