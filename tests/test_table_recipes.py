"""A table region of a shape read before is read from the recipe an earlier reading left
(checker.extract.recurring): what the recipe gives must be what reading the region gives, for
regions that differ from the first in their values, object for object (pickles compare the
sharing of cells too)."""
from __future__ import annotations

import pickle
import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.extract import clear_caches, extract, recurring, tables
from checker.formats import get_format
from checker.readers.text import read
from seeds_support import SEEDS, seed_names
from test_table_fast_paths import SEED_LINES, rework_row

FORMAT = get_format()
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _revalued(text: str, rnd: random.Random, digit: str = "") -> str:
    """The text with every number alone in a table row's field replaced by another (the same
    kind of value in the same place: the region keeps its shape, its rows stop adding up), of
    random digits or of ``digit`` alone."""
    def field(f: str) -> str:
        if not _NUMBER.fullmatch(f.strip()):
            return f
        return re.sub(r"\d", lambda _: digit or str(rnd.randint(0, 9)), f)
    return "\n".join("\t".join(map(field, line.split("\t"))) if "\t" in line else line
                     for line in text.split("\n"))


@st.composite
def lightly_reworked_seed(draw) -> str:
    """A seed with at most two of its table rows reworked: most of its tables keep a shape
    whose reading a recipe can say."""
    lines = list(draw(st.sampled_from(SEED_LINES)))
    rows = [n for n, line in enumerate(lines) if "\t" in line]
    for n in draw(st.lists(st.sampled_from(rows), max_size=2)) if rows else ():
        rework_row(draw, lines, n)
    return "\n".join(lines)


def _extracted(text: str) -> bytes:
    report = extract(read("r.txt", text.encode("utf-8")), FORMAT)
    return pickle.dumps((report.tables, report.notes, report.paragraphs))


def _extracted_until_recipes(text: str) -> None:
    """Read as often as it takes a shape never seen before to get its recipe."""
    for _ in range(recurring._RECIPE_AT):
        _extracted(text)


def _read_in_full(text: str) -> bytes:
    def without_recipes(labels, lines, region, cells, reading):
        return reading(labels, lines, region, cells, None)
    kept = tables.read_recurring
    tables.read_recurring = without_recipes
    try:
        return _extracted(text)
    finally:
        tables.read_recurring = kept


@SETTINGS
@given(lightly_reworked_seed(), st.randoms(use_true_random=False))
def test_a_recipe_reads_what_reading_the_region_reads(text, rnd):
    clear_caches()
    # read a few times, leaves the recipes of its shapes, made where all values look alike (a recipe
    # that takes one value for another gives the same table back there)
    _extracted_until_recipes(_revalued(text, rnd, digit="0"))
    other = _revalued(text, rnd)
    assert _extracted(other) == _read_in_full(other)


def test_a_region_of_a_known_shape_is_read_from_its_recipe(monkeypatch):
    followed = []
    follow = recurring.follow
    monkeypatch.setattr(recurring, "follow", lambda *a: followed.append(a[1].spec.key) or follow(*a))
    rnd = random.Random(7)
    for name in seed_names():
        text = (SEEDS / name).read_text(encoding="utf-8")
        clear_caches()
        _extracted_until_recipes(text)
        before = len(followed)
        other = _revalued(text, rnd)
        assert _extracted(other) == _read_in_full(other)
        assert len(followed) > before or "\t" not in text, name
    assert "applications" in followed


def test_a_reading_turned_by_sums_leaves_no_recipe_for_values_that_do_not_add_up():
    # values with no label between two rows are the row between them only when they add up
    header = "三、收到和处理政府信息公开申请情况\n\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
    rows = ["1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0", "\t1\t0\t0\t0\t0\t1\t2", "3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0"]
    adding_up = header + "\n".join(rows) + "\n四、政府信息公开行政复议、行政诉讼情况\n"
    not_adding_up = adding_up.replace("1\t2\n", "1\t5\n")
    clear_caches()
    _extracted_until_recipes(adding_up)
    assert _extracted(not_adding_up) == _read_in_full(not_adding_up)


def test_a_flat_reading_turned_by_sums_leaves_no_recipe_for_blocks_that_do_not_add_up():
    # a table printed among its column headings is read only when its blocks add up
    head = "四、政府信息公开行政复议、行政诉讼情况\n行政复议\n行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n"
    adding_up = head + "1\n1\n0\n0\n总计\n2\n0\n0\n1\n2\n3\n未经复议直接起诉\n1\n0\n1\n0\n2\n" \
        "五、存在的主要问题及改进情况\n"
    not_adding_up = adding_up.replace("0\n2\n五", "0\n9\n五")
    clear_caches()
    _extracted_until_recipes(adding_up)
    assert _extracted(not_adding_up) == _read_in_full(not_adding_up)


def test_a_line_a_longer_value_makes_running_text_is_asked_again():
    # a label and its value on a line of their own: a line longer than any label is the part's
    # text, not the table's, and its length is the value's too
    table = ("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
             "规章\t0\t0\t0\n第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费 {}\n"
             "三、收到和处理政府信息公开申请情况\n")
    clear_caches()
    _extracted_until_recipes(table.format("0"))
    longer = table.format("1,234,567.89")
    assert _extracted(longer) == _read_in_full(longer)


def test_recipes_are_made_again_when_the_line_shapes_are_numbered_anew(monkeypatch):
    monkeypatch.setattr(recurring, "_LINE_SHAPES", 5)  # every region numbers its lines anew
    clear_caches()
    rnd = random.Random(11)
    for name in seed_names()[:6]:
        text = (SEEDS / name).read_text(encoding="utf-8")
        for other in (text, _revalued(text, rnd)):
            assert _extracted(other) == _read_in_full(other), name


_DISCLOSURE = ("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
               "规章\t0\t0\t0\n{}第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t0\n"
               "三、收到和处理政府信息公开申请情况\n")


def _recipes_traced(monkeypatch) -> tuple[list[str], list[str]]:
    followed, traced = [], []
    follow, recipe_of = recurring.follow, recurring.recipe_of
    monkeypatch.setattr(recurring, "follow", lambda *a: followed.append(a[1].spec.key) or follow(*a))
    monkeypatch.setattr(recurring, "recipe_of", lambda *a: traced.append(a[2].spec.key) or recipe_of(*a))
    return followed, traced


def test_a_region_of_a_new_shape_leaves_its_recipe_at_its_first_reading(monkeypatch):
    followed, traced = _recipes_traced(monkeypatch)
    clear_caches()
    text = _DISCLOSURE.format("")
    assert _extracted(text) == _read_in_full(text)
    assert traced == ["active_disclosure"]
    assert _extracted(text) == _read_in_full(text) and followed.count("active_disclosure") == 2


def test_a_region_with_new_running_text_gets_its_recipe_at_its_third_reading(monkeypatch):
    followed, traced = _recipes_traced(monkeypatch)
    clear_caches()
    # a sentence among the rows: a region of a shape of its own, mostly never seen again
    text = _DISCLOSURE.format("本机关本年度制发的规章均已在门户网站公开，详见政策文件专栏。\n")
    first = _extracted(text)
    assert first == _read_in_full(text)
    assert _extracted(text) == first and not traced and not followed  # read in full, nothing kept
    assert _extracted(text) == first and traced == ["active_disclosure"]  # the third makes the recipe
    made = len(followed)  # (a recipe is checked by following it on its own region)
    assert _extracted(text) == first and len(followed) == made + 1 and len(traced) == 1
    # the sentence now read before, another region with it is as any other
    other = text.replace("第二十条第（八）项\n", "")
    assert _extracted(other) == _read_in_full(other) and len(traced) == 2
