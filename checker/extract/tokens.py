"""A table region as a stream of tokens: every non-empty fragment of every line, in order, each
either a value (a number or a cell mark standing alone) or text (a label, debris, prose).

Text from PDFs often keeps labels and numbers in one run ("规章 0 0 0 行政规范性文件 5 2 40"):
a run that ends with a value is split at the spaces into label words and values. A number
inside a word is never a value, nor is a lone number before the first word (the enumerator of
"1 属于国家秘密"), nor a number in a sentence or in a run ending in a word ("截至 2024 年")."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Iterator, NamedTuple, Optional

from ..model import Cell, CellKind, Source
from ..textnorm import squash, strip_enumerator
from ..build import make_cell
from .cells import LONGEST_VALUE, CellReader
from .labels import strip_punctuation
from .lines import TextLine, is_sentence

_SPACE = re.compile(r"\s")
_new = object.__new__


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
    def forms(self) -> "Forms":
        """forms(text), worked out at the first ask."""
        known = self.known
        if known is None:
            known = self.known = forms(self.text)
        return known

    @property
    def key(self) -> str:
        """label_key(text): squashed, leading enumerator dropped."""
        return self.forms.key

    @property
    def loose(self) -> str:
        """The key without punctuation."""
        return self.forms.loose

    @property
    def plain(self) -> str:
        """The squashed text without punctuation, enumerator kept (to join label pieces)."""
        return self.forms.plain


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
    return row_tokens(line, cells)[0]


def row_tokens(line: TextLine, cells: CellReader) -> tuple[list[Token], Optional[int]]:
    """The line's tokens and, when none of its text tokens holds a space or ends in a digit
    (a label to separate, a label run into its value: most lines of a table), the index from
    which every token is a value (their count when the last is text); None otherwise."""
    if line.cells == 1 and line.is_page_number:  # its first test without the call: rows of cells
        return [], 0  # "- 5 -" at a page break inside a table: not three values
    fragments = line.line.fragments
    index = line.index
    found: list[Token] = []
    append = found.append
    pieces, values_from = _pieces(cells, line.shown, not line.line.grid)
    for text, position, value, kind in pieces:
        where = fragments[position].where
        # Token's fields set here, not through its __init__: the call into a class's Python
        # __init__ cost a third of making the hundreds of tokens of a table
        token = _new(Token)
        token.text = text
        token.where = where
        token.line = index
        token.fragment = position
        token.cell = None if kind is None else make_cell(value, kind, text, where)
        token.known = None
        append(token)
    return found, values_from


# a cell's (value, kind), (None, None) for text
_Meaning = tuple[Optional[Decimal | int], Optional[CellKind]]
# (text, position of its field, value, kind of cell or None for text)
_Piece = tuple[str, int, Optional[Decimal | int], Optional[CellKind]]


@lru_cache(maxsize=8192)
def _pieces(cells: CellReader, shown: tuple[str, ...], flat: bool) -> tuple[tuple[_Piece, ...], Optional[int]]:
    """What the tokens of a line with these fields are, each cell made afresh for its place
    (a cell is told apart from its neighbours by its identity), and where its values run to
    its end (see row_tokens). Cached: the rows of the format's tables recur from report to
    report of a batch."""
    value_of = cells.value_of
    found: list[_Piece] = []
    for position, text in enumerate(shown):
        if not text:
            continue
        if text.isdigit() and text.isascii() and len(text) <= LONGEST_VALUE:
            found.append((text, position, int(text), "number"))  # a count: most tokens of a table
            continue
        if flat and _SPACE.search(text):
            # a table row flattened into words ends with its values; anything else ("截至 2024
            # 年 12 月 31 日", a sentence) stays one piece of text
            last = text.split()
            if not is_sentence(text) and (value_of(last[-1]) is not None or (
                    len(last) > 1 and cells.is_unit(last[-1]) and value_of(last[-2]) is not None)):
                found.extend((piece, position, *meaning) for piece, meaning in _runs(text, cells))
            else:
                found.append((text, position, None, None))
            continue
        found.append((text, position, *_meaning_of(value_of(text))))
    values_from = len(found)
    while values_from and found[values_from - 1][3] is not None:
        values_from -= 1
    whole = all(kind is not None or not (_SPACE.search(text) or text[-1].isdigit())
                for text, _, _, kind in found)
    return tuple(found), values_from if whole else None


def _meaning_of(cell: Optional[Cell]) -> _Meaning:
    return (None, None) if cell is None else (cell.value, cell.kind)


def _runs(text: str, cells: CellReader) -> Iterator[tuple[str, _Meaning]]:
    """A run of text from a PDF or a space-aligned dump: label words and the values between
    them ("规章 0 0 0 行政规范性文件 5 2 40"), each with its meaning. A lone number before the
    first word is the label's enumerator ("1 属于国家秘密"), not a value."""
    pieces = text.split()
    label: list[str] = []
    after_value = False
    for n, piece in enumerate(pieces):
        if after_value and cells.is_unit(piece):
            continue  # the unit word of the value before it: "3 件"
        cell = cells.value_of(piece)
        enumerator = n == 0 and len(pieces) > 1 and cells.value_of(pieces[1]) is None \
            and not cells.is_unit(pieces[1])
        after_value = cell is not None and not enumerator
        if after_value:
            if label:
                yield " ".join(label), (None, None)
                label = []
            yield piece, _meaning_of(cell)
        else:
            label.append(piece)
    if label:
        yield " ".join(label), (None, None)


def split_words(token: Token) -> list[Token]:
    """The token's words as tokens of their own, at the same place."""
    return [Token(word, token.where, token.line, token.fragment) for word in token.text.split()]


def clear_token_caches() -> None:
    forms.cache_clear()
    _pieces.cache_clear()
