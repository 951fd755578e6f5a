"""The files a batch writes into its output folder.

Everything is first written inside the work folder ``OUT/.xxgk-work/`` and moved into place
when complete: results.jsonl grows there line by line as reports are checked (with --resume a
rerun after an interruption starts from it), each report's page is written there by the worker
that checked it, and the rows of the workbook's 问题明细 sheets (in the order reports were
checked) are written there. At the end, from the small rows kept in memory and the spools,
summary.csv, summary.xlsx, rules.csv and index.html are written (each to a temporary name, then
renamed), results.jsonl (or results.jsonl.gz, packed as the lines came) and reports/ are moved
into place, and the work folder is removed."""
from __future__ import annotations

import gzip
import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Optional

from ..outpaths import atomic_output, output_error
from ..render.html import STYLESHEET, page_css
from ..render.index_page import IndexData, index_page, report_holder
from ..render.records import FindingRow, RuleTally, SummaryRow, finding_fields, summary_row
from ..render.summary import (FindingsSheets, RuleLine, WrittenFindings, write_rules_csv, write_summary_csv,
                              write_workbook)
from .resultsfile import RESULTS, RESULTS_GZ, Header, expand, parse_line
from .rowspool import RowSpool
from .worker import Checked

SUMMARY_CSV = "summary.csv"
SUMMARY_XLSX = "summary.xlsx"
RULES_CSV = "rules.csv"
INDEX = "index.html"
REPORTS = "reports"
WORK = ".xxgk-work"
PART = "results.jsonl.part"
FAILED_RULES_SHOWN = 15
# gzip's default level (9) takes three times as long as 6 for a file 2% smaller: 1.8 s against
# 0.6 s for 500 reports' results, minutes at 100,000
_GZIP_LEVEL = 6
# results lines gathered before they are packed: deflate's output does not depend on how its
# input is cut, and a call a line cost a sixth more
_PACK_BYTES = 1 << 20
# index.html carries the reports' drill-downs inline (instant, and printed after the ranking)
# up to this many reports; beyond, each opens from its page under reports/. A drill-down is
# about 13 KB: 200 of them keep the page near 3 MB, where 2,000 made it 27 MB.
INLINE_REPORTS = 200


@dataclass(frozen=True)
class WorkFolder:
    """The folder an unfinished batch works in, inside its output folder."""

    root: Path

    @property
    def results(self) -> Path:
        return self.root / PART

    @property
    def pages(self) -> Path:
        return self.root / REPORTS

    @property
    def scratch(self) -> Path:
        return self.root / "scratch"

    @property
    def previous(self) -> Path:
        return self.root / "results.previous"


Aside = Callable[..., Callable[[], Any]]


class Outputs:
    def __init__(self, folder: Path, work: WorkFolder, header: Header, inline: bool, compress: bool) -> None:
        self.folder = folder
        self.work = work
        self.header = header
        self.inline = inline
        self.compress = compress
        self.rows = RowSpool(work.root / "rows.spool")
        self.tally = RuleTally()
        self.written = 0
        self._results = open(work.results, "wb")
        # --compress: the results packed as they come, while the workers check, where packing the
        # whole file at the end took 0.4 ms a report after the last one was checked
        self._packed = _Packed(work.scratch / RESULTS_GZ) if compress else None
        self._write_results(_json_line(header.as_dict()).encode("utf-8"))
        self._findings = FindingsSheets(str(work.root / "findings.spool"), header.lang)
        self._fragments: Optional[IO[bytes]] = open(work.root / "fragments.spool", "wb") if inline else None

    def add(self, checked: Checked) -> SummaryRow:
        self._write_results(checked.line + b"\n")
        findings = pickle.loads(checked.findings)[1] if checked.findings else ()
        self._keep(checked.row, checked.statuses, findings, checked.fragment)
        return checked.row

    def add_previous(self, line: str) -> SummaryRow:
        """A report a resumed run takes over from the interrupted one: its line as it was, its
        rows made again from it."""
        self._write_results((line if line.endswith("\n") else line + "\n").encode("utf-8"))
        report = expand(parse_line(line), self.header)
        row = summary_row(report)
        fragment = b""
        if self.inline:
            page = self.work.pages / f"{row.id}.html"
            fragment = _fragment_of(page.read_text(encoding="utf-8")).encode("utf-8") if page.is_file() else b""
        self._keep(row, tuple((r["rule"], r["status"]) for r in report["results"]),
                   [FindingRow(*fields) for fields in finding_fields(report, self.header.lang)], fragment)
        return row

    def _write_results(self, data: bytes) -> None:
        self._results.write(data)
        if self._packed is not None:
            self._packed.write(data)

    def _keep(self, row: SummaryRow, statuses: tuple, findings: Iterable[FindingRow], fragment: bytes) -> None:
        self.rows.add(row)
        self.tally.add(statuses)
        self._findings.add(row, findings)
        if self._fragments is not None:
            self._fragments.write(report_holder(row.id, fragment))
        self.written += 1

    def close(self) -> None:
        for stream in (self._results, self._fragments):
            if stream is not None and not stream.closed:
                stream.close()
        self._findings.close()
        if self._packed is not None:
            self._packed.close()
        self.rows.close()

    def finish(self, pack: Any, profile: Any, aside: Aside) -> list[Path]:
        """Write the files that need the whole batch and move the rest into place. ``aside``
        (WorkerPool.aside) runs the workbook (openpyxl takes longest) in a worker while this
        process writes the rest."""
        findings = self._findings.written()
        try:
            self.close()
        except OSError as exc:  # the packed results' last bytes could not be written
            raise output_error(self.folder / RESULTS_GZ, exc) from None
        return self._summaries(findings, pack, profile, aside, self._place_results)

    def _summaries(self, findings: WrittenFindings, pack: Any, profile: Any, aside: Aside,
                   placed: Callable[[], None]) -> list[Path]:
        ranking = self.rows.ranking()
        lang = self.header.lang
        grades = [g.label for g in profile.grades]
        rules = [r for r in pack.rules if r.enabled and profile.takes_part(r.id)]
        titles = {r.id: _title(r, lang) for r in rules}
        lines = [self._rule_line(r, profile, lang) for r in rules]
        workbook = aside(write_workbook, self.folder / SUMMARY_XLSX, ranking, findings, lines, grades, lang)
        write_summary_csv(self.folder / SUMMARY_CSV, ranking, lang)
        write_rules_csv(self.folder / RULES_CSV, lines, lang)
        applied = self.rows.applied
        data = IndexData(ranking=ranking, grades=grades, profile=profile, titles=titles, tally=self.tally,
                         provenance=self.header.provenance, failed_shown=FAILED_RULES_SHOWN, lang=lang,
                         waivers=[(w.text(lang), n) for w, n in sorted(applied.items(), key=lambda i: i[0].source)])
        with atomic_output(self.folder / INDEX, newline="\n") as page:
            fragments = self.work.root / "fragments.spool"
            index_page(page, data, fragments=fragments if self.inline else None)
        workbook()
        self._place_pages()
        placed()
        return [self.folder / name for name in (INDEX, REPORTS, SUMMARY_XLSX, SUMMARY_CSV, RULES_CSV,
                                                RESULTS_GZ if self.compress else RESULTS)]

    def _rule_line(self, rule: Any, profile: Any, lang: str) -> RuleLine:
        return RuleLine(rule=rule.id, title=_title(rule, lang), category=rule.category,
                        severity=profile.severity_of(rule.id, rule.severity), counts=self.tally.of(rule.id))

    def _place_pages(self) -> None:
        pages = self.work.pages
        with open(pages / STYLESHEET, "w", encoding="utf-8") as css:
            css.write(page_css())
        target = self.folder / REPORTS
        try:
            if target.exists():
                shutil.rmtree(target)
            os.replace(pages, target)
        except OSError as exc:
            raise output_error(target, exc) from None

    def _place_results(self) -> None:
        stale = self.folder / (RESULTS if self.compress else RESULTS_GZ)
        placed = self.folder / (RESULTS_GZ if self.compress else RESULTS)
        try:
            os.replace(self._packed.path if self._packed is not None else self.work.results, placed)
            stale.unlink(missing_ok=True)
        except OSError as exc:
            raise output_error(placed, exc) from None


class _Packed:
    """results.jsonl.gz written as the results come (in the work folder's scratch: an
    interrupted batch leaves none). Its bytes are those of packing the whole file at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.raw = open(path, "wb")
        self.packed = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, mtime=0, compresslevel=_GZIP_LEVEL)
        self.pending: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.pending.append(data)
        self.size += len(data)
        if self.size >= _PACK_BYTES:
            self._pack()

    def _pack(self) -> None:
        self.packed.write(b"".join(self.pending))
        self.pending = []
        self.size = 0

    def close(self) -> None:
        if self.raw.closed:
            return
        try:
            if self.pending:
                self._pack()
            self.packed.close()
        finally:
            self.raw.close()



def _title(rule: Any, lang: str) -> str:
    return rule.title_en if lang == "en" and rule.title_en else rule.title


def _fragment_of(page: str) -> str:
    start, end = page.find("<main>"), page.rfind("</main>")
    return page[start + len("<main>"):end] if start >= 0 and end > start else ""


def _json_line(value: Any) -> str:
    from .jsonl import dumps_line

    return dumps_line(value) + "\n"

