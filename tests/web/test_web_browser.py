"""The workspace in a real browser: headless Chromium (Debian's, installed by .ci/run) driven
over the DevTools protocol with real mouse clicks and typing, against the app served by uvicorn
on 127.0.0.1. One server and one browser for the whole walk: upload the shared reports as a
.zip, watch the check finish, open a report, dismiss a finding with a note, see the score
change, and download the workbook and the notice.

Every wait is on a condition the walk needs (a page loaded at an address, an element in a state,
a download reported complete by the browser), never a fixed pause, so a busy machine makes the
walk slower, not wrong. Downloads are taken one after the other: a click on a second link while
the first export is still being written would cancel the first.

Skipped when no Chromium is installed. The DevTools client is the one the batch page's browser
test uses (tests/test_index_browser.py)."""
from __future__ import annotations

import io
import json
import socket
import threading
import time
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from test_index_browser import BROWSER, TIMEOUT, Page
from test_index_browser import browser as chromium
from web_support import shared_reports

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (apt-get install chromium)")
# checking the shared reports takes seconds, more on a busy machine: wait longer than for a page
CHECKING_TIMEOUT = 180


def _until(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    """The first true value of ``condition()``, asked again until ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, compiled: Any) -> Iterator[str]:
    import uvicorn

    from checker.web.app import create_app

    app = create_app(tmp_path_factory.mktemp("served") / "x.sqlite", compiled=compiled,
                     hosts=("127.0.0.1", "localhost"))
    listening = socket.socket()  # bound here and handed over: no other process can take the port meanwhile
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    served = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=served.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    _until(lambda: served.started or not thread.is_alive(), "the server to start")
    assert served.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        served.should_exit = True
        thread.join(timeout=TIMEOUT)
        listening.close()


@pytest.fixture(scope="module")
def browser(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Page, Path]]:
    downloads = tmp_path_factory.mktemp("downloads")
    # opened at the ranking: the batch page's helper waits for a table #ranking, which it has too
    with chromium(server + "/ranking", tmp_path_factory.mktemp("chromium-profile")) as page:
        page.call("DOM.enable")
        # each download saved under its id, and reported by events as it goes
        page.call("Browser.setDownloadBehavior", behavior="allowAndName", downloadPath=str(downloads),
                  eventsEnabled=True)
        yield page, downloads


def _go(page: Page, url: str) -> None:
    page.call("Page.navigate", url=url)
    _loaded(page, url.split("#")[0])


def _loaded(page: Page, prefix: str = "") -> None:
    page.wait_for(f"document.readyState === 'complete' && location.href.startsWith({json.dumps(prefix)})")


def _type(page: Page, selector: str, text: str) -> None:
    page.click(selector)
    page.wait_for(f"document.activeElement === document.querySelector({json.dumps(selector)})")
    page.call("Input.insertText", text=text)


def _event(page: Page, method: str, matches: Callable[[dict[str, Any]], bool], since: int) -> dict[str, Any]:
    """The first event ``method`` after the first ``since`` the page has seen whose parameters
    ``matches``, read from the browser as it comes."""
    deadline = time.monotonic() + TIMEOUT
    seen = since
    while True:
        for event in page.events[seen:]:
            if event.get("method") == method and matches(event.get("params", {})):
                return event["params"]
        seen = len(page.events)
        assert time.monotonic() < deadline, f"timed out waiting for {method}"
        page.events.append(json.loads(page.ws.receive()))


def _download(page: Page, downloads: Path, selector: str) -> tuple[str, bytes]:
    """Click a download link and wait until the browser says the file is complete: its
    suggested name and its bytes."""
    since = len(page.events)
    page.click(selector)
    begun = _event(page, "Browser.downloadWillBegin", lambda p: True, since)
    ended = _event(page, "Browser.downloadProgress",
                   lambda p: p.get("guid") == begun["guid"] and p.get("state") != "inProgress", since)
    assert ended["state"] == "completed", ended
    return begun["suggestedFilename"], (downloads / begun["guid"]).read_bytes()


def test_upload_review_and_export_in_a_real_browser(server: str, browser: tuple[Page, Path], tmp_path: Path) -> None:
    page, downloads = browser
    reports = tmp_path / "reports.zip"
    with zipfile.ZipFile(reports, "w") as zipped:
        for name, data in shared_reports():
            zipped.writestr(name, data)

    # upload the shared reports as a .zip, as a person picks a file and presses the button
    _go(page, server + "/import")
    node = page.call("DOM.querySelector", nodeId=page.call("DOM.getDocument")["root"]["nodeId"],
                     selector="#files")["nodeId"]
    page.call("DOM.setFileInputFiles", nodeId=node, files=[str(reports)])
    page.click("#upload-button")
    _loaded(page, server + "/runs/")
    # progress is shown while the check runs in the background; the page says when it is done
    assert page.js("!!document.querySelector('progress[data-run]')")
    _until(lambda: page.js("!document.querySelector('.run-done').hidden"), "the check to finish", CHECKING_TIMEOUT)
    assert page.js("document.querySelector('.run-state').textContent") == "已完成"
    total = len(shared_reports())
    done, planned = map(int, page.js("document.querySelector('.run-count').textContent").split("/"))
    assert done == planned >= total  # and those checked again with last year's report

    # the ranking, then the report of 裕民县 (found by the ranking's search)
    page.click("#to-ranking")
    _loaded(page, server + "/ranking")
    assert page.js("document.querySelectorAll('#ranking tbody tr[data-report]').length") == total - 1  # 2023 apart
    _go(page, server + "/ranking?q=" + quote("裕民"))
    page.click("#ranking td.score a")
    _loaded(page, server + "/reports/")
    before = page.js("document.getElementById('score').textContent")
    rule = page.js("(() => { const f = Array.from(document.querySelectorAll('details.finding.status-fail'))"
                   ".sort((a, b) => parseFloat(b.querySelector('.points').textContent.slice(1))"
                   " - parseFloat(a.querySelector('.points').textContent.slice(1)))[0];"
                   " return f.dataset.rule; })()")
    points = page.js(f"document.querySelector('#finding-{rule} .points').textContent")
    finding = f"#finding-{rule}"
    _type(page, f"{finding} input[name=reviewer]", "李四")
    _type(page, f"{finding} textarea[name=note]", "人工核对原件，表格齐全，属误报")
    page.click(f"{finding} button[value=dismissed]")
    page.wait_for(f"document.readyState === 'complete' && !!document.querySelector('{finding}.status-waived')")
    after = page.js("document.getElementById('score').textContent")
    # it deducts no more: the score rises by its points, less what a category's cap had absorbed
    assert float(before) < float(after) <= float(before) + float(points.lstrip("−"))
    assert "人工核对原件" in page.js(f"document.querySelector('{finding} .decision').textContent")
    assert page.js("document.getElementById('checked-score').textContent") == before

    # the ranking shows the new score; the exports of the current filter say it too
    _go(page, server + "/ranking?q=" + quote("裕民"))
    assert page.js("document.querySelector('#ranking td.score a').textContent") == after
    name, workbook = _download(page, downloads, "#export-xlsx")
    assert name.endswith("汇总.xlsx")
    summary = list(load_workbook(io.BytesIO(workbook))["汇总"].iter_rows(values_only=True))
    assert [row[summary[0].index("机关")] for row in summary[1:]] == ["裕民县"]
    assert float(summary[1][summary[0].index("得分")]) == float(after)
    name, notice = _download(page, downloads, "#export-notice")
    assert name.endswith("通报.docx")
    with zipfile.ZipFile(io.BytesIO(notice)) as docx:
        assert "裕民县" in docx.read("word/document.xml").decode("utf-8")
    assert not [e for e in page.events if e.get("method") == "Page.javascriptDialogOpening"]
