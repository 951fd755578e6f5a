"""Rules that would run away are refused when loaded, or stopped when run: patterns that
backtrack exponentially, lets that refer to themselves, message fields with a format spec,
numbers past their bounds, a rule over its time budget."""
from __future__ import annotations

import re
import signal
import threading
import time
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from checker.engine import guards
from checker.engine.budget import RuleTimeout, shared_budget, within
from checker.engine.expr import Env, EvalError, compile_expr
from checker.engine.expr.patterns import UnsafePattern, safe_regex
from checker.engine.expr.values import MAX_DIGITS
from checker.engine.pack import load_pack
from checker.messages import render
from checker.textnorm import parse_number


# --------------------------------------------------------------------------- patterns

@pytest.mark.parametrize("pattern", [
    r"(a+)+$", r"(a*)*b", r"(?:\s*\d)+x", r"(x+x+)+y", r"((ab)*c)*", r"(a{1,3})+$",
    r"(?:[^。]{0,6}收费)+", r"(a{1,9}){1,40}",
])
def test_a_repetition_inside_a_repetition_is_refused(pattern):
    with pytest.raises(UnsafePattern, match="repetition inside a repetition"):
        safe_regex(pattern)


@pytest.mark.parametrize("pattern", [r"(\d+)-\1", r"(?P<n>a)(?P=n)", r"(a)?(?(1)b|c)"])
def test_a_backreference_is_refused(pattern):
    with pytest.raises(UnsafePattern, match="backreference"):
        safe_regex(pattern)


@pytest.mark.parametrize("pattern", [
    r"\d+(?:\.\d+)?\s*(?:元|万元)", r"(?<![\d.])(?P<n>\d+)\s*件", r"(?:任何)?费用", r"(ab){2,5}",
    r"(?:a{2}b)+", r"(?![^。]{0,6}(?:纠错|撤销))", r"[XＸ]{2,}", r"(?:a|b)*c", r"(a{1,2}){1,3}",
])
def test_patterns_that_backtrack_within_bounds_are_accepted(pattern):
    assert safe_regex(pattern).pattern == pattern


def test_every_pattern_of_the_shipped_rules_is_accepted():
    pack = load_pack()  # compiling checks every pattern; a refusal would raise here
    assert pack.rules


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab()+*?|{},123", max_size=12))
def test_the_pattern_check_raises_only_regex_errors(text):
    try:
        compiled = safe_regex(text)
    except re.error:
        return
    assert compiled.pattern == text


def test_a_pattern_given_at_run_time_is_checked_too():
    expr = compile_expr("matches(t, p)", names={"t", "p"})
    with pytest.raises(EvalError, match="repetition inside a repetition"):
        expr.evaluate(Env({"t": "a" * 40 + "b", "p": "(a+)+$"}))


# --------------------------------------------------------------------------- lets

def test_a_let_that_refers_to_itself_is_refused():
    assert guards.let_order_problem({"x": {"x"}}) == ("let.x", "'x' refers to itself: it can never have a value")


def test_lets_that_refer_to_each_other_are_refused_naming_the_cycle():
    key, message = guards.let_order_problem({"a": {"b"}, "b": {"c"}, "c": {"a", "meta"}})
    assert key == "let.a" and "a → b → c → a" in message


def test_a_let_using_a_later_let_is_refused_and_an_earlier_one_is_fine():
    assert guards.let_order_problem({"a": {"meta"}, "b": {"a"}}) is None
    key, message = guards.let_order_problem({"b": {"a"}, "a": {"meta"}})
    assert key == "let.b" and "put 'a' first" in message


# --------------------------------------------------------------------------- message templates

@pytest.mark.parametrize("template", ["{x:>2000000000}", "{x:.9999999}", "{x!r}", "前{x:{y}}后"])
def test_a_message_field_with_a_format_spec_is_refused(template):
    assert "has a format spec" in guards.template_problem(template)


def test_plain_fields_and_escaped_braces_pass():
    assert guards.template_problem("收费{raw}万元 {{literal}} {a.b}") is None


def test_a_format_spec_that_reached_rendering_is_dropped():
    started = time.perf_counter()
    assert render("宽{x:>2000000000}度{{x}}{y!r}", {"x": 1, "y": "z"}) == "宽1度{x}z"
    assert time.perf_counter() - started < 1


# --------------------------------------------------------------------------- numbers

def _value(text: str, **names):
    return compile_expr(text, names=set(names)).evaluate(Env(names))


def test_whole_numbers_past_sixty_digits_are_an_error_of_the_rule():
    big = 10 ** 59
    assert _value("x * 9", x=big) == 9 * big
    with pytest.raises(EvalError, match="arithmetic overflow"):
        _value("x * 10", x=big)
    with pytest.raises(EvalError, match="arithmetic overflow"):
        _value("x * x * x * x * x * x * x * x", x=10 ** 59 + 1)
    with pytest.raises(EvalError, match="arithmetic overflow"):
        _value("sum(xs)", xs=[big * 9] * 2)


def test_decimals_past_their_exponent_are_an_error_and_quick():
    started = time.perf_counter()
    with pytest.raises(EvalError, match="arithmetic overflow"):
        _value("x * x * x * x * x * x * x * x * x", x=Decimal("1.5") * 10 ** 20)
    assert time.perf_counter() - started < 1
    assert _value("x / 3", x=1) == Decimal(1) / Decimal(3)


def test_the_bound_is_the_literal_length_of_the_language():
    assert MAX_DIGITS == 60
    assert _value("9" * 60 + " + 0") == 10 ** 60 - 1


def test_a_report_number_past_the_bound_is_no_number():
    assert parse_number("9" * 60) == 10 ** 60 - 1 and parse_number("-1,234.5") == Decimal("-1234.5")
    assert parse_number("9" * 61) is None and parse_number("9" * 5000) is None  # int() would raise


# --------------------------------------------------------------------------- the time budget

def _spin() -> None:
    while True:
        pass


def _catastrophic_match() -> None:
    re.search(r"(x+x+)+y", "x" * 60)


@pytest.mark.parametrize("work", [_spin, _catastrophic_match])
def test_the_budget_stops_a_rule_on_the_main_thread(work):
    started = time.process_time()
    with pytest.raises(RuleTimeout):
        within(0.2, work)
    assert time.process_time() - started < 2


def test_the_budget_stops_python_code_on_another_thread():
    caught = []

    def run() -> None:
        try:
            within(0.2, _spin)
        except RuleTimeout:
            caught.append(True)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    assert caught == [True]


def test_a_shared_budget_stops_the_rule_that_overruns_it_and_only_that_one():
    started = time.process_time()
    with shared_budget(0.2):
        assert within(0.2, sum, [1, 2]) == 3
        with pytest.raises(RuleTimeout):
            within(0.2, _spin)
        for _ in range(300_000):  # between rules, the ticking timer raises nothing
            pass
        assert within(0.2, _busy_for, 0.15) is None  # a rule within its budget runs to its end
    assert time.process_time() - started < 3
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)


def _busy_for(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_work_within_its_budget_returns_and_leaves_nothing_armed():
    assert within(5, sum, [1, 2, 3]) == 6
    time.sleep(0.05)
    for _ in range(200_000):  # had the timer stayed armed, this would be interrupted
        pass
