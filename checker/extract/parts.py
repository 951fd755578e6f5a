"""Finding the six part headings ("一、总体情况" …), driven by the format's parts.

A heading is a short line of its own that starts with a part ordinal (一、 二. 三． 四， or
"一 ") and names the part (its keys; for part 四 all of ``all_keys``), or that is a full part
wording without an ordinal. Never a sentence (a preface lists all six names in one), never a
sub-heading with a parenthesised ordinal ("（一）主动公开"), never a table row. The ordinal is
recorded as written: a later rule checks order and numbering."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Sequence

from ..formats import FormatSpec, PartSpec
from ..model import Paragraph, Part, Source
from ..textnorm import fold, label_key, loose
from .lines import TextLine, is_sentence

# room for the ordinal, punctuation and a few words more than the longest wording
_HEADING_SLACK = 12


@dataclass(frozen=True)
class Heading:
    part: int
    line: int  # index of the TextLine
    text: str  # as written, markdown markers dropped
    ordinal: str
    where: Source
    lines: int = 1  # a long heading wrapped onto the next line spans two


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

    @classmethod
    def for_format(cls, fmt: FormatSpec) -> "PartMatcher":
        ordinals = "|".join(re.escape(o) for o in sorted(fmt.ordinals, key=len, reverse=True))
        # 第一部分 / 第一部分： / 一、 / 一. / 一， / 一 (space); applied to the NFKC-folded text.
        # After 部分 no separator is needed ("第一部分总体情况"): the word ends the ordinal.
        pattern = re.compile(rf"^第?(?P<ordinal>{ordinals})(?:部分\s*[、.,:]?\s*|\s*[、.,:]\s*|\s+)(?P<rest>.+)$")
        wordings = {loose(w): p for p in fmt.parts for w in (p.label, *p.variants)}
        longest = max(len(label_key(w)) for p in fmt.parts for w in (p.label, *p.variants))
        initials = frozenset("第" + "".join(o[0] for o in fmt.ordinals) + "".join(w[0] for w in wordings if w))
        return cls(parts=fmt.parts, ordinal=pattern, wordings=wordings, longest=longest,
                   initials=initials)

    def candidate(self, line: TextLine, following: Optional[TextLine] = None
                  ) -> Optional[tuple[PartSpec, str, int]]:
        """The part this line heads, its ordinal as written and how many lines the heading
        takes (2 when a long heading wrapped: "四、政府信息公开行政复议、行政" / "诉讼情况"),
        if it is a part heading."""
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

    def heads(self, text: str, following: Optional[str]) -> Optional[tuple[PartSpec, str, int]]:
        """candidate() of a short line reading ``text``, given the text of the next line when
        it could be the rest of a wrapped heading."""
        match = self.ordinal.match(fold(text).strip())
        if match is None:
            part = self.wordings.get(loose(text))
            return (part, "", 1) if part is not None else None
        rest = label_key(match.group("rest"))
        wrapped = self._wrapped(loose(rest), following)
        if wrapped is not None:
            return wrapped, match.group("ordinal"), 2
        best = max(self.parts, key=lambda p: _names_part(p, rest))
        if not _names_part(best, rest):
            return None
        return best, match.group("ordinal"), 1

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
def _heading(matcher: PartMatcher, text: str, following: Optional[str]) -> Optional[tuple[PartSpec, str, int]]:
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
    with the part's own ordinal wins, else the first."""
    candidates: dict[int, list[Heading]] = {}
    initials = matcher.initials
    for line in lines:
        if line.text[0] not in initials:
            continue  # candidate()'s first test, without the call: it rejects most lines
        following = lines[line.index + 1] if line.index + 1 < len(lines) else None
        found = matcher.candidate(line, following)
        if found is None:
            continue
        part, ordinal, size = found
        text = line.text + following.text if size == 2 and following is not None else line.text
        candidates.setdefault(part.id, []).append(
            Heading(part=part.id, line=line.index, text=text, ordinal=ordinal, where=line.where, lines=size))
    headings: dict[int, Heading] = {}
    for part in matcher.parts:
        options = candidates.get(part.id)
        if options:
            headings[part.id] = next((h for h in options if h.ordinal == part.ordinal), options[0])
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
                  text="\n".join(texts.get(h.part, ()))) for n, h in enumerate(found)]
    parts += [Part(id=p.id, found=False) for p in fmt.parts if p.id not in headings]
    return tuple(parts)
