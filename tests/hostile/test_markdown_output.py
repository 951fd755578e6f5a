"""Markdown output (`check --format md`, `report --format md`) copies report text and file names:
every interpolated value is escaped, so a hostile title, quote or file name renders as the
characters it is. Checked by rendering with a CommonMark renderer (markdown-it-py, tables on) and
asserting that no raw HTML, link or image survives."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from checker.cli import main
from checker.engine.pack import load_pack
from checker.engine.runner import check_report
from checker.engine.scoring import get_profile
from checker.pipeline import parse_bytes
from checker.render.mdtext import md
from checker.render.results_md import reports_markdown

markdown_it = pytest.importorskip("markdown_it")

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seeds" / "002_a0c218d13443adaa.txt"
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[点我](javascript:alert(1))",
    "![x](http://example.invalid/x.png)",
    "<http://example.invalid>",
    "**粗体** _斜体_ `代码` ~~删除~~ | 竖线 |",
    "&lt;img src=x&gt;",
    "1. 列表\n# 标题\n> 引用",
]
ALLOWED_TAGS = {"h1", "h2", "ul", "li", "p", "table", "thead", "tbody", "tr", "th", "td", "hr", "strong"}


def _render(text: str) -> str:
    return markdown_it.MarkdownIt("commonmark").enable("table").render(text)


def _assert_inert(rendered: str) -> None:
    tags = {m.group(1).lower() for m in re.finditer(r"</?([a-zA-Z][a-zA-Z0-9]*)", rendered)}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS  # no raw HTML, no <a>, no <img>, no <code>
    assert "href=" not in rendered


@pytest.mark.parametrize("value", HOSTILE)
def test_one_value_renders_as_its_characters(value):
    rendered = _render(f"- {md(value)}\n\n| a | b |\n|---|---|\n| {md(value)} | x |\n")
    _assert_inert(rendered)
    visible = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert " ".join(value.split()) in visible  # the characters as written


def test_a_hostile_report_renders_inert():
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("利通区 2024 年政府信息公开工作年度报告",
                        "<img src=x onerror=alert(1)>利通区 2024 年政府信息公开工作年度报告", 1)
    text = text.replace("一、总体情况", "一、总体情况\n全年受理申请 [点我](javascript:alert(1)) <script>x</script> **5** 件。"
                        "行政诉讼案件 9 件 <b>粗</b>。", 1)
    report = parse_bytes("<img src=x>[a](javascript:b).txt", text.encode("utf-8"))
    result = check_report(report, load_pack(), get_profile())
    assert "<img" in (result.meta.get("title") or "")
    for lang in ("zh", "en"):
        _assert_inert(_render(reports_markdown([result], lang)))


def test_check_format_md_is_inert_for_a_hostile_file_name(tmp_path, capsys):
    hostile = tmp_path / "<img src=x onerror=alert(1)>.txt"
    hostile.write_bytes(SEED.read_bytes())
    main(["check", str(hostile), "--format", "md", "--fail-on", "never"])
    out = capsys.readouterr().out
    _assert_inert(_render(out))
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
