"""What a batch writes for people, in either language: the index page, the report pages, the
tables and the notice follow --lang; a file the checker failed on is said in plain words there
(the exception's name only in results.jsonl); the waivers applied are listed in every output.

One small batch per language: two seeds (one with a waived finding), a file the checker crashes
on, and a file the manifest lists that nobody delivered."""
from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from docx import Document
from openpyxl import load_workbook

from batch_support import LITONG, SEEDS, XIUWU, YUMIN
from checker.batch import worker
from checker.cli import main
from checker.engine.pack import load_pack
from checker.engine.scoring import get_profile
from checker.formats import get_format
from checker.messages import CATEGORY_LABELS, KIND_LABELS, LABELS, SEVERITY_LABELS, STATUS_LABELS, unchecked

CRASH = "坏/crash.txt"
WAIVER_REASON = "落款以图片形式发布，已人工核实"
WAIVERS = f'''
[[waiver]]
rules = ["META-005"]
files = ["seeds/{LITONG}"]
reason = "{WAIVER_REASON}"
approved_by = "市政务公开办"
expires = 2099-12-31
'''


def _crash_on_one_file(report: Any, *args: Any, **kwargs: Any) -> Any:
    if str(report.source).endswith("crash.txt"):
        raise TypeError("unsupported operand type(s) for +: 'InternalCell' and 'NoneType'")
    return _check_report(report, *args, **kwargs)


_check_report = worker.check_report


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    base = tmp_path_factory.mktemp("pages")
    root = base / "reports"
    (root / "seeds").mkdir(parents=True)
    for name in (LITONG, YUMIN):
        shutil.copyfile(SEEDS / name, root / "seeds" / name)
    (root / CRASH).parent.mkdir()
    shutil.copyfile(SEEDS / XIUWU, root / CRASH)
    manifest = root / "清单.csv"
    manifest.write_text("文件,机关,类型,年度,发布日期,地区\n"
                        f"seeds/{LITONG},,,,,吴忠市\nseeds/{YUMIN},,,,,塔城地区\n"
                        "missing/gone.pdf,某县公安局,政府部门,2024,,塔城地区\n"
                        f"{CRASH},某县教育局,政府部门,2024,,塔城地区\n", encoding="utf-8-sig")
    waivers = root / "waivers.toml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    outs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(worker, "check_report", _crash_on_one_file)
        for lang in ("zh", "en"):
            out = base / f"out-{lang}"
            assert main(["batch", str(root), "--manifest", str(manifest), "--waivers", str(waivers), "--out", str(out),
                         "--jobs", "1", "--quiet", "--lang", lang]) == 0
            outs[lang] = out
    assert main(["notice", str(outs["zh"]), "-o", str(base / "通报.docx")]) == 0
    outs["notice"] = base / "通报.docx"
    outs["inputs"] = root
    yield outs


def _pages(out: Path) -> dict[str, str]:
    pages = {"index.html": (out / "index.html").read_text(encoding="utf-8")}
    pages.update({f"reports/{p.name}": p.read_text(encoding="utf-8") for p in (out / "reports").glob("*.html")})
    return pages


def _tables(out: Path) -> dict[str, str]:
    """Every cell of the workbook and the CSV files, as text."""
    book = load_workbook(out / "summary.xlsx", read_only=True)
    tables = {f"summary.xlsx {sheet.title}": sheet.title + "\n" + "\n".join(
        "\t".join("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True))
        for sheet in book.worksheets}
    for name in ("summary.csv", "rules.csv"):
        tables[name] = (out / name).read_text(encoding="utf-8-sig")
    return tables


def _notice_text(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def _row_of(out: Path, file_end: str) -> dict[str, str]:
    rows = list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()))
    return next(r for r in rows if (r.get("文件") or r.get("File") or "").endswith(file_end))


def _chinese_words_of_the_checker(inputs: Path) -> list[str]:
    """The words the outputs' own labels are made of in Chinese, less those that the inputs (the
    reports, the manifest, the waivers) or the rule pack's data (legal bases, the profile's name)
    contain anyway: none of these may be left in an English output."""
    foreign = "\n".join(p.read_text(encoding="utf-8-sig") for p in inputs.rglob("*") if p.is_file())
    pack = load_pack((), get_format())
    foreign += "\n".join(r.basis for r in pack.rules) + get_profile("default").name
    tables = [LABELS["zh"], STATUS_LABELS["zh"], SEVERITY_LABELS["zh"], KIND_LABELS["zh"], CATEGORY_LABELS["zh"]]
    words = set()
    for table in tables:
        for text in table.values():
            for piece in re.split(r"\{[^}]*\}|[\s（）()：；、，。·/—\-←]+", text):
                if re.search(r"[\u4e00-\u9fff]", piece) and len(piece) >= 2 and piece not in foreign:
                    words.add(piece)
    return sorted(words)


def test_english_pages_and_tables_have_no_chinese_words_of_their_own(batches: dict[str, Path]) -> None:
    words = _chinese_words_of_the_checker(batches["inputs"])
    assert len(words) > 60
    chinese = {**_pages(batches["zh"]), **_tables(batches["zh"])}
    english = {**_pages(batches["en"]), **_tables(batches["en"])}
    assert len(english) == len(chinese) >= 2 + 4 + 4  # index, 4 report pages; 4 sheets (豁免 too), 2 csv
    # the Chinese outputs use these words (so the check below can fail) ...
    used = {w for text in chinese.values() for w in words if w in text}
    assert {"排名", "得分分布", "规则包哈希", "返回排名", "问题明细", "适用的豁免", "无法检查的原因"} <= used
    assert len(used) > 40
    # ... and the English ones none of them
    left = {name: [w for w in words if w in text] for name, text in english.items()}
    assert not {name: found for name, found in left.items() if found}
    index = english["index.html"]
    assert '<html lang="en">' in index and "Score distribution" in index and "Rule pack hash" in index
    assert '"pager":"{total} reports, page {page} of {pages}"' in index  # the script's words too
    assert "By region" in index and "Rules failed most often" in index
    book = load_workbook(batches["en"] / "summary.xlsx", read_only=True)
    assert book.sheetnames == ["Summary", "Findings", "Rules", "Waivers"]


def test_a_file_the_checker_failed_on_is_said_in_plain_words(batches: dict[str, Path]) -> None:
    for lang in ("zh", "en"):
        out = batches[lang]
        words = unchecked("checker_failed", lang)
        row = _row_of(out, "crash.txt")
        assert words in row.values() and row[next(k for k in row if k in ("得分", "Score"))] == ""  # not scored
        outputs = {**_pages(out), **_tables(out)}
        if lang == "zh":
            outputs["通报.docx"] = _notice_text(batches["notice"])
        for name, text in outputs.items():
            for internal in ("TypeError", "InternalCell", "NoneType", "内部错误"):
                assert internal not in text, (name, internal)
        assert words in outputs["index.html"] and words in outputs["summary.xlsx " + ("汇总" if lang == "zh" else "Summary")]
        lines = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
        crashed = next(line for line in lines[1:] if line["source"].endswith("crash.txt"))
        assert crashed["error"] == words and crashed["score"] is None
        assert crashed["error_detail"].startswith("TypeError: unsupported operand")  # JSON keeps what went wrong
    assert unchecked("checker_failed", "zh") in _notice_text(batches["notice"])
    # a manifest row nobody delivered says so in the run's language
    assert _row_of(batches["en"], "gone.pdf")["Why it could not be checked"] == "file not found"


def test_the_waivers_applied_are_listed_in_every_output(batches: dict[str, Path]) -> None:
    out = batches["zh"]
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    litong = next(line for line in lines[1:] if line["source"].endswith(LITONG))
    assert [r["status"] for r in litong["results"] if r["rule"] == "META-005"] == ["waived"]
    index = (out / "index.html").read_text(encoding="utf-8")
    waivers = re.search(r'<section class="waivers"><h2>适用的豁免</h2>.*?</section>', index)
    assert waivers and WAIVER_REASON in waivers.group(0) and "市政务公开办" in waivers.group(0)
    holder = re.search(rf'<script type="text/x-report" id="holder-{litong["id"]}">(.*?)</script>', index, re.S)
    page = (out / "reports" / f"{litong['id']}.html").read_text(encoding="utf-8")
    for drill_down in (holder.group(1), page):
        section = re.search(r'<section class="waivers"><h3>已豁免</h3>.*?</section>', drill_down)
        assert section, drill_down[:200]
        assert "META-005" in section.group(0) and WAIVER_REASON in section.group(0) and "适用的豁免" in section.group(0)
    yumin = next(line for line in lines[1:] if line["source"].endswith(YUMIN))
    assert '<section class="waivers">' not in (out / "reports" / f"{yumin['id']}.html").read_text(encoding="utf-8")
    book = load_workbook(out / "summary.xlsx", read_only=True)
    summary = list(book["汇总"].iter_rows(values_only=True))
    column = summary[0].index("豁免")
    assert [r[column] for r in summary[1:] if r[1].endswith(LITONG)] == ["META-005"]
    assert {r[column] for r in summary[1:] if not r[1].endswith(LITONG)} == {None}
    sheet = list(book["豁免"].iter_rows(values_only=True))
    assert sheet[0] == ("机关", "年度", "文件", "豁免", "理由", "批准", "有效至", "出处")
    assert sheet[1][:6] == ("利通区", 2024, f"seeds/{LITONG}", "META-005", WAIVER_REASON, "市政务公开办")
    assert sheet[1][6] == "2099-12-31" and sheet[1][7].endswith("waivers.toml:2")
    findings = list(book["问题明细"].iter_rows(values_only=True))
    assert any(r[3] == "META-005" and r[6] == "已豁免" for r in findings)
    notice = _notice_text(batches["notice"])
    method = notice[notice.index("五、检查方法"):]
    assert WAIVER_REASON in method and "市政务公开办" in method and "涉及1份报告" in method
