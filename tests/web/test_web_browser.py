"""The workspace in a real browser: headless Chromium (Debian's, installed by .ci/run) driven
over the DevTools protocol with real mouse clicks and typing, against the app served by uvicorn
on 127.0.0.1. One server and one browser for the whole walk: upload the shared reports as a
.zip, watch the check finish, open a report, dismiss a finding with a note, see the score
change, and download the workbook and the notice.

Skipped when no Chromium is installed. The DevTools client is the one the batch page's browser
test uses (tests/test_index_browser.py)."""
from __future__ import annotations

import json
import socket
import threading
import time
import zipfile
from urllib.parse import quote
from pathlib import Path
from typing import Any, Iterator

import pytest

from test_index_browser import BROWSER, TIMEOUT, Page
from test_index_browser import browser as chromium
from web_support import shared_reports

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (apt-get install chromium)")
CHECKING_TIMEOUT = 180


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, compiled: Any) -> Iterator[str]:
    import uvicorn

    from checker.web.app import create_app

    app = create_app(tmp_path_factory.mktemp("served") / "x.sqlite", compiled=compiled,
                     hosts=("127.0.0.1", "localhost"))
    port = _free_port()
    served = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + TIMEOUT
    while not served.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        served.should_exit = True
        thread.join(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def browser(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Page, Path]]:
    downloads = tmp_path_factory.mktemp("downloads")
    # opened at the ranking: the batch page's helper waits for a table #ranking, which it has too
    with chromium(server + "/ranking", tmp_path_factory.mktemp("chromium-profile")) as page:
        page.call("DOM.enable")
        page.call("Page.setDownloadBehavior", behavior="allow", downloadPath=str(downloads))
        yield page, downloads


def _go(page: Page, url: str) -> None:
    page.call("Page.navigate", url=url)
    _loaded(page, url.split("#")[0])


def _loaded(page: Page, prefix: str = "") -> None:
    page.wait_for(f"document.readyState === 'complete' && location.href.startsWith({json.dumps(prefix)})")


def _type(page: Page, selector: str, text: str) -> None:
    page.click(selector)
    page.call("Input.insertText", text=text)


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
    # checking takes seconds, more on a busy machine: wait longer than for a page to load
    deadline = time.monotonic() + CHECKING_TIMEOUT
    while not page.js("!document.querySelector('.run-done').hidden"):
        assert time.monotonic() < deadline, "the check did not finish"
        time.sleep(0.1)
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

    # the ranking shows the new score; export the current filter
    _go(page, server + "/ranking?q=" + quote("裕民"))
    assert page.js("document.querySelector('#ranking td.score a').textContent") == after
    page.click("#export-xlsx")
    page.click("#export-notice")
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        done = [p for p in downloads.iterdir() if p.suffix in (".xlsx", ".docx")]
        if len(done) == 2:
            break
        time.sleep(0.05)
    names = sorted(p.suffix for p in downloads.iterdir())
    assert names == [".docx", ".xlsx"], names
    for path in downloads.iterdir():
        assert zipfile.is_zipfile(path)
    assert not [e for e in page.events if e.get("method") == "Page.javascriptDialogOpening"]
