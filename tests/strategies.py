"""Hypothesis strategies for plans (SPEC §3) and helpers to inspect plan files."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from hypothesis import strategies as st

from kamtui.model.convert import PERIOD_RE
from kamtui.model.plan import LANGS, LISTS, Account, Answer, Plan, Swot, TeamMember
from kamtui.model.questions import CORE_IDS
from kamtui.model.schema import BOOL, DATE, ENUM, FLOAT, INT, PERIOD, REF, STR, STRLIST, TEXT, Spec, specs

# Pieces that have broken TOML writers before: quotes, backslashes, triple
# quotes, markup, escapes, control characters, line ends.
NASTY = (
    '"',
    "'",
    "\\",
    '"""',
    "'''",
    '""',
    '\\"',
    "\\n",
    "\n",
    "\n\n",
    "\t",
    "\r",
    "\r\n",
    "[@click=app.quit]x",
    "[b]bold[/b]",
    "\x1b[31m",
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "é",
    "€",
    "中文",
    "🙂",
    "#",
    "=",
    "[",
    "]",
    "[[actions]]",
    "key = 1",
    " ",
    "",
)

# Any text: arbitrary unicode (no surrogates, which TOML cannot hold) mixed with NASTY.
texts = st.one_of(
    st.text(max_size=12),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=4)), max_size=6).map("".join),
)
non_empty_texts = texts.filter(bool)
dates = st.dates()
# PERIOD_RE's \d also takes non-ASCII digits; plans use ASCII ones.
periods = st.from_regex(r"[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?", fullmatch=True).filter(PERIOD_RE.match)


def floats(spec: Spec) -> st.SearchStrategy[float]:
    if spec.lo is not None or spec.hi is not None:
        return st.floats(min_value=spec.lo, max_value=spec.hi, allow_nan=False, allow_infinity=False)
    return st.floats(allow_nan=False, allow_infinity=False)


def optional(cls: type, name: str) -> bool:
    """True if the field may be None (left out of the file)."""
    return next(fl for fl in dataclasses.fields(cls) if fl.name == name).default is None


def values(cls: type, name: str, spec: Spec) -> st.SearchStrategy[Any]:
    """Any valid value of field ``name`` of ``cls``."""
    kind = spec.kind
    if kind in (STR, TEXT, REF):
        base = texts
    elif kind == DATE:
        base = dates
    elif kind == FLOAT:
        base = floats(spec)
    elif kind == INT:
        base = st.integers(spec.lo, spec.hi)
    elif kind == ENUM:
        base = st.sampled_from(spec.choices)
    elif kind == BOOL:
        base = st.booleans()
    elif kind == PERIOD:
        base = periods
    elif kind == STRLIST:
        base = st.lists(texts, max_size=4)
    else:  # pragma: no cover
        raise AssertionError(kind)
    return st.one_of(st.none(), base) if optional(cls, name) else base


def ids(prefix: str) -> st.SearchStrategy[str]:
    """App-made ids (``a-7k2qmx``) or any hand-written non-empty string."""
    return st.one_of(st.from_regex(rf"{prefix}-[a-z2-7]{{6}}", fullmatch=True), non_empty_texts)


def items(cls: type) -> st.SearchStrategy[Any]:
    fields = {name: values(cls, name, spec) for name, spec in specs(cls)}
    if "id" in fields:
        fields["id"] = ids(cls.PREFIX)
    return st.fixed_dictionaries(fields).map(lambda kw: cls(**kw))


def item_lists(cls: type, max_size: int = 3) -> st.SearchStrategy[list[Any]]:
    unique_by = (lambda i: i.id) if "id" in _names(cls) else None
    if unique_by:
        return st.lists(items(cls), max_size=max_size, unique_by=unique_by)
    return st.lists(items(cls), max_size=max_size)


def _names(cls: type) -> set[str]:
    return {name for name, _ in specs(cls)}


qids = st.one_of(st.sampled_from(CORE_IDS), non_empty_texts)


@st.composite
def plans(draw: Any, max_size: int = 3) -> Plan:
    account = draw(items(Account))
    account.team = draw(item_lists(TeamMember, max_size))
    plan = Plan(lang=draw(st.sampled_from(LANGS)), account=account)
    plan.diagnostic = draw(st.dictionaries(qids, items(Answer), max_size=max_size))
    plan.swot = draw(items(Swot))
    for name, cls in LISTS.items():
        setattr(plan, name, draw(item_lists(cls, max_size)))
    return plan


# Every editable place of a plan: (list name or None, class).
LIST_NAMES = ("team", *LISTS)


def list_class(name: str) -> type:
    return TeamMember if name == "team" else LISTS[name]


# --- reading plan files --------------------------------------------------------

HEADER = re.compile(r"^\[\[?[^\[\]].*\]\]?$")


def outside_strings(text: str) -> list[tuple[int, str]]:
    """The lines of an app-written file that are not inside a multiline string."""
    result = []
    inside = False
    for number, line in enumerate(text.split("\n")):
        if not inside:
            result.append((number, line))
        if line.count('"""') % 2 == 1:
            inside = not inside
    return result


def layout_problems(text: str) -> list[str]:
    """What breaks the app's layout: one blank line before each table (and the
    comment lines just above its header), no other blank lines, no blank lines
    at the end, one final newline."""
    problems = []
    if not text.endswith("\n") or text.endswith("\n\n"):
        problems.append(f"file must end with one newline: ...{text[-20:]!r}")
    lines = text.split("\n")

    def skip_comments(number: int, step: int) -> int:
        while 0 <= number < len(lines) and lines[number].startswith("#"):
            number += step
        return number

    for number, line in outside_strings(text):
        if HEADER.match(line):
            above = skip_comments(number - 1, -1)
            if above >= 0 and lines[above] != "":
                problems.append(f"line {number + 1}: no blank line before {line}")
            elif above > 0 and lines[above - 1] == "":
                problems.append(f"line {number + 1}: several blank lines before {line}")
        if line == "" and number < len(lines) - 1:
            below = skip_comments(number + 1, 1)
            following = lines[below] if below < len(lines) else ""
            if not HEADER.match(following) and following != "":
                problems.append(f"line {number + 1}: blank line inside a table, before {following}")
    return problems
