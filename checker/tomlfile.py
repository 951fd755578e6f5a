"""Load a TOML data file (rules, formats, profiles) and validate it against its JSON Schema.

Errors name the file, the rule (or item) the problem is in and the key path inside it, and say
what was expected, e.g. ``rules/tables.toml: rule TB-010: key severity: 'urgent' is not one of
['critical', 'high', 'medium', 'low', 'info']``."""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Iterable, Optional

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from .errors import ConfigError
from .resources import schema

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


def read_toml(path: Path | str, text: Optional[str] = None, name: Optional[str] = None) -> dict[str, Any]:
    """Parse TOML; a syntax error becomes a ConfigError with the line number. ``name`` is how
    messages call the file (default: the path)."""
    name = name or str(path)
    try:
        if text is None:
            text = Path(path).read_text(encoding="utf-8")
        return tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(name, f"cannot read file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(name, "file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise ConfigError(name, f"TOML syntax error: {message}", line=line) from None


def validation_errors(data: Any, schema_name: str) -> list[ValidationError]:
    validator_cls = jsonschema.validators.validator_for(schema(schema_name))
    validator = validator_cls(schema(schema_name))
    return sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))


def describe_error(error: ValidationError) -> str:
    """What was expected, in one line."""
    if error.validator == "additionalProperties" or error.validator == "unevaluatedProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        allowed = sorted((error.schema.get("properties") or {}).keys())
        hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return f"unknown key {', '.join(repr(e) for e in extra)}{hint}"
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "type":
        return f"expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
    return error.message


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
    key = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in parts).replace(".[", "[")
    return item_id, key or None


def validate(data: Any, schema_name: str, file: str, items_key: Optional[str] = None) -> None:
    """Raise the most useful schema error as a ConfigError."""
    errors = validation_errors(data, schema_name)
    if not errors:
        return
    # an unknown key is often only the echo of another mistake (a misspelt `kind` leaves that
    # kind's keys unevaluated): report the other mistake first
    specific = [e for e in errors if e.validator not in ("unevaluatedProperties", "additionalProperties")]
    error = best_match(specific or errors)
    # best_match may pick a parent anyOf/allOf error; descend to the deepest relevant cause
    while error.context:
        error = best_match(error.context)
    item_id, key = locate(data, error.absolute_path, items_key)
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        extra = re.findall(r"'([^']+)'", error.message)
        if extra:
            key = f"{key}.{extra[0]}" if key else extra[0]
    raise ConfigError(file, describe_error(error), rule=item_id, key=key)


def load(path: Path | str, schema_name: str, items_key: Optional[str] = None,
         text: Optional[str] = None, name: Optional[str] = None) -> dict[str, Any]:
    data = read_toml(path, text, name)
    validate(data, schema_name, name or str(path), items_key)
    return data
