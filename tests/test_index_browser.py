"""index.html in a real browser: headless Chromium, driven over the DevTools protocol with real
mouse events: sort the ranking by clicking a header, open a report's drill-down by clicking its
row, check what the page then shows, save a screenshot.

Skipped when no Chromium is installed (CI installs Debian's, see .ci/run). Nothing is
downloaded: the DevTools protocol is spoken over a small WebSocket client below."""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any, Optional

from contextlib import contextmanager
from decimal import Decimal
from typing import Iterator

import pytest

from batch_support import INJECTION, build_batch_folder
from checker.cli import main
from checker.engine.scoring import get_profile
from checker.render.index_page import IndexData, index_page
from checker.render.records import RuleTally, SummaryRow, ranked

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER = next((path for path in map(shutil.which, BROWSERS) if path), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (apt-get install chromium); "
                                                        "the browser test of index.html needs one")
TIMEOUT = 30


class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: text frames, client-side masking,
    fragmented and long messages."""

    def __init__(self, url: str) -> None:
        assert url.startswith("ws://")
        host_port, _, path = url[len("ws://"):].partition("/")
        host, _, port = host_port.partition(":")
        self.sock = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
                           ).encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("the browser closed the connection during the handshake")
            response += chunk
        assert response.startswith(b"HTTP/1.1 101"), response[:100]
        self.buffer = response.split(b"\r\n\r\n", 1)[1]

    def send(self, text: str) -> None:
        payload = text.encode()
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(payload))
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _read(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("the browser closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def receive(self) -> str:
        message = b""
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(length)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise ConnectionError("the browser closed the connection")
            if opcode in (0x1, 0x0):
                message += payload
                if first & 0x80:
                    return message.decode()

    def close(self) -> None:
        self.sock.close()


class Page:
    """One page target: commands by id, events kept."""

    def __init__(self, url: str) -> None:
        self.ws = WebSocket(url)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.receive())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def js(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click at the centre of the element, as a person would make it."""
        box = self.js(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView("
                      "{block: 'center'}); const r = e.getBoundingClientRect(); "
                      "return [r.left + r.width / 2, r.top + r.height / 2]; })()")
        x, y = box
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def wait_for(self, expression: str) -> Any:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {expression}")


@pytest.fixture(scope="module")
def index_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = build_batch_folder(tmp_path_factory.mktemp("browser"))
    out = folder.root.parent / "out"
    assert main(["batch", str(folder.root), "--manifest", str(folder.manifest), "--out", str(out),
                 "--jobs", "1", "--quiet"]) == 0
    return out / "index.html"


@contextmanager
def browser(url: str, profile: Path) -> Iterator[Page]:
    process = subprocess.Popen(
        [str(BROWSER), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--remote-debugging-port=0",
         "--remote-debugging-address=127.0.0.1", "--window-size=1400,1000", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    opened: Optional[Page] = None
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("Chromium did not start its DevTools endpoint")
            time.sleep(0.05)
        port = int(port_file.read_text().splitlines()[0])
        while True:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=TIMEOUT) as response:
                targets = [t for t in json.load(response) if t["type"] == "page"]
            if targets or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        opened = Page(targets[0]["webSocketDebuggerUrl"])
        opened.call("Page.enable")
        opened.wait_for("document.readyState === 'complete' && !!document.getElementById('ranking')")
        yield opened
    finally:
        if opened is not None:
            opened.ws.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def page(index_html: Path, tmp_path: Path) -> Iterator[Page]:
    with browser(index_html.as_uri(), tmp_path / "chromium-profile") as opened:
        yield opened


SCORES = "Array.from(document.querySelectorAll('#ranking tbody tr')).map(r => r.cells[6].textContent)"
FILES = "Array.from(document.querySelectorAll('#ranking tbody tr')).map(r => r.cells[2].textContent)"


def row_of(page: Page, file_end: str) -> str:
    """A selector for the ranking row of the file whose name ends so."""
    ident = page.js(f"Array.from(document.querySelectorAll('#ranking tbody tr')).find(r => "
                    f"r.cells[2].textContent.endsWith({json.dumps(file_end)})).dataset.report")
    return f"#ranking tbody tr[data-report='{ident}'] td:nth-child(2)"


def test_sorting_year_selector_and_drill_down_in_a_real_browser(page: Page, tmp_path: Path) -> None:
    assert page.js("document.getElementById('year').value") == "2024", "the latest year first"
    initial = page.js(SCORES)
    numbers = [float(s) for s in initial if s != "—"]
    assert numbers == sorted(numbers, reverse=True), "ranked best first"
    assert initial[-1] == "—", "unreadable reports come last"
    assert not any("litong-2023" in f for f in page.js(FILES)), "another year is never ranked with this one"

    page.click("th[data-key=score] button")
    assert page.js("document.querySelector('th[data-key=score]').getAttribute('aria-sort')") == "ascending"
    ascending = page.js(SCORES)
    numbers = [float(s) for s in ascending if s != "—"]
    assert numbers == sorted(numbers) and ascending[-1] == "—", "ascending, blanks still last"
    page.click("th[data-key=score] button")
    assert page.js("document.querySelector('th[data-key=score]').getAttribute('aria-sort')") == "descending"

    # the year selector: 2023 shows last year's report alone, ranked 1, with its own totals
    page.js("(() => { const s = document.getElementById('year'); s.value = '2023'; "
            "s.dispatchEvent(new Event('change')); })()")
    assert page.js(FILES) == ["litong/litong-2023.txt"]
    assert page.js("document.querySelector('#ranking tbody tr').cells[0].textContent") == "1"
    assert page.js("document.querySelector('section.year[data-year=\"2023\"]').hidden") is False
    assert page.js("document.querySelector('section.year[data-year=\"2024\"]').hidden") is True
    page.js("(() => { const s = document.getElementById('year'); s.value = '2024'; "
            "s.dispatchEvent(new Event('change')); })()")

    # open 利通区 2024: its cross-year findings with the shared passage
    assert page.js("document.getElementById('drill').hidden") is True
    page.click(row_of(page, "002_a0c218d13443adaa.txt"))
    page.wait_for("!document.getElementById('drill').hidden")
    drill = page.js("document.getElementById('drill-body').innerText")
    assert "利通区" in drill and "TB-013" in drill and "DUP-001" in drill and "相同段落" in drill
    link = page.js("location.hash")
    assert re.fullmatch(r"#report-[0-9a-f]{12}", link)
    assert page.js("document.querySelector('#ranking tr.selected td:nth-child(3)').textContent").endswith(
        "002_a0c218d13443adaa.txt")
    visible = page.js("(() => { const r = document.getElementById('drill').getBoundingClientRect(); "
                      "return r.width > 200 && r.height > 200; })()")
    assert visible
    shot = page.call("Page.captureScreenshot", format="png")
    screenshot = tmp_path / "index-drill-down.png"
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    assert screenshot.read_bytes().startswith(b"\x89PNG")

    # the hostile report: its markup is shown as text, nothing of it runs
    page.click("#drill-close")
    page.wait_for("document.getElementById('drill').hidden")
    page.click(row_of(page, "hostile.txt"))
    page.wait_for("!document.getElementById('drill').hidden")
    assert page.js("document.querySelector('#drill-body h2').textContent") == INJECTION
    assert page.js("document.querySelectorAll('#drill-body script, #drill-body img').length") == 0
    assert page.js("Array.from(document.querySelectorAll('#ranking td')).some("
                   f"td => td.textContent.includes({json.dumps(INJECTION)}))")
    assert not [e for e in page.events if e.get("method") == "Page.javascriptDialogOpening"], "an alert ran"

    # a stable link opens its report however the page was left
    page.call("Page.navigate", url=(Path(page.js("location.pathname"))).as_uri() + link)
    page.wait_for(f"location.hash === {json.dumps(link)} && !document.getElementById('drill').hidden")
    assert "利通区" in page.js("document.getElementById('drill-body').innerText")


def test_mobile_width_needs_no_horizontal_scrolling(page: Page) -> None:
    page.call("Emulation.setDeviceMetricsOverride", width=420, height=800, deviceScaleFactor=1, mobile=True)
    page.wait_for("window.innerWidth === 420")
    assert page.js("document.documentElement.scrollWidth") <= 420
    assert page.js("document.getElementById('ranking').getBoundingClientRect().right") <= 420
    assert page.js("getComputedStyle(document.querySelector('#ranking td:nth-child(2)')).display") != "none"


def test_print_lays_out_the_ranking_then_each_report(page: Page, tmp_path: Path) -> None:
    result = page.call("Page.printToPDF", printBackground=False)
    pdf = base64.b64decode(result["data"])
    assert pdf.startswith(b"%PDF")
    (tmp_path / "index.pdf").write_bytes(pdf)
    # after printing the page is as it was: one page of rows, no printed copies left
    assert page.js("document.getElementById('print-reports').children.length") == 0
    page.js("window.dispatchEvent(new Event('beforeprint'))")
    printed = page.js("document.getElementById('print-reports').querySelectorAll('article.report').length")
    assert printed == page.js("document.querySelectorAll('#ranking tbody tr').length") > 3  # every row of the year
    assert page.js("getComputedStyle(document.querySelector('#print-reports article.report'))"
                   ".getPropertyValue('break-before')") in ("page", "auto")
    page.js("window.dispatchEvent(new Event('afterprint'))")


# ---------------------------------------------------------------------- a national batch's index

LARGE = 100_000


def synthetic_rows(count: int) -> list[SummaryRow]:
    """Rows like a national batch's, made without checking anything."""
    rows = []
    for i in range(count):
        error = "未找到文件" if i % 97 == 0 else None
        score = None if error else Decimal(30 + (i * 7919) % 71)
        rows.append(SummaryRow(
            id=f"{i:012x}", file=f"省{i % 31:02d}/市{i % 300:03d}/{i:06d}-2024.pdf", agency=f"某某县第{i}局",
            kind=("government", "department", "other")[i % 3], year=2024 if i % 5 else 2023, published=None,
            score=score, grade=None if error else ("优秀", "良好", "合格", "不合格")[i % 4],
            coverage=None if error else Decimal("0.85"), failures=(i % 2, i % 3, i % 4, 1, 0),
            failed_rules=() if error else ("TB-010", "TB-013", "FEE-001")[: i % 4], error=error,
            region=f"第{i % 31}省"))
    return rows


@pytest.fixture(scope="module")
def large_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    profile = get_profile()
    titles = {"TB-010": "依申请情况表：新收加结转不等于办理结果加结转下年", "TB-013": "上年结转与上年度报告不衔接",
              "FEE-001": "未说明信息处理费收取情况"}
    data = IndexData(ranking=ranked(synthetic_rows(LARGE)), grades=[g.label for g in profile.grades],
                     profile=profile, titles=titles, tally=RuleTally(),
                     provenance={"checker_version": "test", "pack_hash": "0" * 64, "profile": "default",
                                 "run_at": "2026-01-01T00:00:00Z"})
    path = folder / "index.html"
    with open(path, "w", encoding="utf-8") as out:
        index_page(out, data)
    return path


def test_index_of_a_hundred_thousand_reports_is_small_and_opens_fast(large_index: Path, tmp_path: Path) -> None:
    assert large_index.stat().st_size < 15 * 2**20
    started = time.monotonic()
    with browser(large_index.as_uri(), tmp_path / "profile") as opened:
        opened.wait_for("document.querySelectorAll('#ranking tbody tr').length === 100")
        shown = time.monotonic() - started
        # the browser's own measure of the first screen, without its start-up
        painted = opened.js("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
        assert painted < 3000, f"first screen after {painted:.0f} ms"
        assert "共 80000 份" in opened.js("document.getElementById('pager').textContent")
        opened.click("th[data-key=score] button")  # sorting 80,000 rows stays quick
        opened.wait_for("document.querySelector('th[data-key=score]').getAttribute('aria-sort') === 'ascending'")
    print(f"first screen of a {LARGE}-report index: {painted:.0f} ms in the page, {shown:.1f} s with browser start")
