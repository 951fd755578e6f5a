"""The report's metadata: title, reporting agency and its kind, report year, statistics period,
and the signature block (落款: agency and publication date) that closes the report. Where the
report's text is silent, the page around it (a web page's title, its publication date) stands
in, and Meta.sources says so."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import Mapping, Optional, Sequence

from ..formats import FormatSpec
from ..model import FACT_FIELDS, AgencyKind, Meta, PageFact, Paragraph, Source
from ..textnorm import squash
from . import dates
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


@dataclass(frozen=True)
class Title:
    text: str
    where: Optional[Source]
    agency: Optional[str]
    year: Optional[int]


@dataclass(frozen=True)
class Signature:
    line: int  # index of the first line of the block
    published: date
    published_text: str
    where: Source
    agency: Optional[str]


def find_title(lines: Sequence[TextLine], fmt: FormatSpec, first_heading: Optional[int]) -> Optional[Title]:
    stop = first_heading if first_heading is not None else min(len(lines), _TITLE_SEARCH)
    for i in range(stop):
        line = lines[i]
        if is_sentence(line.text) or line.longer_than(_TITLE_LENGTH):
            continue
        if not any(k in line.key for k in fmt.title_keys) or _quotes_a_title(line.text, fmt):
            continue
        text, where = line.text, line.where
        agency, year = _agency_and_year(text, fmt)
        if agency is None and i > 0:
            above = lines[i - 1]
            # a title set over two lines: "某某县人民政府办公室" / "2024年政府信息公开工作年度报告"
            if not above.longer_than(_NAME_LENGTH) and not is_sentence(above.text) and above.cells == 1:
                text, where = above.text + text, above.where
                agency, year = _agency_and_year(text, fmt)
        return Title(text=text, where=where, agency=agency, year=year)
    return None


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
    for particle in fmt.name_particles:
        if before and before.endswith(particle):
            before = before[: -len(particle)] or None
    if before:
        return before, year
    rest = squash(title[match.end():] if match else title)
    if rest.startswith("度"):
        rest = rest[1:]
    ends = [rest.find(k) for k in (*fmt.title_subjects, *fmt.title_keys) if k in rest]
    name = _name(rest[: min(ends)]) if ends else None
    return name or None, year


def _name(text: str) -> Optional[str]:
    name = _NAME_NOISE.sub("", text)
    return name or None


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
            prefix = _name(line.text[: match.start()])
            if published is None or (prefix and len(prefix) > _NAME_LENGTH):
                return None
            agency, first = prefix, line
            if agency is None and n > 0:
                above = tail[n - 1]
                if not above.longer_than(_NAME_LENGTH) and not is_sentence(above.text) and \
                        dates.written_date(above.text) is None:
                    agency, first = _name(above.text), above
            return Signature(line=first.index, published=published,
                             published_text=line.text[match.start(): match.end()],
                             where=line.where, agency=agency)
        if is_sentence(line.text) or line.longer_than(_NAME_LENGTH):
            return None  # running text after the last date: no signature block
    return None


def find_year(title: Optional[Title], period: Optional[tuple[date, date, str]],
              paragraphs: Sequence[Paragraph]) -> Optional[int]:
    if title is not None and title.year:
        return title.year
    if period is not None:
        return period[0].year
    years = Counter(year for p in paragraphs if p.part == 1 for m in dates.YEAR.finditer(p.text)
                    if (year := dates.year_of(m.group(1))))
    return years.most_common(1)[0][0] if years else None


def find_period(paragraphs: Sequence[Paragraph]) -> Optional[tuple[tuple[date, date, str], Paragraph]]:
    """The statistics period, from the preface or part 一."""
    for paragraph in paragraphs:
        if paragraph.part not in (None, 1):
            continue
        found = dates.find_range(paragraph.text)
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
    period = find_period(paragraphs)
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
    meta = Meta(
        title=title.text if title else None,
        title_where=title.where if title else None,
        agency=agency or signer,
        agency_kind=kind,
        year=find_year(title, period[0] if period else None, paragraphs),
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
    found = tuple((name, "page" if name in from_page else "report")
                  for name in FACT_FIELDS if getattr(meta, name) is not None)
    return replace(meta, sources=found)
