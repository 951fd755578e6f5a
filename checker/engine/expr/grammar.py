"""Text -> AST, and the compile step that checks names, functions and arity.

The grammar reads an expression as a flat run of operands (atoms with their paths and prefix
operators) and binary operators, and builds the tree by precedence climbing in a parse action
(``_resolve``). Neither ``infix_notation`` nor one grammar level per precedence: both cost a
pyparsing descent through every level for every operand, which made compiling ~10 times slower;
and no packrat, a global pyparsing switch other modules might not expect. ``-`` (ErrorStop)
follows every token that commits to a construct, so an error points at the real mistake instead
of the construct's start.

Before parsing, a quick scan catches what rule authors typically type by habit - ``&&``, ``=``,
``!``, full-width punctuation, unquoted Chinese, an unclosed quote - and says what to write instead.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable, Optional

import pyparsing as pp

from .errors import ExprError, ExprSyntaxError, UnknownFunction, UnknownName
from .functions import FUNCTIONS, NOT_CONSTANT, on_registry_change
from .nodes import (PREC_ADD, PREC_AND, PREC_COMPARE, PREC_MUL, PREC_NOT, PREC_OR, And, Arith, Attr, Call, Compare, Expr, Index, ListExpr, Literal, Name, Negate, Node, Not, Or, constant_paths, is_number)
from .values import DECIMAL_CONTEXT

MAX_NESTING = 16  # brackets inside brackets; each level costs pyparsing ~25 stack frames
MAX_DEPTH = 100  # levels of the tree, e.g. a chain of 100 additions
MAX_NUMBER_LENGTH = 60
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
VALUE = "a value"
AFTER_DOT = "a name after '.' (write [\"...\"] for other keys)"
END = "an operator or the end of the expression"
_SPECIFIC = {VALUE, AFTER_DOT, END, "')'", "']'"}


# =========================================================================== the pre-scan

_FULL_WIDTH = {
    "（": "(", "）": ")", "，": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "［": "[", "］": "]",
    "【": "[", "】": "]", "＝": "==", "＋": "+", "－": "-", "＊": "*", "／": "/", "＜": "<", "＞": ">",
    "！": "not", "。": ".", "．": ".", "　": " ", "、": ",",
}
_WORD_HINTS = {
    "AND": "write 'and' in lower case", "And": "write 'and' in lower case",
    "OR": "write 'or' in lower case", "Or": "write 'or' in lower case",
    "NOT": "write 'not' in lower case", "Not": "write 'not' in lower case",
    "True": "write 'true'", "TRUE": "write 'true'", "False": "write 'false'", "FALSE": "write 'false'",
    "None": "write 'null'", "NULL": "write 'null'", "Null": "write 'null'", "nil": "write 'null'",
    "is": "write '==' to compare, or present(x) / blank(x) to test for a value",
    "if": "there is no if/else in expressions: combine conditions with 'and' / 'or'",
    "else": "there is no if/else in expressions: combine conditions with 'and' / 'or'",
}
_PLAIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ \t\r\n.,()[]+-*/<>")
_IDENT_RE = re.compile(_IDENT)


def _fail(text: str, pos: int, message: str, expected: Optional[str] = None) -> ExprSyntaxError:
    return ExprSyntaxError(message, text=text, pos=pos, expected=expected)


def _previous_char(text: str, pos: int) -> str:
    pos -= 1
    while pos >= 0 and text[pos] in " \t\r\n":
        pos -= 1
    return text[pos] if pos >= 0 else ""


def prescan(text: str) -> None:
    """Raise ExprSyntaxError for the habitual mistakes the grammar would report poorly."""
    i, depth, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        following = text[i + 1] if i + 1 < n else ""
        if ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise _fail(text, i, f"this text is never closed: add the closing {ch}", expected=ch)
            i = j + 1
            continue
        if ch.isascii() and (ch.isalpha() or ch == "_"):
            word = _IDENT_RE.match(text, i).group(0)  # type: ignore[union-attr]
            if word in _WORD_HINTS and _previous_char(text, i) != ".":
                raise _fail(text, i, f"'{word}' is not part of the language: {_WORD_HINTS[word]}")
            i += len(word)
            continue
        if ch in "=<>!" and following == "=":
            i += 2
            continue
        if ch == "=":
            raise _fail(text, i, "'=' alone is not an operator: write '==' to compare", expected="==")
        if ch == "&":
            raise _fail(text, i, f"write 'and' instead of '{'&&' if following == '&' else '&'}'", expected="and")
        if ch == "|":
            raise _fail(text, i, f"write 'or' instead of '{'||' if following == '|' else '|'}'", expected="or")
        if ch == "!":
            raise _fail(text, i, "write 'not' instead of '!' ('!=' means 'not equal')", expected="not")
        if ch == "<" and following == ">":
            raise _fail(text, i, "write '!=' instead of '<>'", expected="!=")
        if ch in "([":
            depth += 1
            if depth > MAX_NESTING:
                raise _fail(text, i, f"brackets are nested too deeply (more than {MAX_NESTING} levels)")
        elif ch in ")]":
            depth -= 1
        elif ch not in _PLAIN:
            raise _unexpected_character(text, i)
        i += 1


def _unexpected_character(text: str, i: int) -> ExprSyntaxError:
    ch = text[i]
    if ch in _FULL_WIDTH:
        return _fail(text, i, f"full-width {ch!r} outside quotes: write {_FULL_WIDTH[ch]!r}",
                     expected=_FULL_WIDTH[ch])
    if not ch.isascii() and ch.isalnum():
        end = i
        while end < len(text) and not text[end].isascii() and text[end].isalnum():
            end += 1
        word = text[i:end]
        return _fail(text, i, f"text must be in quotes: write \"{word}\"")
    if ch == "#":
        return _fail(text, i, "'#' is not allowed: expressions have no comments")
    if ch == ":":
        return _fail(text, i, "':' is not part of the language")
    return _fail(text, i, f"unexpected character {ch!r}")


# =========================================================================== the grammar


def _at(s: str, loc: int) -> int:
    """The start of the token at ``loc``: some elements report their position before the
    whitespace they skip."""
    while loc < len(s) and s[loc] in " \t\r\n":
        loc += 1
    return loc


class _Step:
    """A postfix step (``.name`` or ``[key]``) before it is folded onto its base."""

    __slots__ = ("key", "is_attr", "pos")

    def __init__(self, key: Any, is_attr: bool, pos: int) -> None:
        self.key, self.is_attr, self.pos = key, is_attr, pos


def _number(s: str, loc: int, toks: pp.ParseResults) -> Node:
    text = toks[0]
    if len(text) > MAX_NUMBER_LENGTH:
        raise pp.ParseFatalException(s, loc, f"this number has more than {MAX_NUMBER_LENGTH} digits")
    return Literal(Decimal(text) if "." in text else int(text), pos=_at(s, loc))


_ESCAPE = re.compile(r"\\(.)", re.S)


def _string(s: str, loc: int, toks: pp.ParseResults) -> Node:
    # A backslash escapes only a quote or a backslash; elsewhere it stays, so that regular
    # expressions read as written ('\d+').
    body = _ESCAPE.sub(lambda m: m.group(1) if m.group(1) in "\\\"'" else m.group(0), toks[0][1:-1])
    return Literal(body, pos=_at(s, loc))


def _list(s: str, loc: int, toks: pp.ParseResults) -> Node:
    items = tuple(toks)
    if all(isinstance(item, Literal) for item in items):
        return Literal(tuple(item.value for item in items), pos=_at(s, loc))
    return ListExpr(items, pos=_at(s, loc))


class _Arguments:
    __slots__ = ("nodes",)

    def __init__(self, nodes: tuple[Node, ...]) -> None:
        self.nodes = nodes


_CONSTANTS = {"true": True, "false": False, "null": None}


def _word(s: str, loc: int, toks: pp.ParseResults) -> Node:
    """A name, a constant, or - followed by arguments - a call."""
    word, pos = toks[0], _at(s, loc)
    if len(toks) == 1:
        return Literal(_CONSTANTS[word], pos=pos) if word in _CONSTANTS else Name(word, pos=pos)
    if word in _CONSTANTS:
        raise pp.ParseFatalException(s, pos, f"{word} is a constant, not a function")
    return Call(word, toks[1].nodes, FUNCTIONS.get(word), pos=pos)


def _postfix(s: str, loc: int, toks: pp.ParseResults) -> Node:
    node = toks[0]
    start = node.pos  # a path is located where it starts
    for step in toks[1:]:
        node = Attr(node, step.key, pos=start) if step.is_attr else Index(node, step.key, pos=start)
    return node


class _Operator:
    """An operator token (binary, or a prefix ``-``/``not``) with its position."""

    __slots__ = ("op", "pos", "prefix")

    def __init__(self, op: str, pos: int, prefix: bool) -> None:
        self.op, self.pos, self.prefix = op, pos, prefix


BINDING = {"or": PREC_OR, "and": PREC_AND, "==": PREC_COMPARE, "!=": PREC_COMPARE, "<": PREC_COMPARE,
           "<=": PREC_COMPARE, ">": PREC_COMPARE, ">=": PREC_COMPARE, "in": PREC_COMPARE,
           "not in": PREC_COMPARE, "+": PREC_ADD, "-": PREC_ADD, "*": PREC_MUL, "/": PREC_MUL}


def _negate(operand: Node, pos: int) -> Node:
    if isinstance(operand, Literal) and is_number(operand.value):
        value = operand.value
        return Literal(-value if type(value) is int else DECIMAL_CONTEXT.minus(value), pos=pos)
    return Negate(operand, pos=pos)


def _binary(op: str, left: Node, right: Node, pos: int) -> Node:
    if op == "and":
        return And(left, right, pos=pos)
    if op == "or":
        return Or(left, right, pos=pos)
    if BINDING[op] == PREC_COMPARE:
        return Compare(op, left, right, pos=pos)
    return Arith(op, left, right, pos=pos)


def _resolve(s: str, loc: int, toks: pp.ParseResults) -> Node:
    """Build the tree of a flat run ``[prefixes] operand (operator [prefixes] operand)...`` by
    precedence climbing. One grammar level instead of eight keeps compiling fast."""
    items = list(toks)
    if len(items) == 1:
        return items[0]
    at = 0

    def unary() -> Node:
        nonlocal at
        item = items[at]
        if isinstance(item, _Operator):  # a prefix minus; 'not' is handled by climb()
            if item.op == "not":
                raise pp.ParseFatalException(s, item.pos, f"Expected {VALUE}")
            at += 1
            return _negate(unary(), item.pos)
        at += 1
        return item

    def climb(floor: int) -> Node:
        nonlocal at
        first = items[at]
        start = first.pos
        if isinstance(first, _Operator) and first.op == "not":
            if floor > PREC_NOT:  # e.g. 'a == not b'
                raise pp.ParseFatalException(s, first.pos, f"Expected {VALUE}")
            at += 1
            left: Node = Not(climb(PREC_NOT), pos=first.pos)
        else:
            left = unary()
        while at < len(items):
            operator = items[at]
            binding = BINDING[operator.op]
            if binding < floor:
                break
            at += 1
            if binding == PREC_COMPARE:
                left = _binary(operator.op, left, climb(PREC_COMPARE + 1), start)
                following = items[at] if at < len(items) else None
                if following is not None and BINDING[following.op] == PREC_COMPARE:
                    raise pp.ParseFatalException(
                        s, following.pos, "comparisons cannot be chained: write 'a < b and b < c'")
            else:
                left = _binary(operator.op, left, climb(binding + 1), start)
        return left

    return climb(PREC_OR)


def _build() -> pp.ParserElement:
    expr = pp.Forward().set_name(VALUE)

    # One regular expression per token kind: pyparsing's cost is per element tried.
    word = pp.Regex(rf"(?!(?:and|or|not|in)(?![A-Za-z0-9_])){_IDENT}").set_name("a name")
    lparen, rparen = pp.Suppress("("), pp.Suppress(")").set_name("')'")
    lbrack, rbrack = pp.Suppress("["), pp.Suppress("]").set_name("']'")
    comma = pp.Suppress(",")

    number = pp.Regex(r"\d+(?:\.\d+)?(?![A-Za-z0-9_])").set_name("a number").set_parse_action(_number)
    string = pp.Regex(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', flags=re.S).set_name("a text in quotes")
    string.set_parse_action(_string)
    lone_word = word.copy().set_parse_action(_word)

    def inner_value(closing: str) -> pp.ParserElement:
        # Keys and arguments are mostly a lone name, text or number: matching those directly
        # spares the descent through a whole expression.
        lone = (lone_word | string | number) + pp.FollowedBy(pp.one_of(list(closing)))
        return (lone | expr).set_name(VALUE)

    def items(closing: pp.ParserElement, closing_char: str) -> pp.ParserElement:
        # A trailing comma is allowed; after any other comma a value must follow.
        item = inner_value("," + closing_char)
        return pp.Opt(item + pp.ZeroOrMore(comma + ~closing - item) + pp.Opt(comma))

    list_literal = (lbrack - items(rbrack, "]") - rbrack).set_parse_action(_list).set_name("a list")
    parenthesized = lparen - expr - rparen
    arguments = (lparen - items(rparen, ")") - rparen).set_parse_action(lambda s, l, t: _Arguments(tuple(t)))
    name_or_call = (word + pp.Opt(arguments)).set_parse_action(_word)
    atom = (name_or_call | string | number | parenthesized | list_literal).set_name(VALUE)

    attr_name = pp.Regex(_IDENT).set_name(AFTER_DOT)
    attr_step = (pp.Suppress(".") - attr_name).set_parse_action(lambda s, l, t: _Step(t[0], True, _at(s, l)))
    index_step = (lbrack - inner_value("]") - rbrack).set_parse_action(lambda s, l, t: _Step(t[0], False, _at(s, l)))
    postfix = (atom + pp.ZeroOrMore(attr_step | index_step)).set_parse_action(_postfix).set_name(VALUE)

    def operator(words: pp.ParserElement, prefix: bool) -> pp.ParserElement:
        return words.set_parse_action(lambda s, l, t: _Operator(" ".join(t[0].split()), _at(s, l), prefix))

    prefix = operator(pp.Regex(r"-|not(?![A-Za-z0-9_])"), prefix=True)
    binary = operator(pp.Regex(r"==|!=|<=|>=|<|>|\+|-|\*|/|(?:in|and|or)(?![A-Za-z0-9_])"
                               r"|not\s+in(?![A-Za-z0-9_])"), prefix=False).set_name(END)
    term = (postfix | (pp.OneOrMore(prefix) - postfix)).set_name(VALUE)
    expr <<= (term + pp.ZeroOrMore(binary - term)).set_parse_action(_resolve).set_name(VALUE)

    end = pp.StringEnd().set_name(END)
    return expr + end


_GRAMMAR = _build()


def _found(text: str, pos: int) -> str:
    if pos >= len(text):
        return "the end of the expression"
    match = re.match(r'[A-Za-z_0-9.]+|"[^"]*"?|\'[^\']*\'?|==|!=|<=|>=|\S', text[pos:])
    token = match.group(0) if match else text[pos]
    return repr(token if len(token) <= 20 else token[:20] + "…")


def parse(text: str) -> Node:
    """The AST of ``text``, or ExprSyntaxError."""
    if not text.strip():
        raise _fail(text, len(text), "the expression is empty", expected="a value")
    prescan(text)
    try:
        return _GRAMMAR.parse_string(text, parse_all=False)[0]
    except pp.ParseBaseException as exc:
        message = str(exc.msg)
        if not message.startswith("Expected "):  # raised by a parse action with its own words
            raise _fail(text, exc.loc, message) from None
        expected = message[len("Expected "):]
        if expected not in _SPECIFIC:  # the first alternative of a value, e.g. "a number"
            expected = VALUE
        raise _fail(text, exc.loc, f"expected {expected}, found {_found(text, exc.loc)}", expected) from None
    except RecursionError:
        raise _fail(text, 0, "the expression is nested too deeply") from None


# =========================================================================== compile-time checks


def _depth(root: Node) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in node.children())
    return deepest


def check(root: Node, text: str, names: Optional[frozenset[str]]) -> None:
    """Raise for what can be known before evaluating: depth, unknown names and functions,
    arity, invalid constant arguments, ordering with null."""
    if _depth(root) > MAX_DEPTH:
        raise _fail(text, 0, f"the expression is nested too deeply (more than {MAX_DEPTH} levels)")
    for node in root.walk():
        if isinstance(node, Name) and names is not None and node.name not in names:
            hint = f"{node.name} is a function: write {node.name}(...)" if node.name in FUNCTIONS else ""
            raise UnknownName(node.name, known=names, text=text, pos=node.pos, hint=hint)
        elif isinstance(node, Call):
            function = node.function
            if function is None:
                hint = f"{node.name} is a name, not a function" if names and node.name in names else ""
                raise UnknownFunction(node.name, known=FUNCTIONS, text=text, pos=node.pos, hint=hint)
            function.check_arity(len(node.args), text=text, pos=node.pos)
            if function.validate is not None:
                constants = [a.value if isinstance(a, Literal) else NOT_CONSTANT for a in node.args]
                try:
                    function.validate(constants)
                except ValueError as exc:
                    raise ExprError(f"{node.name}(): {exc}", text=text, pos=node.pos) from None
        elif isinstance(node, Compare) and node.op not in ("==", "!=") and (
                _is_null_literal(node.left) or _is_null_literal(node.right)):
            raise _fail(text, node.pos, f"null cannot be used with '{node.op}': compare it with == or !=, "
                                        "or use present(x) / blank(x)")


def _is_null_literal(node: Node) -> bool:
    return isinstance(node, Literal) and node.value is None


def _root_names(root: Node) -> frozenset[str]:
    return frozenset(node.name for node in root.walk() if isinstance(node, Name))


def _function_names(root: Node) -> frozenset[str]:
    return frozenset(node.name for node in root.walk() if isinstance(node, Call))


@lru_cache(maxsize=4096)
def _compile(text: str, names: Optional[frozenset[str]]) -> Expr:
    root = parse(text)
    check(root, text, names)
    return Expr(text, root, _root_names(root), _function_names(root), tuple(constant_paths(root)))


def compile_expr(text: str, names: Optional[Iterable[str]] = None) -> Expr:
    """Compile ``text``. With ``names``, every root name must be one of them (UnknownName
    otherwise); functions are always checked against FUNCTIONS. Raises only ExprError
    subclasses. Results are cached by (text, names)."""
    if not isinstance(text, str):
        raise ExprError(f"an expression must be text, got {type(text).__name__}")
    allowed = None if names is None else frozenset(str(n) for n in names)
    return _compile(text, allowed)


def clear_cache() -> None:
    _compile.cache_clear()


on_registry_change(clear_cache)
