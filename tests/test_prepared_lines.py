"""prepare() tests a line of one fragment for markup with five searches instead of
_has_markup(): the same display text as the regular expression's choice gives."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.build import make_fragment, make_line
from checker.extract.lines import _has_markup, display, prepare
from checker.model import Document, Source

_TEXT = st.text(alphabet=st.sampled_from("政府 公开#>*_|-。\t\u3000a1"), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, max_size=8))
def test_a_line_of_one_fragment_is_shown_as_the_markup_test_says(texts: list[str]) -> None:
    where = Source(line=1)
    document = Document(source="r.txt", reader="text",
                        lines=tuple(make_line((make_fragment(t, where),), "text", where) for t in texts))
    expected = [shown for t in texts if (shown := display(t) if _has_markup(t) else t.strip())]
    prepared = prepare(document)
    assert [line.text for line in prepared] == expected
    assert [line.shown for line in prepared] == [(text,) for text in expected]
