"""The command line around the workspace: `xxgk batch … --db` fills the same database the app
reads, and `xxgk serve` refuses to listen beyond this machine without a token."""
from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from checker.cli import main
from checker.commands.serve import is_loopback
from checker.store import Store, queries
from checker.store.batch_import import import_batch
from checker.store.queries import Filter
from checker.web.app import create_app
from web_support import LITONG, SEEDS, YUMIN


def test_batch_writes_into_the_database_the_workspace_reads(tmp_path: Path, compiled: Any) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in (LITONG, YUMIN):
        shutil.copyfile(SEEDS / name, reports / name)
    (reports / "清单.csv").write_text(f"文件,地区,上级机关\n{LITONG},宁夏/吴忠市,吴忠市人民政府\n", encoding="utf-8")
    db = tmp_path / "x.sqlite"
    assert main(["batch", str(reports), "--manifest", str(reports / "清单.csv"), "--out", str(tmp_path / "out"),
                 "--db", str(db), "--jobs", "1", "--quiet"]) == 0
    store = Store.open(db)
    page = queries.ranking(store, Filter(year=2024))
    assert {r.agency for r in page.rows} == {"利通区", "裕民县"}
    assert {r.file for r in page.rows} == {LITONG, YUMIN}  # relative to the batch's root, as the batch shows them
    assert [r.agency for r in queries.ranking(store, Filter(year=2024, region="宁夏")).rows] == ["利通区"]
    assert queries.runs(store)[0]["origin"] == "batch"

    with TestClient(create_app(db, compiled=compiled)) as client:
        litong = next(r for r in page.rows if r.agency == "利通区")
        report_page = client.get(f"/reports/{litong.id}").text
        assert 'class="format-grid"' in report_page  # the tables, read from the kept file on first view
        assert client.get(f"/reports/{litong.id}/file").content == (SEEDS / LITONG).read_bytes()
        assert "新收申请" in client.get(f"/agencies/{litong.agency_id}").text
    # the same results imported again are the same reports checked again, not new ones
    import_batch(db, tmp_path / "out" / "results.jsonl", compiled)
    assert queries.ranking(store, Filter(year=2024)).total == 2
    assert len(queries.report(store, litong.id).history) == 2


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("127.0.0.2", True), ("0.0.0.0", False), ("192.0.2.10", False),
                                            ("example.org", False)])
def test_which_addresses_are_this_machine(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_refuses_other_addresses_without_a_token(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XXGK_TOKEN", raising=False)
    assert main(["serve", "--db", str(tmp_path / "x.sqlite"), "--host", "0.0.0.0"]) == 2
    assert "--token" in capsys.readouterr().err
    assert not (tmp_path / "x.sqlite").exists()


def test_batch_into_the_database_keeps_no_file_over_the_size_limit(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copyfile(SEEDS / LITONG, reports / LITONG)
    with open(reports / "huge.txt", "wb") as sparse:
        sparse.truncate(32 << 30)  # nothing written: read through, it would take minutes
    started = time.monotonic()
    db = tmp_path / "x.sqlite"
    assert main(["batch", str(reports), "--out", str(tmp_path / "out"), "--db", str(db), "--jobs", "1",
                 "--quiet"]) == 0
    assert time.monotonic() - started < 8
    store = Store.open(db)
    assert [r.agency for r in queries.ranking(store, Filter(year=2024)).rows] == ["利通区"]
    message = queries.runs(store)[0]["message"]
    assert "huge.txt" in message and "XXGK_LIMIT_FILE_MB" in message
    assert all(p.stat().st_size < 1 << 20 for p in (tmp_path / "x.sqlite.files").rglob("*"))
