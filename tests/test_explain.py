"""`xxgk explain RULE FILE`: every expression with the value of every sub-expression, which branch
decided, the missing input of a not_assessable rule - for passing rules too - as text and JSON."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from authoring_support import ROOT, Project, project  # noqa: F401  (fixture)
from checker.engine.examples import build_report
from checker.engine.explain import deciding, explain_rule, walk
from checker.engine.pack import load_pack
from checker.engine.runner import make_view, run_rule

PASSING = ROOT / "examples" / "litong-2024.txt"
PACK = load_pack()


def variant(project: Project, old: str, new: str, name: str = "variant.txt") -> Path:
    text = PASSING.read_text(encoding="utf-8")
    assert old in text
    return project.write(name, text.replace(old, new, 1))


def test_a_passing_rule_is_explained_with_every_cell_it_read(project: Project) -> None:
    run = project.run("explain", "TB-010", str(PASSING), "--isolated")
    assert run.code == 0, run.err
    assert "status: pass (通过)" in run.out
    assert "decided by: assert holds for every one of the 7 items of for_each → pass" in run.out
    assert "assert (col = 'natural_person')" in run.out
    assert "applications[\"1\"][col] → 38 (applications['1']['natural_person'] 「38」 第47行)" in run.out
    assert "applications[\"3.7\"][col] + applications[\"4\"][col] → 38" in run.out
    assert "规则包 sha256:" in run.out  # provenance


def test_a_failure_names_the_deciding_comparison_and_its_values(project: Project) -> None:
    report = variant(project, "四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0", "四、结转下年度继续办理\t\t2\t0\t0\t0\t0\t0\t2")
    run = project.run("explain", "TB-010", str(report), "--isolated")
    assert "status: fail (不通过)" in run.out
    assert "decided by: assert is false for 2 of 7 items (of for_each); the first: (col = 'natural_person') " \
           "applications[\"1\"][col] + applications[\"2\"][col] == applications[\"3.7\"][col] + " \
           "applications[\"4\"][col] (38 == 40 is false) → fail" in run.out


def test_not_assessable_names_the_missing_input_and_its_cell(project: Project) -> None:
    report = variant(project, "四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0", "四、结转下年度继续办理\t\t\t0\t0\t0\t0\t0\t0")
    run = project.run("explain", "TB-010", str(report), "--isolated", "--format", "json")
    document = json.loads(run.out)
    assert document["status"] == "not_assessable"
    missing = document["missing"]
    assert missing["expression"] == 'applications["4"][col]' and missing["item"] == {"name": "col", "value": "natural_person"}
    assert missing["cell"]["row"] == "4" and missing["cell"]["where"]["line"] == 71
    assert "→ not_assessable" in document["decided_by"]


def test_json_carries_the_whole_tree(project: Project) -> None:
    document = json.loads(project.run("explain", "TB-010", str(PASSING), "--isolated", "--format", "json").out)
    asserts = [s for s in document["steps"] if s["key"] == "assert"]
    assert len(asserts) == 7
    tree = asserts[0]["tree"]
    assert tree["node"] == "Compare" and tree["op"] == "==" and tree["value"] is True
    cell = tree["children"][0]["children"][0]["value"]["cell"]
    assert (cell["table"], cell["row"], cell["col"], cell["text"], cell["value"]) == \
        ("applications", "1", "natural_person", "38", 38)
    assert document["provenance"]["pack_hash"] == PACK.digest


def test_keyword_hits_are_shown_with_their_sentences(project: Project) -> None:
    assert PACK.get("FEE-001").kind == "keywords"
    run = project.run("explain", "FEE-001", str(PASSING), "--isolated")
    assert "decided by: require = 'any': found 信息处理费 → pass" in run.out
    assert "group '信息处理费' (1 sentences)\n    「按照《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》" in run.out
    assert "本年度没有产生信息公开处理费。」 (第108行)" in run.out


def test_similarity_figures_are_shown(project: Project) -> None:
    run = project.run("explain", "DUP-001", str(PASSING), "--previous", str(PASSING), "--isolated")
    assert "similarity = '100.0%'" in run.out and "threshold = '50.0%'" in run.out
    assert "decided by: the similarity kind decided fail" in run.out


def test_an_unknown_rule_suggests_the_closest(project: Project) -> None:
    run = project.run("explain", "TB-O10", str(PASSING), "--isolated")
    assert run.code == 2 and "did you mean 'TB-010'" in run.err


@pytest.mark.parametrize("rule_id", [r.id for r in PACK.rules])
def test_explaining_never_changes_the_verdict(rule_id: str) -> None:
    """The trace comes from the rule run exactly as check runs it."""
    rule = PACK.get(rule_id)
    for index, example in enumerate(rule.examples):
        report = build_report(example, PACK.fmt)
        plain = run_rule(rule, make_view(report, PACK.fmt))
        explained = explain_rule(rule, make_view(report, PACK.fmt)).result
        assert (explained.status, dict(explained.params)) == (plain.status, dict(plain.params)), (rule_id, index)


def test_deciding_follows_and_or_to_the_settling_comparison() -> None:
    rule = PACK.get("TA-001")
    example = next(e for e in rule.examples if e["expect"] == "fail")
    explanation = explain_rule(rule, make_view(build_report(example, PACK.fmt), PACK.fmt))
    tree = next(s.tree for s in explanation.steps if s.key == "assert")
    decided = deciding(tree)
    assert decided.value.data is False and decided is not tree
    assert all(node.value is not None or node.outcome != "value" for _, node in walk(tree))
