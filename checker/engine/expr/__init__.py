"""The safe expression language rules are written in.

Parsed with pyparsing (checker.engine.expr.grammar), evaluated by our own tree walker
(checker.engine.expr.nodes) - never eval/exec. Reference for rule authors: docs/expressions.md.

    expr = compile_expr("a + b == c", names={"a", "b", "c"})
    expr.evaluate(Env({"a": 1, "b": 2, "c": 3}))        # True

Errors: ExprError (the rule is wrong: ExprSyntaxError, UnknownName, UnknownFunction, ArityError,
EvalError) versus Missing (the report lacks a value: not assessable).
"""
from .errors import (ArityError, EvalError, ExprError, ExprSyntaxError, Missing, UnknownFunction,
                     UnknownName)
from .functions import FUNCTIONS, Function, functions_markdown, register, unregister
from .grammar import compile_expr
from .env import Env
from .nodes import Explanation, Expr
from .values import as_bool, as_number, as_text, is_present

__all__ = [
    "compile_expr", "Expr", "Env", "Explanation",
    "FUNCTIONS", "Function", "register", "unregister", "functions_markdown",
    "ExprError", "ExprSyntaxError", "UnknownName", "UnknownFunction", "ArityError", "EvalError", "Missing",
    "as_number", "as_bool", "as_text", "is_present",
]
