"""A batch's index.html: the page an office opens first, small enough for 100,000 reports.

Per year (a selector; reports of different years are never ranked together): totals, the score
distribution and the most-failed rules as inline SVG, comparisons by region and by kind of
agency, and the ranking. The ranking is one compact JSON array in the page that a small script
shows a page of rows at a time, sortable and filterable; each report's details are its own page
under reports/ (opened in a panel), and for a batch of modest size also inline in inert holders
(opened instantly, and printed after the ranking). A link ``index.html#report-<id>`` opens a
report by its stable id. A footer says what produced the results (checker.provenance).

Report text is untrusted: in markup it is escaped; in the JSON it is data the script inserts as
text (``textContent``), and every ``<`` is written ``\\u003c`` so nothing in it can end the script."""
from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import IO, Any, Iterable, Mapping, Optional, Sequence

from ..messages import KIND_LABELS, SEVERITY_LABELS, STATUS_LABELS, label
from ..results import STATUSES
from .html import esc, number, page_head
from .provenance import provenance_footer
from .records import RuleTally, SummaryRow
from .results_text import percent

_KIND_CODES = {"government": "g", "department": "d", "other": "o"}


@dataclass(frozen=True)
class IndexData:
    # checker.render.records.ranked, or anything iterable twice in that order (a batch's rows on disk)
    ranking: Iterable[tuple[Optional[int], SummaryRow]]
    grades: Sequence[str]  # the profile's grade labels, best first
    profile: Any  # checker.engine.scoring.Profile (name, start, floor)
    titles: Mapping[str, str]  # rule id -> title
    tally: RuleTally
    provenance: Mapping[str, Any]
    failed_shown: int = 15
    lang: str = "zh"  # of every word of the page (titles: the rules' title_en in English)
    # the waivers applied in the batch: (waiver as text, how many reports it applied to)
    waivers: Sequence[tuple[str, int]] = ()

    def words(self, key: str, **values: Any) -> str:
        return label(key, self.lang, **values)

    def grade_name(self, grade: Optional[str]) -> Optional[str]:
        """A grade as this page's language names it (the profile's label_en in English)."""
        if self.lang == "en":
            for band in getattr(self.profile, "grades", ()):
                if band.label == grade and band.label_en:
                    return str(band.label_en)
        return grade


def index_page(out: IO[str], data: IndexData, fragments: Optional[Path] = None) -> None:
    """Write index.html to ``out``. ``fragments``: a file of report holders (report_holder) to
    carry inline."""
    t = data.words
    out.write(page_head(t("batch_title"), lang=data.lang))
    out.write(f'<body><main><header class="batch"><h1>{esc(t("heading"))}</h1>')
    out.write(f'<p class="profile">{esc(t("profile"))}{esc(t("colon"))}{esc(data.profile.name or data.profile.id)}'
              '</p></header>')
    years, sections = _gather(data.ranking)
    if not years:
        years, sections = [None], {None: _Group()}
    out.write(f'<section class="controls no-print" aria-label="{esc(t("filters"))}"><label>{esc(t("year"))} '
              '<select id="year">')
    for year in years:
        out.write(f'<option value="{esc(_year_key(year))}">{esc(_year_name(year, data.lang))}</option>')
    out.write(f'</select></label><label>{esc(t("region"))} <select id="region"><option value="">{esc(t("all"))}'
              f'</option></select></label><label>{esc(t("kind").capitalize())} <select id="kind"><option value="">'
              f'{esc(t("all"))}</option>'
              + "".join(f'<option value="{c}">{esc(KIND_LABELS[data.lang][k])}</option>' for k, c in _KIND_CODES.items())
              + f'</select></label><label>{esc(t("search"))} <input id="search" type="search" '
              f'placeholder="{esc(t("search_hint"))}"></label></section>')
    for index, year in enumerate(years):
        out.write(_year_section(_year_key(year), _year_name(year, data.lang), sections[year], data, hidden=index > 0))
    out.write(f'<section class="ranking-section"><h2>{esc(t("ranking"))} <span id="ranking-year"></span></h2>'
              f'<p class="hint">{esc(t("ranking_hint"))}</p>'
              '<div class="pager" id="pager-top"></div><table id="ranking"><thead><tr>')
    for key, name, kind, optional in _columns(data.lang):
        cls = ' class="opt"' if optional else ""
        out.write(f'<th data-key="{key}" data-type="{kind}" aria-sort="none"{cls}><button type="button">'
                  f'{esc(name)}</button></th>')
    out.write('</tr></thead><tbody></tbody></table><div class="pager" id="pager"></div></section>')
    out.write(_rules_table(data))
    out.write(_waivers_table(data))
    out.write('<section id="print-reports" aria-hidden="true"></section>')
    out.write('<aside id="drill" hidden aria-live="polite"><div class="drill-bar"><a id="drill-page" href="#" '
              f'target="_blank">{esc(t("open_page"))}</a><button type="button" id="drill-close">{esc(t("close"))}'
              '</button></div><div id="drill-body"></div></aside></main>\n')
    out.write(provenance_footer(data.provenance, data.lang))
    out.write('<script type="application/json" id="data">')
    _write_payload(out, data)
    out.write("</script>\n")
    if fragments is not None:
        with open(fragments, encoding="utf-8") as stream:
            shutil.copyfileobj(stream, out, 1 << 20)
    out.write(f"<script>{_SCRIPT}</script></body></html>\n")


def report_holder(ident: str, fragment: bytes) -> bytes:
    """A drill-down (its UTF-8 bytes) kept inert in the index until its row is opened (or the
    page printed). The fragment is escaped markup: no '<' of report text is left in it, so
    nothing in it can end the holder."""
    return b"".join((f'<script type="text/x-report" id="holder-{esc(ident)}">'.encode("utf-8"), fragment,
                     b"</script>\n"))


# what a ranking row shows: (data key, header label, sort type, hidden on a narrow screen); a
# severity's column is headed by its name
_COLUMNS = (("rank", "rank", "num", False), ("agency", "agency", "text", False), ("file", "file", "text", True),
            ("region", "region", "text", True), ("kind", "kind", "text", True), ("published", "published", "text", True),
            ("score", "score", "num", False), ("grade", "grade", "text", False), ("coverage", "coverage", "num", True),
            ("critical", "", "num", True), ("high", "", "num", True), ("medium", "", "num", True),
            ("low", "", "num", True), ("failed", "failed_or_reason", "text", True))


def _columns(lang: str) -> list[tuple[str, str, str, bool]]:
    return [(key, label(name, lang).capitalize() if name else SEVERITY_LABELS[lang][key], kind, optional)
            for key, name, kind, optional in _COLUMNS]


def _year_key(year: Optional[int]) -> str:
    return str(year) if year is not None else ""


def _year_name(year: Optional[int], lang: str) -> str:
    return label("year_n", lang, year=year) if year is not None else label("unknown_year", lang)


class _Group:
    """What a year section shows of a group of reports, gathered a row at a time (a batch's
    rows are read from disk, never all held at once)."""

    def __init__(self) -> None:
        self.count = 0
        self.errors = 0
        # score -> reports with it: a few hundred distinct scores, however many reports
        self.scores: Counter[Decimal] = Counter()
        self.grades: Counter[Optional[str]] = Counter()
        self.failed: Counter[str] = Counter()
        self.by_region: dict[Optional[str], _Group] = {}
        self.by_kind: dict[Optional[str], _Group] = {}

    def add(self, row: SummaryRow) -> None:
        self.count += 1
        self.errors += int(bool(row.error))
        if row.score is not None:
            self.scores[row.score] += 1
        self.grades[row.grade] += 1

    def add_to_year(self, row: SummaryRow) -> None:
        self.add(row)
        self.failed.update(set(row.failed_rules))
        for groups, name in ((self.by_region, row.region), (self.by_kind, row.kind)):
            group = groups.get(name)
            if group is None:
                group = groups[name] = _Group()
            group.add(row)

    def mean_or_below(self) -> Decimal:
        """The mean score, or -1 for a group without scores (sorted last)."""
        return _total(self.scores) / self.scores.total() if self.scores else Decimal(-1)


def _gather(ranking: Iterable[tuple[Optional[int], SummaryRow]]) -> tuple[list[Optional[int]], dict]:
    """The years in ranking order (latest first, the unknown year last) and each one's group."""
    years: list[Optional[int]] = []
    sections: dict[Optional[int], _Group] = {}
    for _, row in ranking:
        section = sections.get(row.year)
        if section is None:
            years.append(row.year)
            section = sections[row.year] = _Group()
        section.add_to_year(row)
    return years, sections


def _year_section(key: str, name: str, year: "_Group", data: IndexData, hidden: bool) -> str:
    t = data.words
    scores = year.scores
    errors = year.errors
    checked = year.count - errors
    totals: list[tuple[str, object]] = [(t("reports"), t("n_reports", n=year.count)),
                                        (t("checked"), t("n_reports", n=checked)),
                                        (t("cannot_check"), t("n_reports", n=errors)), (t("mean"), _mean(scores))]
    grades = year.grades
    totals += [(data.grade_name(g), t("n_reports", n=grades.get(g, 0))) for g in data.grades]
    most = sorted(year.failed.items(), key=lambda item: (-item[1], item[0]))[:data.failed_shown]
    unknown = label("unknown", data.lang)
    kinds: dict[Optional[str], _Group] = {}
    for kind, group in year.by_kind.items():  # kinds named alike (none, an unlisted one) are one group
        shown = KIND_LABELS[data.lang].get(kind or "", unknown)
        kinds[shown] = _merged(kinds[shown], group) if shown in kinds else group
    out = [f'<section class="year" data-year="{esc(key)}"' + (" hidden" if hidden else "") + ">",
           f"<h2>{esc(name)}</h2>",
           '<dl class="facts totals">' + "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in totals)
           + "</dl>",
           f'<div class="charts"><figure><figcaption>{esc(t("score_distribution"))}</figcaption>',
           score_histogram(scores.elements(), data.profile.floor, data.profile.start,
                           unscored=year.count - scores.total(),
                           lang=data.lang),
           f'</figure><figure><figcaption>{esc(t("most_failed"))}</figcaption>',
           failed_rules_chart([(rule, data.titles.get(rule, ""), n) for rule, n in most], checked, lang=data.lang),
           "</figure></div>",
           _comparison(t("by_region"), t("region"), year.by_region, data),
           _comparison(t("by_kind"), t("kind").capitalize(), kinds, data),
           "</section>"]
    return "".join(out)


def _merged(first: "_Group", second: "_Group") -> "_Group":
    group = _Group()
    group.count, group.errors = first.count + second.count, first.errors + second.errors
    group.scores = first.scores + second.scores
    group.grades = first.grades + second.grades
    return group


def _comparison(caption: str, heading: str, groups: Mapping[Optional[str], "_Group"], data: IndexData) -> str:
    """Reports grouped (None: the group of reports without a value, e.g. no region)."""
    t = data.words
    if list(groups) == [None]:
        return ""  # no manifest column 地区: nothing to compare
    head = "".join(f'<th class="num">{esc(data.grade_name(g))}</th>' for g in data.grades)
    out = [f'<details class="comparison" open><summary>{esc(caption)}</summary><div class="scroll">'
           f'<table class="grid"><thead><tr><th>{esc(heading)}</th><th class="num">{esc(t("reports"))}</th>'
           f'<th class="num">{esc(t("mean"))}</th><th class="num">{esc(t("lowest"))}</th>{head}'
           f'<th class="num">{esc(t("cannot_check"))}</th></tr></thead><tbody>']
    for name, group in sorted(groups.items(), key=lambda item: (-item[1].mean_or_below(), item[0] or "")):
        scores, counts = group.scores, group.grades
        shown = name if name is not None else t("no_region")
        out.append(f"<tr><td>{esc(shown)}</td><td class=\"num\">{group.count}</td><td class=\"num\">{_mean(scores)}</td>"
                   f'<td class="num">{number(min(scores)) if scores else "—"}</td>'
                   + "".join(f'<td class="num">{counts.get(g, 0)}</td>' for g in data.grades)
                   + f'<td class="num">{group.errors}</td></tr>')
    out.append("</tbody></table></div></details>")
    return "".join(out)


def _rules_table(data: IndexData) -> str:
    t = data.words
    statuses = [s for s in STATUSES if s != "waived" or any(data.tally.of(r).get(s) for r in data.titles)]
    out = [f'<section class="rules"><details><summary><h2 style="display:inline">{esc(t("rules_heading"))}</h2>'
           f'</summary><div class="scroll"><table class="grid"><thead><tr><th>{esc(t("rule"))}</th>'
           f'<th>{esc(t("title"))}</th>'
           + "".join(f'<th class="num">{esc(STATUS_LABELS[data.lang][s])}</th>' for s in statuses)
           + "</tr></thead><tbody>"]
    for rule, title in data.titles.items():
        counts = data.tally.of(rule)
        out.append(f"<tr><td><code>{esc(rule)}</code></td><td>{esc(title)}</td>"
                   + "".join(f'<td class="num">{counts.get(s, 0)}</td>' for s in statuses) + "</tr>")
    out.append("</tbody></table></div></details></section>")
    return "".join(out)


def _waivers_table(data: IndexData) -> str:
    """The waivers applied in the batch, each with how many reports it applied to."""
    if not data.waivers:
        return ""
    t = data.words
    rows = "".join(f'<tr><td>{esc(text)}</td><td class="num">{n}</td></tr>' for text, n in data.waivers)
    return (f'<section class="waivers"><h2>{esc(t("waivers_applied"))}</h2><div class="scroll"><table class="grid">'
            f'<thead><tr><th>{esc(t("waived_rules"))}</th><th class="num">{esc(t("reports"))}</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div></section>")


# ---------------------------------------------------------------------- the data the script shows


def _write_payload(out: IO[str], data: IndexData) -> None:
    """The ranking as compact rows (the bulk of the page: ~100 bytes a report), written a row
    at a time. A row: [id, rank, agency, file, region, kind code, year, published, score, grade
    index, coverage (per mille), failures critical..low, failed rule indices, reason it could
    not be checked]."""
    rules = list(data.titles)
    index = {rule: i for i, rule in enumerate(rules)}
    grades = list(data.grades)
    words = {key: data.words(key) for key in ("pager", "prev", "next", "cannot_check", "details")}
    head = _json({"grades": [data.grade_name(g) for g in grades],
                  "kinds": {c: KIND_LABELS[data.lang][k] for k, c in _KIND_CODES.items()},
                  "rules": rules, "titles": [data.titles[r] for r in rules], "words": words})
    out.write(head[:-1] + ',"rows":[')
    separator = ""
    for rank, row in data.ranking:
        failures = list(row.failures[:4]) if not row.error else None
        failed = [index[r] for r in row.failed_rules if r in index] if not row.error else None
        out.write(separator + _json([row.id, rank, row.agency, row.file, row.region, _KIND_CODES.get(row.kind or ""),
                                     row.year, row.published.isoformat() if row.published else None,
                                     _plain(row.score), grades.index(row.grade) if row.grade in grades else None,
                                     int((row.coverage * 1000).to_integral_value()) if row.coverage is not None
                                     else None, failures, failed, row.error]))
        separator = ","
    out.write("]}")


def _plain(value: Optional[Decimal]) -> Any:
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)  # display only


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _total(scores: Counter[Decimal]) -> Decimal:
    return sum((score * n for score, n in scores.items()), Decimal(0))


def _mean(scores: Counter[Decimal]) -> str:
    if not scores:
        return "—"
    return format((_total(scores) / scores.total()).quantize(Decimal("0.1")), "f")


# ---------------------------------------------------------------------- charts (inline SVG)


def score_histogram(scores: Iterable[Decimal], low: Decimal, high: Decimal, unscored: int, bins: int = 10,
                    lang: str = "zh") -> str:
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
           f'role="img" aria-label="{esc(label("score_distribution", lang))}">']
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" class="axis"/>')
    for i, count in enumerate(counts):
        h = _round(Decimal(plot_h) * count / peak)
        x = _round(left + bar_w * i + 2)
        w = _round(bar_w - 4)
        y = top + plot_h - h
        start, end = low + step * i, low + step * (i + 1)
        span = f"{_short(start)}–{_short(end)}"
        out.append(f'<g><title>{esc(label("histogram_bar", lang, range=span, n=count))}</title>'
                   f'<rect x="{x}" y="{y}" width="{w}" height="{h}" class="bar b{i}"/>')
        if count:
            out.append(f'<text x="{_round(left + bar_w * i + bar_w / 2)}" y="{y - 4}" class="count">{count}</text>')
        out.append(f'<text x="{_round(left + bar_w * i + bar_w / 2)}" y="{top + plot_h + 16}" class="tick">'
                   f"{esc(span)}</text></g>")
    if unscored:
        out.append(f'<text x="{left}" y="{height - 4}" class="note">'
                   f'{esc(label("histogram_note", lang, n=unscored))}</text>')
    out.append("</svg>")
    return "".join(out)


_TITLE_SHOWN = 16


def failed_rules_chart(items: Sequence[tuple[str, str, int]], checked: int, lang: str = "zh") -> str:
    """Horizontal bars: (rule id, title, reports it failed in), most first; each bar labelled
    with the rule's id and title."""
    if not items:
        return f'<p class="none">{esc(label("none_failed", lang))}</p>'
    row_h, left, width = 26, 270, 640
    height = row_h * len(items) + 10
    peak = max(n for _, _, n in items)
    plot_w = width - left - 110
    out = [f'<svg class="chart failed" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="{esc(label("most_failed", lang))}">']
    for i, (rule, title, count) in enumerate(items):
        y = 5 + i * row_h
        w = max(_round(Decimal(plot_w) * count / peak), 1)
        share = percent(Decimal(count) / Decimal(checked)) if checked else "—"
        shown = title if len(title) <= _TITLE_SHOWN else title[:_TITLE_SHOWN - 1] + "…"
        figure = label("failed_bar", lang, n=count, share=share)
        out.append(f'<g><title>{esc(rule)} {esc(title)}{esc(label("colon", lang))}{esc(figure)}</title>'
                   f'<text x="{left - 6}" y="{y + 17}" class="label end">{esc(rule)} {esc(shown)}</text>'
                   f'<rect x="{left}" y="{y + 4}" width="{w}" height="{row_h - 8}" class="bar"/>'
                   f'<text x="{left + w + 6}" y="{y + 17}" class="count start">{esc(figure)}</text></g>')
    out.append("</svg>")
    return "".join(out)


def _round(value: Decimal | int) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _short(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")).normalize(), "f")


_SCRIPT = r"""
(function(){
  var DATA=JSON.parse(document.getElementById('data').textContent);
  var PAGE=100, ROWS=DATA.rows, W=DATA.words;
  var I={id:0,rank:1,agency:2,file:3,region:4,kind:5,year:6,published:7,score:8,grade:9,coverage:10,fail:11,rules:12,error:13};
  var table=document.getElementById('ranking'), body=table.tBodies[0];
  var yearSel=document.getElementById('year'), regionSel=document.getElementById('region');
  var kindSel=document.getElementById('kind'), search=document.getElementById('search');
  var drill=document.getElementById('drill'), drillBody=document.getElementById('drill-body');
  var state={sort:null,asc:true,page:0,printing:false};
  var regions={};
  ROWS.forEach(function(r){if(r[I.region])regions[r[I.region]]=1;});
  Object.keys(regions).sort(function(a,b){return a.localeCompare(b,'zh-CN');}).forEach(function(name){
    var o=document.createElement('option');o.value=name;o.textContent=name;regionSel.appendChild(o);});
  if(regionSel.options.length<2)regionSel.parentNode.hidden=true;
  function yearOf(r){return r[I.year]===null?'':String(r[I.year]);}
  function selected(){
    var y=yearSel.value, g=regionSel.value, k=kindSel.value, q=search.value.trim();
    return ROWS.filter(function(r){
      return yearOf(r)===y && (!g||r[I.region]===g) && (!k||r[I.kind]===k) &&
        (!q||(r[I.agency]||'').indexOf(q)>=0||(r[I.file]||'').indexOf(q)>=0);});
  }
  function sortValue(r,key){
    switch(key){
      case 'critical':return r[I.fail]?r[I.fail][0]:null; case 'high':return r[I.fail]?r[I.fail][1]:null;
      case 'medium':return r[I.fail]?r[I.fail][2]:null; case 'low':return r[I.fail]?r[I.fail][3]:null;
      case 'failed':return r[I.error]||(r[I.rules]||[]).map(function(i){return DATA.rules[i];}).join(' ');
      case 'kind':return r[I.kind]?DATA.kinds[r[I.kind]]:null;
      case 'grade':return r[I.grade];
      default:return r[I[key]];
    }
  }
  function ordered(rows){
    if(!state.sort)return rows;
    var key=state.sort, numeric=table.querySelector('th[data-key='+key+']').getAttribute('data-type')==='num';
    return rows.slice().sort(function(a,b){
      var x=sortValue(a,key),y=sortValue(b,key);
      var ex=(x===null||x===''||x===undefined), ey=(y===null||y===''||y===undefined);
      if(ex&&ey)return 0; if(ex)return 1; if(ey)return -1;  // blanks last either way
      var c=numeric?(x-y):String(x).localeCompare(String(y),'zh-CN');
      return state.asc?c:-c;
    });
  }
  function cell(tr,text,cls,title){
    var td=document.createElement('td');td.textContent=(text===null||text===undefined)?'':String(text);
    if(cls)td.className=cls; if(title)td.title=title; tr.appendChild(td); return td;}
  function row(r){
    var tr=document.createElement('tr');tr.tabIndex=0;tr.setAttribute('data-report',r[I.id]);
    if(r[I.error])tr.className='error';
    var opt='opt';
    cell(tr,r[I.rank]);cell(tr,r[I.agency]||'','wrap');cell(tr,r[I.file],'wrap '+opt);
    cell(tr,r[I.region]||'',opt);cell(tr,r[I.kind]?DATA.kinds[r[I.kind]]:'',opt);cell(tr,r[I.published]||'',opt);
    cell(tr,r[I.score]===null?'—':r[I.score]);
    cell(tr,r[I.grade]!==null?DATA.grades[r[I.grade]]:(r[I.error]?W.cannot_check:'—'),r[I.grade]!==null?'g'+Math.min(r[I.grade],3):'');
    cell(tr,r[I.coverage]===null?'—':(r[I.coverage]/10).toFixed(1)+'%',opt);
    for(var s=0;s<4;s++)cell(tr,r[I.fail]?r[I.fail][s]:'',opt);
    var last=cell(tr,'','wrap '+opt);
    if(r[I.error]){last.textContent=r[I.error];}
    else (r[I.rules]||[]).forEach(function(i,n){
      var a=document.createElement('abbr');a.textContent=DATA.rules[i];a.title=DATA.titles[i];
      if(n)last.appendChild(document.createTextNode(' '));last.appendChild(a);});
    return tr;
  }
  function pager(total){
    ['pager','pager-top'].forEach(function(id){
      var el=document.getElementById(id);el.textContent='';
      var pages=Math.max(1,Math.ceil(total/PAGE));
      if(state.page>=pages)state.page=pages-1;
      var info=document.createElement('span');
      info.textContent=W.pager.replace('{total}',total).replace('{page}',state.page+1).replace('{pages}',pages);
      [[W.prev,-1],[W.next,1]].forEach(function(b){
        var btn=document.createElement('button');btn.type='button';btn.textContent=b[0];
        btn.disabled=(state.page+b[1]<0||state.page+b[1]>=pages);
        btn.addEventListener('click',function(){state.page+=b[1];render();});
        el.appendChild(btn);});
      el.insertBefore(info,el.lastChild);
    });
  }
  function render(){
    var rows=ordered(selected());
    var shown=state.printing?rows:rows.slice(state.page*PAGE,(state.page+1)*PAGE);
    var fragment=document.createDocumentFragment();
    shown.forEach(function(r){fragment.appendChild(row(r));});
    body.textContent='';body.appendChild(fragment);
    pager(rows.length);
    document.getElementById('ranking-year').textContent=yearSel.options[yearSel.selectedIndex].text;
    Array.prototype.forEach.call(document.querySelectorAll('section.year'),function(s){
      s.hidden=s.getAttribute('data-year')!==yearSel.value;});
    return rows;
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th){
    th.querySelector('button').addEventListener('click',function(){
      var key=th.getAttribute('data-key');
      state.asc=(state.sort===key)?!state.asc:true; state.sort=key;
      Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.setAttribute('aria-sort','none');});
      th.setAttribute('aria-sort',state.asc?'ascending':'descending');
      state.page=0;render();});
  });
  [yearSel,regionSel,kindSel].forEach(function(el){el.addEventListener('change',function(){state.page=0;render();});});
  search.addEventListener('input',function(){state.page=0;render();});
  function open(id){
    var holder=document.getElementById('holder-'+id);
    drillBody.textContent='';
    if(holder){drillBody.innerHTML=holder.textContent;}  // escaped markup written by the checker
    else{var frame=document.createElement('iframe');frame.src='reports/'+id+'.html';frame.title=W.details;drillBody.appendChild(frame);}
    document.getElementById('drill-page').href='reports/'+id+'.html';
    drill.hidden=false;drill.scrollTop=0;
    Array.prototype.forEach.call(body.querySelectorAll('tr.selected'),function(r){r.classList.remove('selected');});
    var tr=body.querySelector('tr[data-report="'+id+'"]'); if(tr)tr.classList.add('selected');
    if(location.hash!=='#report-'+id)history.replaceState(null,'','#report-'+id);
  }
  function close(){drill.hidden=true;drillBody.textContent='';history.replaceState(null,'',location.pathname+location.search);}
  body.addEventListener('click',function(e){var tr=e.target.closest('tr');if(tr)open(tr.getAttribute('data-report'));});
  body.addEventListener('keydown',function(e){
    if(e.key==='Enter'){var tr=e.target.closest('tr');if(tr)open(tr.getAttribute('data-report'));}});
  document.getElementById('drill-close').addEventListener('click',close);
  document.addEventListener('keydown',function(e){if(e.key==='Escape'&&!drill.hidden)close();});
  function fromHash(){
    var m=/^#report-([0-9a-f-]+)$/.exec(location.hash); if(!m)return;
    for(var i=0;i<ROWS.length;i++)if(ROWS[i][I.id]===m[1]){
      yearSel.value=yearOf(ROWS[i]);regionSel.value='';kindSel.value='';search.value='';state.sort=null;
      var rows=selected();state.page=Math.floor(rows.indexOf(ROWS[i])/PAGE);render();open(m[1]);return;}
  }
  var printed=document.getElementById('print-reports');
  window.addEventListener('beforeprint',function(){
    state.printing=true;var rows=render();printed.textContent='';
    rows.forEach(function(r){var holder=document.getElementById('holder-'+r[I.id]);
      if(holder){var div=document.createElement('div');div.innerHTML=holder.textContent;printed.appendChild(div);}});
  });
  window.addEventListener('afterprint',function(){state.printing=false;printed.textContent='';render();});
  render();fromHash();
  window.addEventListener('hashchange',fromHash);
})();
"""
