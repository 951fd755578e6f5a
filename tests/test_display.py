"""lines.display() drops markdown markers and edge bars with str methods rather than its regular
expressions: the same text on any input."""
import re

from hypothesis import given, settings, strategies as st

from checker.extract.lines import display

_LEAD = re.compile(r"^\s*(?:#{1,6}|>+)\s*")
_EMPHASIS = re.compile(r"\*\*|__")
_EDGE_BARS = re.compile(r"^[\s|]+|[\s|]+$")


def _by_regex(text: str) -> str:
    """The definition."""
    if not re.search(r"[#>*_|]", text):
        return text.strip()
    return _EDGE_BARS.sub("", _EMPHASIS.sub("", _LEAD.sub("", text))).strip()


def test_every_space_at_the_edges() -> None:
    for code in range(0x3001):
        space = chr(code)
        text = f"{space}|{space}**规章**{space}|{space}_{space}"
        assert display(text) == _by_regex(text), hex(code)


_CHARACTERS = st.one_of(st.characters(), st.sampled_from(" \t\n\x0c\x1c\u00a0\u3000\u2028|*_#>规章"))


@settings(max_examples=400)
@given(st.text(_CHARACTERS, max_size=40))
def test_same_as_the_regular_expressions(text: str) -> None:
    assert display(text) == _by_regex(text)
