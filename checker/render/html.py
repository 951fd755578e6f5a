"""HTML scorecards: one report's drill-down (``xxgk report FILE --format html``, and each page
under a batch's reports/), and the style every page shares. The batch's index.html is built
in checker/render/index_page.py from the same pieces.

Nothing is fetched: inline CSS (or the stylesheet beside a batch's pages), no script in a
report page. Report text is untrusted input: every piece of it goes through ``html.escape``
(the one way text enters markup here)."""
from __future__ import annotations

import html
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Mapping, Optional, Sequence

from ..messages import (CATEGORY_LABELS, KIND_LABELS, SEVERITY_LABELS, STATUS_LABELS, cause_note, caused_lines,
                        caused_note, detail_message, label, result_message, shown_evidence, title_of, where_text)
from ..results import Evidence, ReportResult, RuleResult
from .provenance import provenance_footer, waived_items, waiver_text
from .results_text import SortedResults, counts_line, evidence_line, percent, sorted_out

CATEGORY_ORDER = ("structure", "metadata", "tables", "consistency", "fee", "timeliness", "quality", "duplication")
# a quote longer than this is shown clipped, the whole text one click away
_QUOTE_VISIBLE = 120
# and never more than this much of it goes into the page (results.jsonl has all of it): a
# batch's index.html may carry every report's drill-down
_QUOTE_KEPT = 1000
_EVIDENCE_SHOWN = 3
_DETAILS_SHOWN = 6


def esc(text: object) -> str:
    shown = text if type(text) is str else "" if text is None else str(text)
    # text without any character html.escape replaces (most of a page) is returned as it is;
    # five searches for one character each take a fifth of the time of a character class
    # over Chinese text
    if "&" in shown or "<" in shown or ">" in shown or '"' in shown or "'" in shown:
        return html.escape(shown, quote=True)
    return shown


def number(value: Optional[Decimal]) -> str:
    return "—" if value is None else format(value.normalize(), "f")


# --------------------------------------------------------------------------- one report


def report_fragment(result: ReportResult, lang: str = "zh", messages_en: Optional[Mapping[str, str]] = None,
                    said: Mapping[int, str] = MappingProxyType({})) -> str:
    """One report's drill-down: facts, score, failures by category with their evidence, then
    what could not be assessed, the waived findings with the waivers applied, then the rules
    that passed or did not apply. ``said``: messages of its results and details rendered
    already, by the result's or detail's identity (resultsfile.Line.said; a batch writes them
    into the report's line first)."""
    messages_en = messages_en or {}
    out = ['<article class="report">', _report_header(result, lang)]
    if not result.error:
        results = sorted_out(result.results)
        _findings(results, lang, messages_en, said, out)
        out.append(_unassessed(results.unassessed, lang, said))
        out.append(_waived(result, lang))
        out.append(_others(results, lang))
    out.append("</article>")
    return "".join(out)


def _html_lang(lang: str) -> str:
    return "en" if lang == "en" else "zh-CN"


def _report_header(result: ReportResult, lang: str) -> str:
    meta = result.meta
    card = result.score
    published = meta.get("published")
    heads = _fact_heads(lang)
    unknown = heads["unknown"]
    facts = [(heads["file"], result.source), (heads["agency"], meta.get("agency") or unknown),
             (heads["kind"], KIND_LABELS[lang].get(meta.get("agency_kind") or "", unknown)),
             (heads["year"], meta.get("year") or unknown),
             (heads["published"], published.isoformat() if published else unknown)]
    if card is not None:
        facts += [(heads["score"], heads["not_scored"] if card.score is None else number(card.score)),
                  (heads["grade"], card.grade_in(lang) or "—")]
        if not result.error:
            facts.append((heads["coverage"], percent(card.coverage)))
        facts.append((heads["profile"], card.profile_title or card.profile))
    out = [f'<header><h2>{esc(meta.get("agency") or result.source)}</h2>']
    if meta.get("title"):
        out.append(f'<p class="title">{esc(meta["title"])}</p>')
    out.append('<dl class="facts">')
    for head, value in facts:
        out.append(head)
        out.append(esc(value))
        out.append("</dd></div>")
    out.append("</dl>")
    if result.error:
        out.append(f'<p class="error-reason">{esc(label("cannot_check", lang))}{esc(label("colon", lang))}'
                   f'{esc(result.error)}</p>')
    elif card is not None:
        out.append(f'<p class="counts">{esc(counts_line(card, lang))}</p>')
    out.append("</header>")
    return "".join(out)


@lru_cache(maxsize=8)
def _fact_heads(lang: str) -> dict[str, str]:
    """Each fact's name as the header writes it, up to its value; and the words a value may be."""
    heads = {name: f"<div><dt>{esc(label(name, lang))}</dt><dd>"
             for name in ("file", "agency", "year", "published", "score", "grade", "coverage", "profile")}
    heads["kind"] = f"<div><dt>{esc(label('kind', lang).capitalize())}</dt><dd>"
    heads["unknown"] = label("unknown", lang)
    heads["not_scored"] = label("not_scored", lang)
    return heads


def _findings(results: SortedResults, lang: str, messages_en: Mapping[str, str], said: Mapping[int, str],
              out: list[str]) -> None:
    """The failures by category, appended to ``out`` (the page is joined once)."""
    failures = results.scored
    if not failures:
        out.append(f'<section class="findings"><p class="none">{esc(label("none_failed", lang))}</p></section>')
        return
    by_category: dict[str, list[RuleResult]] = {}
    for item in failures:
        by_category.setdefault(item.category, []).append(item)
    out.append('<section class="findings">')
    places: dict[int, str] = {}  # the words of the positions shown, by identity (items share them)
    for category in sorted(by_category, key=lambda c: CATEGORY_ORDER.index(c) if c in CATEGORY_ORDER else 99):
        out.append(_category_heading(category, lang))
        for item in by_category[category]:
            _finding(item, lang, messages_en.get(item.rule, ""), results.children, said, out, places)
    out.append("</section>")


@lru_cache(maxsize=64)
def _category_heading(category: str, lang: str) -> str:
    return f"<h3>{esc(CATEGORY_LABELS[lang].get(category, category))}</h3>"


def _finding(result: RuleResult, lang: str, message_en: str, children: Mapping[str, RuleResult],
             said: Mapping[int, str], out: list[str], places: dict[int, str]) -> None:
    out.append(_finding_head(result.rule, result.severity, title_of(result, lang), lang))
    if result.points:
        out.append(f'<span class="points">−{number(result.points)}</span>')
    out.append("</summary>")
    category = result.category
    failing = [d for d in result.details if d.status == "fail"]
    if failing:
        out.append('<ul class="items">')
        for detail in failing[:_DETAILS_SHOWN]:
            message = said.get(id(detail))
            if message is None:
                message = detail_message(detail, lang, message_en)
            out.append(f"<li>{esc(message)}")
            _evidence_items(shown_evidence(detail.evidence), category, lang, out, places)
            out.append("</li>")
        if len(failing) > _DETAILS_SHOWN:
            out.append(f'<li class="more">{esc(label("more_details", lang, n=len(failing) - _DETAILS_SHOWN))}</li>')
        out.append("</ul>")
    else:
        message = said.get(id(result))
        if message is None:
            message = result_message(result, lang, message_en)
        out.append(f'<p class="message">{esc(message)}</p>')
        evidence = result.evidence
        _evidence_items(evidence[:_EVIDENCE_SHOWN], category, lang, out, places)
        if len(evidence) > _EVIDENCE_SHOWN:
            out.append(f'<p class="more">{esc(label("more_evidence", lang, n=len(evidence) - _EVIDENCE_SHOWN))}</p>')
    note = cause_note(result, lang)
    if note:
        out.append(f'<p class="cause">{esc(note)}</p>')
    if result.basis:
        out.append(_basis(result.basis, lang))
    if result.caused:
        out.append(f'<p class="caused">{esc(caused_note(result, lang))}</p><ul class="caused">')
        out.extend(f"<li>{esc(line)}</li>" for line in caused_lines(result, children, lang))
        out.append("</ul>")
    out.append("</details>")


def _evidence_items(items: Sequence[Evidence], category: str, lang: str, out: list[str],
                    places: dict[int, str]) -> None:
    """_evidence_list of the items, appended to ``out``."""
    if not items:
        return
    out.append('<ul class="evidence">')
    for item in items:
        out.append("<li>")
        out.append(_evidence(item, category, lang, places))
        out.append("</li>")
    out.append("</ul>")


def _evidence(item: Evidence, category: str, lang: str = "zh", places: Optional[dict[int, str]] = None) -> str:
    if item.kind in ("cell", "label") or item.role or item.origin:
        return esc(evidence_line(item, lang))
    text = item.text
    at = item.where
    if category == "duplication" and at is None and item.kind == "quote":
        where = label("same_passage", lang, n=len(text))
    elif places is None:
        where = where_text(at, lang)
    else:
        where = places.get(id(at))
        if where is None:
            where = places[id(at)] = where_text(at, lang)
    shown = f'<span class="where">{esc(where)}</span>' if where else ""
    if len(text) <= _QUOTE_VISIBLE:
        return f"{shown}<q>{esc(text)}</q>"
    kept = text if len(text) <= _QUOTE_KEPT else text[:_QUOTE_KEPT] + "…"
    return (f"{shown}<q>{esc(text[:_QUOTE_VISIBLE])}…</q><details class=\"full\"><summary>"
            f"{esc(label('full_text', lang, n=len(text)))}</summary><blockquote>{esc(kept)}</blockquote></details>")


# one evidence item as markup (escaped), for pages that lay findings out themselves (the workspace)
evidence_html = _evidence


def _unassessed(items: Sequence[RuleResult], lang: str, said: Mapping[int, str]) -> str:
    if not items:
        return ""
    out = [f'<section class="unassessed"><h3>{esc(label("unassessed", lang))}</h3><ul>']
    for item in items:
        # ``said`` has it rendered with the rule's English template: a reason does not use that
        reason = said.get(id(item))
        if reason is None:
            reason = result_message(item, lang)
        note = cause_note(item, lang)
        why = label("sep", lang).join(x for x in (reason, note) if x)
        why = f"（{why}）" if lang == "zh" else f" ({why})"
        out.append(f"<li><code>{esc(item.rule)}</code> {esc(title_of(item, lang))}{esc(label('colon', lang))}"
                   f'{esc(STATUS_LABELS[lang][item.status])}<span class="reason">{esc(why)}</span></li>')
    out.append("</ul></section>")
    return "".join(out)


def _waived(result: ReportResult, lang: str) -> str:
    """The findings an office accepted (each with its reason) and the waivers applied."""
    items = waived_items(result, lang)
    if not items and not result.waivers:
        return ""
    out = [f'<section class="waivers"><h3>{esc(label("waived_heading", lang))}</h3>']
    if items:
        out.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in items) + "</ul>")
    if result.waivers:
        out.append(f'<p class="applied">{esc(label("waivers_applied", lang))}{esc(label("colon", lang))}</p><ul>'
                   + "".join(f"<li>{esc(waiver_text(w, lang))}</li>" for w in result.waivers) + "</ul>")
    out.append("</section>")
    return "".join(out)


def _others(results: SortedResults, lang: str) -> str:
    """The rules that passed or did not apply, each id with its title (on hover)."""
    colon = esc(label("colon", lang))
    return (f'<section class="others"><p>{esc(label("passed", lang))}{colon}{_abbrs(results.passed, lang) or "—"}</p>'
            f'<p>{esc(label("skipped", lang))}{colon}{_abbrs(results.skipped, lang) or "—"}</p></section>')


def _abbrs(results: Sequence[RuleResult], lang: str) -> str:
    """The rules' ids with their titles, one space between."""
    return " ".join([_abbr(r.rule, title_of(r, lang)) for r in results])


@lru_cache(maxsize=4096)
def _abbr(rule: str, title: str) -> str:
    """A rule id with its title on hover (the same for every report of a run)."""
    return f'<abbr title="{esc(title)}">{esc(rule)}</abbr>'


@lru_cache(maxsize=4096)
def _finding_head(rule: str, severity: str, title: str, lang: str) -> str:
    """A finding's heading up to its points (the same for every report of a run)."""
    return (f'<details class="finding sev-{esc(severity)}" open data-rule="{esc(rule)}"><summary>'
            f'<code>{esc(rule)}</code> <span class="sev">{esc(SEVERITY_LABELS[lang][severity])}</span> '
            f"{esc(title)} ")


@lru_cache(maxsize=1024)
def _basis(basis: str, lang: str) -> str:
    """A finding's legal basis (the same for every report of a run)."""
    return f'<p class="basis">{esc(label("basis", lang))}{esc(label("colon", lang))}{esc(basis)}</p>'


def report_page(result: ReportResult, lang: str = "zh", messages_en: Optional[Mapping[str, str]] = None, *,
                fragment: Optional[str] = None, stylesheet: Optional[str] = None, back: Optional[str] = None,
                provenance: Optional[Mapping[str, Any]] = None, footer: Optional[str] = None) -> str:
    """The drill-down as a page of its own: self-contained (``xxgk report``), or, in a batch's
    reports/ folder, using the folder's shared ``stylesheet`` with a link ``back`` to the
    ranking; ``provenance`` (Provenance.as_dict()) makes its footer, or ``footer`` is that
    footer made already (a batch's pages share it)."""
    before, after = page_around(result, lang, stylesheet=stylesheet, back=back, provenance=provenance, footer=footer)
    body = fragment if fragment is not None else report_fragment(result, lang, messages_en)
    # joined once: the drill-down is most of the page, and each + copied it again
    return "".join((before, body, after))


def page_around(result: ReportResult, lang: str = "zh", *, stylesheet: Optional[str] = None,
                back: Optional[str] = None, provenance: Optional[Mapping[str, Any]] = None,
                footer: Optional[str] = None) -> tuple[str, str]:
    """What report_page puts before the drill-down and after it (a batch's worker writes its
    pages from the drill-down's UTF-8 bytes, which it sends on to the index as they are)."""
    title = label("page_title", lang, agency=result.meta.get("agency") or result.source)
    nav = f'<nav class="back"><a href="{esc(back)}">{esc(label("back", lang))}</a></nav>' if back else ""
    if footer is None:
        footer = provenance_footer(provenance, lang) if provenance else ""
    return f'{page_head(title, stylesheet, lang)}<body class="single">{nav}<main>', f"</main>{footer}</body></html>\n"


STYLESHEET = "style.css"


def page_head(title: str, stylesheet: Optional[str] = None, lang: str = "zh") -> str:
    """The head of every page: inline style, or a link to a shared stylesheet beside it."""
    style = f'<link rel="stylesheet" href="{esc(stylesheet)}">' if stylesheet else f"<style>{_CSS}</style>"
    return (f'<!DOCTYPE html>\n<html lang="{_html_lang(lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title>{style}</head>\n")


def page_css() -> str:
    return _CSS


# --------------------------------------------------------------------------- style and behaviour

# fonts: the system's CJK sans-serif first (macOS, Windows, Linux), then the generic family
_CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--panel:#f6f8fa;--accent:#0969da;
--g0:#dafbe1;--g1:#e6f4ff;--g2:#fff8c5;--g3:#ffebe9;--err:#eaeef2}
*{box-sizing:border-box}
body{margin:0;font-size:14px;line-height:1.6;font-family:-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Droid Sans Fallback",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
main{max-width:1400px;margin:0 auto;padding:16px 24px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:12px 0 6px}h3{font-size:15px;margin:14px 0 6px;border-bottom:1px solid var(--line)}
.facts{display:flex;flex-wrap:wrap;gap:4px 18px;margin:6px 0;padding:0}.facts div{display:flex;gap:6px}.facts dt{color:var(--muted)}.facts dd{margin:0;font-weight:600}
.controls{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:8px 0;padding:8px;background:var(--panel);border-radius:6px}
.controls label{display:flex;gap:6px;align-items:center}.controls select,.controls input{font:inherit;padding:2px 4px;max-width:100%}
.charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.charts figure{margin:0;flex:1 1 420px;min-width:0;border:1px solid var(--line);border-radius:6px;padding:8px}
figcaption{font-weight:600;margin-bottom:4px}
.chart{width:100%;height:auto}.chart .bar{fill:#4c8eda}.chart .axis{stroke:#8c959f}
.chart text{font-size:11px;fill:var(--fg);text-anchor:middle}.chart .end{text-anchor:end}.chart .start{text-anchor:start}.chart .note{text-anchor:start;fill:var(--muted)}
.hint{color:var(--muted);margin:2px 0 8px}
.scroll{overflow-x:auto}
table.grid{border-collapse:collapse;width:100%;font-size:13px}
.grid th,.grid td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
.grid th{background:var(--panel);white-space:nowrap}.grid td.num,.grid th.num{text-align:right}
table#ranking{border-collapse:collapse;width:100%;font-size:13px}
#ranking th,#ranking td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
#ranking td{white-space:nowrap}#ranking td.wrap{white-space:normal;word-break:break-all}
#ranking th{position:sticky;top:0;background:var(--panel);z-index:1;white-space:nowrap}
#ranking th button{all:unset;cursor:pointer;font-weight:600}
#ranking th[aria-sort=ascending] button::after{content:" ▲"}#ranking th[aria-sort=descending] button::after{content:" ▼"}
#ranking tbody tr{cursor:pointer}#ranking tbody tr:hover,#ranking tbody tr:focus{outline:2px solid var(--accent)}
#ranking tr.selected{outline:2px solid var(--accent)}
#ranking abbr{text-decoration:none;border-bottom:1px dotted var(--muted)}
td.g0{background:var(--g0)}td.g1{background:var(--g1)}td.g2{background:var(--g2)}td.g3{background:var(--g3)}
tr.error td{background:var(--err);color:var(--muted)}
.pager{display:flex;gap:8px;align-items:center;margin:8px 0}.pager button{font:inherit}
#drill{position:fixed;top:0;right:0;bottom:0;width:min(720px,100%);overflow:auto;background:var(--bg);border-left:1px solid var(--line);box-shadow:-4px 0 16px rgba(0,0,0,.12);padding:0 18px 24px;z-index:5}
#drill iframe{border:0;width:100%;height:calc(100vh - 60px)}
.drill-bar{position:sticky;top:0;background:var(--bg);padding:8px 0;display:flex;justify-content:space-between;border-bottom:1px solid var(--line)}
.report header h2{margin-top:8px}.report .title{color:var(--muted);margin:0}
.error-reason{color:#cf222e;font-weight:600}
.finding{border:1px solid var(--line);border-left:4px solid #8c959f;border-radius:4px;margin:6px 0;padding:4px 10px}
.finding summary{cursor:pointer;font-weight:600}.finding code,.unassessed code{background:var(--panel);padding:0 4px;border-radius:3px}
.sev-critical{border-left-color:#cf222e}.sev-high{border-left-color:#e16f24}.sev-medium{border-left-color:#d4a72c}.sev-low{border-left-color:#4c8eda}
.sev{font-size:12px;color:var(--muted)}.points{color:#cf222e}
.evidence{color:var(--muted);margin:2px 0 4px;padding-left:20px}.evidence q{color:var(--fg)}.where{margin-right:4px}
.basis{color:var(--muted);font-size:12px;margin:4px 0}
blockquote{margin:4px 0;padding:4px 8px;background:var(--panel);white-space:pre-wrap;word-break:break-all}
.others p{color:var(--muted);margin:2px 0;word-break:break-all}
body.single main{max-width:960px}
nav.back{max-width:960px;margin:0 auto;padding:8px 24px 0}
footer.provenance{max-width:1400px;margin:24px auto 0;padding:8px 24px 24px;color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
footer.provenance dl{display:flex;flex-wrap:wrap;gap:2px 16px;margin:0}footer.provenance div{display:flex;gap:4px}footer.provenance dd{margin:0}
#print-reports{display:none}
@media (max-width:700px){
main{padding:8px 10px}
.opt{display:none}
#ranking{table-layout:fixed}#ranking td{white-space:normal;word-break:break-all}
#ranking th:nth-child(1),#ranking td:nth-child(1){width:3.2em}
.charts figure{flex-basis:100%}
}
@media print{
@page{size:A4;margin:15mm 12mm}
body{font-size:11pt;font-family:"Songti SC","SimSun","Noto Serif CJK SC","Source Han Serif SC",serif}
.controls,.pager,.hint,#drill,nav.back,.no-print{display:none!important}
#ranking th{position:static}#ranking tbody tr{cursor:auto;break-inside:avoid}
.year[hidden]{display:none!important}
details{display:block}details>summary{list-style:none}
#print-reports{display:block}
#print-reports .report{break-before:page}
.finding{break-inside:avoid}
a{color:inherit;text-decoration:none}
}
"""
