"""Versions of a plan, read to be compared and merged — fast on large plans.

A 1,000-action plan is about 300 KB: ``tomli`` takes 25 ms or more to parse it (the standard
library's ``tomllib``, the same parser not compiled, three times that), tomlkit 20 times that,
and the diff and the merge driver have 0.5 s for two or three versions (SPEC §8).
So a version is read in pieces. The text is cut at its table headers (a scan that skips values
without building them); the tables of the lists — ``[[actions]]``, ``[[gaps]]``, ... — become
:class:`Entry` objects holding their key (the item's id; a measure's kpi and period) and their
text, and are parsed one by one, only when their content is needed: two versions of an item
whose text is the same hold the same content, and most items of two versions of a plan are the
same. Everything else (the top-level keys, ``[account]`` and its team, the answers, the SWOT and
unknown tables) is small and parsed at once with ``tomli`` and validated like any plan.

A text the scanner does not follow (a list split by other tables, a list item with sub-tables,
odd syntax) or an item that does not validate raises :class:`Unfit`; the callers then read the
versions whole (:func:`read_full`), which gives the usual ``file:line`` errors for a file that is
not a valid plan. Both readings give the same content: the tests compare them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import tomli

from ..model.convert import NotAPlan, from_data, item_data
from ..model.plan import LISTS, SCHEMA_VERSION, Answer, Plan, TeamMember
from ..model.schema import ENUM, INT, next_uid
from ..store.snapshot import snapshot
from ..store.tomlio import LoadError, locate, parse
from ..store.writable import DOTTED_KEY, KEY_PART, SP, VALUE, key_parts

LIST_NAMES = tuple(LISTS)
# The fields that name an item of each list: matched by id; measures by kpi and period, team
# members by name (SPEC §7).
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "team": ("name",),
    **{name: ("kpi", "period") if name == "measures" else ("id",) for name in LISTS},
}
CONFLICTS = "conflicts"
ITEM_CLASS: dict[str, type] = {"team": TeamMember, "diagnostic": Answer, **LISTS}
TOP_FIELDS = (("schema", INT), ("lang", ENUM))  # the plan's top-level keys, (name, kind)


class Unfit(Exception):
    """The fast reading can't be used for this text: read the versions whole."""


def natural_key(list_name: str, data: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(data.get(name) for name in KEY_FIELDS[list_name])


def _numbered(keys: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Keys made unique: the natural key and its occurrence (0 for the first)."""
    seen: dict[tuple[Any, ...], int] = {}
    out = []
    for key in keys:
        n = seen.get(key, 0)
        seen[key] = n + 1
        out.append((*key, n))
    return out


@dataclass(eq=False)
class Entry:
    """One item of a list in one version.

    ``key`` is the item's natural key plus its occurrence number (two team members of one name
    are ``("Paul R.", 0)`` and ``("Paul R.", 1)``). ``text``, when the item was read from its
    own table's text, is that text (header, keys and the comments right under them): the same
    text means the same content. ``data`` is its content as the plan snapshot has it (fields in
    file order, unset ones left out), parsed on first use.
    """

    key: tuple[Any, ...]
    uid: int
    text: str | None = None
    tail: str = ""  # fast reading: the blank lines and comments between this table and the next
    _data: dict[str, Any] | None = None
    list_name: str = ""  # fast reading: the list whose table ``text`` is

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            assert self.text is not None
            self._data = load_item(self.text, self.list_name)
        return self._data


def same(a: Entry, b: Entry) -> bool:
    """True if two entries hold the same content."""
    if a.text is not None and a.text == b.text:
        return True
    return a.data == b.data


@dataclass
class Run:
    """Where a list's tables are in a version's text (fast reading): ``start`` to ``end``."""

    name: str
    start: int
    end: int


@dataclass
class Version:
    """One version of a plan: its text and content, section by section."""

    name: str
    text: str
    top: dict[str, Any]
    account: dict[str, Any]
    team: list[Entry]
    diagnostic: list[Entry]  # keys: (question id, 0); blank answers left out, as in a snapshot
    swot: dict[str, Any]
    lists: dict[str, list[Entry]]
    conflicts: list[dict[str, Any]] = field(default_factory=list)  # its [[conflicts]] tables
    runs: list[Run] | None = None  # fast reading: where the lists are
    conflict_spans: list[tuple[int, int]] = field(default_factory=list)  # fast reading

    def items(self, name: str) -> list[Entry]:
        if name == "team":
            return self.team
        if name == "diagnostic":
            return self.diagnostic
        return self.lists[name]


def _entries(list_name: str, pairs: list[tuple[int, dict[str, Any]]]) -> list[Entry]:
    keys = _numbered([natural_key(list_name, data) for _, data in pairs])
    return [Entry(key, uid, _data=data) for key, (uid, data) in zip(keys, pairs, strict=True)]


def from_snapshot(name: str, text: str, snap: dict[str, Any]) -> Version:
    return Version(
        name=name,
        text=text,
        top=snap["top"],
        account=snap["account"],
        team=_entries("team", snap["team"]),
        diagnostic=[Entry((qid, 0), next_uid(), _data=data) for qid, data in snap["diagnostic"].items()],
        swot=snap["swot"],
        lists={list_name: _entries(list_name, snap[list_name]) for list_name in LISTS},
    )


def _conflict_tables(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        return []
    return list(raw)


def check_plan(plan: Plan, problems: list[Any], text: str, name: str) -> None:
    """Raise :class:`LoadError` for a plan kamtui would not open for editing."""
    if plan.schema > SCHEMA_VERSION:
        raise LoadError([f"{name}:1: schema {plan.schema} is newer than this kamtui knows ({SCHEMA_VERSION})"])
    if problems:
        raise LoadError([f"{name}:{locate(text, p.path)}: {p.path}: {p.message}" for p in problems])


def read_full(text: str, name: str) -> Version:
    """Read a whole version with ``tomli``; :class:`LoadError` if it is not a valid plan."""
    raw = parse(text, name)
    try:
        plan, problems = from_data(raw)
    except NotAPlan as exc:
        raise LoadError([f"{name}:1: {exc}"]) from None
    check_plan(plan, problems, text, name)
    version = from_snapshot(name, text, snapshot(plan))
    version.conflicts = _conflict_tables(raw.get(CONFLICTS))
    return version


def read_version(text: str, name: str) -> Version:
    """Read a version, in pieces where it can (see the module's doc). Raises :class:`Unfit` when
    the text must be read whole (which says what is wrong with a text that is not a plan)."""
    blocks = scan(text)
    return _assemble(text, name, blocks)


# --- cutting a text at its table headers -----------------------------------------------------

_SCALAR = re.compile(VALUE, re.S)
_SKIP = re.compile(r"(?:[ \t\r\n]++|#[^\n]*+)*+")
_HEADER_LINE = re.compile(rf"(\[\[?){SP}({DOTTED_KEY}){SP}(\]\]?){SP}(?:#[^\n]*+)?(?:\r?\n|\Z)")
_KEY_EQ = re.compile(rf"({DOTTED_KEY}){SP}={SP}")
_EOL = re.compile(rf"{SP}(?:#[^\n]*+)?(?:\r?\n|\Z)")
# One plain line "key = scalar  # comment": the bulk of a plan, matched in one go.
_PLAIN = re.compile(rf"{SP}({KEY_PART}){SP}={SP}({VALUE}){SP}(?:#[^\n]*+)?(?:\r?\n|\Z)", re.S)
# Plain lines one after another, up to a blank line, a comment line or anything else.
_RUN = re.compile(rf"(?:{SP}(?>{KEY_PART}){SP}={SP}(?>{VALUE}){SP}(?:#[^\n]*+)?(?:\r?\n|\Z))*+", re.S)
_WANTED = frozenset(("id", "kpi", "period", "name"))
# A line naming the item, right under its header.
_NAMING = re.compile(rf"{SP}(id|kpi|period|name){SP}={SP}({VALUE}){SP}(?:#[^\n]*+)?(?:\r?\n|\Z)", re.S)


class Block:
    """A table of the text: from its header line to the next one. ``header`` is its dotted name
    (empty for the lines before the first header); ``core`` ends after its last key and the
    comments right under it, what follows (blank lines, comments over the next header) is its
    tail."""

    __slots__ = ("start", "header", "array", "keys", "core_end", "end", "head_keys")

    def __init__(self, start: int, header: tuple[str, ...], array: bool) -> None:
        self.start = start
        self.header = header
        self.array = array
        self.keys: dict[str, str] = {}  # raw value text of the keys that name an item
        self.core_end = 0
        self.end = 0
        self.head_keys: list[str] = []  # top-level keys (the first block only)


def _skip_value(text: str, pos: int) -> int:
    """The position after the value at ``pos`` (arrays and inline tables included)."""
    closers: list[str] = []
    size = len(text)
    while True:
        if closers:
            pos = _SKIP.match(text, pos).end()  # type: ignore[union-attr]  # matches the empty string
            if pos >= size:
                raise Unfit("unterminated value")
            char = text[pos]
            if char == closers[-1]:
                closers.pop()
                pos += 1
                if not closers:
                    return pos
                continue
            if char == ",":
                pos += 1
                continue
            if closers[-1] == "}":
                match = _KEY_EQ.match(text, pos)
                if match is None:
                    raise Unfit("no key in an inline table")
                pos = match.end()
        if pos >= size:
            raise Unfit("no value")
        char = text[pos]
        if char == "[" or char == "{":
            if len(closers) > 100:
                raise Unfit("nested too deeply")
            closers.append("]" if char == "[" else "}")
            pos += 1
            continue
        match = _SCALAR.match(text, pos)
        if match is None:
            raise Unfit("no value")
        pos = match.end()
        if not closers:
            return pos


def _end_of_core(text: str, pos: int, end: int) -> int:
    """After the last key of a table at ``pos``: past the comment lines right under it."""
    while pos < end:
        newline = text.find("\n", pos, end)
        line_end = end if newline < 0 else newline + 1
        if not text[pos:line_end].lstrip(" \t").startswith("#"):
            break
        pos = line_end
    return pos


def scan(text: str) -> list[Block]:
    """Cut ``text`` into its blocks: the lines before the first header, then one per table.
    Raises :class:`Unfit` on anything it does not follow (the text may still be valid TOML).

    The keys that name an item are taken from the lines right after a header (where the app
    writes them); a hand-made table with its id further down makes the caller read it whole.
    A table as the app writes it costs five regular expression matches.
    """
    size = len(text)
    current = Block(0, (), False)
    blocks = [current]
    content_end = 0
    pos = 0
    while True:
        pos = _SKIP.match(text, pos).end()  # type: ignore[union-attr]  # matches the empty string
        if pos >= size:
            break
        if text[pos] == "[":
            match = _HEADER_LINE.match(text, pos)
            if match is None or len(match.group(1)) != len(match.group(3)):
                raise Unfit("odd table header")
            current.core_end = content_end
            current = Block(text.rfind("\n", 0, pos) + 1, key_parts(match.group(2)), match.group(1) == "[[")
            blocks.append(current)
            pos = match.end()
            keys = current.keys
            naming = _NAMING.match(text, pos)
            while naming is not None:
                keys[naming.group(1)] = naming.group(2)
                pos = naming.end()
                naming = _NAMING.match(text, pos)
            pos = content_end = _RUN.match(text, pos).end()  # type: ignore[union-attr]
            continue
        plain = _PLAIN.match(text, pos)
        if plain is not None:
            key, raw = plain.group(1), plain.group(2)
            pos = plain.end()
        else:  # a value over several lines (an array), dotted keys...
            match = _KEY_EQ.match(text, pos)
            if match is None:
                raise Unfit("not a key")
            end = _skip_value(text, match.end())
            eol = _EOL.match(text, end)
            if eol is None:
                raise Unfit("text after a value")
            key, raw = match.group(1), text[match.end() : end]
            pos = eol.end()
        if current is blocks[0]:
            current.head_keys.append(key)
        elif key in _WANTED:
            current.keys.setdefault(key, raw)
        pos = content_end = _RUN.match(text, pos).end()  # type: ignore[union-attr]
    current.core_end = content_end
    for block, following in zip(blocks, blocks[1:], strict=False):
        block.end = following.start
    blocks[-1].end = size
    for block in blocks:
        block.core_end = _end_of_core(text, max(block.core_end, block.start), block.end)
    return blocks


def _string(raw: str | None) -> str:
    """The string a raw TOML value holds; :class:`Unfit` if it isn't one."""
    if raw is None:
        raise Unfit("an item without its key")
    if len(raw) >= 2 and raw[0] == raw[-1] == '"' and "\\" not in raw and not raw.startswith('"""'):
        return raw[1:-1]
    try:
        value = tomli.loads(f"v = {raw}")["v"]
    except tomli.TOMLDecodeError:
        raise Unfit("odd key value") from None
    if not isinstance(value, str):
        raise Unfit("a key that is not text")
    return value


def load_item(text: str, list_name: str) -> dict[str, Any]:
    """The content of one ``[[list_name]]`` table's text; :class:`Unfit` if it does not parse or
    validate (the whole reading then says where)."""
    try:
        raw = tomli.loads(text)
        plan, problems = from_data({"schema": SCHEMA_VERSION, list_name: raw[list_name]})
    except (tomli.TOMLDecodeError, KeyError, ValueError, RecursionError):
        raise Unfit("an item that does not parse") from None
    items = plan.items(list_name)
    if problems or len(items) != 1:
        raise Unfit("an item that does not validate")
    return {k: list(v) if isinstance(v, list) else v for k, v in item_data(items[0]).items()}


def _assemble(text: str, name: str, blocks: list[Block]) -> Version:
    head = blocks[0]
    if any(
        key.split(".")[0].strip("\"' ") in (*LISTS, "account", "diagnostic", "swot", CONFLICTS)
        for key in head.head_keys
    ):
        raise Unfit("a section written as keys")
    rest: list[str] = [text[head.start : head.end]]
    runs: list[Run] = []
    spans: list[tuple[int, int]] = []
    conflict_texts: list[str] = []
    items: dict[str, list[Block]] = {list_name: [] for list_name in LISTS}
    for block in blocks[1:]:
        section = block.header[0]
        if section in LISTS:
            if not block.array or len(block.header) != 1:
                raise Unfit("a list item with sub-tables")
            if runs and runs[-1].name == section and runs[-1].end == block.start:
                runs[-1].end = block.end
            elif items[section]:
                raise Unfit("a list split by other tables")
            else:
                runs.append(Run(section, block.start, block.end))
            items[section].append(block)
        elif section == CONFLICTS:
            if not block.array or len(block.header) != 1:
                raise Unfit("odd conflicts table")
            spans.append((block.start, block.end))
            conflict_texts.append(text[block.start : block.end])
        else:
            rest.append(text[block.start : block.end])
    try:
        raw = tomli.loads("".join(rest))
        conflicts = tomli.loads("".join(conflict_texts)).get(CONFLICTS, []) if conflict_texts else []
        plan, problems = from_data(raw)
    except (tomli.TOMLDecodeError, NotAPlan, ValueError, RecursionError):
        raise Unfit("the sections do not parse") from None
    if problems or plan.schema > SCHEMA_VERSION or any(list_name in raw for list_name in LISTS):
        raise Unfit("the sections do not validate")
    version = from_snapshot(name, text, snapshot(plan))
    for list_name, list_blocks in items.items():
        entries = []
        keys = [tuple(_string(b.keys.get(f)) for f in KEY_FIELDS[list_name]) for b in list_blocks]
        numbered = _numbered(keys)
        if list_name != "measures" and any(key[-1] for key in numbered):
            raise Unfit("duplicate ids")
        for key, block in zip(numbered, list_blocks, strict=True):
            core = text[block.start : block.core_end]
            if not core.endswith("\n"):
                core += "\n"
            entries.append(Entry(key, next_uid(), core, text[block.core_end : block.end], list_name=list_name))
        version.lists[list_name] = entries
    version.conflicts = _conflict_tables(conflicts)
    version.runs = runs
    version.conflict_spans = spans
    return version
