"""Every route of the workspace over HTTP (Starlette's TestClient): the pages over a populated
database, the filters and sorting of the ranking done by the server, review decisions that
change the score everywhere, exports of the current filter, and the guards (CSRF on every
form, the token off the loopback, hostile report text escaped in every page)."""
from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from markupsafe import escape
from openpyxl import load_workbook

from checker import limits
from checker.store import queries
from web_support import (FENYANG, FORMULA, FORMULA_AGENCY, HOSTILE_AGENCY, LITONG, ONERROR, SCRIPT, YUMIN, archive,
                         seed)

POSTS = ("/import", "/recheck", "/reports/1/review", "/agencies/1/place")


def rows(client: Any, **params: Any) -> list[dict]:
    response = client.get("/ranking", params={"format": "json", **params})
    assert response.status_code == 200
    return response.json()["rows"]


def report_id(client: Any, agency: str, year: int = 2024) -> int:
    found = [r for r in rows(client, year=year, per_page=200) if r["agency"] == agency]
    assert found, agency
    return found[0]["id"]


# --------------------------------------------------------------------------- every page


def test_every_page_answers(populated: Any) -> None:
    litong = report_id(populated, "利通区")
    agency = rows(populated, q="利通区")[0]["agency_id"]
    for url in ("/", "/?year=2023", "/?format=json", "/ranking", "/ranking?format=json", f"/reports/{litong}",
                f"/reports/{litong}/file", f"/agencies/{agency}", "/rules", "/rules/TB-010", "/rules/META-005?year=2024",
                "/reviews", "/import", "/runs/1", "/runs/1/status", "/export/summary.xlsx", "/export/notice.docx",
                "/static/app.js", "/static/app.css"):
        response = populated.get(url)
        assert response.status_code == 200, url
    for url in ("/reports/99999", "/reports/99999/file", "/agencies/99999", "/rules/NOPE-999", "/runs/99999"):
        assert populated.get(url).status_code == 404, url
    assert populated.get("/ranking?year=twenty").status_code == 400
    assert populated.get("/ranking?page=x").status_code == 400


def test_the_dashboard_shows_grades_distribution_failed_rules_and_comparisons(populated: Any) -> None:
    page = populated.get("/?year=2024").text
    assert "得分分布" in page and "<svg" in page
    data = populated.get("/?year=2024&format=json").json()
    assert data["reports"] == len(rows(populated, year=2024, per_page=200))
    top_rule, count = data["failed_rules"][0]
    title = populated.workspace.titles[top_rule]
    assert title in page and f"{count} 份" in page
    assert ">宁夏</a>" in page and ">新疆</a>" in page  # by region (from the manifest), top level first
    deeper = populated.get("/", params={"year": 2024, "region": "宁夏"}).text
    assert ">宁夏/吴忠市</a>" in deeper and ">新疆" not in deeper
    assert "人民政府" in page and "政府部门" in page  # by kind
    assert sum(data["grades"].values()) + data["ungraded"] == data["reports"]


def test_the_ranking_sorts_filters_and_pages_on_the_server(populated: Any) -> None:
    every = rows(populated, year=2024, per_page=200)
    scores = [r["score"] for r in every if r["score"] is not None]
    assert scores == sorted(scores, reverse=True)
    ascending = [r["score"] for r in rows(populated, year=2024, sort="score", dir="asc", per_page=200)]
    assert ascending[:len(scores)] == sorted(scores)
    names = [r["agency"] for r in rows(populated, year=2024, sort="agency", dir="asc", per_page=200) if r["agency"]]
    assert names == sorted(names)

    first = populated.get("/ranking", params={"format": "json", "year": 2024, "per_page": 2}).json()
    second = populated.get("/ranking", params={"format": "json", "year": 2024, "per_page": 2, "page": 2}).json()
    assert first["total"] == len(every) and first["pages"] == -(-len(every) // 2)
    assert [r["id"] for r in first["rows"] + second["rows"]] == [r["id"] for r in every[:4]]

    assert {r["agency"] for r in rows(populated, year=2024, region="宁夏")} == {"利通区"}
    assert {r["agency"] for r in rows(populated, year=2023)} == {"利通区", "平潭综合实验区"}
    assert all(r["kind"] == "department" for r in rows(populated, year=2024, kind="department"))
    grade = every[0]["grade"]
    assert all(r["grade"] == grade for r in rows(populated, year=2024, grade=grade))
    assert {r["agency"] for r in rows(populated, year=2024, q="裕民")} == {"裕民县"}
    rule = populated.get("/?year=2024&format=json").json()["failed_rules"][0][0]
    failing = rows(populated, year=2024, rule=rule, per_page=200)
    store = populated.workspace.store
    assert failing and all(queries.stored_result(store, r["id"]).result(rule).status == "fail" for r in failing)
    assert len(failing) < len(every)
    page = populated.get("/ranking", params={"year": 2024, "region": "宁夏", "sort": "agency", "dir": "asc"}).text
    body = page.split("<tbody>", 1)[1]
    assert "利通区" in body and "裕民县" not in body
    assert 'href="/export/summary.xlsx?year=2024&amp;region=' in page  # exports follow the filter


def test_the_report_page_shows_scorecard_findings_tables_and_source(populated: Any) -> None:
    yumin = report_id(populated, "裕民县")
    page = populated.get(f"/reports/{yumin}").text
    result = queries.stored_result(populated.workspace.store, yumin)
    for failed in (r for r in result.results if r.status == "fail"):
        assert f'id="finding-{failed.rule}"' in page and failed.title in page
    assert "TIME-002" in page and "（来源：清单）" in page  # the manifest's publication date
    assert 'class="format-grid"' in page and "failing" in page  # cells the failures quote, highlighted
    assert 'href="/reports/%d/file"' % yumin in page
    source = populated.get(f"/reports/{yumin}/file")
    assert source.content == seed(YUMIN)
    assert "sandbox" in source.headers["content-security-policy"]


def test_the_agency_page_shows_its_history_and_flags_changes(populated: Any) -> None:
    agency = rows(populated, q="利通区")[0]["agency_id"]
    page = populated.get(f"/agencies/{agency}").text
    assert "2023" in page and "2024" in page and "新收申请" in page
    assert "较上年 10 → 38" in page  # 新收申请 grew from 10 to 38
    assert "宁夏/吴忠市/利通区" in page and "吴忠市人民政府" in page  # from the manifest


def test_the_rule_page_shows_title_basis_failures_and_examples(populated: Any) -> None:
    rule = populated.get("/?year=2024&format=json").json()["failed_rules"][0][0]
    found = populated.workspace.pack.get(rule)
    page = populated.get(f"/rules/{rule}?year=2024").text
    assert found.title in page and found.basis in page and "示例" in page
    assert "不通过的报告" in page and "/reports/" in page


def test_exports_are_the_current_filter(populated: Any) -> None:
    response = populated.get("/export/summary.xlsx", params={"year": 2024, "region": "宁夏"})
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    agencies = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert agencies == ["利通区"]
    notice = populated.get("/export/notice.docx", params={"year": 2024})
    with zipfile.ZipFile(io.BytesIO(notice.content)) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "通报" in body and "二、总体情况" in body and "三、存在的共性问题" in body and "裕民县" in body


def test_the_exported_workbook_links_each_report_to_its_page_in_the_app(populated: Any, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the export is written, apart
    response = populated.get("/export/summary.xlsx", params={"year": 2024})
    assert int(response.headers["content-length"]) == len(response.content)  # sent from its file
    sheet = load_workbook(io.BytesIO(response.content))["汇总"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    linked = [(row[header.index("文件")].value, row[-1].hyperlink.target) for row in sheet.iter_rows(min_row=2)]
    assert len(linked) == len(rows(populated, year=2024, per_page=200))
    for file, target in linked:
        assert target.startswith("http://testserver/reports/"), target
        page = populated.get(target)
        assert page.status_code == 200 and str(escape(file)) in page.text
    assert not list(tmp_path.iterdir())  # the export's folder removed once it was sent


# --------------------------------------------------------------------------- hostile report text


def test_hostile_report_text_is_escaped_everywhere(populated: Any) -> None:
    every = rows(populated, year=2024, per_page=200)
    hostile = next(r for r in every if r["agency"] == HOSTILE_AGENCY)
    page = next(r for r in every if "onerror" in r["file"])
    pages = ["/", "/?year=2024", "/ranking?year=2024", f"/reports/{hostile['id']}", f"/agencies/{hostile['agency_id']}",
             f"/reports/{page['id']}", "/rules/TB-005?year=2024", "/rules/META-001?year=2024", "/reviews"]
    for url in pages:
        text = populated.get(url).text
        assert SCRIPT not in text and ONERROR not in text and "<img" not in text, url
    assert "&lt;script&gt;alert(" in populated.get(f"/reports/{hostile['id']}").text
    report_page = populated.get(f"/reports/{page['id']}").text
    assert "&lt;img src=x onerror=" in report_page
    assert "=HYPERLINK(&#34;" in report_page  # the cell's raw text, shown in the grid and the evidence


def test_formula_like_text_stays_text_in_the_exports(populated: Any) -> None:
    workbook = load_workbook(io.BytesIO(populated.get("/export/summary.xlsx?year=2024").content))
    cells = [c for row in workbook.active.iter_rows(min_row=2) for c in row if c.value == FORMULA_AGENCY]
    assert cells and all(c.data_type == "s" for c in cells)
    notice = populated.get("/export/notice.docx?year=2024").content
    with zipfile.ZipFile(io.BytesIO(notice)) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert FORMULA_AGENCY in body and "<w:fldSimple" not in body and "<script>" not in body
    assert FORMULA.startswith("=")


# --------------------------------------------------------------------------- review


def test_dismissing_a_finding_waives_it_and_the_score_follows_everywhere(make_client: Callable[..., Any]) -> None:
    client = make_client()
    client.upload([(YUMIN, seed(YUMIN))])
    report = rows(client)[0]
    result = queries.stored_result(client.workspace.store, report["id"])
    failed = max((r for r in result.results if r.status == "fail"), key=lambda r: r.points)
    response = client.post_form(f"/reports/{report['id']}/review",
                                {"rule": failed.rule, "decision": "dismissed", "note": "表格以图片发布，已人工核对",
                                 "reviewer": "王五"})
    assert response.status_code == 303 and response.headers["location"].endswith(f"#finding-{failed.rule}")
    after = rows(client)[0]
    assert report["score"] < after["score"] <= report["score"] + failed.points and after["waived"] == 1
    page = client.get(f"/reports/{report['id']}").text
    assert "已豁免，不扣分" in page and "表格以图片发布，已人工核对" in page and "王五" in page
    assert 'value="王五"' in page  # the reviewer is remembered for the next decision
    dashboard = client.get("/?format=json").json()
    assert dashboard["waived"] == 1
    workbook = load_workbook(io.BytesIO(client.get("/export/summary.xlsx").content))
    summary = list(workbook["汇总"].iter_rows(values_only=True))
    assert summary[1][summary[0].index("得分")] == after["score"]
    details = [row for sheet in workbook.worksheets if sheet.title.startswith("问题明细")
               for row in sheet.iter_rows(values_only=True)]
    assert any(failed.rule in row and any("waived" == c or "已豁免" == c for c in row) for row in details), details
    assert failed.rule not in [r for r, _ in dashboard["failed_rules"]]
    # taken back: the finding deducts again
    client.post_form(f"/reports/{report['id']}/review", {"rule": failed.rule, "decision": "open", "reviewer": "王五"})
    assert rows(client)[0]["score"] == report["score"]


def test_bad_review_decisions_are_refused(make_client: Callable[..., Any]) -> None:
    client = make_client()
    client.upload([(YUMIN, seed(YUMIN))])
    report = rows(client)[0]["id"]
    failed = next(r.rule for r in queries.stored_result(client.workspace.store, report).results if r.status == "fail")
    no_note = client.post_form(f"/reports/{report}/review", {"rule": failed, "decision": "dismissed", "reviewer": "甲"})
    assert no_note.status_code == 400 and "理由" in no_note.text
    assert client.post_form(f"/reports/{report}/review",
                            {"rule": "STR-001", "decision": "confirmed", "reviewer": "甲"}).status_code == 400
    assert client.post_form(f"/reports/{report}/review",
                            {"rule": failed, "decision": "approve", "reviewer": "甲"}).status_code == 400
    assert client.post_form("/reports/999/review",
                            {"rule": failed, "decision": "confirmed", "reviewer": "甲"}).status_code == 404


def test_a_recheck_keeps_the_reviews_of_unchanged_findings(make_client: Callable[..., Any]) -> None:
    client = make_client()
    client.upload([(YUMIN, seed(YUMIN))])
    report = rows(client)[0]
    failed = next(r.rule for r in queries.stored_result(client.workspace.store, report["id"]).results
                  if r.status == "fail")
    client.post_form(f"/reports/{report['id']}/review",
                     {"rule": failed, "decision": "waived", "note": "经批准", "reviewer": "甲"})
    waived_score = rows(client)[0]["score"]
    response = client.post_form("/recheck", {})
    assert response.status_code == 303
    assert client.workspace.checker.wait(int(response.headers["location"].rsplit("/", 1)[1]), 120)
    view = queries.report(client.workspace.store, report["id"])
    assert view.reviews[failed].stale is None and view.effective[failed] == "waived"
    assert rows(client)[0]["score"] == waived_score and len(view.history) == 2


# --------------------------------------------------------------------------- agencies and imports


def test_an_agency_can_be_placed_in_a_region_and_under_a_superior(make_client: Callable[..., Any]) -> None:
    client = make_client()
    client.upload([(YUMIN, seed(YUMIN))])
    agency = rows(client)[0]["agency_id"]
    response = client.post_form(f"/agencies/{agency}/place", {"region": "某省/某市", "parent": "某市人民政府"})
    assert response.status_code == 303
    assert [r["agency"] for r in rows(client, region="某省")] == ["裕民县"]
    page = client.get(f"/agencies/{agency}").text
    assert "某省/某市" in page and "某市人民政府" in page


def test_an_upload_without_reports_says_why(make_client: Callable[..., Any]) -> None:
    client = make_client()
    response = client.post("/import", data={"csrf": client.csrf()},
                           files=[("files", ("setup.exe", b"MZ", "application/octet-stream"))])
    assert response.status_code == 400 and "setup.exe" in response.text
    bad_manifest = archive([("a.txt", seed(YUMIN)), ("m.csv", "文件,年度\na.txt,去年\n".encode())])
    response = client.post("/import", data={"csrf": client.csrf()},
                           files=[("files", ("a.zip", bad_manifest, "application/zip"))])
    assert response.status_code == 400 and "清单" in response.text


@pytest.fixture
def set_limits() -> Iterator[Callable[..., None]]:
    yield lambda **changes: limits.set_current(limits.Limits(**changes))
    limits.set_current(None)


def test_an_upload_over_a_limit_is_refused_with_the_limit_named(make_client: Callable[..., Any],
                                                                 set_limits: Callable[..., None]) -> None:
    client = make_client()
    set_limits(upload_mb=1)
    response = client.post("/import", data={"csrf": client.csrf()},
                           files=[("files", ("big.txt", b"x" * (1 << 20), "text/plain"))])
    assert response.status_code == 413 and "XXGK_LIMIT_UPLOAD_MB" in response.text
    set_limits(upload_files=2)
    response = client.post("/import", data={"csrf": client.csrf()},
                           files=[("files", ("a.zip", archive([(f"{i}.txt", seed(YUMIN)) for i in range(3)]),
                                             "application/zip"))])
    assert response.status_code == 413 and "XXGK_LIMIT_UPLOAD_FILES" in response.text
    response = client.post("/import", data={"csrf": client.csrf()},
                           files=[("files", (f"{i}.txt", seed(YUMIN), "text/plain")) for i in range(3)])
    assert response.status_code == 413 and "XXGK_LIMIT_UPLOAD_FILES" in response.text  # parts of the form
    set_limits(file_mb=1)
    big = ("big.pdf", b"%PDF-1.4\n" + os.urandom(1 << 20), "application/pdf")
    response = client.post("/import", data={"csrf": client.csrf()}, files=[("files", big)])
    assert response.status_code == 400 and "big.pdf" in response.text and "XXGK_LIMIT_FILE_MB" in response.text
    run = client.upload([(YUMIN, seed(YUMIN)), big[:2]])  # the others are checked; the run says what was not
    assert "big.pdf" in client.get(f"/runs/{run}").text
    assert client.get(f"/runs/{run}/status").json()["done"] == 1
    assert "单个文件不超过 1 MB" in client.get("/import").text  # the page says the limits in force


def test_refused_entries_are_listed_on_the_run(make_client: Callable[..., Any]) -> None:
    client = make_client()
    run = client.upload([("a.zip", archive([("a.txt", seed(YUMIN)), ("../up.txt", b"x"), ("b.exe", b"MZ")]))])
    page = client.get(f"/runs/{run}").text
    assert "../up.txt" in page and "b.exe" in page and "1/1" in page
    status = client.get(f"/runs/{run}/status").json()
    assert status["state"] == "done" and status["done"] == status["total"] == 1


# --------------------------------------------------------------------------- guards


def test_every_form_is_protected_against_csrf(make_client: Callable[..., Any]) -> None:
    client = make_client()
    client.upload([(YUMIN, seed(YUMIN))])
    for url in POSTS:
        assert client.post(url, data={}).status_code == 403, url
        assert client.post(url, data={"csrf": "forged"}).status_code == 403, url
        foreign = client.post(url, data={"csrf": client.csrf()}, headers={"origin": "http://evil.example"})
        assert foreign.status_code == 403, url
    page = client.get("/reports/1").text
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", page, flags=re.S)
    assert forms and all('name="csrf"' in form for form in forms)


def test_pages_carry_a_strict_content_policy(populated: Any) -> None:
    headers = populated.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in populated.get("/").text  # no inline script: the policy forbids it


def test_a_token_guards_every_route_when_set(make_client: Callable[..., Any]) -> None:
    client = make_client(token="s3cret-token")
    assert client.get("/").status_code == 403
    assert client.get("/static/app.js").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    entry = client.get("/ranking?token=s3cret-token&year=2024", follow_redirects=False)
    assert entry.status_code == 303 and entry.headers["location"] == "/ranking?year=2024"
    assert client.get("/").status_code == 200  # the cookie now carries it
    elsewhere = client.get("http://testserver//evil.example/?token=s3cret-token", follow_redirects=False)
    assert elsewhere.headers["location"] == "/evil.example/"  # never to another site
    client.cookies.clear()
    assert client.get("/", headers={"authorization": "Bearer s3cret-token"}).status_code == 200


def test_only_the_given_host_names_are_answered(make_client: Callable[..., Any]) -> None:
    client = make_client(hosts=["127.0.0.1", "localhost"])
    assert client.get("/").status_code == 400  # the test client's host is "testserver"
    assert client.get("http://127.0.0.1/").status_code == 200


def test_checking_on_a_pool_of_processes_gives_the_same_results(make_client: Callable[..., Any]) -> None:
    files = [(YUMIN, seed(YUMIN)), ("b.txt", seed(LITONG))]
    inline, pooled = make_client(), make_client(jobs=2)
    inline.upload(files)
    run = pooled.upload(files)
    assert pooled.get(f"/runs/{run}/status").json()["done"] == 2
    strip = [{k: v for k, v in r.items() if k != "id"} for r in rows(inline)]
    assert [{k: v for k, v in r.items() if k != "id"} for r in rows(pooled)] == strip


def _waiving(make_client: Callable[..., Any], tmp_path: Any, which: str) -> tuple[Any, Any, Any]:
    """A workspace with 裕民县's report checked, a rule the report fails, and settings whose
    waivers file waives that rule for the reports ``which`` says (a line of TOML)."""
    from checker.batch.worker import Settings
    reference = make_client()
    reference.upload([(YUMIN, seed(YUMIN))])
    result = queries.stored_result(reference.workspace.store, rows(reference)[0]["id"])
    failed = next(r for r in result.results if r.status == "fail")
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(f'[[waiver]]\nrules = ["{failed.rule}"]\n{which}\n'
                       'reason = "已批准"\napproved_by = "市政务公开办"\n', encoding="utf-8")
    return reference, failed, Settings(waivers=str(waivers))


def test_a_waivers_file_of_the_settings_applies_to_uploads(make_client: Callable[..., Any], tmp_path: Any) -> None:
    reference, failed, settings = _waiving(make_client, tmp_path, 'agency = "裕民县"')
    client = make_client(settings=settings)
    client.upload([(YUMIN, seed(YUMIN))])
    report = rows(client)[0]
    assert queries.stored_result(client.workspace.store, report["id"]).result(failed.rule).status == "waived"
    assert rows(reference)[0]["score"] < report["score"] <= rows(reference)[0]["score"] + failed.points


def test_a_waiver_by_file_glob_applies_to_uploaded_reports_by_their_names(make_client: Callable[..., Any],
                                                                          tmp_path: Any) -> None:
    """An uploaded report's name is a path within the upload: a waiver's ``files`` globs match it
    as they match a batch's files under the waivers file's folder."""
    reference, failed, settings = _waiving(make_client, tmp_path, 'files = ["塔城/*/*.txt"]')
    matching, elsewhere = make_client(settings=settings), make_client(settings=settings)
    matching.upload([("reports.zip", archive([(f"塔城/裕民县/{YUMIN}", seed(YUMIN))]))])
    elsewhere.upload([("reports.zip", archive([(f"塔城/{YUMIN}", seed(YUMIN))]))])
    waived = queries.stored_result(matching.workspace.store, rows(matching)[0]["id"])
    assert waived.result(failed.rule).status == "waived" and waived.source == f"塔城/裕民县/{YUMIN}"
    assert queries.stored_result(elsewhere.workspace.store, rows(elsewhere)[0]["id"]).result(failed.rule).status == "fail"
    assert rows(elsewhere)[0]["score"] == rows(reference)[0]["score"] < rows(matching)[0]["score"]


def _copy_of(original: bytes, title: str) -> bytes:
    """A report under another agency's title whose body still speaks as the original."""
    text = original.decode("utf-8")
    first = next(line for line in text.splitlines() if line.strip())  # its title
    agency = first.split(" ")[0]
    return text.replace(first, first.replace(agency, title), 1).replace("我市", agency).encode("utf-8")


def test_copies_across_reports_are_found_in_the_workspace_as_in_a_batch(make_client: Callable[..., Any],
                                                                         tmp_path: Path) -> None:
    """DUP-004 compares an uploaded report with other agencies' reports of its year, whether they
    came in the same upload or in an earlier one, and reaches the batch's verdicts."""
    from checker.batch.resultsfile import read_results
    from checker.cli import main
    fenyang, copy, other = seed(FENYANG), _copy_of(seed(FENYANG), "孝义市"), seed(YUMIN)
    folder = tmp_path / "batch"
    folder.mkdir()
    for name, data in (("fenyang.txt", fenyang), ("xiaoyi.txt", copy), ("yumin.txt", other)):
        (folder / name).write_bytes(data)
    assert main(["batch", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet"]) == 0
    batch = {}
    for report in read_results(tmp_path / "out" / "results.jsonl")[1]:
        found = next(r for r in report["results"] if r["rule"] == "DUP-004")
        batch[report["source"]] = (found["status"], found.get("params", {}).get("peer"))
    assert batch["fenyang.txt"] == ("fail", "孝义市") and batch["xiaoyi.txt"] == ("fail", "汾阳市")
    assert batch["yumin.txt"][0] == "not_applicable"

    together, apart = make_client(), make_client()
    together.upload([("fenyang.txt", fenyang), ("xiaoyi.txt", copy), ("yumin.txt", other)])
    apart.upload([("fenyang.txt", fenyang), ("yumin.txt", other)])
    apart.upload([("xiaoyi.txt", copy)])  # the copy comes later: the original is checked again
    for client in (together, apart):
        workspace = {}
        for row in rows(client, per_page=200):
            result = queries.stored_result(client.workspace.store, row["id"]).result("DUP-004")
            workspace[row["file"]] = (result.status, result.params.get("peer"))
        assert workspace == batch
