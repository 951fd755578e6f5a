"""Load a TOML data file (rules, formats, profiles, configuration, waivers) and validate it against
its JSON Schema.

Every problem is reported, each naming the file with the line and column of the key, the rule
(or item) it is in and the key path inside it, and saying what was expected, e.g.
``rules/tables.toml:92:1: rule TB-010: key severity: 'urgent' is not one of ['critical', ...]``.
An unknown key gets the closest allowed key (``severty`` -> ``severity``); the allowed keys of a
rule include those of its kind."""
from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from .errors import ConfigError, raise_all
from .resources import schema
from .tomlsource import SourceMap, source_map

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

_UNKNOWN_KEY = ("additionalProperties", "unevaluatedProperties")


@dataclass(frozen=True)
class Loaded:
    """A parsed file: its data, what messages call it, and where each key is written."""

    data: dict[str, Any]
    name: str
    source: SourceMap


def read_text(path: Path | str, name: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(name, f"cannot read file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(name, "file is not UTF-8 text") from None


def read_toml(path: Path | str, text: Optional[str] = None, name: Optional[str] = None) -> dict[str, Any]:
    """Parse TOML; a syntax error becomes a ConfigError with the line and column. ``name`` is
    how messages call the file (default: the path)."""
    name = name or str(path)
    if text is None:
        text = read_text(path, name)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(match.group(1)) if match else None
        column = int(match.group(2)) if match else None
        message = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", message)
        lines = text.splitlines()
        attempt = _DATE_ATTEMPT.match(lines[line - 1]) if line is not None and line <= len(lines) else None
        if attempt:
            message = "not a valid date: write a date as YYYY-MM-DD without quotes, e.g. 2027-03-31"
            column = attempt.start("value") + 1
        raise ConfigError(name, f"TOML syntax error: {message}", line=line, column=column) from None


# a value that tries to be a date (2027-3-31, 2027/03/31, 31.03.2027, 2027-02-30): a TOML date
# error says "Expected newline" otherwise
_DATE_ATTEMPT = re.compile(r"^\s*[A-Za-z0-9_.\"'-]+\s*=\s*(?P<value>\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})")


def validation_errors(data: Any, schema_name: str) -> list[ValidationError]:
    validator_cls = jsonschema.validators.validator_for(schema(schema_name))
    validator = validator_cls(schema(schema_name))
    return sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))


def _validator(schema_name: str) -> Any:
    root = schema(schema_name)
    return jsonschema.validators.validator_for(root)(root)


def allowed_keys(error: ValidationError, schema_name: str) -> list[str]:
    """The keys the object an unknown-key error is about may have: its own ``properties`` and
    those of every ``if``/``then`` branch that applies to it (a rule's kind adds its keys)."""
    validator = _validator(schema_name)
    root = schema(schema_name)
    keys: set[str] = set()

    def collect(node: Any) -> None:
        if not isinstance(node, dict):
            return
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
            target: Any = root
            for step in node["$ref"][2:].split("/"):
                target = target.get(step, {}) if isinstance(target, dict) else {}
            collect(target)
        keys.update((node.get("properties") or {}).keys())
        for branch in node.get("allOf", ()):
            if isinstance(branch, dict) and "if" in branch:
                applies = validator.evolve(schema=branch["if"]).is_valid(error.instance)
                collect(branch.get("then") if applies else branch.get("else"))
            else:
                collect(branch)

    collect(error.schema)
    return sorted(keys)


def _extra_keys(error: ValidationError) -> list[str]:
    return re.findall(r"'([^']+)'", error.message.split(" were unexpected")[0].split(" was unexpected")[0])


def describe_error(error: ValidationError, schema_name: str = "") -> str:
    """What was expected, in one line."""
    if error.validator in _UNKNOWN_KEY:
        extra = _extra_keys(error)
        allowed = allowed_keys(error, schema_name) if schema_name else sorted((error.schema.get("properties") or {}))
        return unknown_key_message(extra[0] if extra else "?", allowed)
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "type":
        return f"expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
    return error.message


def unknown_key_message(key: str, allowed: Iterable[str]) -> str:
    allowed = sorted(allowed)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key {key!r} - did you mean {close[0]!r}?"
    return f"unknown key {key!r}" + (f" (allowed: {', '.join(allowed)})" if allowed else "")


def locate(data: Any, path: Iterable[Any], items_key: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """Split a JSON path into (item id, key path inside it): ["rule", 3, "severity"] ->
    ("TB-010", "severity")."""
    parts = list(path)
    item_id: Optional[str] = None
    if items_key and len(parts) >= 2 and parts[0] == items_key and isinstance(parts[1], int):
        try:
            item = data[items_key][parts[1]]
            item_id = str(item.get("id") or item.get("key") or f"#{parts[1] + 1}")
        except (KeyError, IndexError, TypeError, AttributeError):
            item_id = f"#{parts[1] + 1}"
        parts = parts[2:]
    return item_id, key_path(parts)


_KEY_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def key_parts(key: str) -> tuple[Any, ...]:
    """``"claims[0].expect[1]"`` -> ``("claims", 0, "expect", 1)``: the inverse of key_path."""
    return tuple(int(index) if index else name for name, index in _KEY_PART.findall(key))


def key_path(parts: Iterable[Any]) -> Optional[str]:
    key = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in parts).replace(".[", "[")
    return key or None


def _deepest(error: ValidationError) -> ValidationError:
    """The cause of an anyOf/oneOf error: from the alternative whose shape the value has (an
    error inside the value rather than about its type), the deepest."""
    while error.context:
        inside = [e for e in error.context if e.relative_path or e.validator not in ("type", "enum", "const")]
        if inside:
            deepest = max(len(e.relative_path) for e in inside)
            error = best_match([e for e in inside if len(e.relative_path) == deepest])
        else:
            error = best_match(error.context)
    return error


class Problems:
    """ConfigErrors of one file, each placed at its key's line and column."""

    def __init__(self, loaded: "Loaded | None" = None, *, name: str = "", source: Optional[SourceMap] = None,
                 items_key: Optional[str] = None, data: Any = None, prefix: tuple[Any, ...] = ()) -> None:
        self.name = loaded.name if loaded else name
        self.source = loaded.source if loaded else source
        self.data = loaded.data if loaded else data
        self.items_key = items_key
        self.prefix = prefix  # where in the file the data starts (("tool", "xxgk") in a pyproject.toml)
        self.errors: list[ConfigError] = []

    def error(self, path: Iterable[Any], message: str, *, at: Optional[int] = None,
              rule: Optional[str] = None, key: Optional[str] = None) -> ConfigError:
        """A ConfigError for the value at ``path`` (a JSON path); ``at`` is an offset inside
        that value's string (e.g. the character of an expression a problem points at)."""
        path = tuple(path)
        item, inner = locate(self.data, path, self.items_key)
        position = None
        if self.source is not None:
            where = self.prefix + path
            position = self.source.locate_in_string(where, at) if at is not None else self.source.locate(where)
        error = ConfigError(self.name, message, rule=rule or item, key=key or inner,
                            line=position.line if position else None, column=position.column if position else None)
        error.path = path
        return error

    def add(self, path: Iterable[Any], message: str, **kwargs: Any) -> None:
        self.errors.append(self.error(path, message, **kwargs))

    def extend(self, errors: Iterable[ConfigError]) -> None:
        for error in errors:
            self.errors.extend(error.errors)

    def raise_any(self) -> None:
        raise_all(self.errors)


def schema_problems(loaded: Loaded, schema_name: str, items_key: Optional[str] = None,
                    prefix: tuple[Any, ...] = ()) -> list[ConfigError]:
    """Every schema error of the file (of its table at ``prefix``), one per key: an unknown key
    that is a misspelling of a missing required key is reported once, as the misspelling; the
    keys of a kind that is itself misspelt are not reported as unknown (the kind is)."""
    problems = Problems(loaded, items_key=items_key, prefix=prefix)
    chosen: dict[tuple[Any, ...], ValidationError] = {}
    unknown: list[tuple[tuple[Any, ...], str, ValidationError]] = []
    for error in validation_errors(loaded.data, schema_name):
        error = _deepest(error)
        path = tuple(error.absolute_path)
        if error.validator in _UNKNOWN_KEY:
            for extra in _extra_keys(error):
                unknown.append((path, extra, error))
            continue
        if error.validator == "required":
            missing = re.findall(r"'([^']+)' is a required property", error.message)
            path = path + tuple(missing[:1])
        group = chosen.get(path)
        chosen[path] = error if group is None else best_match([group, error])
    owners_with_bad_values = {path[:-1] for path, error in chosen.items()
                              if error.validator in ("enum", "const") and path}
    explained: set[tuple[Any, ...]] = set()
    for owner, extra, error in unknown:
        if owner in owners_with_bad_values:
            continue  # the echo of a misspelt kind: its keys are unevaluated
        allowed = allowed_keys(error, schema_name)
        if extra in allowed:
            continue  # a key of a branch that failed for another reason (reported on its own)
        close = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
        if close and owner + (close[0],) in chosen and chosen[owner + (close[0],)].validator == "required":
            explained.add(owner + (close[0],))
        problems.add(owner + (extra,), unknown_key_message(extra, allowed))
    for path, error in chosen.items():
        if path in explained:
            continue
        message = describe_error(error, schema_name)
        if error.validator == "required":
            item, inner = locate(loaded.data, path[:-1], items_key)
            problems.errors.append(problems.error(path[:-1], message, key=inner))
            continue
        problems.add(path, message)
    return sorted(problems.errors, key=lambda e: (e.line or 0, e.column or 0))


def load_source(path: Path | str, schema_name: Optional[str] = None, items_key: Optional[str] = None,
                text: Optional[str] = None, name: Optional[str] = None) -> Loaded:
    """Read, parse and (with ``schema_name``) validate a file; every schema error is raised at
    once (ConfigErrors)."""
    name = name or str(path)
    if text is None:
        text = read_text(path, name)
    data = read_toml(path, text, name)
    loaded = Loaded(data=data, name=name, source=source_map(text))
    if schema_name:
        raise_all(schema_problems(loaded, schema_name, items_key))
    return loaded


def validate(data: Any, schema_name: str, file: str, items_key: Optional[str] = None) -> None:
    """Raise every schema error of ``data`` (without positions: no source text)."""
    raise_all(schema_problems(Loaded(data=data, name=file, source=SourceMap()), schema_name, items_key))


def load(path: Path | str, schema_name: str, items_key: Optional[str] = None,
         text: Optional[str] = None, name: Optional[str] = None) -> dict[str, Any]:
    return load_source(path, schema_name, items_key, text, name).data
