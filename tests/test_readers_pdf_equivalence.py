"""The PDF reader's output pinned line by line: on the corpus PDF and on synthetic PDFs, the
Document must hold the lines, fragments and grid positions recorded in
tests/fixtures/pdf/reference/ (recorded from the pdfplumber-based reader this one replaced, then
kept as the contract). Positions may move by a fraction of a point between engines; texts,
kinds, pages and table/row/column indices may not.

    .venv/bin/python tests/test_readers_pdf_equivalence.py --record   # rewrite the references
"""
from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from readers_support import (Bar, Picture, Rule, Span, Text, corpus_bytes,  # noqa: E402
                             grid_table, make_pdf, ruled_table)

from checker.model import Document  # noqa: E402
from checker.readers import pdf  # noqa: E402

REFERENCE = Path(__file__).parent / "fixtures" / "pdf" / "reference"
# how far (points) a fragment's recorded position may move
TOLERANCE = Decimal("0.5")


# --------------------------------------------------------------------------- the cases


def _body_page(n: int) -> list:
    return [Text(200, 30, "某某县人民政府办公室文件", 10),
            Text(72, 100 + 10 * n, f"第{n}页正文：本年度主动公开政府信息{n}条。", 12),
            Text(72, 140 + 10 * n, "7", 12),
            Text(260, 805, f"第 {n} 页 共 3 页", 9)]


def _split_table() -> bytes:
    header = ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")
    first = [Text(100, 60, "二、主动公开政府信息情况", 14),
             *ruled_table(72, 700, (180, 80, 80, 80), [header, ("规章", "1", "0", "11")]),
             Text(290, 805, "- 1 -")]
    second = [*ruled_table(72, 60, (180, 80, 80, 80), [header, ("行政规范性文件", "8", "26", "66")]),
              Text(100, 200, "三、收到和处理政府信息公开申请情况", 14)]
    return make_pdf([first, second])


def _one_cell_values() -> bytes:
    frame = [Rule(72, 100, 520, 100), Rule(72, 120, 520, 120),
             Rule(72, 100, 72, 120), Rule(250, 100, 250, 120), Rule(520, 100, 520, 120)]
    values = ("3001", "53", "0", "/", "61", "4", "3119")
    return make_pdf([[*frame, Text(75, 104, "一、本年新收政府信息公开申请数量", 9),
                      *(Text(260 + 36 * i, 104, v, 9) for i, v in enumerate(values))]])


def _merged_grid(bars: bool = False) -> list:
    """A Table B-like grid: a header spanning columns, a block label spanning rows, a group
    label spanning rows, label cells wrapped over two lines."""
    widths = (60, 70, 150, 40, 40, 40)
    heights = (20, 20, 30, 20, 20, 20, 20)
    cells = [Span(0, 0, "（本列数据的勾稽关系为：第一\n项加第二项之和）", rows=2, cols=3),
             Span(0, 3, "申请人情况", cols=3),
             Span(1, 3, "自然人"), Span(1, 4, "商业\n企业"), Span(1, 5, "总计"),
             Span(2, 0, "一、本年新收政府信息公开申请\n数量", cols=3),
             Span(2, 3, "3"), Span(2, 4, "1"), Span(2, 5, "4"),
             Span(3, 0, "三、本\n年度办\n理结果", rows=4),
             Span(3, 1, "（一）予以公开", cols=2), Span(3, 3, "2"), Span(3, 4, ""), Span(3, 5, "2"),
             Span(4, 1, "（三）不予\n公开", rows=2), Span(4, 2, "1.属于国家秘密"),
             Span(4, 3, "0"), Span(4, 4, "0"), Span(4, 5, "0"),
             Span(5, 2, "2.其他法律行政法规禁止公开"), Span(5, 3, "1"), Span(5, 4, "1"),
             Span(5, 5, "2"),
             Span(6, 1, "（七）总计", cols=2), Span(6, 3, "3"), Span(6, 4, "1"), Span(6, 5, "4")]
    return grid_table(72, 120, widths, heights, cells, bars=bars)


def _group_cut_by_page_break() -> bytes:
    widths = (90, 200, 50, 50)
    first = [Text(72, 60, "三、收到和处理政府信息公开申请情况", 14),
             *grid_table(72, 720, widths, (25, 25, 25),
                         [Span(0, 0, "（三）不予公开", cols=2), Span(0, 2, "1"), Span(0, 3, "1"),
                          Span(1, 0, "（四）无", rows=2), Span(1, 1, "1.本机关不掌握相关政府信息"),
                          Span(1, 2, "7"), Span(1, 3, "7"),
                          Span(2, 1, "2.没有现成信息需要另行制作"), Span(2, 2, "0"),
                          Span(2, 3, "0")])]
    second = [*grid_table(72, 60, widths, (25, 25),
                          [Span(0, 0, "法提供"), Span(0, 1, "3.补正后申请内容仍不明确"),
                           Span(0, 2, "2"), Span(0, 3, "2"),
                           Span(1, 0, "（七）总计", cols=2), Span(1, 2, "10"), Span(1, 3, "10")]),
              Text(72, 200, "四、政府信息公开行政复议、行政诉讼情况", 14)]
    return make_pdf([first, second])


def _frame_around_text() -> bytes:
    return make_pdf([[Text(72, 80, "本报告由某某县人民政府办公室编制。", 12),
                      *ruled_table(72, 120, (450,), [("如对本报告有疑问，请与办公室联系。",)]),
                      Text(72, 200, "一、总体情况", 14)]])


CASES: dict[str, Callable[[], bytes]] = {
    "corpus-huaian-2024": lambda: corpus_bytes("huaian-2024.pdf"),
    "furniture": lambda: make_pdf([_body_page(n) for n in (1, 2, 3)]),
    "split-table": _split_table,
    "blank-cells": lambda: make_pdf([ruled_table(72, 100, (180, 60, 60, 60), [("规章", "1", "", "11")])]),
    "unruled-words": lambda: make_pdf([[Text(x, 300, t, 9) for x, t in zip(
        (72, 260, 300, 340, 380, 420, 460, 500),
        ("1.属于国家秘密", "2", "0", "0", "0", "0", "0", "2"))]]),
    "justified": lambda: make_pdf([[*(Text(72 + 15 * i, 100, ch, 12) for i, ch in enumerate("政府信息")),
                                    Text(72, 140, "申请人情况", 12), Text(300, 140, "法人或其他组织", 12)]]),
    "fake-bold": lambda: make_pdf([[Text(100, 100, "一、总体情况", 16),
                                    Text(100.4, 100.2, "一、总体情况", 16),
                                    Text(72, 140, "正文内容。", 12)]]),
    "one-cell-values": _one_cell_values,
    "partly-scanned": lambda: make_pdf([[Text(72, 100, "一、总体情况", 14)], [Picture(40, 40, 515, 760)]]),
    "permissions-only": lambda: make_pdf([[Text(72, 100, "六、其他需要报告的事项")]], user_password=""),
    "merged-grid": lambda: make_pdf([[Text(72, 80, "三、收到和处理政府信息公开申请情况", 14),
                                      *_merged_grid()]]),
    "merged-grid-bars": lambda: make_pdf([[Bar(72, 120, 280, 40, gray=0.85), *_merged_grid(bars=True)]]),
    "group-cut-by-page-break": _group_cut_by_page_break,
    "frame-around-text": _frame_around_text,
}


# --------------------------------------------------------------------------- comparing


def as_record(document: Document) -> dict:
    def where(source) -> dict:
        return {k: str(v) for k, v in source.as_dict().items()}

    return {
        "flags": sorted(document.flags),
        "notes": list(document.notes),
        "lines": [{"kind": line.kind, "grid": line.grid, "where": where(line.where),
                   "fragments": [[f.text, where(f.where)] for f in line.fragments]}
                  for line in document.lines],
    }


def differences(expected: dict, got: dict) -> list[str]:
    out = []
    if expected["flags"] != got["flags"] or expected["notes"] != got["notes"]:
        out.append(f"flags/notes {expected['flags']} {expected['notes']} != {got['flags']} {got['notes']}")
    want, have = expected["lines"], got["lines"]
    for n in range(max(len(want), len(have))):
        a = want[n] if n < len(want) else None
        b = have[n] if n < len(have) else None
        if a is None or b is None:
            out.append(f"line {n}: expected {_show(a)}, got {_show(b)}")
            continue
        if (a["kind"], a["grid"], [f[0] for f in a["fragments"]]) != \
                (b["kind"], b["grid"], [f[0] for f in b["fragments"]]):
            out.append(f"line {n}: expected {_show(a)}, got {_show(b)}")
            continue
        for (text, wa), (_, wb) in zip([(None, a["where"])] + a["fragments"],
                                       [(None, b["where"])] + b["fragments"]):
            if not _same_place(wa, wb):
                out.append(f"line {n} {text or '(line)'}: expected at {wa}, got {wb}")
    return out


def _same_place(a: dict, b: dict) -> bool:
    if a.keys() != b.keys():
        return False
    for key, value in a.items():
        if key in ("x", "y"):
            if abs(Decimal(value) - Decimal(b[key])) > TOLERANCE:
                return False
        elif value != b[key]:
            return False
    return True


def _show(line) -> str:
    if line is None:
        return "nothing"
    return f"{line['kind']} {' | '.join(f[0] for f in line['fragments'])!r}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_document_matches_the_recorded_reference(case):
    expected = json.loads((REFERENCE / f"{case}.json").read_text(encoding="utf-8"))
    got = as_record(pdf.read(f"{case}.pdf", CASES[case]()))
    assert differences(expected, got) == []


def record() -> None:
    REFERENCE.mkdir(parents=True, exist_ok=True)
    for case, build in sorted(CASES.items()):
        record = as_record(pdf.read(f"{case}.pdf", build()))
        (REFERENCE / f"{case}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{case}: {len(record['lines'])} lines")


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit(__doc__)
    record()
