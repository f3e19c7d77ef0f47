"""What the writer can write: the check a plan file passes when it is read.

A file is read with tomli but saved through tomlkit and kamtui's writer, which accept less:
tomlkit refuses a key of more than 100 parts and arrays or inline tables nested more than 100
deep (its parser's MAX_NESTING_DEPTH), its writer recurses once per level (it fails near 1,000
levels), and kamtui's writer patches the plan's sections only where they are written as
tables: ``[account]``, ``[diagnostic.<id>]``, ``[swot]``, ``[[actions]]``... A file beyond
those limits is refused when it is read, by the app and by ``kamtui check`` alike, so that a
file that can be opened can always be saved. The check scans the text once with a few regular
expressions (a 1,000-action plan: about 10 ms, tomli takes 25); tomlkit stays off the path
of reading.
"""

from __future__ import annotations

import functools
import re

import tomli

from ..model.plan import LISTS

MAX_DEPTH = 100  # tables, arrays and inline tables nested in one another, in all
_SECTIONS = ("account", "diagnostic", "swot")  # one table each, written [account]...
_LISTS = tuple(LISTS)  # arrays of tables, written [[actions]]...

SP = r"[ \t]*+"
KEY_PART = r"""[A-Za-z0-9_-]++|"(?:[^"\\\n]++|\\.)*+"|'[^'\n]*+'"""  # a bare, basic or literal key part
DOTTED_KEY = rf"(?>{KEY_PART})(?:{SP}\.{SP}(?>{KEY_PART}))*+"
# Possessive and atomic (Python 3.11): no backtracking, a 1,000-action plan is scanned in ~10 ms.
VALUE = (
    r'"""(?:[^"\\]++|\\.|"(?!""))*+"{3,5}'  # multiline basic string
    r"|'''(?:[^']++|'(?!''))*+'{3,5}"  # multiline literal string
    r'|"(?:[^"\\\n]++|\\.)*+"'
    r"|'[^'\n]*+'"
    r"|[^\s#,\[\]{}]++(?: [0-9][^\s#,\[\]{}]*+)?"  # number, boolean, date (a space before its time)
)


class _Patterns:
    """The scanner's regular expressions, compiled on first use (a few ms: off the start-up path
    when no plan is parsed)."""

    def __init__(self) -> None:
        self.part = re.compile(KEY_PART)
        self.scalar = re.compile(VALUE, re.S)
        self.skip = re.compile(r"(?:[ \t\r\n]++|#[^\n]*+)*+")  # blanks, comments, new lines
        self.header = re.compile(rf"(\[\[?){SP}({DOTTED_KEY}){SP}\]")
        self.key_eq = re.compile(rf"({DOTTED_KEY}){SP}={SP}")
        # Lines that need no look: blank, comment, or one plain key = a scalar (the bulk of a plan).
        self.plain_run = re.compile(
            rf"(?>{SP}(?:#[^\n]*+)?\r?\n|{SP}(?>{KEY_PART}){SP}={SP}(?>{VALUE}){SP}(?:#[^\n]*+)?(?:\r?\n|\Z))*+",
            re.S,
        )


@functools.cache
def _rx() -> _Patterns:
    return _Patterns()


class _Refused(Exception):
    def __init__(self, pos: int, what: str):
        self.pos, self.what = pos, what


@functools.cache
def key_parts(dotted: str) -> tuple[str, ...]:
    """The parts of a dotted key as TOML reads them (quotes off, escapes read)."""
    parts = []
    for part in _rx().part.findall(dotted):
        if part[0] == "'":
            part = part[1:-1]
        elif part[0] == '"':
            part = tomli.loads(f"k = {part}")["k"] if "\\" in part else part[1:-1]
        parts.append(part)
    return tuple(parts)


def _shown(key: tuple[str, ...]) -> str:
    text = ".".join(part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else _quoted(part) for part in key)
    return text if len(text) <= 60 else text[:57] + "..."


def _quoted(text: str) -> str:
    """A key part quoted, in ASCII: a control character in it never reaches a terminal."""
    import json

    return json.dumps(text)


def _too_deep(pos: int, key: tuple[str, ...]) -> _Refused:
    return _Refused(pos, f"{_shown(key)}: nested more than {MAX_DEPTH} levels; kamtui can't write such a file")


def _value_depth(text: str, pos: int, depth: int, key: tuple[str, ...]) -> tuple[int, int]:
    """Skip the value at ``pos``; ``depth`` is its depth if it is an array or a table. Returns
    (the position after it, the deepest level reached in it)."""
    rx = _rx()
    opening = text[pos]
    if opening != "[" and opening != "{":
        match = rx.scalar.match(text, pos)
        if match is None:
            raise ValueError(f"no value at {pos}")
        return match.end(), depth - 1
    if depth > MAX_DEPTH:
        raise _too_deep(pos, key)
    closing = "]" if opening == "[" else "}"
    deepest = depth
    pos += 1
    while True:
        pos = rx.skip.match(text, pos).end()  # type: ignore[union-attr]  # it matches the empty string
        char = text[pos]
        if char == closing:
            return pos + 1, deepest
        if char == ",":
            pos += 1
            continue
        if opening == "[":
            pos, reached = _value_depth(text, pos, depth + 1, key)
        else:
            match = rx.key_eq.match(text, pos)
            if match is None:
                raise ValueError(f"no key at {pos}")
            parts = rx.part.findall(match.group(1))
            if len(parts) > MAX_DEPTH:
                raise _too_deep(pos, key)
            pos, reached = _value_depth(text, match.end(), depth + len(parts), key)
        deepest = max(deepest, reached)


def _check_layout(text: str) -> None:
    """Raise :class:`_Refused` at the first thing of ``text`` (valid TOML) the writer can't write."""
    rx = _rx()
    size = len(text)
    table: tuple[str, ...] = ()
    base = 0  # depth of the current table
    aots: set[tuple[str, ...]] = set()
    open_section = ""  # the section whose tables come one after another right now
    seen: dict[str, tuple[int, tuple[str, ...]]] = {}  # section -> its first table and where
    pos = 0
    while True:
        pos = rx.plain_run.match(text, pos).end()  # type: ignore[union-attr]
        pos = rx.skip.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= size:
            return
        if text[pos] == "[":
            match = rx.header.match(text, pos)
            if match is None:
                raise ValueError(f"no table header at {pos}")
            table = key_parts(match.group(2))
            if len(table) > MAX_DEPTH:
                raise _too_deep(pos, table)
            if match.group(1) == "[[":
                aots.add(table)
            base = len(table) + sum(1 for n in range(1, len(table) + 1) if table[:n] in aots)
            if base > MAX_DEPTH:
                raise _too_deep(pos, table)
            head = table[0]
            if head in _SECTIONS:
                if head in seen and open_section != head:
                    raise _Refused(
                        pos,
                        f"[{_shown(table)}]: the tables of [{head}] are split by other tables; kamtui can only write them one after another",
                    )
                if table == (head,) and head in seen:
                    first = f"[{_shown(seen[head][1])}] (line {text.count(chr(10), 0, seen[head][0]) + 1})"
                    raise _Refused(pos, f"[{head}] comes after {first}; kamtui can only write it before its sub-tables")
                seen.setdefault(head, (pos, table))
            open_section = head
            pos = match.end() + (1 if match.group(1) == "[[" else 0)
            continue
        match = rx.key_eq.match(text, pos)
        if match is None:
            raise ValueError(f"no key at {pos}")
        key = key_parts(match.group(1))
        full = table + key
        if len(key) > MAX_DEPTH:
            raise _too_deep(pos, full)
        if len(key) > 1 or text[match.end()] in "[{":
            written = (
                "dotted keys" if len(key) > 1 else "an inline " + ("table" if text[match.end()] == "{" else "array")
            )
            if not table and key[0] in _SECTIONS:
                raise _Refused(pos, f"{key[0]}: written with {written}; kamtui can only write it as a [{key[0]}] table")
            if not table and key[0] in _LISTS:
                raise _Refused(
                    pos, f"{key[0]}: written with {written}; kamtui can only write it as [[{key[0]}]] tables"
                )
            if table == ("account",) and key[0] == "team":
                raise _Refused(
                    pos, f"account.team: written with {written}; kamtui can only write it as [[account.team]] tables"
                )
            if table == ("diagnostic",):
                raise _Refused(
                    pos,
                    f"{_shown(full[:2])}: written with {written}; kamtui can only write an answer as a [{_shown(full[:2])}] table",
                )
        end, reached = _value_depth(text, match.end(), base + len(key), full)
        if max(base + len(key) - 1, reached) > MAX_DEPTH:
            raise _too_deep(pos, full)
        pos = end


def refusal(text: str) -> tuple[int, str] | None:
    """Where in ``text`` (valid TOML) the first thing kamtui could not save is, and what it is;
    None when it can all be saved."""
    try:
        _check_layout(text)
    except (ValueError, IndexError):  # pragma: no cover - a gap of the scanner, not of the file
        return None  # (tomli read it): never in the way; the tests scan the whole toml-test corpus
    except _Refused as refused:
        return refused.pos, refused.what
    return None
