"""Turning what the user typed into field values, and back (no UI code)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .convert import PERIOD_RE
from .schema import BOOL, DATE, ENUM, FLOAT, INT, PERIOD, REF, STRLIST, TEXT, Spec


class InputError(ValueError):
    """A typed value that does not fit its field; the message names what is expected."""


def to_text(spec: Spec, value: Any) -> str:
    """A field value as it is shown in an input."""
    if value is None:
        return ""
    if spec.kind == STRLIST:
        return "\n".join(value)
    if spec.kind == FLOAT:
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    if spec.kind == DATE:
        return value.isoformat()
    return str(value)


def parse_input(spec: Spec, text: str) -> Any:
    """The value for ``text`` typed into a field of ``spec``; raises :class:`InputError`."""
    kind = spec.kind
    if kind == TEXT:
        return text
    if kind == STRLIST:
        return [line.strip() for line in text.splitlines() if line.strip()]
    stripped = text.strip()
    if kind == DATE:
        if not stripped:
            return None
        try:
            return dt.date.fromisoformat(stripped)
        except ValueError:
            raise InputError("date") from None
    if kind == FLOAT:
        if not stripped:
            return None
        try:
            number = float(stripped.replace(",", ".").replace(" ", "").replace("\u202f", ""))
        except ValueError:
            raise InputError("number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise InputError("number")
        if (spec.lo is not None and number < spec.lo) or (spec.hi is not None and number > spec.hi):
            raise InputError("range")
        return number
    if kind == INT:
        try:
            number = int(stripped)
        except ValueError:
            raise InputError("whole") from None
        if (spec.lo is not None and number < spec.lo) or (spec.hi is not None and number > spec.hi):
            raise InputError("range")
        return number
    if kind == PERIOD:
        if not PERIOD_RE.match(stripped):
            raise InputError("period")
        return stripped
    if kind == ENUM:
        if stripped not in spec.choices:
            raise InputError("choice")
        return stripped
    if kind == BOOL:
        return stripped.lower() in ("1", "true", "yes", "oui", "y", "o")
    if kind == REF:
        return stripped
    if spec.required and not stripped:
        raise InputError("required")
    return text.strip()


# What must not be left blank when an item is saved from an editor (a file written by hand
# may still hold a blank one: it loads as it is).
REQUIRED_TEXT: dict[str, tuple[str, ...]] = {
    "team": ("name",),
    "gaps": ("question",),
    "competitors": ("name",),
    "stakeholders": ("name",),
    "history": ("event",),
    "kpis": ("name",),
    "measures": ("kpi", "period"),
    "objectives": ("title",),
    "actions": ("title",),
}


def problems_of(list_name: str, values: dict[str, Any]) -> list[str]:
    """The fields of an item of ``list_name`` that must be filled in before it is saved but are
    blank in ``values`` (field name to value, as an editor gives them), in the order above; []
    when it can be saved. Each one is a "required" error (catalog ``form.error.required``): an
    objective or an action without a title, a person without a name...

    A field missing from ``values`` is not checked (the editor may show only some fields).
    """
    problems = []
    for name in REQUIRED_TEXT.get(list_name, ()):
        if name in values and not str(values[name] or "").strip():
            problems.append(name)
    return problems
