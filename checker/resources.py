"""Where the shipped rule pack, formats, profiles and schemas live.

In a source checkout they are the top-level ``rules/`` and ``schemas/`` folders; an installed
package carries the same files as ``checker/data/`` (symlinks in the repository, real files in the
wheel). Both resolve through this module, so nothing else hard-codes a path."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"


def rules_dir() -> Path:
    return _DATA / "rules"


def formats_dir() -> Path:
    return rules_dir() / "formats"


def profiles_dir() -> Path:
    return rules_dir() / "profiles"


def schemas_dir() -> Path:
    return _DATA / "schemas"


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    """A JSON Schema shipped in ``schemas/``, by file name (``"rules.schema.json"``)."""
    return json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
