"""Text from a plan or a file name, made safe to show: control characters become visible stand-ins.

A plan is plain text anyone can write, and a file name is whatever the folder holds: either may
carry terminal control sequences (``ESC]52;…`` writes the clipboard, ``ESC]0;…`` the window
title, the 8-bit CSI U+009B moves the cursor). :func:`visible` is the one function every place
that shows such text goes through — the TUI's content helpers, the CLI's messages, tables and
JSON. The plan keeps its text exactly; only what is shown changes.

What is replaced, and why:

* **C0** (U+0000–U+001F) — ESC, BEL, CR, backspace: the terminal acts on them. Newline and tab
  are kept where the caller shows multiline text (``multiline=True``).
* **DEL** (U+007F) and **C1** (U+0080–U+009F): C1 holds the 8-bit forms of CSI, OSC, DCS, ST,
  which some terminals obey.
* **Lone surrogates** (U+D800–U+DFFF): a file name that isn't UTF-8 reaches Python with its bad
  bytes as U+DC80–U+DCFF (``surrogateescape``); written back, they are the raw bytes again
  (0x9B is a CSI), or an encoding error that stops the program.
* **Bidi embeddings, overrides and isolates** (U+202A–U+202E, U+2066–U+2069): invisible, they
  reorder what follows on screen ("Trojan source"): a file name or an amount can read as
  something else. The marks LRM/RLM (U+200E, U+200F, U+061C) stay: they don't span text and
  right-to-left names need them.

Left alone: zero-width characters (ZWSP, ZWNJ, ZWJ, WJ, BOM). They send nothing to the terminal,
and ZWJ/ZWNJ are needed by emoji and by Persian and Indic scripts; U+2028/U+2029 likewise (no
terminal acts on them).

The stand-ins (``mode``):

* ``PICTURES`` (the default, for the screen and the CLI's tables): the Unicode Control Pictures,
  one cell each, so that columns, truncation and cursor columns stay right — ``␛`` for ESC,
  ``␊`` for a newline in one-line text, ``␡`` for DEL. C1, surrogates and bidi controls have no
  picture: ``\\x9b``, ``\\xff`` (a byte of a non-UTF-8 file name), ``\\u202e``.
* ``ESCAPES`` (for ``check``'s lines, which someone reads to fix the file): ``\\x1b``-style
  escapes for everything (``\\n``, ``\\t``, ``\\r`` for those three) — ASCII, exact, and they read
  like the escapes one would put in the file. Longer than pictures: not for columns.
* ``ALIGNED`` (for editors, whose cursor indexes the real value): exactly one character for each
  one replaced — pictures, and U+FFFD for what has none —, so positions in the text still match.
* ``JSON`` (for JSON already made by ``json.dumps``, which escapes C0 but leaves DEL, C1,
  surrogates and bidi controls raw): ``\\u009b``, still valid JSON, and decoding it gives the
  exact text back. Use it with ``multiline=True`` (the newlines of the indentation are layout).

Fast: plan text is shown on every keystroke. Text without any such character (nearly all of it)
costs one precompiled regex search and is returned as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from .plan import LISTS, Plan
from .schema import STRLIST, TEXT, specs

PICTURES = "pictures"
ESCAPES = "escapes"
ALIGNED = "aligned"
JSON = "json"
MODES = (PICTURES, ESCAPES, ALIGNED, JSON)

_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")  # not \t, \n

_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

# Names, for messages that say which controls a field holds ("ESC, CSI").
_C0_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()
_C1_NAMES = (
    "PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 "
    "DCS PU1 PU2 STS CCH MW SPA EPA SOS SGCI SCI CSI ST OSC PM APC"
).split()
_BIDI_NAMES = {0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO"}
_BIDI_NAMES.update({0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI"})


@cache
def _stand_in(char: str, mode: str) -> str:
    code = ord(char)
    if mode == JSON:
        return f"\\u{code:04x}"
    if mode == ESCAPES:
        if char in _SHORT:
            return _SHORT[char]
        return f"\\x{code:02x}" if code <= 0xFF else _escape(code)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if mode == ALIGNED:
        return "\ufffd"
    return f"\\x{code:02x}" if code <= 0xFF else _escape(code)


def _escape(code: int) -> str:
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that isn't UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


@cache
def _replacer(mode: str) -> Callable[[re.Match[str]], str]:
    return lambda match: _stand_in(match.group(), mode)


def visible(text: str, *, multiline: bool = False, mode: str = PICTURES) -> str:
    """``text`` with every control character replaced by a visible stand-in (see the module).

    ``multiline`` keeps newlines and tabs (text shown on several lines); elsewhere they are
    replaced too, so that one-line text stays on one line.
    """
    pattern = _MULTILINE if multiline else _ONE_LINE
    if pattern.search(text) is None:
        return text
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    return pattern.sub(_replacer(mode), text)


def has_controls(text: str, *, multiline: bool = False) -> bool:
    """True if :func:`visible` would change ``text``."""
    return (_MULTILINE if multiline else _ONE_LINE).search(text) is not None


def control_name(char: str) -> str:
    """ESC, CSI, RLO, DEL, U+DC9B…: what a control character is called."""
    code = ord(char)
    if code < 0x20:
        return _C0_NAMES[code]
    if code == 0x7F:
        return "DEL"
    if 0x80 <= code <= 0x9F:
        return _C1_NAMES[code - 0x80]
    return _BIDI_NAMES.get(code, f"U+{code:04X}")


def control_names(text: str, *, multiline: bool = False) -> list[str]:
    """The names of the control characters in ``text``, each once, in order of appearance."""
    pattern = _MULTILINE if multiline else _ONE_LINE
    return list(dict.fromkeys(control_name(m.group()) for m in pattern.finditer(text)))


def plan_controls(plan: Plan) -> Iterator[tuple[str, list[str]]]:
    """(path, control names) for every text of ``plan`` holding control characters, in file
    order; paths are those of problems (``actions[2].title``, ``swot.strengths[1]``,
    ``diagnostic.<id>`` for a question id). Newlines and tabs count only outside long text."""
    yield from _item_controls(plan.account, "account")
    for n, member in enumerate(plan.account.team, 1):
        yield from _item_controls(member, f"account.team[{n}]")
    for qid, entry in plan.diagnostic.items():
        if has_controls(qid):
            yield f"diagnostic.{qid}", control_names(qid)
        yield from _item_controls(entry, f"diagnostic.{qid}")
    yield from _item_controls(plan.swot, "swot")
    for name in LISTS:
        for n, item in enumerate(plan.items(name), 1):
            yield from _item_controls(item, f"{name}[{n}]")


def _item_controls(item: Any, path: str) -> Iterator[tuple[str, list[str]]]:
    for name, spec in specs(item):
        value = getattr(item, name)
        values = enumerate(value, 1) if spec.kind == STRLIST else [(0, value)]
        for n, text in values:
            if isinstance(text, str) and has_controls(text, multiline=spec.kind == TEXT):
                where = f"{path}.{name}[{n}]" if n else f"{path}.{name}"
                yield where, control_names(text, multiline=spec.kind == TEXT)
