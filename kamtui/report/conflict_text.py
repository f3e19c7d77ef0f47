"""The text of ``[[conflicts]]`` tables: conflict paths (written and read back) and values as TOML
text. The format is described in :mod:`kamtui.report.merge`; the merge writes these tables, the
app's Conflicts screen and the session read them (without the merge's machinery)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import tomli

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _escaped(char: str, multiline: bool) -> str:
    """One character inside a TOML basic string (one line) or multiline string, quotes aside:
    backslashes and controls escaped; in a multiline string, newlines and tabs as they are."""
    if char == "\\":
        return "\\\\"
    if char in "\n\t":
        return char if multiline else ("\\n" if char == "\n" else "\\t")
    if char == "\r":
        return "\\r"
    code = ord(char)
    return f"\\u{code:04X}" if code < 0x20 or code == 0x7F else char


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string on one line."""
    return '"' + "".join('\\"' if char == '"' else _escaped(char, False) for char in text) + '"'


def toml_text(text: str) -> str:
    """``text`` as a TOML string: a multiline one (each line of the text a line of the file)
    when it has several lines, else a basic one. A quote is escaped where it would end the string
    (before another quote, or last)."""
    if "\n" not in text:
        return toml_string(text)
    last = len(text) - 1
    body = "".join(
        '\\"' if char == '"' and (n == last or text[n + 1] == '"') else _escaped(char, True)
        for n, char in enumerate(text)
    )
    return '"""\n' + body + '"""'


def _part(value: Any) -> str:
    text = str(value)
    return text if _BARE.fullmatch(text) else toml_string(text)


def item_path(list_name: str, key: tuple[Any, ...]) -> str:
    """``actions[a-7k2qmx]``, ``account.team["Paul R."]``, ``diagnostic.history``..."""
    *natural, occurrence = key
    if list_name == "diagnostic":
        return f"diagnostic.{_part(natural[0])}"
    parts = [_part(p) for p in natural] + ([str(occurrence)] if occurrence else [])
    prefix = "account.team" if list_name == "team" else list_name
    return f"{prefix}[{','.join(parts)}]"


_PATH_PART = re.compile(r'\s*([A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*")\s*')


def parse_path(path: str) -> tuple[str, tuple[str, ...], str | None]:
    """Read a conflict's path back: (list or section, item key parts, field or None).

    ``actions[a-7k2qmx].status`` → ``("actions", ("a-7k2qmx",), "status")``;
    ``diagnostic.history.answer`` → ``("diagnostic", ("history",), "answer")``;
    ``account.kam`` → ``("account", (), "kam")``; ``lang`` → ``("top", (), "lang")``;
    ``account.team["Paul R."]`` → ``("team", ("Paul R.",), None)``. Raises ValueError.
    """

    def unquote(part: str) -> str:
        return tomli.loads(f"v = {part}")["v"] if part.startswith('"') else part

    if "." not in path and "[" not in path:
        return "top", (), path
    if path.startswith("diagnostic."):
        rest = path[len("diagnostic.") :]
        match = _PATH_PART.match(rest)
        if not match:
            raise ValueError(path)
        tail = rest[match.end() :]
        if tail and not tail.startswith("."):
            raise ValueError(path)
        return "diagnostic", (unquote(match.group(1)),), tail[1:] or None
    section, bracket, rest = path.partition("[")
    if not bracket:
        head, _, name = path.partition(".")
        return head, (), name
    list_name = "team" if section == "account.team" else section
    parts: list[str] = []
    pos = 0
    while True:
        match = _PATH_PART.match(rest, pos)
        if not match:
            raise ValueError(path)
        parts.append(unquote(match.group(1)))
        pos = match.end()
        if rest[pos : pos + 1] == ",":
            pos += 1
            continue
        if rest[pos : pos + 1] != "]":
            raise ValueError(path)
        tail = rest[pos + 1 :]
        break
    if tail and not tail.startswith("."):
        raise ValueError(path)
    return list_name, tuple(parts), tail[1:] or None


def value_text(value: Any) -> str:
    """A field's value as the user would type it; "" when unset."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value) if not isinstance(value, float) else repr(value)


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return value_text(value)


def item_text(data: dict[str, Any] | None) -> str:
    """An item as a TOML inline table; "" for None (deleted)."""
    if data is None:
        return ""
    return "{ " + ", ".join(f"{_part(k)} = {_toml_value(v)}" for k, v in data.items()) + " }"


def conflicts_toml(conflicts: list[dict[str, Any]]) -> str:
    """``[[conflicts]]`` tables, one blank line between them."""
    tables = []
    for entry in conflicts:
        lines = ["[[conflicts]]"]
        for key in ("path", "base", "ours", "theirs"):
            if key in entry:
                lines.append(f"{key} = {_conflict_value(entry[key])}")
        for key, value in entry.items():
            if key not in ("path", "base", "ours", "theirs"):
                lines.append(f"{_part(key)} = {_conflict_value(value)}")
        tables.append("\n".join(lines) + "\n")
    return "\n".join(tables)


def _conflict_value(value: Any) -> str:
    return toml_text(value) if isinstance(value, str) else _toml_value(value)
