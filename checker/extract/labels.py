"""Recognising a table's labels in text, driven by the format spec.

Each table gets one compiled matcher, built once per format: every distinctive key of its rows,
groups, blocks, columns and column groups in a single regular expression (longest first), so a
token is scanned once, not once per label."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, Mapping, Optional

from ..formats import LabelSpec, TableSpec
from ..textnorm import loose, squash, strip_enumerator
from .fuzzy import distance

LabelKind = Literal["row", "group", "block", "column", "former"]

# a text this much longer than the longest label of its table is running prose, not a label
PROSE_SLACK = 8
# the shortest head of a row label cut by a line break that is taken to name the row
HEAD_LENGTH = 3
_PUNCTUATION = re.compile(r"[^\w]")


def strip_punctuation(key: str) -> str:
    """``loose()`` of an already normalised key."""
    return _PUNCTUATION.sub("", key)


@dataclass(frozen=True)
class LabelRef:
    """One label of the format: what kind it is, its key, and how it is matched."""

    kind: LabelKind
    key: str
    spec: LabelSpec
    wordings: tuple[str, ...]  # loose forms of the accepted full wordings
    after: tuple[str, ...] = ()  # for rows: only right after one of these rows or groups

    @property
    def expected(self) -> str:
        return self.spec.label


@dataclass(frozen=True)
class Match:
    """The labels one token names, by kind; a token can name a group and a row at once
    ("三、本年度办理结果 （三）不予公开")."""

    rows: tuple[tuple[LabelRef, int], ...] = ()  # with the length of the key that matched
    others: tuple[LabelRef, ...] = ()  # groups and blocks
    columns: tuple[LabelRef, ...] = ()  # columns and column groups
    former: tuple[LabelRef, ...] = ()  # rows of an older format

    def __bool__(self) -> bool:
        return bool(self.rows or self.others or self.columns or self.former)


# eq=False: compared and hashed by identity, so a table's matcher can key a cache
@dataclass(frozen=True, eq=False)
class TableLabels:
    spec: TableSpec
    pattern: Optional[re.Pattern[str]]
    owners: Mapping[str, tuple[LabelRef, ...]]
    exact: Mapping[str, tuple[LabelRef, ...]]
    widths: Mapping[str, int]  # row key -> number of value columns
    row_order: Mapping[str, int]  # row key -> position in the format
    note: str  # loose form of the header note ("本列数据的勾稽关系为…")
    longest: int  # length of the longest loose wording: anything much longer is prose
    # rows a head may name: (loose wording, row), for rows recognised anywhere (no `after`)
    heads: tuple[tuple[str, LabelRef], ...] = ()
    row_refs: tuple[LabelRef, ...] = ()  # the format's rows, in order
    group_refs: tuple[LabelRef, ...] = ()  # groups and blocks
    # the number of value columns when every row has the same, else None
    uniform_width: Optional[int] = None
    former_columns: Optional[re.Pattern[str]] = None  # headings of an older format's columns
    # (index of a total column, indexes of the columns it adds up) among the table's columns
    totals: tuple[tuple[int, tuple[int, ...]], ...] = ()
    # row key -> ((row key, column key), column unit) of each of its cells, in column order
    places: Mapping[str, tuple[tuple[tuple[str, str], str], ...]] = field(default_factory=dict)

    def row_ref(self, key: str) -> LabelRef:
        return self._rows_by_key[key]

    @property
    def _rows_by_key(self) -> Mapping[str, LabelRef]:
        return _rows_by_key(self)

    def numbered_as_group(self, number: str, piece: str) -> bool:
        """Whether a text (its outline number and loose words) is a piece of a group label,
        numbered as the group is ("（六）其他" of "（六）其他处理"), rather than a row label with
        its words (3.其他)."""
        return _numbered_as_group(self, number, piece)

    def names_group(self, piece: str) -> bool:
        """Whether a loose text is a group's or block's wording, or the end of one (a vertical
        group label's last line), within a typo."""
        return bool(piece) and any(
            w.endswith(piece) or distance(piece, w, 1) <= 1 for ref in self.group_refs for w in ref.wordings)

    def in_group_label(self, piece: str) -> bool:
        """Whether a loose piece of text is part of a group's or block's wording."""
        return bool(piece) and any(piece in w for ref in self.group_refs for w in ref.wordings)

    def names_former_column(self, key: str) -> bool:
        """Whether a token (its label key) names a column heading of an older format."""
        return self.former_columns is not None and self.former_columns.search(key) is not None

    @property
    def prose_length(self) -> int:
        return self.longest + PROSE_SLACK

    def match(self, key: str) -> Match:
        return _match(self, key)

    def row_head(self, piece: str) -> Optional[LabelRef]:
        """The row whose label begins with the loose ``piece`` — the head of a label a narrow
        column wrapped ("2.其他法律行政" / "法规禁止公开") — when exactly one row's does."""
        return _row_head(self, piece)

    def is_header_note(self, piece: str) -> bool:
        """Whether a loose piece of text is the table's own header note, whole or cut by a line
        break."""
        return bool(self.note) and len(piece) >= 4 and (piece in self.note or self.note in piece)

    @staticmethod
    def continues(ref: LabelRef, written: str, piece: str) -> bool:
        """Whether a loose ``piece`` is the rest of a label cut by a line or page break: the
        label as written so far (loose) plus the piece is still part of an accepted wording."""
        if not piece:
            return False
        joined = written + piece
        for wording in ref.wordings:  # a loop, not any(): this runs for most tokens of a table
            if joined in wording:
                return True
        return False


NO_MATCH = Match()


@lru_cache(maxsize=8192)
def _match(labels: "TableLabels", key: str) -> Match:
    if not key:
        return NO_MATCH
    hits: list[tuple[LabelRef, int]] = [(ref, len(key)) for ref in labels.exact.get(key, ())]
    if labels.pattern is not None:
        for found in labels.pattern.finditer(key):
            hits.extend((ref, len(found.group())) for ref in labels.owners[found.group()])
    if not hits:
        return NO_MATCH
    rows: list[tuple[LabelRef, int]] = []
    by_kind: dict[str, dict[tuple[str, str], LabelRef]] = {"group": {}, "column": {}, "former": {}}
    for ref, n in hits:  # one pass: this runs for every distinct text of a batch's tables
        if ref.kind == "row":
            rows.append((ref, n))
        else:
            by_kind["group" if ref.kind == "block" else ref.kind].setdefault((ref.kind, ref.key), ref)
    return Match(rows=tuple(rows), others=tuple(by_kind["group"].values()),
                 columns=tuple(by_kind["column"].values()), former=tuple(by_kind["former"].values()))


def enumerator(text: str) -> str:
    """The outline number a label starts with, normalised ("（六）" -> "(六)"), or ""."""
    squashed = squash(text)
    return strip_punctuation(squashed[:len(squashed) - len(strip_enumerator(squashed))])


@lru_cache(maxsize=1024)
def _numbered_as_group(labels: "TableLabels", number: str, piece: str) -> bool:
    if not number:
        return False
    numbers = _numbers(labels)
    return any(n == number and piece != w and piece in w for n, w in numbers[0]) and \
        not any(n == number and piece == w for n, w in numbers[1])


@lru_cache(maxsize=64)
def _numbers(labels: "TableLabels") -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(outline number, loose wording) of the groups and blocks, and of the rows."""
    def of(refs):
        return tuple((enumerator(ref.spec.label), w) for ref in refs for w in ref.wordings)
    return of(labels.group_refs), of(labels.row_refs)


@lru_cache(maxsize=64)
def _rows_by_key(labels: "TableLabels") -> Mapping[str, LabelRef]:
    return {ref.key: ref for ref in labels.row_refs}


@lru_cache(maxsize=4096)
def _row_head(labels: "TableLabels", piece: str) -> Optional[LabelRef]:
    if len(piece) < HEAD_LENGTH:
        return None
    found = {ref.key: ref for wording, ref in labels.heads if wording.startswith(piece) and wording != piece}
    return next(iter(found.values())) if len(found) == 1 else None


def clear_match_cache() -> None:
    _match.cache_clear()
    _row_head.cache_clear()
    _numbered_as_group.cache_clear()


def _ref(kind: LabelKind, spec: LabelSpec, after: tuple[str, ...] = ()) -> LabelRef:
    wordings = tuple(dict.fromkeys(loose(w) for w in (spec.label, *spec.variants)))
    return LabelRef(kind=kind, key=spec.key, spec=spec, wordings=wordings, after=after)


def build_table_labels(spec: TableSpec) -> TableLabels:
    refs: list[tuple[LabelRef, tuple[str, ...], bool]] = []
    for row in spec.rows:
        refs.append((_ref("row", row, row.after), row.keys, row.exact))
    for group in spec.groups:
        refs.append((_ref("group", group), group.keys, False))
    for block in spec.blocks:
        refs.append((_ref("block", block), block.keys, False))
    for column in spec.columns:
        refs.append((_ref("column", column), column.keys, False))
    for group in spec.column_groups:
        refs.append((_ref("column", group), group.keys, False))
    for row in spec.former_rows:
        refs.append((_ref("former", row), row.keys, False))
    owners: dict[str, list[LabelRef]] = {}
    exact: dict[str, list[LabelRef]] = {}
    for ref, keys, is_exact in refs:
        for key in keys:
            (exact if is_exact else owners).setdefault(key, []).append(ref)
    pattern = None
    if owners:
        alternatives = sorted(owners, key=lambda k: (-len(k), k))
        pattern = re.compile("|".join(re.escape(k) for k in alternatives))
    longest = max((len(w) for ref, _, _ in refs for w in ref.wordings), default=0)
    heads = tuple((wording, ref) for ref, _, is_exact in refs
                  if ref.kind == "row" and not is_exact and not ref.after for wording in ref.wordings)
    widths = {row.key: len(spec.columns_of(row)) for row in (*spec.rows, *spec.former_rows)}
    former = None
    if spec.former_columns:
        former = re.compile("|".join(re.escape(k) for k in sorted(spec.former_columns, key=len, reverse=True)))
    return TableLabels(
        spec=spec, pattern=pattern,
        owners={k: tuple(v) for k, v in owners.items()},
        exact={k: tuple(v) for k, v in exact.items()},
        widths=widths,
        row_order={row.key: n for n, row in enumerate(spec.rows)},
        note=loose(spec.header_note) if spec.header_note else "",
        longest=max(longest, len(loose(spec.header_note)) if spec.header_note else 0),
        heads=heads,
        row_refs=tuple(ref for ref, _, _ in refs if ref.kind == "row"),
        group_refs=tuple(ref for ref, _, _ in refs if ref.kind in ("group", "block")),
        uniform_width=next(iter(set(widths.values()))) if len(set(widths.values())) == 1 else None,
        former_columns=former,
        totals=_totals(spec),
        places={row.key: tuple(((row.key, column.key), column.unit) for column in spec.columns_of(row))
                for row in (*spec.rows, *spec.former_rows)},
    )


def _totals(spec: TableSpec) -> tuple[tuple[int, tuple[int, ...]], ...]:
    position = {c.key: n for n, c in enumerate(spec.columns)}
    return tuple((position[c.key], tuple(position[k] for k in c.total_of))
                 for c in spec.columns if c.total_of and all(k in position for k in c.total_of))
