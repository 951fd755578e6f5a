"""``xxgk batch … --db FILE``: a finished batch's results put into the workspace's database, so
that the command line and the browser fill the same store. Each report's file is kept by its
content hash; the manifest's 地区 and 上级机关 place the agencies. A manifest row whose file was
never delivered has no content to keep and is left out (the batch's own outputs list it)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, Optional, Sequence

from .. import jsonout
from ..batch.discovery import file_key
from ..engine.pack import RulePack
from ..engine.scoring import Profile
from ..provenance import provenance_of
from ..readers import is_report_name
from . import Store, codec, ingest
from .ingest import Placement
from .placement import read_placements


CHUNK = 200  # reports written per transaction


@dataclass(frozen=True)
class Imported:
    reports: int
    missing: int  # results whose file is not there to keep
    run_id: int


def _results(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield jsonout.loads(line)


def shown_name(source: str, roots: Sequence[str]) -> str:
    """The file's name as the office knows it: relative to the folder the batch was given
    (that folder's own name kept), not the machine's absolute path."""
    absolute = os.path.abspath(source)
    for root in roots:
        base = os.path.abspath(root)
        if os.path.isdir(base) and (absolute + os.sep).startswith(base.rstrip(os.sep) + os.sep):
            return os.path.relpath(absolute, os.path.dirname(base.rstrip(os.sep))).replace(os.sep, "/")
    return os.path.basename(source)


def _write(store: Store, run_id: int, chunk: list[ingest.Prepared], profile: Profile) -> None:
    if chunk:
        ingest.record_many(store, run_id, chunk, profile)
        ingest.progress(store, run_id, done=len(chunk), errors=sum(1 for p in chunk if p.result.error))
        chunk.clear()


def import_batch(db: str | Path, results: Path, compiled: tuple[RulePack, Profile],
                 manifest: Optional[str] = None, roots: Sequence[str] = ()) -> Imported:
    """Read a batch's results.jsonl into the database ``db`` (created if new); ``roots`` are the
    folders the batch was given (for the names shown)."""
    pack, profile = compiled
    store = Store.open(db)
    placements: Mapping[str, Placement] = read_placements(manifest) if manifest else {}
    run_id = ingest.start_run(store, provenance_of(pack, profile), "batch")
    years: set[Optional[int]] = set()
    count = missing = 0
    try:
        chunk: list[ingest.Prepared] = []
        for data in _results(results):
            result = codec.from_dict(data)
            source = result.source
            if not os.path.isfile(source):
                missing += 1
                continue
            content = Path(source).read_bytes()
            suffix = Path(source).suffix.lower() if is_report_name(source) else ".bin"
            file_hash = ingest.add_file(store, content, suffix)
            chunk.append(ingest.prepare(file_hash, shown_name(source, roots), result,
                                        placement=placements.get(file_key(source), Placement())))
            years.add(result.meta.get("year"))
            count += 1
            if len(chunk) >= CHUNK:
                _write(store, run_id, chunk, profile)
        _write(store, run_id, chunk, profile)
        ingest.progress(store, run_id, total=count)
        ingest.refresh_ranks(store, years)
        ingest.finish_run(store, run_id, message=f"{missing} 份文件不存在，未导入" if missing else None)
    except BaseException as exc:
        ingest.finish_run(store, run_id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    finally:
        store.close()
    return Imported(reports=count, missing=missing, run_id=run_id)
