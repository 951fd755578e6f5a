"""squash_folded and similarity.normalise_squashed take a quicker road for long text (split and
replace instead of one regular expression): the same result on any text, long or short."""
import re

from hypothesis import given, settings, strategies as st

from checker.similarity import normalise_squashed
from checker.textnorm import LONG_TEXT, squash_folded

_NOISE = re.compile(r"[\s\u00a0\u3000*#|`“”\"'‘’「」『』〝〞]+")
_DIGIT = re.compile(r"\d")
_PADDING = "政" * LONG_TEXT  # long enough for the quick road


def test_every_character_in_long_text() -> None:
    # each code point of planes 0-1 and the tags block, in a long text with digits and quotes
    for code in [*range(0xD800), *range(0xE000, 0x20000), *range(0xE0000, 0xE0080)]:
        text = f"{_PADDING}“{chr(code)} 12{chr(code)}”"
        assert squash_folded(text) == _NOISE.sub("", text), hex(code)
        assert normalise_squashed(text) == _DIGIT.sub("0", text), hex(code)


_CHARACTERS = st.one_of(st.characters(), st.sampled_from(" \t\n\u00a0\u3000\u2028\x1c*#|`“”\"'‘’「」『』〝〞0123456789٣۵"))


@settings(max_examples=300)
@given(st.text(_CHARACTERS, max_size=3 * LONG_TEXT))
def test_same_as_the_regular_expressions(text: str) -> None:
    assert squash_folded(text) == _NOISE.sub("", text)
    assert normalise_squashed(text) == _DIGIT.sub("0", text)
