"""The rows of a table as read, aligned to the rows of the format.

The reader (tables.py) gives the row labels in document order, each with the values that
followed it: labels the format's keys name, and labels they do not (a typo, a label cut in two,
an empty label cell, values that came before their labels). The format fixes the order of its
rows, so a row is identified by its wording *and* its place:

1. pieces of one label cut apart are joined back when together they read closer to a wording;
2. a clump of value-less labels followed by exactly as many rows of values (text extracted
   block by block) gives each label its row of values, in order;
3. each run of labels no key names, between two recognised rows, is aligned in order to the
   rows the format puts between those two: a label takes the row whose wording it is within a
   few typos of (an edit distance over normalised text); where the rows between are exactly as
   many as the labels and each carries exactly its row's values, the place alone decides (an
   empty label cell, a label beyond recognition).

Values are never moved to a neighbour on a guess: what no row takes is noted and left out."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence

from ..model import Cell, Fragment, Source
from .fuzzy import allowed, distance, find, prefix_distance
from .labels import LabelRef, TableLabels, enumerator
from .tokens import Token

_new = object.__new__
# a piece this short left over when a row's wording is found inside a longer text is an
# enumerator or debris ("1", "三本"), not another label
_LEFTOVER = 2


# slots: a table makes dozens of these, and the alignment reads their fields over and over
@dataclass(slots=True)
class Written:
    """A label as written so far (a continuation may still extend it). ``ref`` is None while no
    row is known for it."""

    ref: Optional[LabelRef]
    text: str
    loose: str
    where: Source
    line: int
    # where the row stands among the table's rows, when that is not where its label is
    # (values that came before their label)
    order: Optional[int] = None

    @classmethod
    def of(cls, ref: Optional[LabelRef], token: Token) -> "Written":
        # the fields set here, not through the dataclass's __init__ (a call into Python from
        # the class's call): a table's every label is made so
        written = _new(cls)
        written.ref = ref
        written.text = token.text
        written.loose = token.loose
        written.where = token.where
        written.line = token.line
        written.order = None
        return written

    def extend(self, token: Token) -> None:
        self.text += token.text
        self.loose += token.plain


@dataclass(slots=True)
class Occurrence:
    """A row label as read, with what followed it."""

    label: Written
    values: list[Token] = field(default_factory=list)
    placed: Optional[tuple[Cell, ...]] = None  # cells mapped by grid position
    # a grid row whose label no key names: its cells after the label, to map once its row is known
    trailing: Optional[Sequence[Fragment]] = None
    weak: bool = False  # a piece too short to name anything (debris)
    # values only, after a row that had all its values (an empty label cell, values before labels)
    empty: bool = False
    former: bool = False  # printed under the columns of an older format
    # its values could not be told apart from its neighbours': the checker's doing (unplaced)
    # when the report printed as many values as the rows have cells, the report's (lost) when
    # it printed fewer (see ``mark_unknown``)
    unplaced: bool = False
    lost: bool = False
    # a column heading came among its values (text extracted column by column): which of the
    # values are its own is not known; unplaced when they are as many as its cells, else lost
    interrupted: bool = False

    @classmethod
    def of(cls, label: Written, former: bool) -> "Occurrence":
        """A row's label as it is read, nothing after it yet (its fields set here, not through
        the dataclass's __init__: every row label of a table is made so)."""
        occurrence = _new(cls)
        occurrence.label = label
        occurrence.values = []
        occurrence.placed = occurrence.trailing = None
        occurrence.weak = occurrence.empty = occurrence.unplaced = occurrence.lost = occurrence.interrupted = False
        occurrence.former = former
        return occurrence

    @property
    def named(self) -> bool:
        return self.label.ref is not None

    @property
    def is_row(self) -> bool:
        return self.label.ref is not None and self.label.ref.kind == "row"

    @property
    def filled(self) -> bool:
        return self.placed is not None or bool(self.values)


def grid_fit(label: str, trailing: Sequence[Fragment], width: int) -> Optional[Sequence[Fragment]]:
    """The ``width`` cells a grid row holds after its label, when it holds exactly those: any
    extra cells between the label and them must be the rest of a spanned label cell (empty, or
    the label again where a converter copied a merged cell into every position it covers)."""
    label = label.strip()
    if len(trailing) < width:
        return None
    extra = len(trailing) - width
    for fragment in trailing[:extra]:
        if fragment.text.strip() not in ("", label):
            return None
    return trailing[extra:]


# --------------------------------------------------------------------------- likeness


@dataclass(frozen=True)
class Likeness:
    """How a text resembles a row's wording: the typos counted, against the wording's length."""

    ref: LabelRef
    typos: int
    size: int
    inside: bool = False  # the wording stands inside the text, beside other labels or debris

    @property
    def score(self) -> float:
        return 1 - self.typos / max(self.size, 1)

    @property
    def matched(self) -> int:
        """How many characters of the wording the text reads."""
        return self.size - self.typos


def _explained(leftover: str, labels: TableLabels) -> bool:
    """Whether what is left of a text around a row's wording is debris or another label of the
    table (a group label printed in the row's cell: "（三）不予公开1.属于国家秘密")."""
    rest = "".join(ch for ch in leftover if not ch.isdigit())
    if len(rest) <= _LEFTOVER:
        return True
    for ref in labels.group_refs:
        for wording in ref.wordings:
            limit = allowed(len(wording))
            if distance(rest, wording, limit) <= limit:
                return True
    return False


@lru_cache(maxsize=4096)
def likeness(labels: TableLabels, text: str) -> tuple[Likeness, ...]:
    """The rows whose wording the loose ``text`` is within a few typos of, closest first. The
    wording may also stand inside the text, beside a group label or debris (those come last)."""
    if not text:
        return ()
    chars = set(text)
    found: list[Likeness] = []
    for ref in labels.row_refs:
        best: Optional[Likeness] = None
        for wording in ref.wordings:
            limit = allowed(len(wording))
            if len(set(wording) - chars) > limit:
                continue  # each typo takes at most one of the wording's characters away
            typos, within = distance(text, wording, limit), False
            if typos > limit and len(text) > len(wording):
                inside = find(wording, text, limit)
                if inside is not None and _explained(text[:inside[1]] + text[inside[2]:], labels):
                    typos, within = inside[0], True
            if typos <= limit and (best is None or typos < best.typos):
                best = Likeness(ref, typos, len(wording), within)
        if best is not None:
            found.append(best)
    # the text as a whole like a wording before a wording found inside it
    return tuple(sorted(found, key=lambda like: (like.inside, -like.score)))


def clear_alignment_caches() -> None:
    likeness.cache_clear()
    _reads_on_wordings.cache_clear()


def _likeness_of(labels: TableLabels, text: str, ref: LabelRef) -> float:
    for like in likeness(labels, text):
        if like.ref.key == ref.key:
            return like.score
    return 0.0


# --------------------------------------------------------------------------- steps


def _width(occurrence: Occurrence, labels: TableLabels) -> Optional[int]:
    ref = occurrence.label.ref
    if ref is not None:
        return labels.widths[ref.key]
    return labels.uniform_width


def join_pieces(observed: list[Occurrence], labels: TableLabels) -> list[Occurrence]:
    """Join a piece no key names to the label before it when it is that label's rest: a piece
    that brings the label closer to a row's wording (a label cut by a line break, with a typo in
    one of its halves), or debris of a group label cut apart. Other debris is not joined:
    followed by values, it may be a row label beyond recognition, which its place names."""
    out: list[Occurrence] = []
    for occurrence in observed:
        previous = out[-1] if out else None
        if previous is None or occurrence.empty or previous.empty or previous.placed is not None or \
                previous.trailing is not None or occurrence.trailing is not None or \
                occurrence.placed is not None or (previous.values and occurrence.values):
            out.append(occurrence)
            continue
        if occurrence.named:
            if previous.named and occurrence.label.ref is previous.label.ref and not occurrence.values and \
                    _reads_on(occurrence.label.ref, previous.label.loose,  # type: ignore[arg-type]
                              previous.label.loose + occurrence.label.loose):
                # the rest of the row's label, a typo in it, its keys naming the row again
                previous.label.text += occurrence.label.text
                previous.label.loose += occurrence.label.loose
            elif not previous.named and occurrence.is_row and _heads(previous, occurrence, _last_row(out), labels):
                # the head of a row label, its values printed after it, the rest of the label
                # (which its keys name) on the next line
                if _own(previous, occurrence) == occurrence.label.loose:
                    occurrence.label.text = previous.label.text + occurrence.label.text
                    occurrence.label.loose = previous.label.loose + occurrence.label.loose
                occurrence.label.where, occurrence.label.line = previous.label.where, previous.label.line
                occurrence.values = previous.values + occurrence.values
                out[-1] = occurrence
            else:
                out.append(occurrence)
            continue
        width = _width(previous, labels)
        room = width is None or len(previous.values) + len(occurrence.values) <= width
        if room and occurrence.weak and _group_piece(occurrence, labels):
            # a piece of a group label cut apart ("（四）无法" … "提供"), printed between a row's
            # label and its values: the values are the row's
            previous.values.extend(occurrence.values)
            continue
        if room and _continues(previous, occurrence, _last_row(out[:-1]), labels):
            previous.label.text += occurrence.label.text
            previous.label.loose += occurrence.label.loose
            previous.values.extend(occurrence.values)
            continue
        out.append(occurrence)
    return out


def _group_piece(piece: Occurrence, labels: TableLabels) -> bool:
    """Whether debris is a piece of a group or block label (and of no row's)."""
    text = piece.label.loose
    return labels.in_group_label(text) and not likeness(labels, text)


def _heads(head: Occurrence, row: Occurrence, before: Optional[str], labels: TableLabels) -> bool:
    """Whether an unnamed piece is the head of the row label after it: together they read on
    as the row's wording, and the piece is no label of a row between the row recognised before
    it (``before``) and this one."""
    ref = row.label.ref
    assert ref is not None
    if _another_row(head, ref, before, labels):
        return False
    return _reads_on(ref, _own(head, row), head.label.loose + _own(head, row))


def _own(head: Occurrence, row: Occurrence) -> str:
    """The row's label without the head, when the reader already took the head into it (a
    head with values of its own stays an occurrence of its own as well)."""
    own, piece = row.label.loose, head.label.loose
    return own[len(piece):] if own.startswith(piece) and len(own) > len(piece) else own


def _reads_on(ref: LabelRef, alone: str, joined: str) -> bool:
    """Whether ``joined`` (loose) is closer than ``alone`` to one of the row's wordings, and within
    a few typos of it — whole, or cut short still."""
    return _reads_on_wordings(ref.wordings, alone, joined)


# cached: the same cut labels recur in a batch's tables, and a distance not cut off at a few
# typos costs a whole programme (a label against a long wording: a tenth of reading a table)
@lru_cache(maxsize=4096)
def _reads_on_wordings(wordings: tuple[str, ...], alone: str, joined: str) -> bool:
    for wording in wordings:
        limit = allowed(len(wording))
        # the distances cut off where the answer is known: within the limit, ``alone`` only has
        # to be farther; beyond it, the head of the wording must be near before the whole
        # distance matters
        whole = distance(joined, wording, limit)
        if whole > limit:
            if prefix_distance(joined, wording, limit) > limit:
                continue
            whole = distance(joined, wording, max(len(wording), len(joined)))
        if distance(alone, wording, whole) > whole:
            return True
    return False


def _another_row(piece: Occurrence, ref: LabelRef, before: Optional[str], labels: TableLabels) -> bool:
    """Whether a piece reads as the label of a row other than ``ref`` that could stand where it
    is: between the row recognised before it and ``ref`` (or anywhere after ``before`` when
    ``ref`` comes earlier in the format)."""
    order = labels.row_order
    low = order[before] if before in order else -1
    high = order.get(ref.key, len(order))
    for like in likeness(labels, piece.label.loose):
        if like.ref.key == ref.key or like.ref.key not in order or like.inside:
            continue
        at = order[like.ref.key]
        if low < at and (at < high or high <= low):
            return True
    return False


def _last_row(occurrences: Sequence[Occurrence]) -> Optional[str]:
    return next((o.label.ref.key for o in reversed(occurrences) if o.is_row), None)  # type: ignore[union-attr]


def _continues(previous: Occurrence, piece: Occurrence, before: Optional[str], labels: TableLabels) -> bool:
    joined = previous.label.loose + piece.label.loose
    ref = previous.label.ref
    if ref is not None:
        if ref.kind != "row":
            return False
        # the rest of the row's label, unless the piece is rather a label of a row after it
        return not _another_row(piece, ref, ref.key, labels) and _reads_on(ref, previous.label.loose, joined)
    like = likeness(labels, joined)
    if not like:
        return False
    # together the pieces read more of a wording than either does alone
    return all(not alone or like[0].matched > alone[0].matched
               for alone in (likeness(labels, previous.label.loose), likeness(labels, piece.label.loose)))


def spread_clumps(observed: list[Occurrence], labels: TableLabels) -> list[str]:
    """Labels and values printed apart (text extracted block by block), in either order.

    Labels first: labels without values, one with its values, then more values on their own
    (``empty`` occurrences). When the runs of values are exactly the labels' rows, in order,
    each label takes its row; when they are not, which values are whose cannot be known and
    none is placed. (Without values after the last label's, the labels before it are blank
    rows, as in any text.)

    Values first: runs of values on their own, then labels without values: when the runs are
    exactly the labels' rows, in order, each label takes its row; when they are not, none.

    Text between them that resembles no row (debris of a group label) does not count. Returns
    notes on what was done."""
    notes: list[str] = []
    seq = [o for o in observed if not _ignorable(o, labels)]
    n = 0
    while n < len(seq):
        if seq[n].empty and seq[n].values and seq[n].trailing is None:
            n = _values_first(seq, n, labels, notes)
            continue
        start = n
        while n < len(seq) and _bare(seq[n], labels):
            n += 1
        if n == start or n >= len(seq):
            n += 1
            continue
        n = _labels_first(seq, start, n, labels, notes)
    return notes


def _labels_first(seq: list[Occurrence], start: int, n: int, labels: TableLabels, notes: list[str]) -> int:
    holder = seq[n]
    if holder.empty or not holder.values or holder.placed is not None:
        return n
    runs = [holder]
    while n + len(runs) < len(seq) and seq[n + len(runs)].empty and seq[n + len(runs)].trailing is None:
        runs.append(seq[n + len(runs)])
    if len(runs) == 1:
        return n + 1
    takers = [*seq[start:n], holder]
    if not _in_order(takers, labels):
        return n + 1
    if _runs_are_rows(runs[:len(takers)], takers, labels):
        for occurrence, own in zip(takers, [o.values for o in runs[:len(takers)]]):
            occurrence.values = own
        for occurrence in runs[1:len(takers)]:
            occurrence.values = []
        notes.append(f"{labels.spec.key}: {len(takers)} labels in a row, then their rows of values, in order")
    elif (cut := _cut([v for o in runs for v in o.values], takers, labels)) is not None:
        for occurrence, own in zip(takers, cut):
            occurrence.values = own
        for occurrence in runs[1:]:
            occurrence.values = []
        notes.append(f"{labels.spec.key}: {len(takers)} labels in a row, then exactly their values, "
                     "cut into rows that each add up")
    else:
        notes.append(f"{labels.spec.key}: {len(takers)} labels in a row, then values that are not their "
                     "rows: which values are whose cannot be known, so none is placed")
        mark_unknown(takers, sum(len(o.values) for o in runs), labels)
        for occurrence in (*takers, *runs[1:]):
            occurrence.values = []
    return n + len(runs)


def _values_first(seq: list[Occurrence], n: int, labels: TableLabels, notes: list[str]) -> int:
    start = n
    while n < len(seq) and seq[n].empty and seq[n].values and seq[n].trailing is None:
        n += 1
    runs = seq[start:n]
    # the values follow the last row read: labels of rows before it are out of place, not theirs
    last = next((labels.row_order[o.label.ref.key] for o in reversed(seq[:start])  # type: ignore[union-attr]
                 if o.is_row and o.filled), -1)
    takers = []
    while n < len(seq) and _bare(seq[n], labels):
        if not seq[n].is_row or labels.row_order[seq[n].label.ref.key] > last:  # type: ignore[union-attr]
            takers.append(seq[n])
        n += 1
    if not takers or not _in_order(takers, labels):
        return n
    closer = seq[n] if n < len(seq) and seq[n].is_row and seq[n].values and seq[n].placed is None else None
    values = [v for run in runs for v in run.values]
    if _runs_are_rows(runs, takers, labels):
        for run, taker in zip(runs, takers):
            taker.values, run.values = run.values, []
        notes.append(f"{labels.spec.key}: {len(runs)} rows of values, then their labels, in order")
    elif (cut := _cut(values, takers, labels)) is not None or (
            closer is not None and (cut := _cut(values + closer.values, [*takers, closer], labels)) is not None):
        # the rest of the last row may follow the label closing the clump (a label set in the
        # middle of its row's height is extracted after the row's first values)
        for taker, own in zip([*takers, closer], cut):
            taker.values = own  # type: ignore[union-attr]
        for run in runs:
            run.values = []
        notes.append(f"{labels.spec.key}: {len(values)} values, then the labels of exactly as many cells, "
                     "cut into rows that each add up")
    else:
        # as many runs as labels, each its row's size, or which is whose cannot be known
        notes.append(f"{labels.spec.key}: {len(runs)} runs of values, then {len(takers)} labels that they "
                     "are not the rows of: none of the values is placed")
        count = len(values)
        if closer is not None:  # the label closing the clump: its values may be any of theirs
            takers.append(closer)
            count += len(closer.values)
        mark_unknown(takers, count, labels)
    return n


def _testable(width: int, labels: TableLabels) -> bool:
    """Whether a row of ``width`` cells holds a total and its parts, which tell a right cut."""
    return any(total < width and all(p < width for p in parts) for total, parts in labels.totals)


def _runs_are_rows(runs: Sequence[Occurrence], takers: Sequence[Occurrence], labels: TableLabels) -> bool:
    """Whether each run of values is, in order, a whole row of its taker: its size, adding up."""
    return [len(run.values) for run in runs] == [_width(taker, labels) for taker in takers] and \
        all(consistent(run.values, labels) for run in runs)


def _cut(values: Sequence[Token], takers: Sequence[Occurrence], labels: TableLabels) -> Optional[list[list[Token]]]:
    """Values printed apart from their labels, in order, cut into the labels' rows: when they are
    exactly as many as the rows' cells and each row so cut adds up (``consistent``). Text
    extracted column by column gives runs that do not. A row with no total to test is never cut
    so (nothing would tell a wrong cut)."""
    widths = [_width(taker, labels) for taker in takers]
    if any(w is None or not _testable(w, labels) for w in widths) or sum(widths) != len(values):  # type: ignore[arg-type]
        return None
    out: list[list[Token]] = []
    start = 0
    for width in widths:
        own = list(values[start:start + width])  # type: ignore[operator]
        if not consistent(own, labels):
            return None
        out.append(own)
        start += width  # type: ignore[operator]
    return out


def _in_order(takers: Sequence[Occurrence], labels: TableLabels) -> bool:
    """Whether the labels of a clump stand in the format's order (a clump is rows printed in
    order; anything else is not one): the recognised ones in order, and each other one like a
    row that can stand between its neighbours."""
    order = labels.row_order
    known = [order[o.label.ref.key] if o.is_row else None for o in takers]  # type: ignore[union-attr]
    placed = [k for k in known if k is not None]
    if any(a >= b for a, b in zip(placed, placed[1:])):
        return False
    for n, occurrence in enumerate(takers):
        if known[n] is not None:
            continue
        low = max((k for k in known[:n] if k is not None), default=-1)
        high = min((k for k in known[n + 1:] if k is not None), default=len(order))
        if not any(low < order[like.ref.key] < high for like in likeness(labels, occurrence.label.loose)
                   if like.ref.key in order):
            return False
    return True


def _ignorable(occurrence: Occurrence, labels: TableLabels) -> bool:
    """Text with nothing after it that is no row's label (debris of a group label cut apart)."""
    return not occurrence.named and not occurrence.filled and not occurrence.empty and (
        occurrence.weak or not likeness(labels, occurrence.label.loose))


def mark_interleaved(observed: Sequence[Occurrence], labels: TableLabels) -> None:
    """A row short of values, then a row, then values with no label: the short row's missing
    values were printed after the next label (text extracted column by column), so the next
    row's are not certainly its own either."""
    # pieces of a group label between them (its column's text, wrapped) take no part
    observed = [o for o in observed if o.named or o.filled or o.empty]
    for short, row, after in zip(observed, observed[1:], observed[2:]):
        width = _width(short, labels)
        if short.is_row and short.placed is None and width is not None and 0 < len(short.values) < width \
                and row.is_row and row.values and row.placed is None and after.empty and after.values:
            mark_unknown((short, row), len(short.values) + len(row.values) + len(after.values), labels)


def mark_overflowing(observed: Sequence[Occurrence], labels: TableLabels) -> None:
    """A row whose values, one a line, run on into more values that no row takes: the table
    was extracted column by column somewhere, and which of the values are the row's own cannot
    be known (call after the rows are named)."""
    for row, after in zip(observed, observed[1:]):
        if row.is_row and row.placed is None and len(row.values) > 1 and after.empty and not after.named \
                and after.values and after.trailing is None and len({v.line for v in row.values}) > 1:
            mark_unknown((row,), len(row.values) + len(after.values), labels)


def mark_short_with_strays(rows: Sequence[Occurrence], strays: int, labels: TableLabels) -> None:
    """Rows short of values in a table where values no row takes were found too (text extracted
    column by column: "现行有效件数" / "95" printed after the rows): when the strays are at
    least as many as the values the rows lack, the report printed them all and the checker
    cannot place them (unplaced), rather than the report leaving cells empty."""
    short = [row for row in rows if row.placed is None and not (row.unplaced or row.lost or row.former)
             and len(row.values) < (_width(row, labels) or 0)]
    if strays and short and strays >= sum((_width(row, labels) or 0) - len(row.values) for row in short):
        for row in short:
            row.unplaced = True


def mark_unknown(rows: Sequence[Occurrence], values: int, labels: TableLabels) -> None:
    """Rows whose ``values`` (how many the report printed among them) cannot be told apart.
    As many values as the rows have cells or more: the report filled them, the checker cannot
    say which is which (unplaced). Fewer: the report left some of them empty, whichever they
    are (lost, as a row short of values is)."""
    cells = sum(_width(row, labels) or 0 for row in rows)
    for row in rows:
        if values < cells:
            row.lost = True
        else:
            row.unplaced = True


def _bare(occurrence: Occurrence, labels: TableLabels) -> bool:
    """A label with nothing after it that could be a row's: a member of a clump."""
    if occurrence.empty or occurrence.filled or occurrence.weak or occurrence.trailing is not None:
        return False
    if occurrence.named:
        return occurrence.is_row
    return bool(likeness(labels, occurrence.label.loose))


def name_rows(observed: Sequence[Occurrence], labels: TableLabels) -> None:
    """Give each occurrence no key named the row it is, by wording and place (see the module's
    docstring); one that is no row keeps ``ref`` None."""
    order = labels.row_order
    rows = labels.spec.rows
    taken = {o.label.ref.key for o in observed if o.is_row and o.filled}  # type: ignore[union-attr]

    def anchor(occurrence: Occurrence) -> bool:
        # a recognised row; not one without values whose row has values elsewhere (out of
        # place), nor a bare short wording without the row's number ("其他" of a header
        # printed again, not "3.其他")
        ref = occurrence.label.ref
        if not occurrence.is_row or ref is None:
            return False
        if occurrence.filled:
            return True
        return ref.key not in taken and not (ref.spec.exact and enumerator(occurrence.label.text) !=
                                             enumerator(ref.spec.label))

    n = 0
    while n < len(observed):
        if observed[n].named:
            n += 1
            continue
        start = n
        while n < len(observed) and not observed[n].named:
            n += 1
        before = next((order[o.label.ref.key] for o in reversed(observed[:start]) if anchor(o)), -1)  # type: ignore[union-attr]
        after = next((order[o.label.ref.key] for o in observed[n:] if anchor(o)), len(rows))  # type: ignore[union-attr]
        if after <= before:
            after = len(rows)
        gap = [labels.row_ref(row.key) for row in rows[before + 1:after] if row.key not in taken]
        unnamed = [o for o in observed[start:n] if o.filled or (o.label.loose and (
            not o.weak or likeness(labels, o.label.loose) or enumerator(o.label.text)))]
        for occurrence, ref in _align(unnamed, gap, labels):
            occurrence.label.ref = ref
            if occurrence.filled:
                taken.add(ref.key)


def _align(unnamed: Sequence[Occurrence], gap: Sequence[LabelRef], labels: TableLabels
           ) -> list[tuple[Occurrence, LabelRef]]:
    """The ordered assignment of occurrences to the rows of their gap of greatest likeness in
    total; or, where the gap has as many rows as there are occurrences, each carrying exactly
    its row's values, and likeness does not say otherwise, the one the order gives."""
    if not unnamed or not gap:
        return []
    k, m = len(unnamed), len(gap)
    scores = [[_likeness_of(labels, o.label.loose, ref) for ref in gap] for o in unnamed]
    # best[i][j]: the greatest total likeness pairing the first i occurrences with the first j rows
    best = [[0.0] * (m + 1) for _ in range(k + 1)]
    for i in range(1, k + 1):
        for j in range(1, m + 1):
            score = scores[i - 1][j - 1]
            best[i][j] = max(best[i - 1][j], best[i][j - 1], best[i - 1][j - 1] + score if score else 0.0)
    pairs: list[tuple[int, int]] = []
    i, j = k, m
    while i and j:
        score = scores[i - 1][j - 1]
        if score and best[i][j] == best[i - 1][j - 1] + score:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    if k == m and all(a == b for a, b in pairs) and all(_fits(o, ref, labels) for o, ref in zip(unnamed, gap)):
        return list(zip(unnamed, gap))
    return [(unnamed[a], gap[b]) for a, b in reversed(pairs)]


def _fits(occurrence: Occurrence, ref: LabelRef, labels: TableLabels) -> bool:
    """Whether an occurrence can be the row its place gives it: a label of any wording with
    values after it (read, or lost, as any row's), a grid row of exactly its cells, or values
    with no label that are exactly a row's and add up as one (a lone number is never a row by
    itself: it may be a page number). A label without values is that row only when it is
    numbered as the format numbers it."""
    width = labels.widths[ref.key]
    if occurrence.placed is not None:
        return len(occurrence.placed) == width
    if occurrence.trailing is not None and grid_fit(occurrence.label.text, occurrence.trailing, width) is not None:
        return True
    if not occurrence.values:
        # a label without values is a row by its wording, or by its outline number ("3.丁壬")
        number = enumerator(occurrence.label.text)
        return bool(number) and number == enumerator(ref.spec.label)
    if occurrence.label.loose:
        return True
    return width > 1 and len(occurrence.values) == width and consistent(occurrence.values, labels)


def consistent(values: Sequence[Token], labels: TableLabels) -> bool:
    """Whether a run of values moved to a row by its place adds up as a row must: each total
    column (the format's ``total_of``) equal to the sum of its parts. Text extracted column by
    column cuts runs of a row's length that are not rows; a row's own values, printed after its
    label, are never tested (an error in them is the report's, for the rules to find)."""
    return adds_up([t.cell for t in values], labels)


# how many runs of values were tested for adding up so far: the one step of a table reading
# that looks at what the values are, not only at their kinds (recurring.py keeps no recipe of
# a reading during which this grew)
sums_tested = 0


def adds_up(cells: Sequence[Optional[Cell]], labels: TableLabels) -> bool:
    """Whether the cells of one row (in column order) have each total equal to its parts' sum,
    where all of them are numbers."""
    global sums_tested
    sums_tested += 1
    for total, parts in labels.totals:
        if total >= len(cells) or any(p >= len(cells) for p in parts):
            continue
        row = [cells[total], *(cells[p] for p in parts)]
        if all(c is not None and c.kind == "number" for c in row):
            if row[0].value != sum(c.value for c in row[1:]):  # type: ignore[union-attr,misc]
                return False
    return True
