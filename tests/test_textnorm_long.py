"""squash_folded, similarity.normalise_squashed and similarity.shingle_hashes take a quicker road
for long text (split and replace instead of one regular expression, struct series instead of a
slice a window): the same result on any text, long or short."""
import re
import zlib

from hypothesis import given, settings, strategies as st

from checker.similarity import SHINGLE, normalise_squashed, shingle_hashes, shingles_of_each
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


def _every_window(normalised: str) -> set[int]:
    """The definition: CRC-32 of each 8-character window (of the text itself when shorter)."""
    flat = normalised.encode("utf-32-le")
    if len(normalised) <= SHINGLE:
        return {zlib.crc32(flat)} if normalised else set()
    return {zlib.crc32(flat[4 * i:4 * (i + SHINGLE)]) for i in range(len(normalised) - SHINGLE + 1)}


def test_shingles_of_every_length_up_to_several_series() -> None:
    # long texts are cut into series of windows by struct: every length around the series' sizes
    text = "".join(chr(0x4E00 + (n * 7919) % 20000) for n in range(SHINGLE * 2 * 256 + 40))
    for size in [*range(0, 300), *range(2 * 256 * SHINGLE - 20, len(text))]:
        assert shingle_hashes(text[:size]) == _every_window(text[:size]), size


@settings(max_examples=200)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=400))  # UTF-32 has no lone surrogate
def test_shingles_are_every_window(text: str) -> None:
    assert shingle_hashes(text) == _every_window(text)


@settings(max_examples=200)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40), max_size=8))
def test_the_shingles_of_each_sentence_worked_out_together_are_each_ones_own(texts: list[str]) -> None:
    texts = [t.replace("\n", "") for t in texts]  # a squashed sentence has no newline
    assert shingles_of_each(texts) == [shingle_hashes(normalise_squashed(t)) for t in texts]


def test_the_shingles_of_long_sentences_together_across_several_series() -> None:
    text = "".join(chr(0x4E00 + (n * 7919) % 20000) for n in range(SHINGLE * 2 * 256 + 40))
    texts = [text[:size] for size in (0, 1, SHINGLE, SHINGLE + 1, 500, 2 * 256 * SHINGLE + 7)] + ["第12项", text]
    assert shingles_of_each(texts) == [shingle_hashes(normalise_squashed(t)) for t in texts]
