"""Text similarity for the duplication rules: character shingles of normalised text, how much of
one text another contains, and the passages two reports share.

Texts are normalised before shingling (checker.textnorm.squash, and digits folded to 0): a
report copied from last year with the year and the counts updated is still a copy. A shingle is
8 characters, hashed with CRC-32 (C speed, the same in every process, so a batch can compare
fingerprints made by different workers)."""
from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Sequence

from .textnorm import LONG_TEXT, squash

SHINGLE = 8
_DIGIT = re.compile(r"\d")
# a decimal digit other than 0-9 (Arabic-Indic, Devanagari...): NFKC leaves those as they are
_OTHER_DIGIT = re.compile(r"[^\D0-9]")
_NONZERO_DIGITS = "123456789"


def normalise(text: str) -> str:
    return normalise_squashed(squash(text))


def normalise_squashed(squashed: str) -> str:
    """normalise() of text already squashed (a sentence's ``flat``)."""
    if len(squashed) < LONG_TEXT or _OTHER_DIGIT.search(squashed):
        return _DIGIT.sub("0", squashed)
    # nine replacements scan a long text faster than the regex, which builds a piece per digit
    for digit in _NONZERO_DIGITS:
        squashed = squashed.replace(digit, "0")
    return squashed


def shingle_hashes(normalised: str) -> set[int]:
    """CRC-32 of every 8-character window of an already normalised text (a text shorter than a
    shingle is one shingle of itself)."""
    if not normalised:
        return set()
    flat = normalised.encode("utf-32-le")  # 4 bytes a character: a window is a fixed slice
    width = SHINGLE * 4
    if len(flat) <= width:
        return {zlib.crc32(flat)}
    if len(normalised) < _SERIES_FROM:
        return {zlib.crc32(flat[i:i + width]) for i in range(0, len(flat) - width + 1, 4)}
    # windows that start a shingle apart lie end to end: one struct call cuts a whole series of
    # them out of the bytes, where a slice a window cost a bytecode loop (40% of the time)
    hashes: set[int] = set()
    windows = len(normalised) - SHINGLE + 1
    for first in range(SHINGLE):
        for start in range(first, windows, SHINGLE * _SERIES):
            count = min(_SERIES, (windows - start + SHINGLE - 1) // SHINGLE)
            hashes.update(map(zlib.crc32, _series(count).unpack_from(flat, start * 4)))
    return hashes


# the most windows one struct call cuts out (a bound on the cached formats' size)
_SERIES = 256
# below this many characters a slice a window is cheaper than eight struct calls
_SERIES_FROM = 96


@lru_cache(maxsize=_SERIES)
def _series(count: int) -> struct.Struct:
    """``count`` windows end to end."""
    return struct.Struct(f"{SHINGLE * 4}s" * count)


def shingles(text: str) -> frozenset[int]:
    return frozenset(shingle_hashes(normalise(text)))


def containment(mine: frozenset[int] | set[int], theirs: frozenset[int] | set[int]) -> Decimal:
    """Share of my shingles that also occur in theirs (how much of this text is reused)."""
    if not mine:
        return Decimal(0)
    return (Decimal(len(mine & theirs)) / Decimal(len(mine))).quantize(Decimal("0.001"))


@dataclass(frozen=True)
class Passage:
    """A run of consecutive sentences of one report whose text the other report also has."""

    first: int  # index of the first sentence
    last: int  # index of the last sentence (inclusive)
    length: int  # characters


# A sentence counts as shared when this share of its shingles occurs in the other text.
SHARED_SENTENCE = Decimal("0.8")


def shared_passages(sentence_shingles: Sequence[set[int]], sentence_lengths: Sequence[int],
                    theirs: set[int] | frozenset[int], limit: int = 3, min_chars: int = 12) -> list[Passage]:
    """The longest runs of consecutive shared sentences, longest first. Linear in the number of
    shingles; the caller quotes the sentences as written."""
    runs: list[Passage] = []
    start = None
    length = 0
    for index, own in enumerate(sentence_shingles):
        shared = bool(own) and containment(own, theirs) >= SHARED_SENTENCE
        if shared:
            if start is None:
                start, length = index, 0
            length += sentence_lengths[index]
        elif start is not None:
            runs.append(Passage(start, index - 1, length))
            start = None
    if start is not None:
        runs.append(Passage(start, len(sentence_shingles) - 1, length))
    runs = [r for r in runs if r.length >= min_chars]
    return sorted(runs, key=lambda r: (-r.length, r.first))[:limit]


def shingles_of_each(texts: Sequence[str]) -> list[set[int]]:
    """``shingle_hashes(normalise_squashed(text))`` for each squashed text (the sentences of a
    scope), worked out once for all of them: one normalisation and one encoding of the texts
    joined by newlines (normalising maps each character on its own, so each text's part of it
    is that text normalised), the hash of every window of the joined text by series of windows,
    and each text's set a slice of them - not a normalisation, an encoding and a slice a window
    for each sentence."""
    if not texts:
        return []
    joined = normalise_squashed("\n".join(texts))
    flat = joined.encode("utf-32-le")
    windows = len(joined) - SHINGLE + 1
    hashes = [0] * max(windows, 0)
    for first in range(SHINGLE):
        for start in range(first, windows, SHINGLE * _SERIES):
            count = min(_SERIES, (windows - start + SHINGLE - 1) // SHINGLE)
            hashes[start:start + count * SHINGLE:SHINGLE] = map(zlib.crc32, _series(count).unpack_from(flat, start * 4))
    out: list[set[int]] = []
    position = 0
    for text in texts:
        size = len(text)
        if size > SHINGLE:
            out.append(set(hashes[position:position + size - SHINGLE + 1]))
        else:  # one shingle of itself (none for an empty text)
            out.append({zlib.crc32(flat[4 * position:4 * (position + size)])} if size else set())
        position += size + 1
    return out
