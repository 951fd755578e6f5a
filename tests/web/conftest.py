"""Fixtures of the workspace's tests: the rule pack compiled once, apps over fresh databases,
and one populated database shared by the tests that only read."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from starlette.testclient import TestClient

from checker.web.app import create_app
from checker.web.worker import Settings, compile_settings
from web_support import FENYANG, FORMULA_AGENCY, HOSTILE_NAME, LITONG, archive, formula_page, hostile_report, last_year, seed, shared_reports

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="session")
def compiled() -> Any:
    return compile_settings(Settings())


class Client(TestClient):
    """A TestClient that knows the workspace's forms."""

    @property
    def workspace(self) -> Any:
        return self.app.state.workspace  # type: ignore[attr-defined]

    def csrf(self) -> str:
        if not self.cookies.get("xxgk_csrf"):
            self.get("/import")
        return self.cookies["xxgk_csrf"]

    def post_form(self, url: str, data: dict[str, str], **kwargs: Any) -> Any:
        return self.post(url, data={"csrf": self.csrf(), **data}, follow_redirects=False, **kwargs)

    def upload(self, files: list[tuple[str, bytes]], wait: bool = True) -> int:
        response = self.post("/import", data={"csrf": self.csrf()}, follow_redirects=False,
                             files=[("files", (name, data, "application/octet-stream")) for name, data in files])
        assert response.status_code == 303, response.text
        run_id = int(response.headers["location"].rsplit("/", 1)[1])
        if wait:
            assert self.workspace.checker.wait(run_id, 120)
        return run_id


@pytest.fixture
def make_client(tmp_path: Path, compiled: Any) -> Iterator[Callable[..., Client]]:
    opened: list[Client] = []

    def make(**kwargs: Any) -> Client:
        app = create_app(tmp_path / f"db{len(opened)}.sqlite", compiled=compiled, **kwargs)
        client = Client(app)
        client.__enter__()
        opened.append(client)
        return client
    yield make
    for client in opened:
        client.__exit__(None, None, None)


MANIFEST = ("文件,机关,类型,年度,发布日期,地区,上级机关\n"
            "seeds/000_c7c1a845340d13e1.txt,,,,2025年4月15日,新疆/塔城地区/裕民县,塔城地区行政公署\n"
            "seeds/002_a0c218d13443adaa.txt,,,,,宁夏/吴忠市/利通区,吴忠市人民政府\n"
            "history/litong-2023.txt,利通区,人民政府,2023,,宁夏/吴忠市/利通区,\n"
            f"hostile/formula.txt,{FORMULA_AGENCY},政府部门,2024,,,\n")


def litong_2023() -> str:
    """利通区's report a year earlier, with 10 new applications instead of 38 (a change the
    agency page flags)."""
    return re.sub(r"^(一、本年新收政府信息公开申请数量\t\t)38(\t.*)38\t", r"\g<1>10\g<2>10\t",
                  last_year(seed(LITONG).decode("utf-8")), count=1, flags=re.M)


@pytest.fixture(scope="session")
def populated(tmp_path_factory: pytest.TempPathFactory, compiled: Any) -> Iterator[Client]:
    """The shared reports, last year's report of one of them, a hostile report and a manifest,
    uploaded as one .zip. Tests using it must not change it."""
    app = create_app(tmp_path_factory.mktemp("populated") / "x.sqlite", compiled=compiled)
    with Client(app) as client:
        files = shared_reports()
        files.append(("history/litong-2023.txt", litong_2023().encode("utf-8")))
        files.append(("hostile/formula.txt", seed(FENYANG)))
        files.append(("hostile/hostile.txt", hostile_report()))
        files.append((HOSTILE_NAME, formula_page()))
        files.append(("清单.csv", MANIFEST.encode("utf-8-sig")))
        client.upload([("reports.zip", archive(files))])
        yield client
