"""``xxgk batch … --db FILE``: a finished batch's results put into the workspace's database, so
that the command line and the browser fill the same store. The results are read back through
the batch's own reader (checker.batch.resultsfile: the header, then full report objects); each
report's file is kept by its content hash, under its path relative to the batch root; the
manifest's 地区 and 上级机关 place the agencies. A manifest row whose file was never delivered
has no content to keep and is left out (the batch's own outputs list it)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from .. import limits
from ..batch.discovery import file_key
from ..batch.resultsfile import read_results
from ..engine.pack import RulePack
from ..engine.scoring import Profile
from ..errors import ReadError
from ..provenance import provenance_of
from ..readers import is_report_name
from ..readers.bounds import read_file
from . import Store, codec, ingest
from .ingest import Placement
from .placement import read_placements

CHUNK = 200  # reports written per transaction
REASONS_SHOWN = 5  # files not kept, named in the run's message


@dataclass(frozen=True)
class Imported:
    reports: int
    missing: int  # results whose file is not there to keep, or over the size limit
    run_id: int


def _write(store: Store, run_id: int, chunk: list[ingest.Prepared], profile: Profile) -> None:
    if chunk:
        ingest.record_many(store, run_id, chunk, profile)
        ingest.progress(store, run_id, done=len(chunk), errors=sum(1 for p in chunk if p.result.error))
        chunk.clear()


def import_batch(db: str | Path, results: Path, compiled: tuple[RulePack, Profile],
                 manifest: Optional[str] = None) -> Imported:
    """Read a batch's results file (results.jsonl or .jsonl.gz) into the database ``db``
    (created if new)."""
    pack, profile = compiled
    store = Store.open(db)
    placements: Mapping[str, Placement] = read_placements(manifest) if manifest else {}
    run_id = ingest.start_run(store, provenance_of(pack, profile), "batch")
    years: set[Optional[int]] = set()
    count = missing = 0
    reasons: list[str] = []  # the first files not kept, each with why
    try:
        header, reports = read_results(results)
        root = header.root if header is not None else ""
        chunk: list[ingest.Prepared] = []
        for data in reports:
            result = codec.from_dict(data)
            file = os.path.join(root, result.source)
            try:  # a file the batch refused for its size is not read here either
                content = read_file(file, limits.current().bytes_of("file_mb"))
            except ReadError as exc:
                missing += 1
                if len(reasons) < REASONS_SHOWN:
                    reasons.append(f"{result.source}：{exc.reason}")
                continue
            suffix = Path(file).suffix.lower() if is_report_name(file) else ".bin"
            file_hash = ingest.add_file(store, content, suffix)
            placement = placements.get(file_key(file), Placement())
            if placement.region is None and data.get("region"):
                placement = Placement(region=data["region"], parent=placement.parent)
            chunk.append(ingest.prepare(file_hash, result.source, result, placement=placement))
            years.add(result.meta.get("year"))
            count += 1
            if len(chunk) >= CHUNK:
                _write(store, run_id, chunk, profile)
        _write(store, run_id, chunk, profile)
        ingest.progress(store, run_id, total=count)
        ingest.refresh_ranks(store, years)
        ingest.finish_run(store, run_id, message=f"{missing} 份文件不存在或无法保存，未导入：" + "；".join(reasons)
                          if missing else None)
    except BaseException as exc:
        ingest.finish_run(store, run_id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    finally:
        store.close()
    return Imported(reports=count, missing=missing, run_id=run_id)
