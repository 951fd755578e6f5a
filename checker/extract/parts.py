"""Finding the six part headings ("一、总体情况" …), driven by the format's parts.

A heading is a short line of its own that starts with a part ordinal (一、 二. 三． 四， "一 ",
【一】, or the part's place in figures, 1. 2、 第3部分, with its wording) and names the part (its keys; for part 四 all of ``all_keys``), or that is a full part
wording without an ordinal. Never a sentence (a preface lists all six names in one), never a
sub-heading with a parenthesised ordinal ("（一）主动公开"), never a table row. The ordinal is
recorded as written: a later rule checks order and numbering.

A heading with its part's own ordinal that no key names but that is within a few typos of the
part's wording (其它 for 其他, a dropped or transposed character) is that part's heading, when it
stands in order between the headings around it. A heading found by its keys or by likeness but
not worded as the format (or an accepted variant) words it is marked ``misworded``: a wording
finding, never a missing part."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Sequence

from ..formats import FormatSpec, PartSpec
from ..frozen import quick_init
from ..model import Paragraph, Part, Source
from ..textnorm import fold, label_key, loose
from .fuzzy import allowed, distance
from .lines import TextLine, is_sentence

# room for the ordinal, punctuation and a few words more than the longest wording
_HEADING_SLACK = 12


@quick_init  # a heading is made for every line that could head a part
@dataclass(frozen=True)
class Heading:
    part: int
    line: int  # index of the TextLine
    text: str  # as written, markdown markers dropped
    ordinal: str
    where: Source
    lines: int = 1  # a long heading wrapped onto the next line spans two
    # how it was recognised: "wording" (a wording of the part), "key" (a key of the part in other
    # words), "likeness" (within a few typos of a wording, with the part's own ordinal)
    how: str = "wording"


# eq=False: hashed by identity, so the matcher can key the heading cache
@dataclass(frozen=True, eq=False)
class PartMatcher:
    """The format's parts, prepared once: the ordinal pattern and every wording in loose form."""

    parts: tuple[PartSpec, ...]
    ordinal: re.Pattern[str]
    wordings: dict[str, PartSpec]  # loose wording -> part
    longest: int
    # the characters a heading can start with: a quick test that spares most lines the rest
    initials: frozenset[str]
    by_ordinal: dict[str, PartSpec]

    @classmethod
    def for_format(cls, fmt: FormatSpec) -> "PartMatcher":
        # the parts' ordinals, and the same positions in figures ("1.总体情况"), longest first
        figures = {str(n): part for n, part in enumerate(fmt.parts, start=1)}
        written = sorted((*fmt.ordinals, *figures), key=len, reverse=True)
        ordinals = "|".join(re.escape(o) for o in written)
        # 第一部分 / 第一部分： / 一、 / 一. / 一， / 一 (space); applied to the NFKC-folded text.
        # After 部分 no separator is needed ("第一部分总体情况"): the word ends the ordinal. A
        # figure is an ordinal only with a separator: "1.", "1、", "第1部分", never "1 " or "12".
        # An ordinal in square brackets ("【一】总体情况") is one too; in round ones ("（一）") it
        # numbers a sub-heading.
        pattern = re.compile(rf"^(?:第?(?P<ordinal>{ordinals})(?:部分\s*[、.,:]?\s*|\s*[、.,:]\s*|(?<![0-9])\s+)"
                             rf"|[【〔\[](?P<bracketed>{ordinals})[】〕\]]\s*)(?P<rest>[^0-9].*)$")
        wordings = {loose(w): p for p in fmt.parts for w in (p.label, *p.variants)}
        longest = max(len(label_key(w)) for p in fmt.parts for w in (p.label, *p.variants))
        initials = frozenset("第【〔[" + "".join(o[0] for o in fmt.ordinals) + "".join(w[0] for w in wordings if w)
                             + "".join(figures) + "".join(chr(ord(f) - ord("0") + ord("０")) for f in figures))
        return cls(parts=fmt.parts, ordinal=pattern, wordings=wordings, longest=longest,
                   initials=initials, by_ordinal={**{p.ordinal: p for p in fmt.parts}, **figures})

    def candidate(self, line: TextLine, following: Optional[TextLine] = None
                  ) -> Optional[tuple[PartSpec, str, int, str]]:
        """The part this line heads, its ordinal as written, how many lines the heading takes
        (2 when a long heading wrapped: "四、政府信息公开行政复议、行政" / "诉讼情况") and how it
        was recognised (see Heading.how), if it is a part heading."""
        if line.text[0] not in self.initials or line.cells != 1 or is_sentence(line.text) or \
                line.longer_than(self.longest + _HEADING_SLACK):
            return None
        return _heading(self, line.text, self._continuation(following))

    def _continuation(self, following: Optional[TextLine]) -> Optional[str]:
        """The next line's text when it could be the rest of a wrapped heading, else None."""
        if following is None or following.cells != 1 or is_sentence(following.text) or \
                following.longer_than(self.longest):
            return None
        return following.text

    def heads(self, text: str, following: Optional[str]) -> Optional[tuple[PartSpec, str, int, str]]:
        """candidate() of a short line reading ``text``, given the text of the next line when
        it could be the rest of a wrapped heading."""
        match = self.ordinal.match(fold(text).strip())
        if match is None:
            part = self.wordings.get(loose(text))
            return (part, "", 1, "wording") if part is not None else None
        rest = label_key(match.group("rest"))
        ordinal = match.group("ordinal") or match.group("bracketed")
        found = self._named(ordinal, rest, following)
        # a figure numbers items of every kind ("2.主动公开" under 总体情况): it heads a part only
        # in that part's own place and in its words (or a few typos from them), not by a key
        if found is not None and ordinal.isdigit() and (self.by_ordinal.get(ordinal) is not found[0]
                                                        or found[3] == "key"):
            return None
        return found

    def _named(self, ordinal: str, rest: str, following: Optional[str]) -> Optional[tuple[PartSpec, str, int, str]]:
        wrapped = self._wrapped(loose(rest), following)
        if wrapped is not None:
            return wrapped, ordinal, 2, "wording"
        best = max(self.parts, key=lambda p: _names_part(p, rest))
        if _names_part(best, rest):
            return best, ordinal, 1, "wording" if self.wordings.get(loose(rest)) is best else "key"
        similar = self._similar(ordinal, loose(rest))
        return (similar, ordinal, 1, "likeness") if similar is not None else None

    def _similar(self, ordinal: str, rest: str) -> Optional[PartSpec]:
        """The part whose own ordinal this is, when ``rest`` (loose) is within a few typos of one
        of its wordings: one more than a label's, as the ordinal speaks for the part too."""
        part = self.by_ordinal.get(ordinal)
        if part is None or not rest:
            return None
        chars = set(rest)
        for wording in (loose(w) for w in (part.label, *part.variants)):
            limit = allowed(len(wording)) + 1
            # each typo takes at most one of the wording's characters away: a cheap test first
            if len(set(wording) - chars) <= limit and distance(rest, wording, limit) <= limit:
                return part
        return None

    def _wrapped(self, head: str, following: Optional[str]) -> Optional[PartSpec]:
        """The part whose wording starts with ``head`` and goes on with the next line."""
        if following is None or not head:
            return None
        heads = [w for w in self.wordings if w.startswith(head) and w != head]
        if not heads or self.ordinal.match(fold(following).strip()):
            return None
        joined = head + loose(following)
        return next((self.wordings[w] for w in heads if w.startswith(joined)), None)


@lru_cache(maxsize=4096)
def _heading(matcher: PartMatcher, text: str, following: Optional[str]) -> Optional[tuple[PartSpec, str, int, str]]:
    # the few short lines that could head a part ("一、总体情况") recur in every report of a batch
    return matcher.heads(text, following)


def clear_heading_cache() -> None:
    _heading.cache_clear()


def _names_part(part: PartSpec, key: str) -> int:
    """Length of the key by which ``key`` names the part, 0 when it does not."""
    if part.all_keys and not all(k in key for k in part.all_keys):
        return 0
    if part.keys:
        return max((len(k) for k in part.keys if k in key), default=0)
    return sum(len(k) for k in part.all_keys)


def find_headings(lines: Sequence[TextLine], matcher: PartMatcher) -> dict[int, Heading]:
    """The heading of each part found, by part id. When several lines could head a part, the one
    with the part's own ordinal wins (one that names the part before one that only resembles its
    wording), else the first. A heading recognised by likeness alone must stand in order between
    the headings of the parts before and after it."""
    candidates: dict[int, list[Heading]] = {}
    initials = matcher.initials
    for line in lines:
        if line.text[0] not in initials:
            continue  # candidate()'s first test, without the call: it rejects most lines
        following = lines[line.index + 1] if line.index + 1 < len(lines) else None
        found = matcher.candidate(line, following)
        if found is None:
            continue
        part, ordinal, size, how = found
        text = line.text + following.text if size == 2 and following is not None else line.text
        candidates.setdefault(part.id, []).append(
            Heading(part=part.id, line=line.index, text=text, ordinal=ordinal, where=line.where, lines=size,
                    how=how))
    headings: dict[int, Heading] = {}
    for part in matcher.parts:
        options = candidates.get(part.id)
        if options:
            headings[part.id] = min(options, key=lambda h: (h.ordinal != part.ordinal, h.how == "likeness"))
    named = {p: h.line for p, h in headings.items() if h.how != "likeness"}
    for part_id, heading in list(headings.items()):
        if heading.how == "likeness":
            before = max((line for p, line in named.items() if p < part_id), default=-1)
            after = min((line for p, line in named.items() if p > part_id), default=len(lines))
            if not before < heading.line < after:
                del headings[part_id]
    return headings


def build_parts(fmt: FormatSpec, headings: dict[int, Heading],
                paragraphs: Sequence[Paragraph]) -> tuple[Part, ...]:
    """All parts of the format: the found ones in document order, then the missing ones."""
    texts: dict[int, list[str]] = {}
    for paragraph in paragraphs:
        if paragraph.part is not None:
            texts.setdefault(paragraph.part, []).append(paragraph.text)
    found = sorted(headings.values(), key=lambda h: h.line)
    parts = [Part(id=h.part, found=True, heading=h.text, ordinal=h.ordinal, where=h.where, index=n,
                  text="\n".join(texts.get(h.part, ())), misworded=h.how != "wording")
             for n, h in enumerate(found)]
    parts += [Part(id=p.id, found=False) for p in fmt.parts if p.id not in headings]
    return tuple(parts)
