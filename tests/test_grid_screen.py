"""gridtext.has_grid looks for box-drawing characters in a text's UTF-8 bytes when it has them:
the same answer as its test of the decoded characters."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.readers.gridtext import has_grid

# the box-drawing block and its neighbours (whose UTF-8 shares its lead byte), characters with
# 0x94 or 0x95 among their bytes (as a lead byte's follower or not), and the marks of ASCII grids
_CHARACTERS = st.sampled_from([*map(chr, range(0x24f0, 0x2590)), *"\u0514\u4e14\u4e95\u9594\u2094\ue295\U00025500",
                               *"+-=|政 \na"])


@settings(max_examples=500, deadline=None)
@given(st.text(_CHARACTERS, max_size=6))
def test_the_bytes_say_what_the_characters_say(text: str) -> None:
    assert has_grid(text, text.encode("utf-8")) == has_grid(text)
