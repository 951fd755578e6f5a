"""The domain vocabulary of the rule language: functions about parts, tables, cells and text.

Each is a small typed function registered in the expression language's function registry (the
generic ones - sum, count, contains ... - live in checker.engine.expr.functions). They read the report
being checked through checker.engine.context.current(), and quote what they look at as evidence."""
from __future__ import annotations

import itertools
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any, Optional, Sequence

from .context import Sentence, TableView, current
from .expr import Missing, register
from .screens import absent, context_free, needs
from ..model import Cell
from ..messages import cell_state, phrase
from ..results import Evidence, quote
from ..textnorm import squash

# ------------------------------------------------------------------------------- parts


def _noted(items: list[Evidence]) -> list[Evidence]:
    """The evidence items, each noted as looked at by the rule being run."""
    view = current()
    for item in items:
        view.note(item)
    return items


@register("part_found", params=("number",), returns="bool", min_args=1, max_args=1,
          doc="part_found(n): whether part n (1-6) of the format was found. part_found(6)")
def part_found(n: Any) -> bool:
    return current().report.part(int(n)) is not None


@register("part", params=("number",), returns="part", min_args=1, max_args=1,
          doc="part(n): part n as {id, heading, ordinal, text, line}, or null when missing. part(5).text")
def part(n: Any) -> Optional[dict[str, Any]]:
    found = current().report.part(int(n))
    if found is None:
        return None
    return {"id": found.id, "found": True, "heading": found.heading, "ordinal": found.ordinal,
            "text": found.text, "line": found.where.line if found.where else None}


@register("part_label", params=("number",), returns="text", min_args=1, max_args=1,
          doc="part_label(n): the mandated heading of part n. part_label(4) → 四、政府信息公开行政复议、行政诉讼情况")
def part_label(n: Any) -> str:
    spec = current().fmt.part(int(n))
    return f"{spec.ordinal}、{spec.label}"


@register("found_parts", params=(), returns="list[number]", min_args=0, max_args=0,
          doc="found_parts(): ids of the parts found, in document order")
def found_parts() -> list[int]:
    return [p.id for p in sorted((p for p in current().report.parts if p.found), key=lambda p: p.index)]


@register("headings", params=(), returns="list[evidence]", min_args=0, max_args=0,
          doc="headings(): the part headings found, quoted as evidence (the first lines when there are none)")
def headings() -> list[Evidence]:
    view = current()
    return _noted([quote(p.heading, p.where)
                   for p in sorted((p for p in view.report.parts if p.found), key=lambda p: p.index)]) or opening()


@register("part_heading", params=("number",), returns="evidence", min_args=1, max_args=1,
          doc="part_heading(n): the heading of part n quoted as evidence, or null")
def part_heading(n: Any) -> Optional[Evidence]:
    view = current()
    found = view.report.part(int(n))
    if found is None:
        return None
    item = Evidence(kind="quote", text=found.heading, where=found.where)
    view.note(item)
    return item


def _misworded() -> list[Any]:
    view = current()
    return [p for p in sorted((p for p in view.report.parts if p.found), key=lambda p: p.index) if p.misworded]


@register("misworded_headings", params=(), returns="list[evidence]", min_args=0, max_args=0,
          doc="misworded_headings(): the part headings not worded as the format (or an accepted "
              "variant) words them, quoted as evidence")
def misworded_headings() -> list[Evidence]:
    return _noted([Evidence(kind="label", text=p.heading, where=p.where, value=part_label(p.id))
                   for p in _misworded()])


@register("heading_corrections", params=("text",), returns="list[text]", min_args=0, max_args=1,
          doc="heading_corrections(lang='zh'): each misworded part heading with the mandated one, as "
              "sentences (in English with 'en')")
def heading_corrections(lang: Any = "zh") -> list[str]:
    return [phrase("label_should", str(lang), written=p.heading, expected=part_label(p.id)) for p in _misworded()]


@register("order_problems", params=("text",), returns="list[text]", min_args=0, max_args=1,
          doc="order_problems(lang='zh'): parts out of order, misnumbered or repeated, as sentences "
              "(in English with 'en')")
def order_problems(lang: Any = "zh") -> list[str]:
    view = current()
    lang = str(lang)
    found = sorted((p for p in view.report.parts if p.found), key=lambda p: p.index)
    problems: list[str] = []
    previous_id = 0
    for part_ in found:
        spec = view.fmt.part(part_.id)
        if part_.id < previous_id:
            problems.append(phrase("part_after", lang, heading=part_.heading, number=previous_id,
                                   ordinal=view.fmt.part(previous_id).ordinal))
        if part_.ordinal and part_.ordinal != spec.ordinal:
            problems.append(phrase("part_ordinal", lang, heading=part_.heading, ordinal=spec.ordinal))
        previous_id = max(previous_id, part_.id)
    return problems


def _quote_lines(first: bool, count: int = 3) -> list[Evidence]:
    view = current()
    lines = view.report.lines if first else reversed(view.report.lines)
    chosen = list(itertools.islice(((line, text) for line in lines if (text := line.text.strip())), count))
    if not first:
        chosen.reverse()
    return _noted([quote(text, line.where) for line, text in chosen])


@register("ending", params=(), returns="list[evidence]", min_args=0, max_args=0,
          doc="ending(): the last lines of the document, quoted as evidence (for the signature block)")
def ending() -> list[Evidence]:
    return _quote_lines(first=False)


@register("opening", params=(), returns="list[evidence]", min_args=0, max_args=0,
          doc="opening(): the first lines of the document, quoted as evidence (for the title)")
def opening() -> list[Evidence]:
    return _quote_lines(first=True)


# ------------------------------------------------------------------------------- text


@lru_cache(maxsize=512)
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _scope(value: Any) -> Any:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return value if isinstance(value, str) else [value]
    return [int(v) for v in value]


def matching_sentences(scope: Any, patterns: Sequence[str], unless: Sequence[str] = ()) -> list[Sentence]:
    view = current()
    scope = _scope(scope)
    compiled = [_pattern(p) for p in patterns]
    excluded = [_pattern(p) for p in unless]
    sentences = view.sentences(scope)
    if compiled and all(map(context_free, compiled)):
        # the scope's text searched once a pattern, sentence by sentence only from a hit on
        joined = view.scope_text(scope)
        hits = set().union(*(joined.sentences_searched(p) for p in compiled))
        candidates = [sentences[i] for i in sorted(hits)]
    else:
        screened = [(p, needs(p)) for p in compiled]
        candidates = [s for s in sentences
                      if any(not absent(needed, s.text) and p.search(s.text) for p, needed in screened)]
    return [s for s in candidates if not any(p.search(s.text) for p in excluded)]


@register("sentences", params=("scope", "texts", "texts"), returns="list[evidence]", min_args=2, max_args=3,
          doc="sentences(scope, patterns, unless=[]): sentences in scope matching any regular expression "
              "and none of `unless`, quoted as evidence. scope: \"narrative\", \"all\", \"preface\" or part ids")
def sentences(scope: Any, patterns: Any, unless: Any = None) -> list[Evidence]:
    return _noted([s.evidence() for s in matching_sentences(scope, _as_list(patterns), _as_list(unless))])


@register("mentions", params=("scope", "texts"), returns="list[evidence]", min_args=2, max_args=2,
          doc="mentions(scope, words): sentences in scope containing any of the words (plain text, "
              "spacing and full-width forms ignored), quoted as evidence")
def mentions(scope: Any, words: Any) -> list[Evidence]:
    view = current()
    scope = _scope(scope)
    needles = _squashed(tuple(_as_list(words)))
    # a word no sentence holds is not in the scope's squashed text either (a squashed word has
    # no newline to run across two sentences): most reports are decided by that one look
    flat = view.scope_text(scope).flat
    if not any(n in flat for n in needles):
        return _noted([])
    return _noted([s.evidence() for s in view.sentences(scope) if any(n in s.flat for n in needles)])


@register("found_words", params=("scope", "texts"), returns="list[text]", min_args=2, max_args=2,
          doc="found_words(scope, words): which of the words occur in scope")
def found_words(scope: Any, words: Any) -> list[str]:
    text = "".join(s.flat for s in current().sentences(_scope(scope)))
    listed = _as_list(words)
    return [w for w, needle in zip(listed, _squashed(tuple(listed))) if needle in text]


@lru_cache(maxsize=512)
def _squashed(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words squashed (a rule's word lists are the same at every report)."""
    return tuple(squash(w) for w in words)


@register("markers", params=("text",), returns="list[text]", min_args=1, max_args=1,
          doc="markers(name): a word list of the report format, e.g. markers('old_format')")
def markers(name: Any) -> list[str]:
    fmt = current().fmt
    if str(name) not in fmt.markers:
        raise Missing(reason=f"the format has no marker list {name!r}")
    return list(fmt.markers[str(name)])


@register("format_from_year", params=(), returns="number", min_args=0, max_args=0,
          doc="format_from_year(): the first report year the format applies to")
def format_from_year() -> int:
    return current().fmt.from_year


@register("join", params=("list", "text"), returns="text", min_args=1, max_args=2,
          doc="join(list, sep='、'): the items as one text")
def join(items: Any, sep: Any = "、") -> str:
    if items is None:
        return ""
    return str(sep).join(_text_of(i) for i in items)


def _text_of(item: Any) -> str:
    if isinstance(item, Evidence):
        return item.text
    if isinstance(item, Cell):
        return item.raw
    return str(item)


# ------------------------------------------------------------------------------- metadata


def _place(name: str) -> str:
    """The administrative area a name starts with: '某某县人民政府办公室' -> '某某县'."""
    match = re.match(r"^(.+?(?:自治州|自治县|自治旗|特别行政区|新区|实验区|开发区|省|市|县|区|旗|州|盟|镇|乡))", name)
    return match.group(1) if match else name


def same_agency(a: str, b: str) -> bool:
    a, b = squash(a), squash(b)
    return a in b or b in a or _place(a) == _place(b)


@register("identity_problems", params=("text",), returns="list[text]", min_args=0, max_args=1,
          doc="identity_problems(lang='zh'): inconsistencies between the title's agency and year, the "
              "statistics period, the signature agency and the publication date (in English with 'en')")
def identity_problems(lang: Any = "zh") -> list[str]:
    view = current()
    lang = str(lang)
    meta = view.report.meta
    problems: list[str] = []
    year = meta.year
    if meta.agency and meta.signature_agency and not same_agency(meta.agency, meta.signature_agency):
        problems.append(phrase("agency_mismatch", lang, agency=meta.agency, signer=meta.signature_agency))
    if year is not None and meta.title:
        title_years = {int(y) for y in re.findall(r"(?<!\d)(20\d{2})(?!\d)", squash(meta.title))}
        if title_years and year not in title_years:
            problems.append(phrase("title_year", lang, years=phrase("list", lang).join(map(str, sorted(title_years))),
                                   year=year))
    if year is not None and meta.period_start is not None and meta.period_start.year != year:
        problems.append(phrase("period_from", lang, found=meta.period_start.year, year=year))
    if year is not None and meta.period_end is not None and meta.period_end.year != year:
        problems.append(phrase("period_to", lang, found=meta.period_end.year, year=year))
    if year is not None and meta.published is not None and meta.published.year not in (year, year + 1):
        problems.append(phrase("date_year", lang, date=meta.published.isoformat(), year=year))
    if problems:
        for text, where in ((meta.title, meta.title_where), (meta.published_text, meta.published_where),
                            (meta.period_text, meta.period_where)):
            if text:
                view.note(Evidence(kind="quote", text=text, where=where))
    return problems


# ------------------------------------------------------------------------------- tables


def _table(value: Any) -> TableView:
    if value is None:
        raise Missing(reason="the table is absent")
    if not isinstance(value, TableView):
        raise TypeError(f"expected a table, got {type(value).__name__}")
    return value.readable()


def _found_rows(table: TableView) -> list[str]:
    """Row keys whose label was located, in document order."""
    seen: list[str] = []
    for label in table.table.labels:
        if label.kind == "row" and label.key not in seen:
            seen.append(label.key)
    return seen


@register("columns", params=("table",), returns="list[text]", min_args=1, max_args=1, doc="columns(table): the column keys of a table")
def columns(table: Any) -> list[str]:
    return [c.key for c in _table(table).spec.columns]


@register("rows", params=("table",), returns="list[text]", min_args=1, max_args=1, doc="rows(table): the row keys of a table")
def rows(table: Any) -> list[str]:
    return [r.key for r in _table(table).spec.rows]


@register("leaves", params=("table",), returns="list[text]", min_args=1, max_args=1,
          doc="leaves(table): the rows marked leaf in the format (the rows a total adds up)")
def leaves(table: Any) -> list[str]:
    return [r.key for r in _table(table).spec.rows if r.leaf]


@register("parts_of", params=("table", "text"), returns="list[text]", min_args=2, max_args=2,
          doc="parts_of(table, key): the rows or columns the format says a total row/column adds up. "
              "parts_of(applications, 'total')")
def parts_of(table: Any, key: Any) -> list[str]:
    spec = _table(table).spec
    for item in (*spec.columns, *spec.rows):
        if item.key == str(key):
            return list(item.total_of)
    raise Missing(reason=f"{spec.key} has no total {key!r}")


@register("column_label", params=("table", "text"), returns="text", min_args=2, max_args=2, doc="column_label(table, key): the mandated column label")
def column_label(table: Any, key: Any) -> str:
    return _table(table).spec.column(str(key)).label


@register("row_label", params=("table", "text"), returns="text", min_args=2, max_args=2, doc="row_label(table, key): the mandated row label")
def row_label(table: Any, key: Any) -> str:
    spec = _table(table).spec
    row = spec.row(str(key))
    block = spec.block(row.block)
    return f"{block.label}·{row.label}" if block is not None and len(block.columns) > 1 else row.label


@register("row_labels", params=("table", "list"), returns="list[text]", min_args=2, max_args=2, doc="row_labels(table, keys): mandated labels of several rows")
def row_labels(table: Any, keys: Any) -> list[str]:
    return [row_label(table, k) for k in keys]


@register("missing_rows", params=("table", "list"), returns="list[text]", min_args=1, max_args=2,
          doc="missing_rows(table, keys=all): rows whose label was not found in the report")
def missing_rows(table: Any, keys: Any = None) -> list[str]:
    view = _table(table)
    wanted = [str(k) for k in keys] if keys is not None else rows(view)
    found = set(_found_rows(view))
    return [k for k in wanted if k not in found]


@register("misordered_rows", params=("table",), returns="list[text]", min_args=1, max_args=1,
          doc="misordered_rows(table): rows found before a row that precedes them in the format")
def misordered_rows(table: Any) -> list[str]:
    view = _table(table)
    order = {r.key: i for i, r in enumerate(view.spec.rows)}
    out, highest = [], -1
    for key in _found_rows(view):
        if order[key] < highest:
            out.append(key)
        highest = max(highest, order[key])
    return out


@register("table_problem", params=("table", "text"), returns="text", min_args=1, max_args=2,
          doc="table_problem(table, lang='zh'): what is wrong with a table's presence or rows, as a sentence "
              "(in English with 'en')")
def table_problem(table: Any, lang: Any = "zh") -> str:
    lang = str(lang)
    if table is None:
        return phrase("table_absent", lang)
    view = _table(table)
    problems = []
    quoted = (lambda label: label) if lang == "zh" else (lambda label: f"「{label}」")  # the format's own words
    missing = missing_rows(view)
    if missing:
        problems.append(phrase("rows_missing", lang,
                               rows=phrase("list", lang).join(map(quoted, row_labels(view, missing)))))
    misordered = misordered_rows(view)
    if misordered:
        problems.append(phrase("rows_misordered", lang,
                               rows=phrase("list", lang).join(map(quoted, row_labels(view, misordered)))))
    return phrase("sep", lang).join(problems) or phrase("complete", lang)


def cell_items(view: TableView, units: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Every cell of a table (of the given column units, default all) with its address and a
    label naming it, in reading order."""
    items = []
    for row, col, unit, label in view.spec.cell_names:
        if units and unit not in units:
            continue
        cell = view.cell(row, col)
        items.append({"table": view.key, "row": row, "col": col, "cell": cell,
                      "raw": cell.raw, "kind": cell.kind, "label": label})
    return items


@register("cells", params=("table",), returns="list[cell_item]", min_args=1, max_args=1,
          doc="cells(table): every cell as {row, col, cell, raw, kind, label}, in reading order")
def cells(table: Any) -> list[dict[str, Any]]:
    return cell_items(_table(table))


@register("count_cells", params=("table",), returns="list[cell_item]", min_args=1, max_args=1,
          doc="count_cells(table): the cells whose column counts items (not money)")
def count_cells(table: Any) -> list[dict[str, Any]]:
    return cell_items(_table(table), ("count",))


def state_of_cell(cell: Cell) -> str:
    """What is wrong with a cell, as a word: blank, not_applicable, text, lost, unplaced, negative, fraction,
    or number when nothing is (checker.messages renders it in each language)."""
    if cell.kind != "number":
        return cell.kind
    if cell.value is not None and cell.value < 0:
        return "negative"
    if not is_integer(cell):
        return "fraction"
    return "number"


@register("describe", params=("any",), returns="text", min_args=1, max_args=1,
          doc="describe(cell): what is wrong with a cell's content, in words (blank, a mark, text, lost, "
              "negative, not an integer)")
def describe(cell: Any) -> str:
    if not isinstance(cell, Cell):
        return str(cell)
    return cell_state(state_of_cell(cell), cell.raw)


def _number(value: Any) -> Any:
    if isinstance(value, Cell):
        if value.value is None:
            raise Missing(cell=value)
        return value.value
    if value is None:
        raise Missing(reason="no value")
    return value


@register("is_integer", params=("number",), returns="bool", min_args=1, max_args=1, doc="is_integer(x): whether a number (or cell) is whole")
def is_integer(value: Any) -> bool:
    number = _number(value)
    return isinstance(number, int) or (isinstance(number, Decimal) and number == number.to_integral_value())


@register("decimals", params=("number",), returns="number", min_args=1, max_args=1, doc="decimals(x): how many decimal places a number is written with")
def decimals(value: Any) -> int:
    number = _number(value)
    if isinstance(number, int):
        return 0
    exponent = Decimal(number).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
