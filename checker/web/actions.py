"""The forms (POST): upload reports, review a finding, place an agency, re-check everything.
Each reads its form through ``security.checked_form`` (CSRF), does its work on a worker thread
(the store is synchronous) and answers with a redirect to the page that shows the outcome."""
from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Optional
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .. import limits
from ..batch.discovery import file_key
from ..batch.manifest import Manifest, load_manifest
from ..errors import ConfigError
from ..limits import variable
from ..store import ingest, queries
from ..store.ingest import Placement, ReviewError
from ..store.placement import read_placements
from .jobs import Item
from .security import checked_form
from .uploads import TOO_LARGE, Entry, Refused, UploadError, is_manifest, too_many_files, unpack

REVIEWER_COOKIE = "xxgk_reviewer"
# form fields of the upload besides its files (the CSRF value)
UPLOAD_FIELDS = 20
# how Starlette's form parser says a form has more files than it was allowed
TOO_MANY_PARTS = "Too many files"


def _workspace(request: Request) -> Any:
    return request.app.state.workspace


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --------------------------------------------------------------------------- import


async def upload(request: Request) -> Response:
    bounds = limits.current()
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise HTTPException(411, "上传需要给出内容长度")
    upload_limit = bounds.bytes_of("upload_mb")
    if upload_limit is not None and int(length) > upload_limit:
        raise HTTPException(TOO_LARGE, f"一次上传不能超过 {bounds.upload_mb:,} MB（由 {variable('upload_mb')} 设定），"
                                       f"这次有 {int(length) / (1 << 20):,.0f} MB：请分几次上传")
    try:
        form = await checked_form(request, max_files=bounds.upload_files or sys.maxsize, max_fields=UPLOAD_FIELDS)
    except HTTPException as exc:
        if exc.status_code == 400 and str(exc.detail).startswith(TOO_MANY_PARTS):  # the form parser's count
            raise HTTPException(TOO_LARGE, too_many_files(bounds)) from None
        raise
    # the parts stay in the form's files (on disk past a megabyte) and are read one at a time
    files: list[tuple[str, BinaryIO]] = [(part.filename, part.file) for part in form.getlist("files")
                                         if isinstance(part, UploadFile) and part.filename]
    if not files:
        raise HTTPException(400, "没有选择文件")
    run_id = await run_in_threadpool(_import, _workspace(request), files)
    return _see(f"/runs/{run_id}")


def _import(workspace: Any, files: list[tuple[str, BinaryIO]]) -> int:
    reports: list[Stored] = []
    manifests: list[Entry] = []
    refused: list[tuple[str, str]] = []
    try:
        for item in unpack(files):
            if isinstance(item, Refused):
                refused.append((item.name, item.why))
            elif is_manifest(item):
                manifests.append(item)
            else:  # kept at once: the upload's files are never all in memory
                reports.append(Stored(item.name, item.suffix, ingest.add_file(workspace.store, item.data, item.suffix)))
    except UploadError as exc:
        raise HTTPException(exc.status, str(exc)) from None
    if not reports:
        shown = "；".join(f"{name}：{why}" for name, why in refused[:20])
        raise HTTPException(400, "没有可检查的报告" + (f"（{shown}）" if shown else ""))
    items = _items(reports, manifests)
    note = None
    if refused:
        note = "未导入：" + "；".join(f"{name}（{why}）" for name, why in refused[:50])
        if len(refused) > 50:
            note += f"；等共 {len(refused)} 个"
    return workspace.checker.submit(items, "upload", note=note)


@dataclass(frozen=True)
class Stored:
    """A delivered report, kept in the store by its content hash."""

    name: str
    suffix: str
    file_hash: str


def _items(reports: list[Stored], manifests: list[Entry]) -> list[Item]:
    """Match the manifests' rows to the stored reports by their names relative to the
    manifest's folder (a lookup: the names never become paths)."""
    with tempfile.TemporaryDirectory(prefix="xxgk-upload-") as scratch:
        read: list[tuple[str, str, Manifest, dict[str, Placement]]] = []
        for index, entry in enumerate(manifests):
            folder = os.path.join(scratch, f"m{index}")
            os.mkdir(folder)
            path = os.path.join(folder, "manifest.csv")  # our name, not the upload's
            Path(path).write_bytes(entry.data)
            try:
                manifest = load_manifest(path)
            except ConfigError as exc:
                raise HTTPException(400, f"清单 {entry.name} 有误：{exc.message}"
                                         + (f"（第{exc.line}行）" if exc.line else "")) from None
            read.append((str(PurePosixPath(entry.name).parent), folder, manifest, read_placements(path)))
        items = []
        for stored in reports:
            facts, placement = None, Placement()
            for inside, folder, manifest, placements in read:
                relative = _relative(stored.name, inside)
                if relative is None:
                    continue
                key = file_key(os.path.normpath(os.path.join(folder, relative)))
                if manifest.row(key) is not None or key in placements:
                    facts, placement = manifest.row(key), placements.get(key, Placement())
                    break
            items.append(Item(stored.file_hash, stored.suffix, stored.name, facts=facts, placement=placement))
    return items


def _relative(name: str, folder: str) -> Optional[str]:
    if folder in ("", "."):
        return name
    prefix = folder.rstrip("/") + "/"
    return name[len(prefix):] if name.startswith(prefix) else None


async def recheck(request: Request) -> Response:
    await checked_form(request)
    workspace = _workspace(request)

    def submit() -> int:
        items = workspace.checker.recheck_items()
        if not items:
            raise HTTPException(400, "数据库中还没有报告")
        return workspace.checker.submit(items, "recheck")
    return _see(f"/runs/{await run_in_threadpool(submit)}")


# --------------------------------------------------------------------------- review


async def review(request: Request) -> Response:
    form = await checked_form(request)
    workspace = _workspace(request)
    report_id = request.path_params["report_id"]
    rule = str(form.get("rule") or "")
    decision = str(form.get("decision") or "")
    note = str(form.get("note") or "")[:2000]
    reviewer = str(form.get("reviewer") or "")[:100]

    def apply() -> None:
        if queries.stored_file(workspace.store, report_id) is None:
            raise HTTPException(404, "没有这份报告")
        try:
            if decision == "open":
                ingest.withdraw(workspace.store, report_id, rule, workspace.profile)
            else:
                ingest.decide(workspace.store, report_id, rule, decision, note, reviewer, workspace.profile)
        except ReviewError as exc:
            raise HTTPException(400, str(exc)) from None
    await run_in_threadpool(apply)
    response = _see(f"/reports/{report_id}#finding-{rule}")
    if reviewer.strip():
        response.set_cookie(REVIEWER_COOKIE, quote(reviewer.strip()), httponly=True, samesite="strict",
                            max_age=365 * 24 * 3600)
    return response


# --------------------------------------------------------------------------- agencies


async def place(request: Request) -> Response:
    form = await checked_form(request)
    workspace = _workspace(request)
    agency_id = request.path_params["agency_id"]
    placement = Placement(region=str(form.get("region") or "").strip()[:200] or None,
                          parent=str(form.get("parent") or "").strip()[:200] or None)

    def apply() -> None:
        if queries.agency(workspace.store, agency_id) is None:
            raise HTTPException(404, "没有这个机关")
        ingest.place_agency(workspace.store, agency_id, placement)
    await run_in_threadpool(apply)
    return _see(f"/agencies/{agency_id}")
