"""Text similarity for the duplication rules: character shingles, containment, MinHash for
finding candidate pairs cheaply in large batches, and the longest shared passages as evidence.

Digits are folded to 0 before shingling: a report copied from last year with the year and the
counts updated is still a copy."""
from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence

from .textnorm import squash

SHINGLE = 8
_DIGIT = re.compile(r"\d")


def normalise(text: str) -> str:
    return _DIGIT.sub("0", squash(text))


def shingles(text: str, k: int = SHINGLE) -> frozenset[int]:
    flat = normalise(text)
    if len(flat) < k:
        return frozenset({_hash(flat)}) if flat else frozenset()
    return frozenset(_hash(flat[i:i + k]) for i in range(len(flat) - k + 1))


def _hash(piece: str) -> int:
    return int.from_bytes(hashlib.blake2b(piece.encode("utf-8"), digest_size=8).digest(), "big")


def containment(mine: frozenset[int], theirs: frozenset[int]) -> Decimal:
    """Share of my shingles that also occur in theirs (how much of this text is reused)."""
    if not mine:
        return Decimal(0)
    return (Decimal(len(mine & theirs)) / Decimal(len(mine))).quantize(Decimal("0.001"))


@dataclass(frozen=True)
class Passage:
    text: str
    length: int


def shared_passages(mine: str, theirs: str, limit: int = 3, min_chars: int = 12) -> list[Passage]:
    """The longest runs of text two reports have in common, longest first."""
    a, b = squash(mine), squash(theirs)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = sorted(matcher.get_matching_blocks(), key=lambda m: m.size, reverse=True)
    return [Passage(a[m.a:m.a + m.size], m.size) for m in blocks[:limit] if m.size >= min_chars]


# ------------------------------------------------------------------------------ MinHash / LSH

PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: pairs above ~0.5 Jaccard become candidates with high probability
_MASK = (1 << 61) - 1
_SEEDS = [(int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest(), "big") | 1,
           int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest(), "big"))
          for i in range(PERMUTATIONS)]


def minhash(items: frozenset[int]) -> tuple[int, ...]:
    if not items:
        return tuple([_MASK] * PERMUTATIONS)
    return tuple(min(((a * x + b) & _MASK) for x in items) for a, b in _SEEDS)


def candidate_pairs(signatures: Sequence[tuple[int, ...]]) -> set[tuple[int, int]]:
    """Index pairs that share at least one LSH band: the only pairs worth comparing exactly."""
    rows = PERMUTATIONS // BANDS
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        buckets: dict[tuple[int, ...], list[int]] = {}
        for index, signature in enumerate(signatures):
            buckets.setdefault(signature[band * rows:(band + 1) * rows], []).append(index)
        for members in buckets.values():
            if 1 < len(members) <= 200:  # a huge bucket is boilerplate everybody shares
                for i, x in enumerate(members):
                    for y in members[i + 1:]:
                        pairs.add((x, y))
    return pairs


def scope_text(paragraphs: Iterable[tuple[int | None, str]], scope: Sequence[int] | str) -> str:
    if isinstance(scope, str):
        return "".join(text for part, text in paragraphs if part is not None or scope == "all")
    wanted = set(scope)
    return "".join(text for part, text in paragraphs if part in wanted)
