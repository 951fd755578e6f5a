"""The report's metadata: title, reporting agency and its kind, report year, statistics period,
and the signature block (落款: agency and publication date) that closes the report. Where the
report's text is silent, the page around it (a web page's title, its publication date) stands
in, and Meta.sources says so."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Mapping, Optional, Sequence

from ..formats import FormatSpec
from ..frozen import quick_init
from ..model import FACT_FIELDS, AgencyKind, Meta, PageFact, Paragraph, Source
from ..textnorm import squash
from . import dates, fuzzy
from .lines import TextLine, is_sentence

# how many lines from the top a title is looked for when no part heading bounds the search
_TITLE_SEARCH = 12
# a title, an agency line or a signature is a short line
_TITLE_LENGTH = 60
_NAME_LENGTH = 30
# how many lines from the end the signature date is looked for
_SIGNATURE_SEARCH = 6
_NAME_NOISE = re.compile(r"[\s《》〈〉\"“”#*|]+")
# a title quoted in a sentence (特向社会公布《某某县2024年…年度报告》) is no title line
_QUOTED = re.compile(r"[《〈][^《》〈〉]*[》〉]")
# how many lines one title may be set over
_TITLE_LINES = 4
# a line holding only the report's year, set under a title: "（2024年度）"
_BARE_YEAR = re.compile(r"^[（(【\[]?((?:[12１２][0-9０-９]{3}|[〇零○一二三四五六七八九]{4}))年度?[）)】\]]?$")
# gaps a letter-spaced heading puts between digits and between Chinese characters
_DIGIT_GAP = re.compile(r"(?<=[0-9０-９])\s+(?=[0-9０-９])")
_HAN_GAP = re.compile(r"(?<=[\u3400-\u9fff（）《》、])\s+(?=[\u3400-\u9fff（）《》、0-9０-９])|(?<=[0-9０-９])\s+(?=[\u3400-\u9fff])")
# a heading with this many pieces, most of them one character, is letter-spaced
_SPACED_PIECES = 6


@quick_init
@dataclass(frozen=True)
class Title:
    text: str
    where: Optional[Source]
    agency: Optional[str]
    year: Optional[int]


@quick_init
@dataclass(frozen=True)
class Signature:
    line: int  # index of the first line of the block
    published: date
    published_text: str
    where: Source
    agency: Optional[str]


def find_title(lines: Sequence[TextLine], fmt: FormatSpec, first_heading: Optional[int]) -> Optional[Title]:
    """The title before part 一: the first that names both the agency and the year, else the
    first found. A title is set over up to four short lines, or its words cut anywhere by a
    line break of text another tool extracted ("…工作年" / "度报告", "某某县 2024" / "年…"), with
    a page's running header or number above it; its agency may stand below it as a byline."""
    stop = first_heading if first_heading is not None else min(len(lines), _TITLE_SEARCH)
    # the words naming the report as the format words them; only when no line has them, with a
    # typo ("…年度报吿", "…年度报" cut short): a title with a typo is a title, not a missing one
    for typos in (False, True):
        first: Optional[Title] = None
        for i in range(stop):
            found = _title_at(lines, i, stop, fmt, typos)
            if found is not None and found.agency and found.year:
                return found
            first = first or found
        if first is not None:
            return first
    return None


def _title_at(lines: Sequence[TextLine], i: int, stop: int, fmt: FormatSpec, typos: bool = False) -> Optional[Title]:
    line = lines[i]
    if not _short_text(line, _TITLE_LENGTH):
        return None
    end = i
    if not _names_report(line.key, fmt, typos):
        after = lines[i + 1] if i + 1 < stop else None
        # the words that name the report cut by a line break ("…工作年" / "度报告")
        if after is None or not _short_text(after, _TITLE_LENGTH) or _names_report(after.key, fmt, typos) or \
                not _names_report(line.key + after.key, fmt, typos):
            return None
        end = i + 1
    # letter-spacing is undone over the whole title, its lines joined as written: a short line
    # of spaced characters ("利 通 区") is spaced as the rest is
    raw = "".join(l.text for l in lines[i:end + 1])
    text = _unspaced(raw)
    if _quotes_a_title(text, fmt):
        return None
    start = i
    agency, year = _agency_and_year(text, fmt)
    # the agency's name, or the year, on lines of their own above the words naming the report
    while start > 0 and end - start + 1 < _TITLE_LINES and (agency is None or year is None or _bracketed(agency)):
        above = lines[start - 1]
        if not _title_piece(above, fmt):
            break
        wider = _unspaced(above.text + raw)
        more = _agency_and_year(wider, fmt)
        if (more[0] is None or agency is not None and not _bracketed(agency)) and (more[1] is None or year is not None):
            break  # it adds neither
        start, raw, text, (agency, year) = start - 1, above.text + raw, wider, more
    if agency is not None and start > 0 and end - start + 1 < _TITLE_LINES and _headless(agency, fmt):
        # an agency's name cut by a line break ("某某县人民" / "政府办公室", "某某市" / "人民政府"):
        # the piece above, a fragment or an area's name (not a body of its own), gives the name
        # its area
        above = lines[start - 1]
        if _title_piece(above, fmt) and agency_kind(_name(above.text), fmt) != "department":
            wider = _unspaced(above.text + raw)
            more = _agency_and_year(wider, fmt)
            if more[0] is not None and not _headless(more[0], fmt) and more[1] == year:
                start, text, agency = start - 1, wider, more[0]
    below = lines[end + 1] if end + 1 < stop else None
    if below is not None and _title_piece(below, fmt):
        if year is None and _BARE_YEAR.match(below.key):  # "（2024年度）" under the title
            text, year = _unspaced(text + below.text), dates.year_of(_BARE_YEAR.match(below.key).group(1))  # type: ignore[union-attr]
        elif agency is None and agency_kind(_name(below.text), fmt) in ("government", "department"):
            agency = _name(below.text)  # the agency's name printed under the title
    return Title(text=text, where=lines[start].where, agency=agency, year=year)


def _short_text(line: TextLine, limit: int) -> bool:
    return not is_sentence(line.text) and not line.longer_than(limit)


def _names_report(key: str, fmt: FormatSpec, typos: bool = False) -> bool:
    if any(k in key for k in fmt.title_keys):
        return True
    # with a typo, the words alone could be anything ("年度报表"): the line must also say what
    # the report is about (政府信息公开…)
    return typos and _near(fmt.title_keys, key) is not None and _near(fmt.title_subjects, key) is not None


def _near(words: Sequence[str], text: str) -> Optional[int]:
    """Where the first of ``words`` that ``text`` holds with at most one typo starts (words of
    four characters or more: a typo in a shorter one leaves too little of it)."""
    chars = set(text)
    starts = []
    for word in words:
        if len(word) < 4 or len(set(word) - chars) > 1:
            continue  # a cheap test first: one typo takes at most one of the word's characters away
        found = fuzzy.find(word, text, 1)
        if found is not None:
            starts.append(found[1])
    return min(starts) if starts else None


def _title_piece(line: TextLine, fmt: FormatSpec) -> bool:
    """Whether a line can be a piece of a title set over several lines: a short line of its
    own, not page furniture, a date, a title of its own or a sentence."""
    return line.cells == 1 and _short_text(line, _NAME_LENGTH) and not line.is_page_number and \
        not _names_report(line.key, fmt) and dates.written_date(line.text) is None


def _headless(name: str, fmt: FormatSpec) -> bool:
    """Whether a name names no area (省, 市, 县, 区...): "政府办公室" is the tail of a name whose
    head ("某某县人民") stands on the line above."""
    return not any(area in name[1:] for area in fmt.agency_areas)


_OPENING = "（(【[〔"
_CLOSING = "）)】]〕"
# what may stand around a signature's agency or its date: brackets, a colon after a label
_SIGNER_EDGES = _OPENING + _CLOSING + ":：,，、"


def _bracketed(name: str) -> bool:
    """A name in brackets is the second name of an agency with two ("（某某局）"): the first
    stands above it."""
    return name[:1] in "（(【[" and name[-1:] in "）)】]"


def _unspaced(title: str) -> str:
    """A title as words: the gaps a letter-spaced heading puts between its characters and
    digits ("利 通 区 2 0 2 4 年") are layout, never meaning."""
    title = _DIGIT_GAP.sub("", title)
    pieces = title.split()
    if len(pieces) >= _SPACED_PIECES and 2 * sum(1 for p in pieces if len(p) == 1) > len(pieces):
        title = _HAN_GAP.sub("", title)
    return title


def _quotes_a_title(text: str, fmt: FormatSpec) -> bool:
    """Whether the line names the report only inside book-title marks, with words around them:
    a sentence quoting the title, not the title."""
    outside = _QUOTED.sub("", text)
    if outside == text:
        return False
    rest = squash(outside)
    return not any(k in rest for k in fmt.title_keys) and re.search(r"\w", rest) is not None


def page_title(fact: PageFact, fmt: FormatSpec) -> Title:
    """The title the page gives the report (used when the report's text has no title line)."""
    agency, year = _agency_and_year(fact.text, fmt)
    return Title(text=fact.text, where=None, agency=agency, year=year)


def page_published(fact: PageFact) -> Optional[tuple[date, str]]:
    """The page's publication date and the evidence text naming where it was read."""
    match = dates.written_date(fact.text)
    day = dates.to_date(match.group("y"), match.group("m"), match.group("d")) if match else None
    if day is None:
        return None
    return day, f"{fact.text}（据网页 {fact.where}；报告无落款日期）"


def _agency_and_year(title: str, fmt: FormatSpec) -> tuple[Optional[str], Optional[int]]:
    """The name before the year ("某某县 2024 年度…" → 某某县), else the name between the year
    and the words that name the report ("2024年某某局政府信息公开…" → 某某局)."""
    # the first plausible year: "２０２４年" typed in full-width, "二〇二四年" in words
    match = next((m for m in dates.YEAR.finditer(title) if dates.year_of(m.group(1))), None)
    year = dates.year_of(match.group(1)) if match else None
    before = _name(title[: match.start()]) if match else None
    if before and before[:1] in _OPENING and not any(c in before for c in _CLOSING):
        before = before[1:] or None  # the bracket the whole title is in ("【某某县2024年…报告】")
    for particle in fmt.name_particles:
        if before and before.endswith(particle):
            before = before[: -len(particle)] or None
    if before:
        return before, year
    rest = squash(title[match.end():] if match else title)
    if rest.startswith("度"):
        rest = rest[1:]
    ends = [rest.find(k) for k in (*fmt.title_subjects, *fmt.title_keys) if k in rest]
    if not any(k in rest for k in fmt.title_subjects):
        # "政府信息公升工作年度报告": the subject with a typo is no part of the agency's name
        near = _near([k for k in fmt.title_subjects if len(k) > 4], rest)
        ends += [near] if near is not None else []
    name = _name(rest[: min(ends)]) if ends else None
    return name or None, year


def _name(text: str) -> Optional[str]:
    name = _NAME_NOISE.sub("", text)
    return name or None


def _signer(text: str) -> Optional[str]:
    """The agency of a signature line: without the brackets around a date, without a label
    ("发布机关：某某县人民政府"); None for a date's own label ("发布日期：2025年1月17日")."""
    name = _name(text)
    if name is None:
        return None
    name = _AGENCY_LABEL.sub("", name.strip(_SIGNER_EDGES))
    return name if name and not _DATE_LABEL.fullmatch(name) else None


_AGENCY_LABEL = re.compile(r"^(?:发布|制发|编制|落款)?(?:机关|单位|部门|机构)[:：]")
_DATE_LABEL = re.compile(r"(?:发布|成文|印发|落款)?(?:日期|时间)")


def agency_kind(name: Optional[str], fmt: FormatSpec) -> Optional[AgencyKind]:
    if not name:
        return None
    key = squash(name)
    for ending, kind in fmt.agency_endings:
        if key.endswith(ending):
            return kind  # type: ignore[return-value]
    return "other"


def find_signature(lines: Sequence[TextLine], after: int) -> Optional[Signature]:
    """The date line near the end of the report (only short notes like "（此件公开发布）" may
    follow it), and the agency line just above it or before the date on the same line."""
    tail = [line for line in lines[max(after, len(lines) - _SIGNATURE_SEARCH):] if not line.is_page_number]
    for n in range(len(tail) - 1, -1, -1):
        line = tail[n]
        match = dates.written_date(line.text)
        if match and match.end() >= len(line.text.rstrip()) - 1:
            published = dates.to_date(match.group("y"), match.group("m"), match.group("d"))
            prefix = _signer(line.text[: match.start()])
            if published is None or (prefix and len(prefix) > _NAME_LENGTH):
                return None
            agency, first = prefix, line
            if agency is None and n > 0:
                above = tail[n - 1]
                if not above.longer_than(_NAME_LENGTH) and not is_sentence(above.text) and \
                        dates.written_date(above.text) is None:
                    agency, first = _signer(above.text), above
            return Signature(line=first.index, published=published,
                             published_text=line.text[match.start(): match.end()],
                             where=line.where, agency=agency)
        if is_sentence(line.text) or line.longer_than(_NAME_LENGTH):
            return None  # running text after the last date: no signature block
    return None


def find_year(title: Optional[Title], period: Optional[tuple[date, date, str]],
              paragraphs: Sequence[Paragraph], period_part: Optional[int]) -> Optional[int]:
    if title is not None and title.year:
        return title.year
    if period is not None:
        return period[0].year
    years = Counter(year for p in paragraphs if p.part == period_part for m in dates.YEAR.finditer(p.text)
                    if (year := dates.year_of(m.group(1))))
    return years.most_common(1)[0][0] if years else None


def find_period(paragraphs: Sequence[Paragraph], period_part: Optional[int]
                ) -> Optional[tuple[tuple[date, date, str], Paragraph]]:
    """The statistics period, from the preface or the format's ``period_part`` (part 一): the
    first range of dates in words; failing one, in figures; failing that, a period a sentence on
    statistics states by months or as the whole year."""
    scope = [p for p in paragraphs if p.part is None or p.part == period_part]
    for paragraph in scope:
        found = dates.find_range(paragraph.text)
        if found:
            return found, paragraph
    # the other forms are rare: the scope's text is scanned once for a sign of them before
    # each paragraph is (most reports state the period in words, or not at all)
    whole = "\n".join(p.text for p in scope)
    for may, find in ((dates.may_hold_numeric_range, dates.find_numeric_range),
                      (dates.may_state_period, dates.find_stated_period)):
        if may(whole):
            for paragraph in scope:
                found = find(paragraph.text)
                if found:
                    return found, paragraph
    return None


def build_meta(title: Optional[Title], signature: Optional[Signature],
               paragraphs: Sequence[Paragraph], fmt: FormatSpec,
               page: Optional[Mapping[str, PageFact]] = None) -> Meta:
    """The metadata from the report's own lines; the page's title stands in for a missing title
    line and the page's publication date for a missing signature date (origin "page")."""
    page = page or {}
    from_page: set[str] = set()
    if title is None and "title" in page:
        title = page_title(page["title"], fmt)
        from_page.add("title")
        if title.agency:
            from_page.update(("agency", "agency_kind"))
        if title.year:
            from_page.add("year")
    period = find_period(paragraphs, fmt.period_part)
    agency = title.agency if title else None
    signer = signature.agency if signature else None
    kind = agency_kind(agency or signer, fmt)
    if kind != "government" and agency_kind(signer, fmt) == "government" and kind != "department":
        kind = "government"  # "某某实验区" signed by "某某人民政府"
    published = (signature.published, signature.published_text, signature.where) if signature else None
    if published is None and "published" in page:
        found = page_published(page["published"])
        if found:
            published = (found[0], found[1], None)
            from_page.add("published")
    fields = dict(
        title=title.text if title else None,
        title_where=title.where if title else None,
        agency=agency or signer,
        agency_kind=kind,
        year=find_year(title, period[0] if period else None, paragraphs, fmt.period_part),
        period_start=period[0][0] if period else None,
        period_end=period[0][1] if period else None,
        period_text=period[0][2] if period else None,
        period_where=period[1].where if period else None,
        published=published[0] if published else None,
        published_text=published[1] if published else None,
        published_where=published[2] if published else None,
        signature_agency=signer,
        signature_date=signature.published if signature else None,
    )
    # the sources known before the Meta is made: one frozen Meta, not a second by replace()
    found = tuple((name, "page" if name in from_page else "report")
                  for name in FACT_FIELDS if fields[name] is not None)
    return Meta(**fields, sources=found)
