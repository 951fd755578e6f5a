"""The pages (GET). Each view reads the store through checker.store.queries, shapes what the
template needs and renders it; the ranking and the dashboard also answer as JSON
(``?format=json``), as Datasette's pages do."""
from __future__ import annotations

import mimetypes
from dataclasses import asdict
from decimal import Decimal
from typing import Any, Optional
from urllib.parse import quote, unquote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response

from .. import jsonout, limits
from ..engine.waivers import apply_waivers
from ..render.html import CATEGORY_ORDER
from ..render.index_page import failed_rules_chart, score_histogram
from ..render.rules_doc import rule_lines
from ..store import ingest, queries
from ..store.findings import CARRIED, KEY_FIGURES, SCORE_CHANGE, changed
from ..store.queries import Filter
from . import exports, worker
from .grid import grids
from .security import FILE_POLICY

KINDS = ("government", "department", "other")
MAX_PER_PAGE = 200
MESSAGES_SHOWN = 10  # failing reports a rule's page quotes the message of (each a stored check to read)
# how a delivered file is served back: PDFs and text open in the browser, the rest downloads
INLINE_TYPES = {".pdf": "application/pdf", ".txt": "text/plain", ".md": "text/plain", ".html": "text/html",
                ".htm": "text/html"}


def _workspace(request: Request) -> Any:
    return request.app.state.workspace


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    workspace = _workspace(request)
    running = queries.active_runs(workspace.store)
    html = workspace.templates.get_template(template).render(request=request, running=running,
                                                             profile=workspace.profile, **context)
    return HTMLResponse(html, status_code=status)


def as_json(value: Any) -> Response:
    return Response(jsonout.dumps(value, indent=None), media_type="application/json")


def _int(request: Request, name: str, default: Optional[int] = None) -> Optional[int]:
    text = request.query_params.get(name, "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise HTTPException(400, f"参数 {name} 应为整数") from None


def _latest_year(years: list[tuple[Optional[int], int]]) -> Optional[int]:
    known = [y for y, _ in years if y is not None]
    return known[0] if known else None


def read_filter(request: Request, years: list[tuple[Optional[int], int]]) -> Filter:
    """The ranking's filter from the query string; values outside their lists are ignored."""
    params = request.query_params
    year_text = params.get("year")
    year = _latest_year(years) if year_text is None else _int(request, "year")
    sort = params.get("sort", "score")
    return Filter(
        year=year, region=params.get("region") or None,
        kind=params.get("kind") if params.get("kind") in KINDS else None,
        grade=params.get("grade") or None, rule=params.get("rule") or None, q=params.get("q") or None,
        sort=sort if sort in queries.SORTS else "score",
        descending=params.get("dir", "asc" if sort in ("agency", "region", "rank", "name", "kind") else "desc") != "asc",
        page=_int(request, "page", 1) or 1, per_page=min(max(_int(request, "per_page", queries.PAGE_SIZE) or 1, 1),
                                                         MAX_PER_PAGE))


def filter_params(wanted: Filter) -> dict[str, Any]:
    return {"year": "" if wanted.year is None else wanted.year, "region": wanted.region, "kind": wanted.kind,
            "grade": wanted.grade, "rule": wanted.rule, "q": wanted.q, "sort": wanted.sort,
            "dir": "desc" if wanted.descending else "asc"}


# --------------------------------------------------------------------------- dashboard and ranking


def dashboard(request: Request) -> Response:
    workspace = _workspace(request)
    years = queries.years(workspace.store)
    year = _int(request, "year") if "year" in request.query_params else _latest_year(years)
    data = queries.dashboard(workspace.store, year, request.query_params.get("region") or None)
    if request.query_params.get("format") == "json":
        return as_json(asdict(data))
    titles = workspace.titles
    histogram = score_histogram(data.scores, workspace.profile.floor, workspace.profile.start,
                                unscored=data.reports - len(data.scores))
    checked = data.reports - data.errors
    chart = failed_rules_chart([(rule, titles.get(rule, ""), n) for rule, n in data.failed_rules], checked)
    return page(request, "dashboard.html", data=data, years=years, histogram=histogram,
                chart=chart, grades=workspace.grades, titles=titles, runs=queries.runs(workspace.store, 5))


def ranking(request: Request) -> Response:
    workspace = _workspace(request)
    years = queries.years(workspace.store)
    wanted = read_filter(request, years)
    result = queries.ranking(workspace.store, wanted)
    if request.query_params.get("format") == "json":
        return as_json({"total": result.total, "page": result.filter.page, "pages": result.pages,
                        "rows": [asdict(r) for r in result.rows]})
    return page(request, "ranking.html", result=result, params=filter_params(result.filter),
                years=years, regions=queries.region_choices(workspace.store, result.filter.region),
                rules=[r.id for r in workspace.pack.rules if r.enabled], grades=workspace.grades, kinds=KINDS,
                titles=workspace.titles, sorts=queries.SORTS)


# --------------------------------------------------------------------------- one report


def _tables(request: Request, view: queries.ReportView) -> Optional[dict[str, Any]]:
    """The tables as read: kept at the check, or read now from the stored file (a report
    imported from a batch's results) and kept."""
    if view.tables is not None or view.row.error:
        return view.tables
    workspace = _workspace(request)
    tables = worker.read_tables(str(workspace.store.files.path(view.file_hash, view.suffix)), view.row.file)
    if tables is not None:
        ingest.keep_tables(workspace.store, view.row.id, tables)
    return tables


def report(request: Request) -> Response:
    workspace = _workspace(request)
    view = queries.report(workspace.store, request.path_params["report_id"])
    if view is None:
        raise HTTPException(404, "没有这份报告")
    effective = apply_waivers(view.result, queries.review_waivers(workspace.store, view.row.id), workspace.profile)
    findings: dict[str, list[Any]] = {}
    for result in effective.results:
        if result.status in ("fail", "waived"):
            findings.setdefault(result.category, []).append(result)
    ordered = sorted(findings.items(), key=lambda item: CATEGORY_ORDER.index(item[0])
                     if item[0] in CATEGORY_ORDER else 99)
    gone = {rule: review for rule, review in view.reviews.items() if review.stale == "gone"}
    return page(request, "report.html", view=view, row=view.row, effective=effective, findings=ordered, gone=gone,
                grids=grids(_tables(request, view), workspace.pack.fmt, effective.results),
                reviewer=unquote(request.cookies.get("xxgk_reviewer", "")))


def report_file(request: Request) -> Response:
    workspace = _workspace(request)
    found = queries.stored_file(workspace.store, request.path_params["report_id"])
    if found is None:
        raise HTTPException(404, "没有这份报告")
    file_hash, suffix, name = found
    data = workspace.store.files.read(file_hash, suffix)
    if data is None:
        raise HTTPException(404, "文件不在数据库文件夹中")
    media = INLINE_TYPES.get(suffix)
    disposition = "inline" if media else "attachment"
    if media is None:
        media = mimetypes.types_map.get(suffix, "application/octet-stream")
    filename = quote(name.rsplit("/", 1)[-1])
    return Response(data, media_type=media, headers={
        "content-disposition": f"{disposition}; filename*=UTF-8''{filename}",
        "content-security-policy": FILE_POLICY})


# --------------------------------------------------------------------------- agency history


def agency(request: Request) -> Response:
    workspace = _workspace(request)
    agency_id = request.path_params["agency_id"]
    view = queries.agency(workspace.store, agency_id)
    if view is None:
        raise HTTPException(404, "没有这个机关")
    if view.missing_figures:
        for report_id in view.missing_figures:
            stored = queries.stored_file(workspace.store, report_id)
            if stored is not None:
                tables = worker.read_tables(str(workspace.store.files.path(stored[0], stored[1])), stored[2])
                if tables is not None:
                    ingest.keep_tables(workspace.store, report_id, tables)
        view = queries.agency(workspace.store, agency_id)
    return page(request, "agency.html", view=view, history=history(view), figures=[f[0] for f in KEY_FIGURES])


def history(view: queries.AgencyView) -> list[dict[str, Any]]:
    """The agency's reports by year, each with its figures and what changed since the year
    before (flagged when large, or when last year's 结转下年 is not this year's 上年结转)."""
    out: list[dict[str, Any]] = []
    by_year = {r.year: r for r in view.reports if r.year is not None}
    for row in view.reports:
        figures = view.figures.get(row.id, {})
        before = by_year.get(row.year - 1) if row.year is not None else None
        last = view.figures.get(before.id, {}) if before is not None else {}
        flags: dict[str, str] = {}
        deltas: dict[str, Optional[Decimal]] = {}
        for name in figures:
            now, then = figures.get(name), last.get(name)
            deltas[name] = None if now is None or then is None else now - then
            if changed(then, now):
                flags[name] = f"较上年 {then.normalize():f} → {now.normalize():f}"  # type: ignore[union-attr]
        carried_now, carried_then = figures.get(CARRIED[0]), last.get(CARRIED[1])
        if before is not None and carried_now is not None and carried_then is not None and carried_now != carried_then:
            flags[CARRIED[0]] = f"上年结转 {carried_now.normalize():f} ≠ 上年报告的结转下年 {carried_then.normalize():f}"
        score_delta = None
        if before is not None and row.score is not None and before.score is not None:
            score_delta = row.score - before.score
        out.append({"row": row, "figures": figures, "deltas": deltas, "flags": flags, "score_delta": score_delta,
                    "score_flag": score_delta is not None and abs(score_delta) >= SCORE_CHANGE})
    return out


# --------------------------------------------------------------------------- rules


def rules(request: Request) -> Response:
    workspace = _workspace(request)
    return page(request, "rules.html", rules=[r for r in workspace.pack.rules if r.enabled])


def rule(request: Request) -> Response:
    workspace = _workspace(request)
    found = workspace.pack.get(request.path_params["rule_id"])
    if found is None:
        raise HTTPException(404, "没有这条规则")
    years = queries.years(workspace.store)
    year = _int(request, "year") if "year" in request.query_params else _latest_year(years)
    usage = queries.rule_usage(workspace.store, found.id, year)
    examples = [{"expect": e.get("expect", ""), "note": e.get("note", ""),
                 "body": e["text"].strip("\n") if isinstance(e.get("text"), str)
                 else jsonout.dumps({k: v for k, v in e.items() if k not in ("expect", "note")})}
                for e in found.examples]
    messages = {}
    for row in usage.failing[:MESSAGES_SHOWN]:
        stored = queries.stored_result(workspace.store, row.id)
        result = stored.result(found.id) if stored is not None else None
        if result is not None:
            messages[row.id] = result
    return page(request, "rule.html", rule=found, description="\n".join(rule_lines(found)), usage=usage, year=year,
                years=years, examples=examples, messages=messages)


# --------------------------------------------------------------------------- review, import, runs


def reviews(request: Request) -> Response:
    return page(request, "reviews.html", stale=queries.stale_reviews(_workspace(request).store))


def import_page(request: Request) -> Response:
    workspace = _workspace(request)
    return page(request, "import.html", runs=queries.runs(workspace.store, 20),
                limits=limits.current())


def _run(request: Request) -> dict[str, Any]:
    found = [r for r in queries.runs(_workspace(request).store, 1000) if r["id"] == request.path_params["run_id"]]
    if not found:
        raise HTTPException(404, "没有这次检查")
    return found[0]


def run(request: Request) -> Response:
    return page(request, "run.html", run=_run(request))


def run_status(request: Request) -> Response:
    found = _run(request)
    return JSONResponse({k: found[k] for k in ("id", "state", "total", "done", "errors", "message")})


# --------------------------------------------------------------------------- exports


def _scope(wanted: Filter) -> str:
    bits = [f"{wanted.year}年度" if wanted.year is not None else "", wanted.region or "",
            {"government": "人民政府", "department": "政府部门", "other": "其他机关"}.get(wanted.kind or "", "")]
    return "".join(b for b in bits if b) or "全部"


def export_xlsx(request: Request) -> Response:
    workspace = _workspace(request)
    wanted = read_filter(request, queries.years(workspace.store))
    export = exports.summary_xlsx(workspace.store, queries.export_rows(workspace.store, wanted), workspace.profile,
                                  workspace.grades, base_url=str(request.base_url))
    return _download(export, f"{_scope(wanted)}汇总.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def export_notice(request: Request) -> Response:
    workspace = _workspace(request)
    wanted = read_filter(request, queries.years(workspace.store))
    export = exports.notice_docx(workspace.store, queries.export_rows(workspace.store, wanted), workspace.profile,
                                 workspace.provenance(), wanted.year,
                                 rule_count=sum(1 for r in workspace.pack.rules if r.enabled))
    return _download(export, f"{_scope(wanted)}通报.docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _download(export: exports.Export, name: str, media: str) -> Response:
    """The file sent from disk in pieces, its folder removed once it is sent."""
    return FileResponse(export.path, media_type=media, background=BackgroundTask(export.remove),
                        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
