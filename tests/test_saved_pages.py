"""Whole saved web pages: every gold article (the corpus's web pages, and every gold report
rendered as a web page by tests/layouts.py) wrapped in the site a portal puts around it
(tests/pages.py: banners, navigation, breadcrumb, sidebar, footer, scripts, hidden menus, a 发布时间
line and meta tags), saved as .html or .mht, must give exactly the cells, the metadata and the
verdicts the article alone gives — and the gold's cells and verdicts.

By default each article meets each named site once (rotating .html and .mht), and hypothesis
draws sites at random (class names included); XXGK_ALL_PAGES=1 runs every article through every
named site in both forms, and more random sites.
"""
from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readers_support import cell_mismatches, corpus_bytes, gold

import layouts as L
import pages as P
from checker.engine import check_report, get_profile, load_pack
from checker.pipeline import parse_bytes

EVERYTHING = os.environ.get("XXGK_ALL_PAGES") == "1"

SITES = {
    "portal": P.Chrome(),
    "html5": P.Chrome(shape="html5", title="div", date_label="发布日期", footer_tag=True, banner="logo"),
    "old tables": P.Chrome(shape="tables", title="h1", date_label="时间", sidebar="text", banner="sized",
                           info_table=True),
    "bare": P.Chrome(title="page", date_label="", meta=False, sidebar="none", share=False, related=0,
                     breadcrumb=False, scripts=False, hidden_menu=False, banner="linked"),
    "busy": P.Chrome(nav_links=40, related=10, sidebar="ordinals", info_table=True, title="body",
                     names=("x7", "y7", "z7", "w7", "v7", "u7"), extras=("attachment", "qr")),
    "guide": P.Chrome(shape="html5", sidebar="guide", title="div", extras=("qr",)),
}


# --------------------------------------------------------------------------- the articles

# how the rendered gold reports are laid out, one each (all signed: a report without a 落款 takes
# the page's date, which the article alone has not — tested on its own below)
LAYOUTS = ("national", "heading_marked", "heading_part", "title_two_lines", "b_wrap12_middle_groups",
           "heading_bold", "c_three_tables", "title_year_first")


@lru_cache(maxsize=None)
def _pack():
    return load_pack()


def _outcome(name: str, data: bytes):
    report = parse_bytes(name, data)
    result = check_report(report, _pack(), get_profile())
    return report, {r.rule: r.status for r in result.results}


def _meta(report) -> tuple:
    meta = report.meta
    return (re.sub(r"\s+", "", meta.title or ""), meta.agency, meta.year, meta.published)


@lru_cache(maxsize=None)
def _articles() -> tuple:
    """(article, the article alone as its page, what it gives: report and verdicts, a check of
    a report's cells against the gold)"""
    out = []
    for article in P.corpus_articles():
        alone = _outcome(article.name, corpus_bytes(article.name))
        out.append((article, alone, lambda report, name=article.name: cell_mismatches(report, gold(name))))
    truths = L.load_truths()
    for n, truth in enumerate(truths):
        style = L.HtmlStyle(flavour=("plain", "word", "th")[n % 3])
        article, page = P.rendered_article(truth, L.LAYOUTS[LAYOUTS[n % len(LAYOUTS)]], style)
        alone = _outcome(f"{truth.name}.html", page)
        out.append((article, alone, lambda report, truth=truth: L.mismatches(report, truth)))
    return tuple(out)


def _gold_verdicts(name: str) -> dict[str, str]:
    try:
        facts = gold(name)
    except FileNotFoundError:
        return {}
    expected = {r: "fail" for r in facts["expect_fail"]} | {r: "pass" for r in facts["expect_pass"]}
    expected |= {r: "not_assessable" for r in facts.get("expect_not_assessable", [])}
    return expected | {r: "not_applicable" for r in facts.get("expect_not_applicable", [])}


def _assert_same_as_alone(n: int, site: P.Chrome, saved_as: str) -> None:
    article, (alone, alone_verdicts), cells_wrong = _articles()[n % len(_articles())]
    page = P.wrap(article, site)
    name, data = ("page.mht", P.as_mhtml(page, ("base64", "quoted-printable")[n % 2])) \
        if saved_as == "mht" else ("page.html", page)
    report, verdicts = _outcome(name, data)
    where = f"{article.name} in {site} as {saved_as}"
    assert cells_wrong(report) == [], where
    assert _meta(report) == _meta(alone), where
    changed = {rule: (alone_verdicts.get(rule), status) for rule, status in verdicts.items()
               if alone_verdicts.get(rule) != status}
    assert changed == {}, f"{where}: verdicts (alone, in the page) {changed}"
    missed = {rule: status for rule, status in _gold_verdicts(article.name).items()
              if verdicts.get(rule) != status and alone_verdicts.get(rule) == status}
    assert missed == {}, where


def _cases() -> list[tuple[str, str, int]]:
    count = len(P.corpus_articles()) + len(L.load_truths())
    cases = []
    for n in range(count):
        for k, site in enumerate(SITES):
            if EVERYTHING:
                cases += [(site, "html", n), (site, "mht", n)]
            elif (n + k) % len(SITES) < 2:  # each article meets two sites, each site most articles
                cases.append((site, ("html", "mht")[(n + k) % 2], n))
    return cases


@pytest.mark.parametrize("site, saved_as, n", _cases())
def test_an_article_in_a_saved_site_page_reads_as_the_article_alone(site, saved_as, n):
    _assert_same_as_alone(n, SITES[site], saved_as)


# --------------------------------------------------------------------------- random sites

NAME = st.from_regex(r"[a-z][a-z0-9_-]{0,9}", fullmatch=True)
CHROME = st.builds(
    P.Chrome,
    shape=st.sampled_from(["divs", "html5", "tables"]),
    names=st.lists(NAME, min_size=6, max_size=6, unique=True).map(tuple),
    title=st.sampled_from(["body", "h1", "div", "page"]),
    date_label=st.sampled_from(["发布时间", "发布日期", "时间", ""]),
    published=st.dates(date(2024, 6, 1), date(2026, 6, 30)),
    meta=st.booleans(),
    banner=st.sampled_from(["plain", "sized", "logo", "linked"]),
    nav_links=st.integers(0, 40),
    nav_icons=st.booleans(),
    breadcrumb=st.booleans(),
    info_table=st.booleans(),
    sidebar=st.sampled_from(["none", "links", "text", "ordinals", "guide"]),
    share=st.booleans(),
    related=st.integers(0, 10),
    footer_tag=st.booleans(),
    scripts=st.booleans(),
    hidden_menu=st.booleans(),
    extras=st.lists(st.sampled_from(["attachment", "qr"]), unique=True).map(tuple),
)


@settings(max_examples=200 if EVERYTHING else 12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(site=CHROME, n=st.integers(0, 50), saved_as=st.sampled_from(["html", "mht"]))
def test_an_article_in_a_random_site_page_reads_as_the_article_alone(site, n, saved_as):
    _assert_same_as_alone(n, site, saved_as)


# --------------------------------------------------------------------------- the page's own facts


def test_a_report_without_a_signature_is_timed_by_the_page_date_and_says_where_it_read_it():
    truth = next(t for t in L.load_truths() if t.name == "huaian-2024")  # a people's government
    layout = replace(L.LAYOUTS["national"], signature="none")
    article, _ = P.rendered_article(truth, layout)
    late = date(truth.year + 1, 4, 2)
    for saved_as, site in (("html", P.Chrome(published=late, meta=False)),
                           ("mht", P.Chrome(published=late, date_label="", shape="html5"))):
        page = P.wrap(article, site)
        data = P.as_mhtml(page) if saved_as == "mht" else page
        report = parse_bytes(f"page.{saved_as}", data)
        assert report.meta.published == late and report.meta.source_of("published") == "page"
        result = {r.rule: r for r in check_report(report, _pack(), get_profile()).results}
        assert result["TIME-002"].status == "fail"
        assert any("据网页" in e.text for e in result["TIME-002"].evidence)
        assert result["META-005"].status == "fail"
