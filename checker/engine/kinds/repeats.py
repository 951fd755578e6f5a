"""Kind `repeats`: a paragraph or long sentence that occurs twice in the same report.

Only whole sentences count (ending in 。！？；), or runs of text long enough to be more than a
heading: a running page header or a table caption printed on every page is not a repetition
the author wrote."""
from __future__ import annotations

from typing import Any, Mapping

from ..evaluation import RuleRun
from . import Outcome, kind


def prepare(data: Mapping[str, Any], compiler: Any) -> dict[str, Any]:
    return {"scope": data["scope"], "min_chars": data.get("min_chars", 20)}


@kind("repeats", params=("passages", "count"), prepare=prepare)
def run_repeats(rule: Any, run: RuleRun) -> Outcome:
    """Sentences of at least `min_chars` characters repeated within the report."""
    options = rule.options
    first_seen: dict[str, Any] = {}
    repeated: list[tuple[Any, Any]] = []
    for sentence in run.view.sentences(options["scope"]):
        key = sentence.flat.rstrip("。；;！!？?")
        if len(key) < options["min_chars"]:
            continue
        if key == sentence.flat and len(key) < 2 * options["min_chars"]:
            continue  # no sentence end: a heading, caption or page header
        if key in first_seen:
            repeated.append((first_seen[key], sentence))
        else:
            first_seen[key] = sentence
    evidence = []
    for first, again in repeated:
        evidence.extend([first.evidence(), again.evidence()])
    passages = "；".join(f"「{first.text}」" for first, _ in repeated[:5])
    params = {"passages": passages, "count": len(repeated), **run.params()}
    return Outcome(status="fail" if repeated else "pass", params=params, evidence=tuple(evidence))
