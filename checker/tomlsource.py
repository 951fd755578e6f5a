"""Where each key and value of a TOML file is written: a map from a key path (as JSON Schema
errors give it, ``("rule", 3, "severity")``) to its line and column.

tomllib gives values, not positions, so this module scans the text once more with a small
scanner that knows TOML's shapes - comments, the four kinds of strings, ``[table]`` and
``[[array]]`` headers, dotted keys, inline tables and arrays - but not its value syntax, which
tomllib has already checked. A path with no position of its own (an item the scanner did not
reach) is located at its nearest ancestor."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

Path = tuple[Any, ...]

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_ESCAPE_LENGTH = {"u": 5, "U": 9}


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based, in characters


@dataclass
class SourceMap:
    """Key paths to positions. ``keys`` holds where a key is written (``severity`` in
    ``severity = "high"``; the header of an ``[[rule]]`` item); ``values`` where its value
    starts, with the offset of the first character inside the quotes for a one-line string.

    The text is scanned the first time a position is asked for: a file without mistakes is
    loaded without the cost of a second pass."""

    text: str = ""
    _keys: Optional[dict[Path, int]] = None
    _values: dict[Path, int] = field(default_factory=dict)
    _strings: dict[Path, tuple[int, str]] = field(default_factory=dict)  # path -> (offset, quote)
    _line_starts: list[int] = field(default_factory=list)

    def _scanned(self) -> "SourceMap":
        if self._keys is None:
            self._keys = {}
            _Scanner(self.text, self).run()
        return self

    @property
    def keys(self) -> dict[Path, int]:
        return self._scanned()._keys  # type: ignore[return-value]

    @property
    def values(self) -> dict[Path, int]:
        return self._scanned()._values

    @property
    def strings(self) -> dict[Path, tuple[int, str]]:
        return self._scanned()._strings

    def position(self, offset: int) -> Position:
        if not self._line_starts:
            starts, at = [0], self.text.find("\n")
            while at >= 0:
                starts.append(at + 1)
                at = self.text.find("\n", at + 1)
            self._line_starts = starts
        line = bisect_right(self._line_starts, offset)
        return Position(line, offset - self._line_starts[line - 1] + 1)

    def locate(self, path: Iterable[Any]) -> Optional[Position]:
        """The position of the key at ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.keys:
                return self.position(self.keys[path])
            if path in self.values:
                return self.position(self.values[path])
            path = path[:-1]
        return None

    def locate_in_string(self, path: Iterable[Any], index: int) -> Optional[Position]:
        """The position of character ``index`` of the string value at ``path`` (e.g. the
        character of an expression an error points at); the key's position when the string
        spans lines or its escapes make the offset uncertain."""
        path = tuple(path)
        found = self.strings.get(path)
        if found is None:
            return self.locate(path)
        start, quote = found
        offset = start
        for _ in range(max(index, 0)):
            if offset >= len(self.text) or self.text[offset] == "\n":
                return self.locate(path)
            if quote == '"' and self.text[offset] == "\\":
                nxt = self.text[offset + 1:offset + 2]
                offset += _ESCAPE_LENGTH.get(nxt, 2)
            else:
                offset += 1
        return self.position(offset)


class _Scanner:
    def __init__(self, text: str, into: SourceMap) -> None:
        self.text = text
        self.i = 0
        self.map = into
        self.arrays: dict[Path, int] = {}  # concrete path of an array of tables -> its last index
        self.table: Path = ()

    # -------------------------------------------------------------- low level

    def peek(self, n: int = 1) -> str:
        return self.text[self.i:self.i + n]

    def skip_blank(self, newlines: bool) -> None:
        text, n = self.text, len(self.text)
        while self.i < n:
            ch = text[self.i]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self.i += 1
            elif ch == "#":
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end
            else:
                return

    def skip_line(self) -> None:
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end < 0 else end + 1

    def string(self) -> tuple[str, int, str]:
        """Read a string at the cursor: (its text as written, offset of its content, quote)."""
        text = self.text
        for quote in ('"""', "'''"):
            if text.startswith(quote, self.i):
                start = self.i + 3
                end = start
                while True:
                    end = text.find(quote, end)
                    if end < 0:
                        end = len(text)
                        break
                    if quote == '"""' and _escaped(text, end):
                        end += 1
                        continue
                    break
                while text.startswith(quote[0], end + 3):  # up to two quotes may end the content
                    end += 1
                self.i = min(len(text), end + 3)
                return text[start:end], start, quote
        quote = text[self.i]
        start = self.i + 1
        j = start
        while j < len(text) and text[j] != quote and text[j] != "\n":
            j += 2 if (quote == '"' and text[j] == "\\") else 1
        self.i = min(len(text), j + 1)
        return text[start:j], start, quote

    def key(self) -> list[tuple[str, int]]:
        """A dotted key: its parts with the offset of each."""
        parts: list[tuple[str, int]] = []
        while True:
            self.skip_blank(newlines=False)
            at = self.i
            if self.peek() in ('"', "'"):
                raw, _, quote = self.string()
                parts.append((_unescape(raw) if quote == '"' else raw, at))
            else:
                j = self.i
                while j < len(self.text) and self.text[j] in _BARE:
                    j += 1
                if j == self.i:
                    return parts
                parts.append((self.text[self.i:j], at))
                self.i = j
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts
            self.i += 1

    # -------------------------------------------------------------- structure

    def concrete(self, names: list[str]) -> Path:
        """The path of a header's key, with the current index of every array of tables on it."""
        path: Path = ()
        for name in names:
            path = path + (name,)
            if path in self.arrays:
                path = path + (self.arrays[path],)
        return path

    def header(self) -> None:
        array = self.peek(2) == "[["
        at = self.i
        self.i += 2 if array else 1
        names = [name for name, _ in self.key()]
        self.skip_line()
        if array:
            base = self.concrete(names[:-1]) + (names[-1],)
            self.arrays[base] = self.arrays.get(base, -1) + 1
            # a new item forgets the arrays nested in the previous one
            for nested in [p for p in self.arrays if len(p) > len(base) and p[:len(base)] == base]:
                del self.arrays[nested]
            self.table = base + (self.arrays[base],)
            self.map._keys.setdefault(base, at)
        else:
            self.table = self.concrete(names)
        for length in range(1, len(self.table) + 1):  # implicit parents: [a.b] defines a too
            self.map._keys.setdefault(self.table[:length], at)

    def key_value(self, table: Path) -> None:
        parts = self.key()
        path = table
        for name, at in parts:
            path = path + (name,)
            self.map._keys.setdefault(path, at)
        self.skip_blank(newlines=False)
        if self.peek() == "=":
            self.i += 1
        self.skip_blank(newlines=False)
        self.value(path)

    def value(self, path: Path) -> None:
        self.map._values.setdefault(path, self.i)
        ch = self.peek()
        if ch in ('"', "'"):
            raw, start, quote = self.string()
            if len(quote) == 1:
                self.map._strings[path] = (start, quote)
        elif ch == "[":
            index = [0]  # of the item being read; a comma moves to the next
            self._sequence("]", lambda: self.value(path + (index[0],)),
                           lambda: index.__setitem__(0, index[0] + 1))
        elif ch == "{":
            self._sequence("}", lambda: self.key_value(path), lambda: None)
        else:
            text, n = self.text, len(self.text)
            while self.i < n and text[self.i] not in ",]}\n#":
                self.i += 1

    def _sequence(self, closing: str, item: Callable[[], None], comma: Callable[[], None]) -> None:
        """The items of an array or inline table up to ``closing``."""
        self.i += 1
        while True:
            self.skip_blank(newlines=True)
            if self.i >= len(self.text) or self.peek() == closing:
                self.i += 1
                return
            if self.peek() == ",":
                self.i += 1
                comma()
                continue
            before = self.i
            item()
            if self.i == before:  # nothing the scanner knows: give up on this value
                self.skip_line()
                return

    def run(self) -> None:
        n = len(self.text)
        while True:
            self.skip_blank(newlines=True)
            if self.i >= n:
                return
            if self.peek() == "[":
                self.header()
                continue
            before = self.i
            self.key_value(self.table)
            if self.i == before:
                self.skip_line()


def _escaped(text: str, at: int) -> bool:
    backslashes = 0
    while at - 1 - backslashes >= 0 and text[at - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _unescape(raw: str) -> str:
    return raw.replace('\\"', '"').replace("\\\\", "\\")


def source_map(text: str) -> SourceMap:
    """The SourceMap of TOML text (already known to parse); scanned when first asked."""
    return SourceMap(text=text)
