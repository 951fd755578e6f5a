"""textnorm.nfkc is unicodedata's NFKC, computed the fast way: the same result on any text."""
import unicodedata

from checker.textnorm import fold, nfkc


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
