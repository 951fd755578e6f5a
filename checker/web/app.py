"""Building the app: the store, the compiled rule pack, the background checker, the routes and
the guards. ``create_app`` is what ``xxgk serve`` runs under uvicorn and what the tests drive
with Starlette's TestClient."""
from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator, Iterable, Optional

from jinja2 import Environment
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..engine.pack import RulePack
from ..engine.scoring import Profile
from ..provenance import Provenance, provenance_of
from ..store import Store
from . import actions, views, worker
from .jobs import Checker
from .security import Guard
from .templating import environment
from .worker import Settings, compile_settings

HERE = Path(__file__).resolve().parent


@dataclass
class Workspace:
    """What every view reaches through ``request.app.state.workspace``."""

    store: Store
    pack: RulePack
    profile: Profile
    checker: Checker
    templates: Environment

    @property
    def grades(self) -> list[str]:
        return [g.label for g in self.profile.grades]

    @property
    def titles(self) -> dict[str, str]:
        return {r.id: r.title for r in self.pack.rules}

    def provenance(self) -> Provenance:
        return provenance_of(self.pack, self.profile)


ROUTES = [
    Route("/", views.dashboard, name="dashboard"),
    Route("/ranking", views.ranking, name="ranking"),
    Route("/reports/{report_id:int}", views.report, name="report"),
    Route("/reports/{report_id:int}/file", views.report_file, name="report_file"),
    Route("/reports/{report_id:int}/review", actions.review, methods=["POST"], name="review"),
    Route("/agencies/{agency_id:int}", views.agency, name="agency"),
    Route("/agencies/{agency_id:int}/place", actions.place, methods=["POST"], name="place"),
    Route("/rules", views.rules, name="rules"),
    Route("/rules/{rule_id:str}", views.rule, name="rule"),
    Route("/reviews", views.reviews, name="reviews"),
    Route("/import", views.import_page, name="import_page"),
    Route("/import", actions.upload, methods=["POST"], name="upload"),
    Route("/recheck", actions.recheck, methods=["POST"], name="recheck"),
    Route("/runs/{run_id:int}", views.run, name="run"),
    Route("/runs/{run_id:int}/status", views.run_status, name="run_status"),
    Route("/export/summary.xlsx", views.export_xlsx, name="export_xlsx"),
    Route("/export/notice.docx", views.export_notice, name="export_notice"),
    Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
]


async def _error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "内部错误"
    workspace: Workspace = request.app.state.workspace
    page = workspace.templates.get_template("error.html").render(request=request, status=status, detail=detail)
    return HTMLResponse(page, status_code=status)


def create_app(db: str | Path, *, settings: Settings = Settings(), jobs: int = 1, token: Optional[str] = None,
               hosts: Iterable[str] = (), compiled: Optional[tuple[RulePack, Profile]] = None) -> Starlette:
    """The workspace over the database file ``db`` (created if new). ``jobs`` worker processes
    check in the background (1: on the checker's own thread); ``token`` is required from every
    request when set; ``hosts`` limits the Host header (empty: any); ``compiled``: the rule pack
    and profile of ``settings`` when the caller has them already."""
    store = Store.open(db)
    compiled = compiled or compile_settings(settings)
    worker.start(settings, compiled)  # this process reads tables of imported reports on demand
    checker = Checker(store, settings, compiled, jobs=jobs)
    workspace = Workspace(store=store, pack=compiled[0], profile=compiled[1], checker=checker,
                          templates=environment(HERE / "templates"))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        checker.start()
        try:
            yield
        finally:
            checker.stop()

    app = Starlette(routes=ROUTES, lifespan=lifespan,
                    middleware=[Middleware(Guard, token=token, hosts=tuple(hosts))],
                    exception_handlers={HTTPException: _error, 500: _error})
    app.state.workspace = workspace
    return app
