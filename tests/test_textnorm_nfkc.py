"""textnorm.nfkc is unicodedata's NFKC, computed the fast way: the same result on any text."""
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.textnorm import fold, narrow, nfkc


def _reference(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def test_every_character_beside_full_width_forms() -> None:
    # each code point alone and between full-width forms (a combining mark after "Ａ" composes
    # with the narrowed "A" exactly as NFKC composes it after decomposing "Ａ")
    # planes 0-3 and the tag and variation-selector block: planes 4-13 hold no character
    for code in [*range(0xD800), *range(0xE000, 0x40000), *range(0xE0000, 0xE1000)]:
        char = chr(code)
        text = f"{char}（{char}）Ａ{char}\u3000{char}"
        assert nfkc(text) == _reference(text), hex(code)


def test_report_text() -> None:
    for text in ("二、主动公开政府信息情况（２０２４年）：收到申请１２件。", "Ａ\u0301ｆｉ①ｶﾞ\u3000〔2024〕",
                 "", "plain ascii", "第一部分　总体情况"):
        assert nfkc(text) == _reference(text)
        assert fold(text) == _reference(text).replace("〔", "[").replace("〕", "]") \
            .replace("—", "-").replace("－", "-")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("（）：；，！？Ａｚ０９\u3000\u0301\uff5e\uff01政府a1 。"), max_size=40))
def test_runs_of_full_width_forms(text: str) -> None:
    # forms side by side, each one's first occurrence anywhere: every distinct form is narrowed
    # by narrow() itself (what it leaves, NFKC would still narrow, slowly)
    assert narrow(text) == "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else
                                   " " if c == "\u3000" else c for c in text)
    assert nfkc(text) == _reference(text)
