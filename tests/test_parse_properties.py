"""Whatever the input, reading and extracting returns a Report and never raises: arbitrary text,
truncated or shuffled seeds, random bytes in any encoding."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.extract import extract
from checker.formats import get_format
from checker.model import Report
from checker.pipeline import parse_bytes
from checker.readers.text import read
from seeds_support import SEEDS, seed_names

FORMAT = get_format()
SEED_TEXTS = [(SEEDS / name).read_text(encoding="utf-8") for name in seed_names()]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text made of the pieces reports are made of, so the extractor's paths are exercised
PIECES = st.sampled_from([
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "第二十条第（一）项", "规章", "行政规范性文", "件",
    "（三）不予公开", "3.其他", "（七）总计", "总计", "其他", "结果维持", "未经复议直接起诉", "0", "12", "1,234",
    "1880.2255", "/", "—", "无", "", " ", "\t", "|", "|||", " |", "**", "## ", "。", "2025年1月17日",
    "二〇二五年一月十七日", "某某县人民政府", "2024年政府信息公开工作年度报告", "- 3 -", "（本列数据的勾稽关系为",
])
REPORTISH = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=80).map(
    lambda parts: "".join(p + ("\n" if i % 3 == 2 else "") for i, p in enumerate(parts)))


def check(report: Report) -> None:
    assert isinstance(report, Report)
    assert [p.id for p in sorted(report.parts, key=lambda p: p.id)] == [p.id for p in FORMAT.parts]
    assert set(report.tables) == {t.key for t in FORMAT.tables}
    for table in report.tables.values():
        if table is not None:
            for cell in table.cells.values():
                assert (cell.value is not None) == (cell.kind == "number")
                assert not isinstance(cell.value, float)


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    check(parse_bytes("r.txt", text.encode("utf-8")))


@SETTINGS
@given(REPORTISH)
def test_report_like_text(text):
    check(parse_bytes("r.txt", text.encode("utf-8")))


@SETTINGS
@given(st.sampled_from(SEED_TEXTS), st.floats(0, 1), st.floats(0, 1))
def test_truncated_seeds(text, start, end):
    lo, hi = sorted((int(start * len(text)), int(end * len(text))))
    check(parse_bytes("r.txt", text[lo:hi].encode("utf-8")))


@SETTINGS
@given(st.sampled_from(SEED_TEXTS), st.randoms(use_true_random=False))
def test_shuffled_seed_lines(text, random):
    lines = text.split("\n")
    random.shuffle(lines)
    check(parse_bytes("r.txt", "\n".join(lines).encode("utf-8")))


@SETTINGS
@given(st.binary(max_size=600))
def test_random_bytes(data):
    check(extract(read("r.txt", data), FORMAT))


@SETTINGS
@given(st.text(max_size=200), st.sampled_from(["gb18030", "utf-16", "utf-8-sig", "big5", "latin-1"]))
def test_text_in_other_encodings(text, encoding):
    data = text.encode(encoding, errors="replace")
    check(extract(read("r.txt", data), FORMAT))
