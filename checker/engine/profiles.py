"""Profiles that build on profiles: ``extends = "default"`` (a shipped profile's name) or
``extends = "base.toml"`` (a path, relative to the file that names it), and then only what
changes. Chains are allowed; a cycle is an error naming the whole loop.

Merging, from the farthest base to the file itself: tables merge key by key (``[deductions]``,
each ``[overrides."TB-006"]``), everything else - numbers, texts and lists such as ``caps``,
``grades``, ``select`` - is replaced by the nearer file. ``id``, ``name`` and ``description`` are
the file's own.

Also here: the check that a profile names only rules the pack has (``overrides``, ``caps``,
``select``, ``ignore``), each problem placed at the line of the file that wrote it."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

from .. import tomlfile
from ..errors import ConfigError
from ..resources import profiles_dir
from .selection import unknown_pattern

SCHEMA = "profile.schema.json"
OWN_KEYS = ("id", "name", "description")


@dataclass(frozen=True)
class ProfileSource:
    """A profile's merged data and the files it came from: ``chain[0]`` is the file itself,
    then the profile it extends, and so on."""

    data: dict[str, Any]
    chain: tuple[tomlfile.Loaded, ...]

    @property
    def extends(self) -> tuple[str, ...]:
        """The ids of the profiles it extends, nearest first."""
        return tuple(str(loaded.data.get("id", loaded.name)) for loaded in self.chain[1:])

    def problems_at(self, path: Sequence[Any]) -> tomlfile.Problems:
        """A Problems of the file of the chain that wrote the key at ``path`` (the nearest)."""
        path = tuple(path)
        for loaded in self.chain:
            if path in loaded.source.keys or path in loaded.source.values:
                return tomlfile.Problems(loaded)
        return tomlfile.Problems(self.chain[0])

    def error(self, path: Sequence[Any], message: str) -> ConfigError:
        return self.problems_at(path).error(path, message)


def shipped_profiles() -> dict[str, Path]:
    return {p.stem: p for p in sorted(profiles_dir().glob("*.toml"))}


def find_profile(reference: str, relative_to: Optional[Path] = None) -> Optional[Path]:
    """The file a profile reference means: a path (to a .toml file, relative to ``relative_to``
    when given) or the name of a shipped profile; None when there is no such profile."""
    path = Path(reference)
    if path.suffix == ".toml":
        if not path.is_absolute() and relative_to is not None:
            path = relative_to / path
        return path if path.is_file() else None
    return shipped_profiles().get(reference)


def unknown_profile(reference: str) -> str:
    available = ", ".join(shipped_profiles()) or "none"
    if Path(reference).suffix == ".toml":
        return f"no such profile file {reference!r}"
    import difflib
    close = difflib.get_close_matches(reference, list(shipped_profiles()), n=1)
    hint = f" - did you mean {close[0]!r}?" if close else ""
    return f"unknown profile {reference!r}{hint} (shipped profiles: {available}; or give a path to a .toml file)"


def read_profile(path: Path | str) -> ProfileSource:
    """Read a profile file and everything it extends; ConfigError for a bad file, a missing base
    or a cycle."""
    chain: list[tomlfile.Loaded] = []
    seen: list[Path] = []
    current: Optional[Path] = Path(path)
    while current is not None:
        resolved = current.resolve()
        loaded = tomlfile.load_source(current, SCHEMA, name=display_profile(current))
        if resolved in seen:
            loop = " → ".join(display_profile(p) for p in [*seen[seen.index(resolved):], resolved])
            raise tomlfile.Problems(chain[-1]).error(("extends",), f"profiles extend each other in a cycle: {loop}")
        seen.append(resolved)
        chain.append(loaded)
        reference = loaded.data.get("extends")
        if reference is None:
            current = None
            continue
        current = find_profile(reference, current.parent)
        if current is None:
            raise tomlfile.Problems(loaded).error(("extends",), unknown_profile(reference))
    data: dict[str, Any] = {}
    for loaded in reversed(chain):
        data = merge(data, {k: v for k, v in loaded.data.items() if k != "extends"})
    for key in OWN_KEYS:  # a profile's identity is never inherited
        data.pop(key, None)
    data.update({key: chain[0].data[key] for key in OWN_KEYS if key in chain[0].data})
    return ProfileSource(data=data, chain=tuple(chain))


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; every other value of ``override`` replaces the base's."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def display_profile(path: Path) -> str:
    """How messages name a profile file: shipped ones as rules/profiles/NAME.toml, others
    relative to the working directory."""
    try:
        return str(Path("rules/profiles") / path.resolve().relative_to(profiles_dir().resolve()))
    except ValueError:
        try:
            return os.path.relpath(path)
        except ValueError:  # another drive (Windows)
            return str(path)


def rule_problems(source: ProfileSource, known_ids: Sequence[str]) -> list[ConfigError]:
    """Every place the profile names a rule or family the pack does not have."""
    data = source.data
    errors: list[ConfigError] = []
    for rule_id in data.get("overrides", {}):
        problem = unknown_pattern(rule_id, known_ids) if "*" not in rule_id else None
        if problem:
            errors.append(source.error(("overrides", rule_id), problem))
    for i, cap in enumerate(data.get("caps", ())):
        errors.extend(_patterns(source, ("caps", i, "rules"), cap.get("rules", ()), known_ids))
    for key in ("select", "ignore"):
        errors.extend(_patterns(source, (key,), data.get(key, ()), known_ids))
    return errors


def _patterns(source: ProfileSource, path: tuple[Any, ...], patterns: Iterable[str],
              known_ids: Sequence[str]) -> list[ConfigError]:
    errors = []
    for index, pattern in enumerate(patterns):
        problem = unknown_pattern(pattern, known_ids)
        if problem:
            errors.append(source.error(path + (index,), problem))
    return errors
