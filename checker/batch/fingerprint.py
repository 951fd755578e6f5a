"""A small fingerprint of a report's narrative for finding copies among thousands of reports:
a one-permutation MinHash over the same 8-character shingles (digits folded) the duplication
rules compare (checker.similarity).

Why not checker.similarity.minhash: it applies 64 hash permutations to every shingle in Python,
13-67 ms per report on the seeds, which alone would cost minutes on a 10,000-report batch.
One permutation split into 64 ranges gives the same kind of signature (equal slots estimate the
Jaccard similarity) from one pass over the shingles, under a millisecond. The signature only proposes candidate pairs;
the DUP rules then compare the candidates exactly."""
from __future__ import annotations

import struct
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Optional

from ..similarity import SHINGLE, normalise, shingle_hashes

SLOTS = 64
_SLOT_BITS = 26  # crc32 is 32 bits: the top 6 choose the slot
_EMPTY = 0xFFFFFFFF
_SLOT_BYTES = 4
_EMPTY_SLOT = _EMPTY.to_bytes(_SLOT_BYTES, "big")
_PACK = struct.Struct(f">{SLOTS}I").pack


# The slots as one integer, 32 bits a slot: comparing two fingerprints is a few big-integer
# operations (this runs for every candidate pair of a batch, 100,000 of them on 10,000 reports).
_LOW_BITS = int.from_bytes(b"\x7f\xff\xff\xff" * SLOTS, "big")
_TOP_BIT = int.from_bytes(b"\x80\x00\x00\x00" * SLOTS, "big")
_ALL_EMPTY = int.from_bytes(_EMPTY_SLOT * SLOTS, "big")


def _zero_slots(value: int) -> int:
    """The top bit of each 32-bit slot of ``value`` that is zero (and no other bit): a slot's
    low 31 bits plus 0x7fffffff carry into its top bit unless they are all zero, and never
    into the next slot."""
    return ~(((value & _LOW_BITS) + _LOW_BITS) | value | _LOW_BITS) & _TOP_BIT


@dataclass(frozen=True, slots=True)
class Fingerprint:
    slots: bytes  # SLOTS big-endian 32-bit values: the smallest shingle hash of each range
    size: int  # distinct shingles

    def band(self, index: int, rows: int) -> bytes:
        return self.slots[index * rows * _SLOT_BYTES:(index + 1) * rows * _SLOT_BYTES]

    def agreement(self, other: "Fingerprint") -> tuple[int, int]:
        """(slots both hold the same shingle in, slots either holds one in): their ratio
        estimates the Jaccard similarity. A slot neither text has a shingle in (short texts)
        says nothing and is not counted."""
        mine = int.from_bytes(self.slots, "big")
        equal = _zero_slots(mine ^ int.from_bytes(other.slots, "big"))
        unused = equal & _zero_slots(mine ^ _ALL_EMPTY)
        return equal.bit_count() - unused.bit_count(), SLOTS - unused.bit_count()

    def jaccard(self, other: "Fingerprint") -> Decimal:
        same, used = self.agreement(other)
        return Decimal(same) / Decimal(used) if used else Decimal(0)

    def contained_in(self, other: "Fingerprint") -> Decimal:
        """Estimated share of this text's shingles found in the other's."""
        shared, total = containment_terms(self.agreement(other), self.size, other.size)
        return min(Decimal(1), Decimal(shared) / Decimal(total))


def containment_terms(agreement: tuple[int, int], size: int, other_size: int) -> tuple[int, int]:
    """Estimated share of a text's shingles (``size`` of them) found in another's, from the
    agreement of their fingerprints (with J = same/used, |A∩B| = J(|A|+|B|)/(1+J)), as an
    unreduced (numerator, denominator): integers compare a batch's hundred thousand candidate
    pairs with a threshold faster than fractions or decimals."""
    same, used = agreement
    if not size or not same:
        return 0, 1
    return same * (size + other_size), (used + same) * size


def fingerprint(text: str) -> Optional[Fingerprint]:
    """None for a text too short to say anything about copying."""
    flat = normalise(text)
    if len(flat) < SHINGLE:
        return None
    hashes = shingle_hashes(flat)
    # the smallest hash of each range in one pass: sorting the hashes (32-bit values are two
    # digits of a Python int, compared the slow way) cost twice as much
    smallest = [_EMPTY] * SLOTS
    for value in hashes:
        slot = value >> _SLOT_BITS
        if value < smallest[slot]:
            smallest[slot] = value
    return Fingerprint(slots=_PACK(*smallest), size=len(hashes))


def index_parts(scope: Any) -> Optional[frozenset[int]]:
    """The parts whose paragraphs a batch's first pass fingerprints: a peer-similarity rule's
    ``scope`` (None, every part, for a word)."""
    return None if isinstance(scope, str) else frozenset(int(p) for p in scope)


def report_fingerprint(report: Any, scope: Any) -> Optional[Fingerprint]:
    """Of the text a peer-similarity rule compares: the paragraphs of ``report`` (a
    checker.model.Report) in the rule's ``scope`` (a list of part numbers, or a word for all)."""
    wanted = index_parts(scope)
    return fingerprint("".join(p.text for p in report.paragraphs
                               if p.part is not None and (wanted is None or p.part in wanted)))
