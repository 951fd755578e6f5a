"""What a pattern's parse tree says before it runs (checker.engine.screens), and the searches of a
scope's joined text built on it, find what a search sentence by sentence finds."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine.context import ScopeText, Sentence
from checker.engine.screens import absent, context_free, needs
from checker.model import Source

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# pieces of patterns: plain characters and runs, classes, repeats, groups, alternations, and
# what makes a match depend on the text around it (anchors, look-arounds, atomic groups)
PIECES = ["a", "b", "中", "ab", "中a", "\n", "[ab]", "[a中]", "[^a]", ".", "\\d", "\\s", "a+", "b*", "a{2,}", "[ab]{1,3}",
          "(?:a|b中)", "(?:ab|a)", "(a)", "b?", "(?=a)", "(?!b)", "(?<=a)", "(?<!b)", "^", "$", "\\b", "\\A",
          "(?>a*)", "a*+", "\\1"]
TEXT = st.text(alphabet="ab中1 \n。", max_size=14)


@st.composite
def patterns(draw) -> str:
    alternative = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)
    return "|".join(f"(?:{a})" for a in draw(st.lists(alternative, min_size=1, max_size=3)))


def _compiled(source: str):
    try:
        return re.compile(source)
    except re.error:
        return None


def _scope(texts: list[str]) -> ScopeText:
    sentences = [Sentence(text=t, part=1, where=Source(line=i + 1), flat=t, folded=t) for i, t in enumerate(texts)]
    return ScopeText.of(sentences)


@SETTINGS
@given(patterns(), st.lists(TEXT, min_size=1, max_size=3))
def test_a_text_without_what_every_match_contains_holds_no_match(source, texts):
    pattern = _compiled(source)
    if pattern is None:
        return
    for text in texts:
        if absent(needs(pattern), text):
            assert pattern.search(text) is None, (source, needs(pattern), text)


@SETTINGS
@given(patterns(), st.lists(TEXT, max_size=6))
def test_a_context_free_pattern_finds_in_the_joined_scope_the_sentences_it_matches(source, texts):
    pattern = _compiled(source)
    if pattern is None or not context_free(pattern):
        return
    expected = [i for i, text in enumerate(texts) if pattern.search(text)]
    assert _scope(texts).sentences_searched(pattern) == expected, source


@SETTINGS
@given(st.lists(st.sampled_from(["ab", "中", "a中", "b"]), min_size=1, max_size=3), st.lists(TEXT, max_size=6))
def test_words_are_found_sentence_by_sentence_from_one_search_a_hit(words, texts):
    pattern = re.compile("|".join(re.escape(w) for w in words))
    texts = [t.replace("\n", "") for t in texts]  # a squashed sentence has no newline
    expected = [i for i, text in enumerate(texts) if pattern.search(text)]
    assert _scope(texts).flat_hits(pattern) == expected


def test_what_makes_a_match_depend_on_its_surroundings_is_not_context_free():
    # each matches one of the sentences alone but not inside the joined text, so a search of
    # the joined text would miss it: the reason such patterns are searched sentence by sentence
    for source, texts in [("^b", ["a", "b"]), ("a$", ["a", "b"]), ("a\\Z", ["a", "b"]),
                          ("a(?![^x]{2})", ["a", "bc"]), ("(?<![^x])b", ["a", "b"]),
                          ("(?>a[^c]*)(?<=b)", ["ab", "c"]), ("a[^c]*+(?<=b)", ["ab", "c"])]:
        pattern = re.compile(source)
        assert not context_free(pattern), source
        one_by_one = [i for i, t in enumerate(texts) if pattern.search(t)]
        assert one_by_one and _scope(texts).sentences_searched(pattern) != one_by_one, source
    for source in ["收取[^。；;]{0,20}处理费", "(?=[ab])(?:a|b)c", "(?<=a)b", "(a)\\1"]:
        assert context_free(re.compile(source)), source


def test_the_needs_of_rule_patterns():
    assert needs(re.compile("收取[^。；;]{0,20}处理费")) == (("处理费",), ("收取",))
    assert needs(re.compile("已全部(?:按期)?(?:答复|办结)")) == (("已全部",), ("办结", "答复"))
    # an alternative that needs nothing (a repeat that may be empty) leaves the whole needing nothing
    assert needs(re.compile("(?:监督)|(?:a*)")) == ()
    assert needs(re.compile("(?i)ab")) == ()
    assert absent(needs(re.compile("(?:全部|均已?)[^。]{0,4}办结")), "均已答复") is True
    assert absent(needs(re.compile("(?:全部|均已?)[^。]{0,4}办结")), "均已办结") is False


_PACK = None


def _fmt():
    global _PACK
    if _PACK is None:
        from checker.engine.pack import load_pack
        _PACK = load_pack()
    return _PACK.fmt


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["1", "2", "3", "5"]),
                       st.lists(st.sampled_from(["本年新制作数量", "对外公开 总数量", "本年增/减", "信息内容。", "数量；",
                                                 "本年", "增减", "。"]), max_size=6).map("".join), max_size=3),
       st.lists(st.sampled_from(["本年新制作数量", "对外公开总数量", "本年增减", "增/减", "数量"]), min_size=1, max_size=3))
def test_the_sentences_mentioning_words_are_those_holding_one_of_them(parts, words):
    from checker.engine.context import CURRENT
    from checker.engine.examples import build_report
    from checker.engine.runner import make_view
    from checker.engine.vocabulary import found_words, mentions
    from checker.textnorm import squash
    view = make_view(build_report({"parts": {int(k): v for k, v in parts.items()}}, _fmt()), _fmt())
    token = CURRENT.set(view)
    try:
        sentences = view.sentences([2, 3])
        expected = [s.text for s in sentences if any(squash(w) in s.flat for w in words)]
        assert [e.text for e in mentions([2, 3], words)] == expected
        text = "".join(s.flat for s in sentences)
        assert found_words([2, 3], words) == [w for w in words if squash(w) in text]
    finally:
        CURRENT.reset(token)
