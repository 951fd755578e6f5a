"""A table region as a stream of tokens: every non-empty fragment of every line, in order, each
either a value (a number or a cell mark standing alone) or text (a label, debris, prose).

Text from PDFs often keeps labels and numbers in one run ("规章 0 0 0 行政规范性文件 5 2 40"):
a run that ends with a value is split at the spaces into label words and values. A number
inside a word is never a value, nor is a lone number before the first word (the enumerator of
"1 属于国家秘密"), nor a number in a sentence or in a run ending in a word ("截至 2024 年")."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, NamedTuple, Optional

from ..model import Cell, Source
from ..textnorm import squash, strip_enumerator
from ..build import make_cell
from .cells import LONGEST_VALUE, CellReader
from .labels import strip_punctuation
from .lines import TextLine, is_sentence

_SPACE = re.compile(r"\s")


# not frozen: a table's region yields hundreds of tokens, and a frozen dataclass's __init__ costs
# several times a plain one's; nothing changes a Token once made
@dataclass(slots=True)
class Token:
    text: str  # as written, markdown markers dropped
    where: Source
    line: int  # index of the TextLine
    fragment: int  # index of the fragment in its line (grid rows map cells by position)
    cell: Optional[Cell] = None  # set for a value token
    # forms(text), once asked: a label token's forms are asked for a dozen times as it is read
    known: Optional[Forms] = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> str:
        """label_key(text): squashed, leading enumerator dropped."""
        known = self.known
        if known is None:
            known = self.known = forms(self.text)
        return known.key

    @property
    def loose(self) -> str:
        """The key without punctuation."""
        known = self.known
        if known is None:
            known = self.known = forms(self.text)
        return known.loose

    @property
    def plain(self) -> str:
        """The squashed text without punctuation, enumerator kept (to join label pieces)."""
        known = self.known
        if known is None:
            known = self.known = forms(self.text)
        return known.plain


class Forms(NamedTuple):
    key: str
    loose: str
    plain: str


@lru_cache(maxsize=8192)
def forms(text: str) -> Forms:
    """The normalised forms of a token's text. Cached: the same labels recur in every report of
    a batch, and NFKC normalisation is the dearest step of reading a table."""
    squashed = squash(text)
    key = strip_enumerator(squashed)
    return Forms(key=key, loose=strip_punctuation(key), plain=strip_punctuation(squashed))


def tokens(line: TextLine, cells: CellReader) -> list[Token]:
    """The line's tokens (a list, not a generator: a table region has hundreds of them)."""
    if line.is_page_number:
        return []  # "- 5 -" at a page break inside a table: not three values
    fragments = line.line.fragments
    flat = not line.line.grid
    index = line.index
    value_of = cells.value_of
    found: list[Token] = []
    for position, text in enumerate(line.shown):
        if not text:
            continue
        where = fragments[position].where
        if text.isdigit() and text.isascii() and len(text) <= LONGEST_VALUE:
            # a count, most tokens of a table: value_of()'s first case, without the call
            found.append(Token(text, where, index, position, make_cell(int(text), "number", text, where)))
            continue
        if flat and _SPACE.search(text):
            # a table row flattened into words ends with its values; anything else ("截至 2024
            # 年 12 月 31 日", a sentence) stays one piece of text
            last = text.split()
            if not is_sentence(text) and (value_of(last[-1]) is not None or (
                    len(last) > 1 and cells.is_unit(last[-1]) and value_of(last[-2]) is not None)):
                found.extend(_runs(text, where, index, position, cells))
            else:
                found.append(Token(text, where, index, position))
            continue
        found.append(Token(text, where, index, position, value_of(text, where)))
    return found


def _runs(text: str, where: Source, line: int, position: int, cells: CellReader) -> Iterator[Token]:
    """A run of text from a PDF or a space-aligned dump: label words and the values between
    them ("规章 0 0 0 行政规范性文件 5 2 40"). A lone number before the first word is the label's
    enumerator ("1 属于国家秘密"), not a value."""
    pieces = text.split()
    label: list[str] = []
    after_value = False
    for n, piece in enumerate(pieces):
        if after_value and cells.is_unit(piece):
            continue  # the unit word of the value before it: "3 件"
        cell = cells.value_of(piece, where)
        enumerator = n == 0 and len(pieces) > 1 and cells.value_of(pieces[1]) is None \
            and not cells.is_unit(pieces[1])
        after_value = cell is not None and not enumerator
        if after_value:
            if label:
                yield Token(" ".join(label), where, line, position)
                label = []
            yield Token(piece, where, line, position, cell)
        else:
            label.append(piece)
    if label:
        yield Token(" ".join(label), where, line, position)


def split_words(token: Token) -> list[Token]:
    """The token's words as tokens of their own, at the same place."""
    return [Token(word, token.where, token.line, token.fragment) for word in token.text.split()]
