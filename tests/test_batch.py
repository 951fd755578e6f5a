"""`xxgk batch` end to end over the seeds and synthetic copies (tests/batch_support.py): the
outputs, the cross-year and copy findings, the manifest, unreadable files, determinism."""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openpyxl import load_workbook

from batch_support import INJECTION, BatchFolder, build_batch_folder
from checker import jsonout
from checker.batch.resultsfile import read_results
from checker.cli import main
from checker.render.summary import RULE_HEADERS, SUMMARY_HEADERS
from checker.resources import schema

OUTPUTS = ("results.jsonl", "summary.csv", "summary.xlsx", "rules.csv", "index.html", "reports")
EPOCH = "1767225600"  # 2026-01-01: outputs are byte-identical run to run with SOURCE_DATE_EPOCH


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> BatchFolder:
    return build_batch_folder(tmp_path_factory.mktemp("batch"))


@pytest.fixture(scope="module")
def out(folder: BatchFolder) -> Path:
    target = folder.root.parent / "out"
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        code = main(["batch", str(folder.root), "--manifest", str(folder.manifest), "--out", str(target),
                     "--jobs", "2", "--quiet"])
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    assert code == 0
    return target


def full_reports(out: Path) -> list[dict[str, Any]]:
    """results.jsonl's lines as the full objects of `xxgk check --format json`."""
    header, reports = read_results(out / "results.jsonl")
    assert header is not None
    return [json.loads(jsonout.dumps(r, indent=None)) for r in reports]


@pytest.fixture(scope="module")
def reports(out: Path) -> dict[str, dict[str, Any]]:
    return {Path(r["source"]).name: r for r in full_reports(out)}


def rule(report: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in report["results"] if r["rule"] == rule_id)


def expected_files(folder: BatchFolder) -> set[str]:
    files = {p.name for p in folder.root.rglob("*") if p.suffix in (".txt", ".pdf", ".docx")}
    return files | {Path(folder.missing).name}


def test_every_output_is_written(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)  # no scratch file left behind


def test_results_jsonl_has_one_valid_object_per_report(out: Path, folder: BatchFolder) -> None:
    objects = full_reports(out)
    assert {Path(o["source"]).name for o in objects} == expected_files(folder)
    assert len(objects) == len(expected_files(folder))
    jsonschema.validate({"version": 1, "reports": objects}, schema("results.schema.json"))
    # paths relative to the batch root; ids stable and unique
    assert all(not o["source"].startswith("/") for o in objects)
    assert len({o["id"] for o in objects}) == len(objects)


def test_results_jsonl_repeats_no_rule_text(out: Path) -> None:
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["kind"] == "xxgk-batch-results" and header["provenance"]["pack_hash"]
    basis = header["rules"]["TB-010"]["basis"]
    assert basis and sum(line.count(basis) for line in lines[1:]) == 0  # the basis is in the header only
    full = sum(len(json.dumps(r, ensure_ascii=False)) for r in full_reports(out))
    assert sum(len(line) for line in lines[1:]) < full * 0.6


def test_results_are_the_objects_of_xxgk_check(reports: dict[str, dict[str, Any]], folder: BatchFolder,
                                               capsys) -> None:
    line = dict(reports["001_816126611a69aadc.txt"])  # compared with nothing in the batch: no agency found
    main(["check", str(folder.root / line["source"]), "--format", "json"])
    checked = json.loads(capsys.readouterr().out)["reports"][0]
    for key in ("id", "region", "input"):
        line.pop(key)
    assert line["source"] == "seeds/001_816126611a69aadc.txt"
    line["source"] = checked["source"]
    assert line == checked


def test_unreadable_and_missing_files_are_error_rows(reports: dict[str, dict[str, Any]]) -> None:
    assert "PDF" in reports["scan.pdf"]["error"]
    assert reports["empty.docx"]["error"]
    assert reports["gongan-2024.pdf"]["error"] == "未找到文件"
    for name in ("scan.pdf", "empty.docx", "gongan-2024.pdf"):
        assert reports[name]["results"] == [] and reports[name]["score"] is None
    # a missing file keeps what the manifest says of it (issue 10)
    missing = reports["gongan-2024.pdf"]["meta"]
    assert missing["agency"] == "某县公安局" and missing["year"] == 2024 and missing["agency_kind"] == "department"
    assert missing["sources"]["agency"] == "manifest"


def test_cross_year_rules_run_against_last_years_report(reports: dict[str, dict[str, Any]],
                                                        folder: BatchFolder) -> None:
    this_year = reports[folder.litong_2024.name]
    tb013 = rule(this_year, "TB-013")
    assert tb013["status"] == "fail" and "上年度报告结转下年度 3" in tb013["message"]
    assert rule(this_year, "TA-007")["status"] == "fail"
    for rule_id in ("DUP-001", "DUP-002", "DUP-003"):
        dup = rule(this_year, rule_id)
        assert dup["status"] == "fail", rule_id
        assert dup["params"]["similarity"] == "100.0%" and dup["params"]["peer"] == "利通区"
        passage = dup["evidence"][0]
        assert passage["kind"] == "quote" and len(passage["text"]) > 100
        assert "政务公开工作" in passage["text"]
    last_year = reports[folder.litong_2023.name]
    assert rule(last_year, "DUP-001")["status"] == "not_applicable"  # 2022 is not in the batch
    assert rule(reports[folder.yumin.name], "TB-013")["status"] == "not_applicable"


def test_copy_under_another_agencys_name_is_found(reports: dict[str, dict[str, Any]], folder: BatchFolder) -> None:
    copy = rule(reports[folder.copy.name], "DUP-004")
    assert copy["status"] == "fail"
    assert copy["params"]["peer"] == "汾阳市"
    assert "「汾阳市」作为报告主体" in copy["message"]
    assert any(e["kind"] == "quote" and len(e["text"]) > 100 for e in copy["evidence"])  # the shared passage
    original = rule(reports[folder.fenyang.name], "DUP-004")
    assert original["status"] == "fail" and original["params"]["peer"] == "孝义市"
    # reports that nobody copied are compared with nobody
    assert rule(reports[folder.xiuwu.name], "DUP-004")["status"] == "not_applicable"


def test_manifest_dates_decide_timeliness(reports: dict[str, dict[str, Any]], folder: BatchFolder) -> None:
    government = reports[folder.yumin.name]
    assert government["meta"]["published"] == "2025-04-15"
    time002 = rule(government, "TIME-002")
    assert time002["status"] == "fail" and "2025年4月15日" in time002["message"]
    assert any("批量清单" in e["text"] for e in time002["evidence"])
    department = reports[folder.xiuwu.name]
    assert department["meta"]["agency_kind"] == "department"
    assert rule(department, "TIME-001")["status"] == "fail"
    # without the manifest the same report is on time
    assert rule(reports[folder.fenyang.name], "TIME-002")["status"] == "pass"


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(raw.decode("utf-8-sig").splitlines()))


def test_summary_csv(out: Path, folder: BatchFolder) -> None:
    rows = read_csv(out / "summary.csv")
    assert tuple(rows[0]) == SUMMARY_HEADERS
    body = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert {Path(r["文件"]).name for r in body} == expected_files(folder)
    by_name = {Path(r["文件"]).name: r for r in body}
    assert by_name["gongan-2024.pdf"]["无法检查的原因"] == "未找到文件"
    assert by_name["gongan-2024.pdf"]["排名"] == "" and by_name["gongan-2024.pdf"]["得分"] == ""
    litong = by_name[folder.litong_2024.name]
    assert litong["机关"] == "利通区" and litong["类型"] == "人民政府" and litong["年度"] == "2024"
    assert litong["等级"] in ("优秀", "良好", "合格", "不合格") and litong["覆盖率"].endswith("%")
    assert "TB-013" in litong["不通过的规则"].split()
    assert by_name[folder.yumin.name]["发布日期"] == "2025-04-15"
    for year in {r["年度"] for r in body}:  # each year ranked on its own
        scores = [float(r["得分"]) for r in body if r["得分"] and r["年度"] == year]
        assert scores == sorted(scores, reverse=True), "ranking order"
        ranks = [int(r["排名"]) for r in body if r["排名"] and r["年度"] == year]
        assert not ranks or (ranks[0] == 1 and ranks == sorted(ranks))
    years = [r["年度"] for r in body]
    assert years.index("2023") > max(i for i, y in enumerate(years) if y == "2024"), "latest year first"
    # the hostile agency name stays text, guarded against spreadsheet formulas only where needed
    assert any(INJECTION in r["机关"] for r in body)


def test_summary_xlsx(out: Path, folder: BatchFolder) -> None:
    book = load_workbook(out / "summary.xlsx")
    assert book.sheetnames == ["汇总", "问题明细", "规则统计"]
    sheet = book["汇总"]
    headers = [c.value for c in sheet[1]]
    assert tuple(headers) == SUMMARY_HEADERS + ("检查详情",)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:S{sheet.max_row}"
    assert sheet.max_row - 1 == len(expected_files(folder))
    rows = [dict(zip(headers, (c.value for c in r))) for r in sheet.iter_rows(min_row=2)]
    by_name = {Path(r["文件"]).name: r for r in rows}
    assert by_name["scan.pdf"]["无法检查的原因"].startswith("not a PDF")
    litong = by_name[folder.litong_2024.name]
    assert isinstance(litong["得分"], (int, float)) and litong["等级"] in ("优秀", "良好", "合格", "不合格")
    assert 0 < litong["覆盖率"] <= 1
    assert by_name[folder.yumin.name]["发布日期"].date().isoformat() == "2025-04-15"
    rules = [r for r in sheet.conditional_formatting]
    formulas = {f for cf in rules for rule in cf.rules for f in rule.formula}
    assert {'$I2="优秀"', '$I2="不合格"', "LEN($R2)>0"} <= formulas
    assert 10 <= sheet.column_dimensions["B"].width <= 60  # sized to the file names, within reason
    assert sheet.column_dimensions["A"].width < sheet.column_dimensions["B"].width
    # each row links to its report's page, relative to the workbook
    link = sheet.cell(row=2, column=len(headers)).hyperlink
    assert link is not None and link.target.startswith("reports/") and (out / link.target).is_file()
    # printed landscape, one page wide, the header row on every page
    for name in book.sheetnames:
        ws = book[name]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"


def test_workbook_lists_every_finding_with_its_evidence(out: Path, reports: dict[str, dict[str, Any]],
                                                        folder: BatchFolder) -> None:
    book = load_workbook(out / "summary.xlsx", read_only=True)
    sheet = book["问题明细"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("机关", "年度", "文件", "规则", "标题", "严重程度", "状态", "说明", "证据", "位置")
    expected = sum(1 for r in reports.values() for x in r["results"] if x["status"] not in ("pass", "not_applicable"))
    assert len(rows) - 1 == expected
    tb013 = [r for r in rows[1:] if r[3] == "TB-013" and r[2] == f"seeds/{folder.litong_2024.name}"]
    assert tb013 and tb013[0][0] == "利通区" and tb013[0][1] == 2024 and tb013[0][6] == "不通过"
    assert any(r[8] and r[9] for r in rows[1:] if r[6] == "不通过"), "evidence text and its location"
    stats = list(book["规则统计"].iter_rows(values_only=True))
    assert stats[0] == RULE_HEADERS and {r[0] for r in stats[1:]} >= {"TB-010", "DUP-004"}


def test_rules_csv_counts_every_checked_report(out: Path, folder: BatchFolder) -> None:
    rows = read_csv(out / "rules.csv")
    assert tuple(rows[0]) == RULE_HEADERS
    body = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    checked = len(expected_files(folder)) - 3  # three files could not be read
    for rule_id, row in body.items():
        total = sum(int(row[h]) for h in ("通过", "不通过", "无法评估", "不适用", "规则出错", "已豁免"))
        assert total == checked, rule_id
    # 孝义市 and 汾阳市, and the hostile copy of 裕民县 and 裕民县
    assert body["DUP-004"]["不通过"] == "4" and body["DUP-004"]["严重程度"] == "高"
    assert body["TB-013"]["不通过"] == "1" and body["TB-013"]["标题"]


def test_index_is_self_contained_and_escapes_report_text(out: Path) -> None:
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<svg" in page and 'id="ranking"' in page and 'id="year"' in page
    for external in ("http://", "https://", 'src="', "<link", "@import"):
        assert external not in page.replace('xmlns="http://www.w3.org/2000/svg"', ""), external
    assert "<script>alert(1)" not in page and "&lt;/script&gt;&lt;script&gt;alert(1)" in page
    assert "\\u003c/script>\\u003cscript>alert(1)" in page  # in the data: text, no '<' to end its script
    # the only script elements are the page's own, its data and the inert report holders
    assert page.count("<script") == page.count('<script type="text/x-report"') + 2
    assert page.count("</script>") == page.count("<script")
    assert 'class="provenance"' in page and "规则包哈希" in page and "评分方案" in page
    assert '"Noto Sans CJK SC"' in page and "@media print" in page and "max-width:700px" in page


def test_each_report_has_a_page_under_reports(out: Path, reports: dict[str, dict[str, Any]]) -> None:
    pages = out / "reports"
    assert (pages / "style.css").is_file()
    for report in reports.values():
        page = (pages / f"{report['id']}.html").read_text(encoding="utf-8")
        assert f'href="../index.html#report-{report["id"]}"' in page and '<link rel="stylesheet" href="style.css">' in page
        assert "<script" not in page and "http" not in page


def test_same_input_same_bytes_whatever_the_number_of_workers(folder: BatchFolder, out: Path,
                                                              tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = tmp_path / "again"
    assert main(["batch", str(folder.root), "--manifest", str(folder.manifest), "--out", str(again),
                 "--jobs", "1", "--quiet"]) == 0
    for name in OUTPUTS:
        if name == "reports":
            assert sorted(p.name for p in (again / name).iterdir()) == sorted(p.name for p in (out / name).iterdir())
            for page in (out / name).iterdir():
                assert (again / name / page.name).read_bytes() == page.read_bytes(), page.name
            continue
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_output_folder_inside_the_scanned_folder_is_not_scanned(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    seed = Path(__file__).resolve().parent / "fixtures" / "seeds" / "003_855a3ef0bc8273b0.txt"
    (reports / seed.name).write_bytes(seed.read_bytes())
    for _ in range(2):
        assert main(["batch", str(reports), "--out", str(reports / "out"), "--jobs", "1", "--quiet"]) == 0
    assert len((reports / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()) == 2  # header + 1


def test_municipal_profile_deducts_two_points_for_a_missing_report(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    seed = Path(__file__).resolve().parent / "fixtures" / "seeds" / "003_855a3ef0bc8273b0.txt"
    manifest.write_text(f"file,agency,kind,year,published\n{seed},,,,2025-01-20\nnowhere.pdf,某局,department,2024,\n",
                        encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", "--manifest", str(manifest), "--out", str(out), "--profile", "municipal-2pt",
                 "--jobs", "1", "--quiet"]) == 0
    table = read_csv(out / "summary.csv")
    rows = {Path(r[1]).name: dict(zip(table[0], r)) for r in table[1:]}
    assert rows["nowhere.pdf"]["得分"] == "0" and rows["nowhere.pdf"]["无法检查的原因"] == "未找到文件"
    assert rows["nowhere.pdf"]["机关"] == "某局" and rows["nowhere.pdf"]["年度"] == "2024"
    assert rows[seed.name]["得分"] == "2"


@pytest.mark.parametrize("argv,message", [
    (["batch", "no/such/folder", "--out", "x"], "no such file or folder"),
    (["batch", "--out", "x"], "give folders or files"),
])
def test_usage_errors_exit_2(argv: list[str], message: str, capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_bad_profile_stops_before_any_work(tmp_path: Path, capsys) -> None:
    seeds = Path(__file__).resolve().parent / "fixtures" / "seeds"
    assert main(["batch", str(seeds), "--out", str(tmp_path / "out"), "--profile", "nope", "--quiet"]) == 2
    assert "unknown profile" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_beyond_the_inline_limit_the_index_links_each_report_to_its_page(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.batch.run as run

    seeds = sorted((Path(__file__).parent / "fixtures" / "seeds").glob("*.txt"))
    monkeypatch.setattr(run, "INLINE_REPORTS", len(seeds) - 1)
    target = tmp_path / "out"
    assert main(["batch", *map(str, seeds), "--out", str(target), "--jobs", "1", "--quiet"]) == 0
    page = (target / "index.html").read_text(encoding="utf-8")
    assert 'type="text/x-report"' not in page
    lines = (target / "results.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    ids = [json.loads(line)["id"] for line in lines]
    assert len(ids) == len(seeds) and all((target / "reports" / f"{i}.html").is_file() for i in ids)
    assert all(f'"{i}"' in page for i in ids)  # each in the ranking's data, opened from reports/<id>.html
