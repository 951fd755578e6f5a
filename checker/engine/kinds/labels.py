"""Kind `labels`: the row, column and block labels of a table as written, against the mandated
wording. Spacing, punctuation, full-width forms and outline numbering are ignored; a label cut
short by a line or page break (its written text is the start of the mandated one) is not a
wording defect."""
from __future__ import annotations

from typing import Any, Mapping

from ..context import UNREADABLE_TABLE
from ..evaluation import RuleRun
from ..expr import Missing
from ...messages import phrase
from ...results import Evidence
from ...textnorm import loose
from . import Outcome, kind


def prepare(data: Mapping[str, Any], compiler: Any) -> dict[str, Any]:
    table = data["table"]
    if table not in {t.key for t in compiler.fmt.tables}:
        raise compiler.error("table", f"unknown table {table!r}; the format has "
                                      f"{', '.join(t.key for t in compiler.fmt.tables)}")
    return {"table": table, "label_kinds": tuple(data.get("label_kinds", ("block", "group", "row", "column")))}


def wording_matches(written: str, expected: str) -> bool:
    w, e = loose(written), loose(expected)
    return w == e or (len(w) * 2 >= len(e) and e.startswith(w))


@kind("labels", params=("count", "labels"), prepare=prepare)
def run_labels(rule: Any, run: RuleRun) -> Outcome:
    """Labels of a table as written must match the mandated wording."""
    options = rule.options
    table = run.view.report.tables.get(options["table"])
    key = f"{run.view.prefix}table:{options['table']}"
    if table is None:
        raise Missing(reason=f"{options['table']} is absent", inputs=(key,))
    if table.unreadable:
        raise Missing(reason=UNREADABLE_TABLE, inputs=(key,))
    labels = [l for l in table.labels if l.kind in options["label_kinds"]]
    if not labels:
        raise Missing(reason="no labels were read")
    wrong = [l for l in labels if not wording_matches(l.written, l.expected)]
    evidence = tuple(Evidence(kind="label", text=l.written, where=l.where, table=l.table,
                              row=l.key if l.kind == "row" else None,
                              col=l.key if l.kind == "column" else None, value=l.expected)
                     for l in wrong)
    params = {"count": len(wrong), **run.params()}
    for lang, name in (("zh", "labels"), ("en", "labels_en")):
        params[name] = phrase("sep", lang).join(phrase("label_should", lang, written=l.written, expected=l.expected)
                                                for l in wrong)
    return Outcome(status="fail" if wrong else "pass", params=params, evidence=evidence)
