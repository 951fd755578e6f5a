"""The table reader's fast paths read what its general path reads: a line whose tokens need no
separating or ungluing is taken as it is, and the values that end a line are given to its row
at once, not one by one."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.extract import clear_caches, extract, tables
from checker.extract.tokens import tokens
from checker.formats import get_format
from checker.readers.text import read
from seeds_support import SEEDS, seed_names

FORMAT = get_format()
SEED_LINES = [(SEEDS / name).read_text(encoding="utf-8").split("\n") for name in seed_names()]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALUES = st.sampled_from(["0", "3", "12", "1,234", "1.5", "/", "—", "无", "", " ", "3 件"])


def rework_row(draw, lines: list[str], n: int) -> None:
    """One edit of the table row ``lines[n]``: other values, a field dropped or doubled, a label
    run into its first value or split by a space, the row moved."""
    fields = lines[n].split("\t")
    edit = draw(st.integers(0, 5))
    if edit == 0:
        fields = [draw(VALUES) if f.strip().isdigit() else f for f in fields]
    elif edit == 1:
        del fields[draw(st.integers(0, len(fields) - 1))]
    elif edit == 2:
        fields.insert(draw(st.integers(0, len(fields))), draw(VALUES))
    elif edit == 3 and len(fields) > 1:
        fields[0:2] = [fields[0] + fields[1]]
    elif edit == 4:
        cut = draw(st.integers(0, len(fields[0])))
        fields[0] = fields[0][:cut] + " " + fields[0][cut:]
    else:
        lines.insert(draw(st.integers(0, len(lines))), lines.pop(n))
    lines[n if n < len(lines) else -1] = "\t".join(fields)


@st.composite
def reworked_seed(draw) -> str:
    """A seed whose table rows have other values, fields dropped or doubled, a label run into
    its first value or split by a space, rows moved."""
    lines = list(draw(st.sampled_from(SEED_LINES)))
    for n, line in enumerate(lines):
        if "\t" in line and draw(st.booleans()):
            rework_row(draw, lines, n)
    return "\n".join(lines)


def _read(text: str):
    clear_caches()
    report = extract(read("r.txt", text.encode("utf-8")), FORMAT)
    return {key: (None if t is None else (t.cells, t.labels, t.unmatched, t.where)) for key, t in report.tables.items()}, \
        report.notes


@SETTINGS
@given(reworked_seed())
def test_the_fast_paths_read_what_the_general_path_reads(text):
    fast = _read(text)
    general_tokens, general_from = tables.row_tokens, tables._values_from
    try:
        tables.row_tokens = lambda line, cells: (tokens(line, cells), None)  # every line the general way
        tables._values_from = len  # and every value one by one
        general = _read(text)
    finally:
        tables.row_tokens, tables._values_from = general_tokens, general_from
    assert fast == general
