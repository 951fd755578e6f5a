"""HTML scorecards: one report's drill-down (``xxgk report FILE --format html``), and the batch's
index.html (``xxgk batch``): a ranking sortable by any column, the score distribution and the
most-failed rules as inline SVG, and each report's drill-down opened by clicking its row.

Every page is one self-contained file: inline CSS, inline SVG, a small inline script, nothing
fetched. Report text is untrusted input: every piece of it goes through ``html.escape`` (the
one way text enters markup here), and the drill-downs of index.html sit inside inert
``<script type="text/x-report">`` holders whose escaped content cannot close them."""
from __future__ import annotations

import html
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping, Optional, Protocol, Sequence

from ..messages import (CATEGORY_LABELS, SEVERITY_LABELS, STATUS_LABELS, cause_note, caused_lines, caused_note,
                        detail_message, label, result_message, shown_evidence, title_of)
from ..results import SEVERITIES, Evidence, ReportResult, RuleResult
from .results_text import evidence_line, percent, scored_findings, unassessed_results
from .summary import Row as SummaryLine

KIND_LABELS = {"government": "人民政府", "department": "政府部门", "other": "其他机关"}
CATEGORY_ORDER = ("structure", "metadata", "tables", "consistency", "fee", "timeliness", "quality", "duplication")
# a quote longer than this is shown clipped, the whole text one click away
_QUOTE_VISIBLE = 120
# and never more than this much of it goes into the page (results.jsonl has all of it): a
# batch's index.html carries every report's drill-down
_QUOTE_KEPT = 1000
_EVIDENCE_SHOWN = 3
_DETAILS_SHOWN = 6


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def number(value: Optional[Decimal]) -> str:
    return "—" if value is None else format(value.normalize(), "f")


# --------------------------------------------------------------------------- one report


def report_fragment(result: ReportResult, lang: str = "zh", messages_en: Optional[Mapping[str, str]] = None) -> str:
    """One report's drill-down: facts, score, failures by category with their evidence, then
    what could not be assessed, then the ids that passed or did not apply."""
    messages_en = messages_en or {}
    out = ['<article class="report">', _report_header(result)]
    if not result.error:
        out.append(_findings(result, lang, messages_en))
        out.append(_unassessed(result, lang))
        out.append(_others(result))
    out.append("</article>")
    return "".join(out)


def _report_header(result: ReportResult) -> str:
    meta = result.meta
    card = result.score
    published = meta.get("published")
    facts = [("文件", result.source), ("机关", meta.get("agency") or "未识别"),
             ("类型", KIND_LABELS.get(meta.get("agency_kind") or "", "未识别")),
             ("年度", meta.get("year") or "未识别"),
             ("发布日期", published.isoformat() if published else "未识别")]
    if card is not None:
        facts += [("得分", "不评分" if card.score is None else number(card.score)), ("等级", card.grade or "—")]
        if not result.error:
            facts.append(("覆盖率", percent(card.coverage)))
        facts.append(("评分方案", card.profile))
    out = [f'<header><h2>{esc(meta.get("agency") or result.source)}</h2>']
    if meta.get("title"):
        out.append(f'<p class="title">{esc(meta["title"])}</p>')
    out.append('<dl class="facts">' + "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in facts)
               + "</dl>")
    if result.error:
        out.append(f'<p class="error-reason">无法检查：{esc(result.error)}</p>')
    elif card is not None:
        counts = card.counts
        severities = "，".join(f"{SEVERITY_LABELS['zh'][s]}{n}" for s, n in card.failures.items() if n)
        out.append(f'<p class="counts">不通过 {counts.get("fail", 0)} 条' + (f"（{esc(severities)}）" if severities else "")
                   + f'；通过 {counts.get("pass", 0)} 条；无法评估 {counts.get("not_assessable", 0)} 条；'
                   f'不适用 {counts.get("not_applicable", 0)} 条'
                   + (f'；规则出错 {counts["error"]} 条' if counts.get("error") else "") + "</p>")
    out.append("</header>")
    return "".join(out)


def _findings(result: ReportResult, lang: str, messages_en: Mapping[str, str]) -> str:
    failures = scored_findings(result)
    children = {r.rule: r for r in result.results if r.root is not None}
    if not failures:
        return '<section class="findings"><p class="none">没有不通过的规则。</p></section>'
    by_category: dict[str, list[RuleResult]] = {}
    for item in failures:
        by_category.setdefault(item.category, []).append(item)
    out = ['<section class="findings">']
    for category in sorted(by_category, key=lambda c: CATEGORY_ORDER.index(c) if c in CATEGORY_ORDER else 99):
        out.append(f"<h3>{esc(CATEGORY_LABELS[lang].get(category, category))}</h3>")
        out.extend(_finding(item, lang, messages_en.get(item.rule, ""), children) for item in by_category[category])
    out.append("</section>")
    return "".join(out)


def _finding(result: RuleResult, lang: str, message_en: str, children: Mapping[str, RuleResult]) -> str:
    points = f'<span class="points">−{number(result.points)}</span>' if result.points else ""
    out = [f'<details class="finding sev-{esc(result.severity)}" open data-rule="{esc(result.rule)}"><summary>'
           f'<code>{esc(result.rule)}</code> <span class="sev">{esc(SEVERITY_LABELS[lang][result.severity])}</span> '
           f"{esc(title_of(result, lang))} {points}</summary>"]
    failing = [d for d in result.details if d.status == "fail"]
    if failing:
        out.append('<ul class="items">')
        for detail in failing[:_DETAILS_SHOWN]:
            out.append(f"<li>{esc(detail_message(detail, lang, message_en))}"
                       f"{_evidence_list(shown_evidence(detail.evidence), result.category, lang)}</li>")
        if len(failing) > _DETAILS_SHOWN:
            out.append(f'<li class="more">另有 {len(failing) - _DETAILS_SHOWN} 项（完整列表见 results.jsonl）</li>')
        out.append("</ul>")
    else:
        out.append(f'<p class="message">{esc(result_message(result, lang, message_en))}</p>')
        out.append(_evidence_list(result.evidence[:_EVIDENCE_SHOWN], result.category, lang))
        if len(result.evidence) > _EVIDENCE_SHOWN:
            out.append(f'<p class="more">另有 {len(result.evidence) - _EVIDENCE_SHOWN} 条证据</p>')
    note = cause_note(result, lang)
    if note:
        out.append(f'<p class="cause">{esc(note)}</p>')
    if result.basis:
        out.append(f'<p class="basis">{esc(label("basis", lang))}{esc(label("colon", lang))}{esc(result.basis)}</p>')
    if result.caused:
        out.append(f'<p class="caused">{esc(caused_note(result, lang))}</p><ul class="caused">')
        out.extend(f"<li>{esc(line)}</li>" for line in caused_lines(result, children, lang))
        out.append("</ul>")
    out.append("</details>")
    return "".join(out)


def _evidence_list(items: Sequence[Evidence], category: str, lang: str = "zh") -> str:
    if not items:
        return ""
    return '<ul class="evidence">' + "".join(f"<li>{_evidence(e, category, lang)}</li>" for e in items) + "</ul>"


def _evidence(item: Evidence, category: str, lang: str = "zh") -> str:
    if item.kind in ("cell", "label") or item.role or item.origin:
        return esc(evidence_line(item, lang))
    where = item.where.describe() if item.where is not None else ""
    text = item.text
    if category == "duplication" and item.where is None and item.kind == "quote":
        where = f"相同段落（{len(text)}字）"
    label = f'<span class="where">{esc(where)}</span>' if where else ""
    if len(text) <= _QUOTE_VISIBLE:
        return f"{label}<q>{esc(text)}</q>"
    kept = text if len(text) <= _QUOTE_KEPT else text[:_QUOTE_KEPT] + "…"
    return (f"{label}<q>{esc(text[:_QUOTE_VISIBLE])}…</q>"
            f"<details class=\"full\"><summary>全文（{len(text)}字）</summary><blockquote>{esc(kept)}</blockquote></details>")


def _unassessed(result: ReportResult, lang: str) -> str:
    items = unassessed_results(result)
    if not items:
        return ""
    out = [f'<section class="unassessed"><h3>{esc(label("unassessed", lang))}</h3><ul>']
    for item in items:
        reason = result_message(item, lang)
        note = cause_note(item, lang)
        out.append(f"<li><code>{esc(item.rule)}</code> {esc(title_of(item, lang))}：{esc(STATUS_LABELS[lang][item.status])}"
                   + f'<span class="reason">（{esc(reason)}{("；" + esc(note)) if note else ""}）</span>' + "</li>")
    out.append("</ul></section>")
    return "".join(out)


def _others(result: ReportResult) -> str:
    passed = " ".join(r.rule for r in result.results if r.status == "pass") or "—"
    skipped = " ".join(r.rule for r in result.results if r.status == "not_applicable") or "—"
    return f'<section class="others"><p>通过：{esc(passed)}</p><p>不适用：{esc(skipped)}</p></section>'


def report_page(result: ReportResult, lang: str = "zh", messages_en: Optional[Mapping[str, str]] = None) -> str:
    """The drill-down as a page of its own."""
    title = f"{result.meta.get('agency') or result.source} — 年度报告检查结果"
    return (page_head(title) + '<body class="single"><main>'
            + report_fragment(result, lang, messages_en) + "</main></body></html>\n")


# --------------------------------------------------------------------------- the batch index


def page_head(title: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{_CSS}</style></head>\n")


def report_holder(position: int, fragment: str) -> str:
    """A drill-down kept inert in the index until its row is opened. The fragment is escaped
    markup: no '<' of report text is left in it, so nothing in it can end the holder."""
    return f'<script type="text/x-report" id="report-{position}">{fragment}</script>\n'


def index_main(*, ranking: Sequence[tuple[Optional[int], "IndexRow"]], grades: Sequence[str], profile_name: str,
               histogram: str, failed_chart: str, totals: Mapping[str, object]) -> str:
    """Everything of index.html but the drill-downs: overview, charts, the ranking table and the
    panel a drill-down opens in."""
    out = ['<body><main><header class="batch"><h1>政府信息公开工作年度报告检查结果</h1>',
           f'<p class="profile">评分方案：{esc(profile_name)}</p>',
           '<dl class="facts totals">' + "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>"
                                                 for k, v in totals.items()) + "</dl></header>",
           '<section class="charts"><figure><figcaption>得分分布</figcaption>', histogram, "</figure>",
           "<figure><figcaption>不通过最多的规则</figcaption>", failed_chart, "</figure></section>",
           '<section class="ranking-section"><h2>排名</h2><p class="hint">点击表头排序，点击一行查看该报告的检查详情。</p>',
           '<table id="ranking"><thead><tr>']
    for key, label, kind in _COLUMNS:
        out.append(f'<th data-key="{key}" data-type="{kind}" aria-sort="none"><button type="button">{esc(label)}'
                   '</button></th>')
    out.append("</tr></thead><tbody>")
    for rank, row in ranking:
        out.append(_ranking_row(rank, row, grades))
    out.append("</tbody></table></section>")
    out.append('<aside id="drill" hidden aria-live="polite"><div class="drill-bar">'
               '<button type="button" id="drill-close">关闭</button></div><div id="drill-body"></div></aside>')
    out.append("</main>\n")
    return "".join(out)


def index_tail() -> str:
    return f"<script>{_SCRIPT}</script></body></html>\n"


# what a ranking row shows: (data key, header, sort type)
_COLUMNS = (("rank", "排名", "num"), ("agency", "机关", "text"), ("file", "文件", "text"),
            ("kind", "类型", "text"), ("year", "年度", "num"), ("published", "发布日期", "text"),
            ("score", "得分", "num"), ("grade", "等级", "text"), ("coverage", "覆盖率", "num"),
            ("critical", "严重", "num"), ("high", "高", "num"), ("medium", "中", "num"), ("low", "低", "num"),
            ("failed", "不通过的规则 / 无法检查的原因", "text"))


class IndexRow(SummaryLine, Protocol):
    """What the ranking needs of a summary row (checker.batch.rows.SummaryRow fits)."""

    position: int


def _ranking_row(rank: Optional[int], row: IndexRow, grades: Sequence[str]) -> str:
    grade_class = f"g{grades.index(row.grade)}" if row.grade in grades else ("error" if row.error else "ungraded")
    failures = dict(zip(SEVERITIES, row.failures))
    last = row.error or " ".join(row.failed_rules)
    cells = [
        (rank if rank is not None else "", rank if rank is not None else ""),
        (row.agency or "", row.agency or ""),
        (row.file, row.file),
        (KIND_LABELS.get(row.kind or "", ""), KIND_LABELS.get(row.kind or "", "")),
        (row.year if row.year is not None else "", row.year if row.year is not None else ""),
        (row.published.isoformat() if row.published else "", row.published.isoformat() if row.published else ""),  # type: ignore[attr-defined]
        (number(row.score) if row.score is not None else "", number(row.score) if row.score is not None else "—"),
        (row.grade or "", row.grade or ("无法检查" if row.error else "—")),
        (number(row.coverage) if row.coverage is not None else "", percent(row.coverage)),
    ]
    cells += [(failures[s] if not row.error else "", failures[s] if not row.error else "")
              for s in ("critical", "high", "medium", "low")]
    cells.append((last, last if len(last) <= 80 else last[:79] + "…"))
    tds = "".join(f'<td data-value="{esc(value)}">{esc(shown)}</td>' for value, shown in cells)
    return f'<tr class="{grade_class}" data-report="{row.position}" tabindex="0">{tds}</tr>'


# --------------------------------------------------------------------------- charts (inline SVG)


def score_histogram(scores: Sequence[Decimal], low: Decimal, high: Decimal, unscored: int, bins: int = 10) -> str:
    """Bars of how many reports scored in each tenth of the range [low, high]; the top bin
    includes the top score."""
    width, height, left, bottom, top = 560, 220, 10, 40, 20
    step = (high - low) / bins if high > low else Decimal(1)
    counts = [0] * bins
    for score in scores:
        index = int((score - low) / step) if step else 0
        counts[min(max(index, 0), bins - 1)] += 1
    peak = max(counts + [1])
    plot_w, plot_h = width - left - 10, height - bottom - top
    bar_w = Decimal(plot_w) / bins
    out = [f'<svg class="chart histogram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="得分分布">']
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" class="axis"/>')
    for i, count in enumerate(counts):
        h = _round(Decimal(plot_h) * count / peak)
        x = _round(left + bar_w * i + 2)
        w = _round(bar_w - 4)
        y = top + plot_h - h
        start, end = low + step * i, low + step * (i + 1)
        label = f"{_short(start)}–{_short(end)}"
        out.append(f'<g><title>{esc(label)} 分：{count} 份</title>'
                   f'<rect x="{x}" y="{y}" width="{w}" height="{h}" class="bar b{i}"/>')
        if count:
            out.append(f'<text x="{_round(left + bar_w * i + bar_w / 2)}" y="{y - 4}" class="count">{count}</text>')
        out.append(f'<text x="{_round(left + bar_w * i + bar_w / 2)}" y="{top + plot_h + 16}" class="tick">'
                   f"{esc(label)}</text></g>")
    if unscored:
        out.append(f'<text x="{left}" y="{height - 4}" class="note">另有 {unscored} 份无法检查或不评分</text>')
    out.append("</svg>")
    return "".join(out)


def failed_rules_chart(items: Sequence[tuple[str, str, int]], checked: int) -> str:
    """Horizontal bars: (rule id, title, reports it failed in), most first."""
    if not items:
        return '<p class="none">没有不通过的规则。</p>'
    row_h, left, width = 26, 90, 560
    height = row_h * len(items) + 10
    peak = max(n for _, _, n in items)
    plot_w = width - left - 120
    out = [f'<svg class="chart failed" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="不通过最多的规则">']
    for i, (rule, title, count) in enumerate(items):
        y = 5 + i * row_h
        w = max(_round(Decimal(plot_w) * count / peak), 1)
        share = percent(Decimal(count) / Decimal(checked)) if checked else "—"
        out.append(f'<g><title>{esc(rule)} {esc(title)}：{count} 份（{esc(share)}）</title>'
                   f'<text x="{left - 6}" y="{y + 17}" class="label end">{esc(rule)}</text>'
                   f'<rect x="{left}" y="{y + 4}" width="{w}" height="{row_h - 8}" class="bar"/>'
                   f'<text x="{left + w + 6}" y="{y + 17}" class="count start">{count}（{esc(share)}）</text></g>')
    out.append("</svg>")
    return "".join(out)


def _round(value: Decimal | int) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _short(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.01")).normalize(), "f")
    return text


def grade_counts(grades: Sequence[str], rows: Iterable[IndexRow]) -> dict[str, int]:
    counts = {g: 0 for g in grades}
    for row in rows:
        if row.grade in counts:
            counts[row.grade] += 1  # type: ignore[index]
    return counts


# --------------------------------------------------------------------------- style and behaviour

_CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--panel:#f6f8fa;--accent:#0969da;
--g0:#dafbe1;--g1:#e6f4ff;--g2:#fff8c5;--g3:#ffebe9;--err:#eaeef2}
*{box-sizing:border-box}
body{margin:0;font:14px/1.6 -apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1400px;margin:0 auto;padding:16px 24px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:12px 0 6px}h3{font-size:15px;margin:14px 0 6px;border-bottom:1px solid var(--line)}
.facts{display:flex;flex-wrap:wrap;gap:4px 18px;margin:6px 0}.facts div{display:flex;gap:6px}.facts dt{color:var(--muted)}.facts dd{margin:0;font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.charts figure{margin:0;flex:1 1 480px;border:1px solid var(--line);border-radius:6px;padding:8px}
figcaption{font-weight:600;margin-bottom:4px}
.chart{width:100%;height:auto}.chart .bar{fill:#4c8eda}.chart .axis{stroke:#8c959f}
.chart text{font-size:11px;fill:var(--fg);text-anchor:middle}.chart .end{text-anchor:end}.chart .start{text-anchor:start}.chart .note{text-anchor:start;fill:var(--muted)}
.hint{color:var(--muted);margin:2px 0 8px}
table#ranking{border-collapse:collapse;width:100%;font-size:13px}
#ranking th,#ranking td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
#ranking td{white-space:nowrap}#ranking td:nth-child(3),#ranking td:last-child{white-space:normal;word-break:break-all}
#ranking th{position:sticky;top:0;background:var(--panel);z-index:1;white-space:nowrap}
#ranking th button{all:unset;cursor:pointer;font-weight:600}
#ranking th[aria-sort=ascending] button::after{content:" ▲"}#ranking th[aria-sort=descending] button::after{content:" ▼"}
#ranking tbody tr{cursor:pointer}#ranking tbody tr:hover,#ranking tbody tr:focus{outline:2px solid var(--accent)}
#ranking tr.selected{outline:2px solid var(--accent)}
tr.g0 td:nth-child(8){background:var(--g0)}tr.g1 td:nth-child(8){background:var(--g1)}tr.g2 td:nth-child(8){background:var(--g2)}tr.g3 td:nth-child(8){background:var(--g3)}
tr.error td{background:var(--err);color:var(--muted)}
#drill{position:fixed;top:0;right:0;bottom:0;width:min(720px,100%);overflow:auto;background:var(--bg);border-left:1px solid var(--line);box-shadow:-4px 0 16px rgba(0,0,0,.12);padding:0 18px 24px;z-index:5}
.drill-bar{position:sticky;top:0;background:var(--bg);padding:8px 0;text-align:right;border-bottom:1px solid var(--line)}
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
@media print{#drill{position:static;box-shadow:none;border:0;width:auto}#ranking th{position:static}}
"""

_SCRIPT = r"""
(function(){
  var table=document.getElementById('ranking');
  var body=table.tBodies[0];
  var drill=document.getElementById('drill');
  var drillBody=document.getElementById('drill-body');
  function value(row,index){return row.cells[index].getAttribute('data-value');}
  function sortBy(th){
    var index=th.cellIndex, numeric=th.getAttribute('data-type')==='num';
    var ascending=th.getAttribute('aria-sort')!=='ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.setAttribute('aria-sort','none');});
    th.setAttribute('aria-sort',ascending?'ascending':'descending');
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){
      var x=value(a,index),y=value(b,index);
      if(x===''&&y==='')return 0; if(x==='')return 1; if(y==='')return -1;  // blanks last either way
      var c=numeric?(parseFloat(x)-parseFloat(y)):x.localeCompare(y,'zh-CN');
      return ascending?c:-c;
    });
    var fragment=document.createDocumentFragment();
    rows.forEach(function(r){fragment.appendChild(r);});
    body.appendChild(fragment);
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th){
    th.querySelector('button').addEventListener('click',function(){sortBy(th);});
  });
  function open(position,row){
    var holder=document.getElementById('report-'+position);
    if(!holder)return;
    drillBody.innerHTML=holder.textContent;  // escaped markup written by the checker
    drill.hidden=false;
    drill.scrollTop=0;
    Array.prototype.forEach.call(body.querySelectorAll('tr.selected'),function(r){r.classList.remove('selected');});
    row=row||body.querySelector('tr[data-report="'+position+'"]');
    if(row)row.classList.add('selected');
    if(location.hash!=='#report-'+position)history.replaceState(null,'','#report-'+position);
  }
  function close(){drill.hidden=true;drillBody.innerHTML='';history.replaceState(null,'',location.pathname+location.search);}
  body.addEventListener('click',function(e){var row=e.target.closest('tr');if(row)open(row.getAttribute('data-report'),row);});
  body.addEventListener('keydown',function(e){
    if(e.key==='Enter'){var row=e.target.closest('tr');if(row)open(row.getAttribute('data-report'),row);}
  });
  document.getElementById('drill-close').addEventListener('click',close);
  document.addEventListener('keydown',function(e){if(e.key==='Escape'&&!drill.hidden)close();});
  var m=/^#report-(\d+)$/.exec(location.hash);
  if(m)open(m[1]);
})();
"""
