"""The project configuration: ``xxgk.toml``, or a ``[tool.xxgk]`` table in ``pyproject.toml``,
found from the working directory upwards (the nearest wins, as ruff finds its settings; a
pyproject.toml without the table is passed over). Its keys are the command-line options of the
same names - ``profile``, ``select``, ``ignore``, ``extend-rules``, ``spec``, ``format``,
``waivers``, ``lang``, ``fail-on`` - and an option given on the command line wins. Paths in the
file are relative to it.

``resolve(args)`` gives the settings of a run, each with where it came from (an option, a line
of the configuration file, or the default); `xxgk config` prints them."""
from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

from . import tomlfile
from .errors import ConfigError, raise_all
from .formats import DEFAULT_FORMAT

CONFIG_FILE = "xxgk.toml"
PYPROJECT = "pyproject.toml"
SCHEMA = "config.schema.json"

# config key -> (argparse destination, default); the same names as the options
KEYS: dict[str, tuple[str, Any]] = {
    "profile": ("profile", "default"),
    "select": ("select", ()),
    "ignore": ("ignore", ()),
    "extend-rules": ("extend_rules", ()),
    "spec": ("spec", DEFAULT_FORMAT),
    "format": ("format", "text"),
    "waivers": ("waivers", None),
    "lang": ("lang", "zh"),
    "fail-on": ("fail_on", "low"),
}
PATH_KEYS = frozenset({"extend-rules", "waivers"})
LIST_KEYS = frozenset({"select", "ignore", "extend-rules"})


@dataclass(frozen=True)
class Setting:
    key: str
    value: Any
    origin: str  # "default", "--select" (an option), or "xxgk.toml:3:1" (a line of the file)
    file: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None
    items: tuple[tuple[int, int], ...] = ()  # (line, column) of each item of a list in the file

    @property
    def from_file(self) -> bool:
        return self.file is not None


@dataclass(frozen=True)
class Settings:
    """The settings of one run; ``file`` is the configuration file used, if any."""

    values: tuple[Setting, ...]
    file: Optional[str] = None

    def __getitem__(self, key: str) -> Any:
        return self.setting(key).value

    def setting(self, key: str) -> Setting:
        for setting in self.values:
            if setting.key == key:
                return setting
        raise KeyError(key)

    def __iter__(self) -> Iterator[Setting]:
        return iter(self.values)

    def error(self, key: str, message: str, index: Optional[int] = None) -> ConfigError:
        """A mistake in a setting, placed where it was given: the option, or the line of the
        configuration file."""
        setting = self.setting(key)
        if setting.file is not None:
            line, column = setting.line, setting.column
            if index is not None and index < len(setting.items):
                line, column = setting.items[index]
            return ConfigError(setting.file, message, key=key + (f"[{index}]" if index is not None else ""),
                               line=line, column=column)
        return ConfigError(setting.origin, message)


def find_config(start: Optional[Path] = None) -> Optional[Path]:
    """The nearest xxgk.toml, or pyproject.toml with a [tool.xxgk] table, from ``start`` (the
    working directory) upwards."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None


def _has_table(pyproject: Path) -> bool:
    try:
        data = tomlfile.read_toml(pyproject)
    except ConfigError:
        return "[tool.xxgk]" in pyproject.read_text(encoding="utf-8", errors="replace")
    return isinstance(data.get("tool"), dict) and "xxgk" in data["tool"]


def read_config(path: Path) -> tuple[dict[str, Any], tomlfile.Loaded, tuple[Any, ...]]:
    """The settings table of a configuration file, the file as loaded, and the key path of the
    table in it (``()`` for xxgk.toml, ``("tool", "xxgk")`` for pyproject.toml)."""
    loaded = tomlfile.load_source(path, name=str(path))
    prefix: tuple[Any, ...] = ()
    data = loaded.data
    if path.name == PYPROJECT:
        prefix = ("tool", "xxgk")
        data = data.get("tool", {}).get("xxgk", {})
        if not isinstance(data, dict):
            raise tomlfile.Problems(loaded).error(prefix, "[tool.xxgk] must be a table")
    table = tomlfile.Loaded(data, loaded.name, loaded.source)
    raise_all(tomlfile.schema_problems(table, SCHEMA, prefix=prefix))
    return data, loaded, prefix


def option_values(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given as options (None for those not given)."""
    out: dict[str, Any] = {}
    for key, (dest, _) in KEYS.items():
        value = getattr(args, dest, None)
        if key in ("select", "ignore") and isinstance(value, str):
            value = tuple(part.strip() for part in value.split(",") if part.strip())
        elif key in LIST_KEYS and value is not None:
            value = tuple(value)
        out[key] = value
    return out


def resolve(args: argparse.Namespace, start: Optional[Path] = None) -> Settings:
    """The settings of a run: each option given wins, then the configuration file (``--config
    FILE``, or the one found from the working directory unless ``--isolated``), then the
    default."""
    options = option_values(args)
    explicit = getattr(args, "config", None)
    path: Optional[Path]
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(str(path), "no such configuration file")
    elif getattr(args, "isolated", True):  # a caller without the options (a batch worker) never searches
        path = None
    else:
        path = find_config(start)
    file_values: dict[str, Any] = {}
    loaded: Optional[tomlfile.Loaded] = None
    prefix: tuple[Any, ...] = ()
    if path is not None:
        path = Path(shown_path(path))
        file_values, loaded, prefix = read_config(path)
    settings = []
    for key, (_, default) in KEYS.items():
        if options[key] is not None and options[key] != ():
            settings.append(Setting(key, options[key], "--" + key))
        elif key in file_values and loaded is not None and path is not None:
            position = loaded.source.locate(prefix + (key,))
            value = _relative(key, file_values[key], path.parent)
            items = tuple((p.line, p.column) for p in (loaded.source.locate(prefix + (key, i))
                                                          for i in range(len(value) if key in LIST_KEYS else 0)) if p)
            settings.append(Setting(key, tuple(value) if key in LIST_KEYS else value,
                                    f"{path}:{position.line}:{position.column}" if position else str(path),
                                    file=str(path), line=position.line if position else None,
                                    column=position.column if position else None, items=items))
        else:
            settings.append(Setting(key, default, "default"))
    return Settings(values=tuple(settings), file=str(path) if path else None)


def _relative(key: str, value: Any, folder: Path) -> Any:
    """Paths of the file, made relative to the working directory's view (absolute if need be)."""
    if key in PATH_KEYS:
        if isinstance(value, list):
            return [_join(folder, v) for v in value]
        return _join(folder, value)
    if key == "profile" and str(value).endswith(".toml"):
        return _join(folder, value)
    return value


def _join(folder: Path, value: str) -> str:
    path = Path(value)
    return shown_path(path if path.is_absolute() else folder / path)


def shown_path(path: Path) -> str:
    """A path as messages show it: relative to the working directory."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def add_config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help="the configuration file to use (default: xxgk.toml or [tool.xxgk] in pyproject.toml, "
                             "found from the working directory upwards)")
    parser.add_argument("--isolated", action="store_true", help="ignore configuration files")


def describe(settings: Settings, names: Sequence[str] = ()) -> list[tuple[str, str, str]]:
    """(key, value as text, origin) for `xxgk config`."""
    rows = []
    for setting in settings:
        if names and setting.key not in names:
            continue
        value = setting.value
        if isinstance(value, (list, tuple)):
            text = ", ".join(map(str, value)) if value else "(none)"
        else:
            text = "(none)" if value is None else str(value)
        rows.append((setting.key, text, setting.origin))
    return rows
