"""Inline rule examples: small report fragments written in a rule file, each with the status the
rule must reach on it. `xxgk rules test` runs them all.

An example is either report text (read by the real text reader and extractor) or data:
``parts`` (part id -> text), ``meta`` (fields of the report's metadata), ``tables`` (table key
-> rows of values; ``"*"`` gives every other row one value; ``false`` for an absent table,
``"zeros"`` for a complete table of zeros),
plus ``previous`` / ``peers`` for rules that compare reports."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping, Optional, Sequence

from .context import ReportView
from .runner import Comparison, make_view, run_rule
from ..results import RuleResult
from ..extract.cells import CellReader
from ..formats import FormatSpec, TableSpec
from ..model import Cell, Label, Meta, Paragraph, Part, Report, Source, Table
from ..facts import Facts, parse_day, supply
from ..pipeline import parse_bytes
from .pack import Rule, RulePack


def empty_report(name: str, fmt: FormatSpec) -> Report:
    parts = tuple(Part(id=p.id, found=False) for p in fmt.parts)
    return Report(source=name, reader="example", format=fmt.id, meta=Meta(), parts=parts, paragraphs=(),
                  tables={t.key: None for t in fmt.tables})


def _with_parts(report: Report, texts: Mapping[str, str], fmt: FormatSpec) -> Report:
    given = {int(k): v for k, v in texts.items()}
    parts: list[Part] = []
    paragraphs: list[Paragraph] = []
    line = 1
    for index, part_id in enumerate(sorted(given)):
        spec = fmt.part(part_id)
        heading = f"{spec.ordinal}、{spec.label}"
        parts.append(Part(id=part_id, found=True, heading=heading, ordinal=spec.ordinal,
                          where=Source(line=line), index=index, text=given[part_id]))
        for text in given[part_id].splitlines():
            if text.strip():
                line += 1
                paragraphs.append(Paragraph(text=text.strip(), part=part_id, where=Source(line=line)))
        line += 1
    parts.extend(Part(id=p.id, found=False) for p in fmt.parts if p.id not in given)
    return replace(report, parts=tuple(parts), paragraphs=tuple(paragraphs))


def _cell(value: Any, reader: CellReader, where: Source) -> Cell:
    if isinstance(value, bool):
        raise ValueError(f"a cell value cannot be {value!r}")
    return reader.read(str(value), where)


def _table(spec: TableSpec, rows: Any, reader: CellReader) -> Optional[Table]:
    if rows is False:
        return None
    cells: dict[tuple[str, str], Cell] = {}
    labels: list[Label] = []
    if rows == "zeros":
        rows = {"*": 0}
    if not isinstance(rows, Mapping):
        raise ValueError(f"rows of {spec.key} must be a table of row -> values, \"zeros\" or false")
    if "*" in rows:  # a value for every row not listed
        fill = rows["*"]
        rows = {**{r.key: [fill] * len(spec.columns_of(r)) for r in spec.rows}, **rows}
    for line, row in enumerate(spec.rows, start=1):
        if row.key not in rows:
            continue
        columns = spec.columns_of(row)
        values = rows[row.key]
        if isinstance(values, Mapping):
            pairs = [(c, values[c.key]) for c in columns if c.key in values]
        elif isinstance(values, (list, tuple)):
            if len(values) != len(columns):
                raise ValueError(f"row {row.key!r} of {spec.key} needs {len(columns)} values, got {len(values)}")
            pairs = list(zip(columns, values))
        else:
            pairs = [(columns[0], values)]
        for col, value in pairs:
            cells[(row.key, col.key)] = _cell(value, reader, Source(line=line))
        labels.append(Label(table=spec.key, kind="row", key=row.key, written=row.label, expected=row.label,
                            where=Source(line=line)))
    return Table(key=spec.key, cells=cells, labels=tuple(labels))


def build_report(example: Mapping[str, Any], fmt: FormatSpec, name: str = "example") -> Report:
    report = parse_bytes(name, example["text"].encode("utf-8"), fmt.id) if "text" in example \
        else empty_report(name, fmt)
    if "parts" in example:
        report = _with_parts(report, example["parts"], fmt)
    if "meta" in example:
        report = replace(report, meta=replace(report.meta, **dict(example["meta"])))
    if "tables" in example:
        reader = CellReader.for_format(fmt)
        tables = dict(report.tables)
        for key, rows in example["tables"].items():
            tables[key] = _table(fmt.table(key), rows, reader)
        report = replace(report, tables=tables)
    if "flags" in example:
        report = replace(report, flags=frozenset(example["flags"]))
    if "supplied" in example:  # as a batch manifest supplies them
        given = dict(example["supplied"])
        if isinstance(given.get("published"), str):
            given["published"] = parse_day(given["published"])
        report = supply(report, Facts(**given), "manifest", fmt)
    return report


@dataclass(frozen=True)
class ExampleOutcome:
    rule: Rule
    index: int
    expected: str
    got: str
    note: str
    message: str = ""
    result: Optional[RuleResult] = None  # what the rule gave (None: the example itself is bad)

    @property
    def ok(self) -> bool:
        return self.expected == self.got


def example_view(rule: Rule, index: int, fmt: FormatSpec) -> ReportView:
    """The report (with its previous year's and peers') an example describes, ready for a rule;
    ValueError, TypeError or KeyError for a malformed example."""
    example = rule.examples[index]
    name = f"{rule.id}#{index + 1}"
    report = build_report(example, fmt, name)
    previous = build_report(example["previous"], fmt, name + "/previous") if "previous" in example else None
    peers = tuple(build_report(p, fmt, f"{name}/peer{i + 1}") for i, p in enumerate(example.get("peers", ())))
    return make_view(report, fmt, Comparison(previous=previous, peers=peers))


def run_example(rule: Rule, index: int, fmt: FormatSpec) -> ExampleOutcome:
    example = rule.examples[index]
    try:
        view = example_view(rule, index, fmt)
    except (ValueError, TypeError, KeyError) as exc:
        return ExampleOutcome(rule, index, example["expect"], "error", example.get("note", ""),
                              f"bad example: {exc}")
    result = run_rule(rule, view)
    message = str(result.params.get("error", "")) if result.status == "error" else ""
    return ExampleOutcome(rule, index, example["expect"], result.status, example.get("note", ""), message, result)


def run_examples(pack: RulePack, rule_ids: Sequence[str] = ()) -> list[ExampleOutcome]:
    rules = [r for r in pack.rules if not rule_ids or r.id in rule_ids or set(r.aliases) & set(rule_ids)]
    return [run_example(rule, i, pack.fmt) for rule in rules for i in range(len(rule.examples))]
