"""Plain data (as read from TOML) to a :class:`Plan` and back, with validation."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from .plan import LANGS, LISTS, SCHEMA_VERSION, Account, Answer, Plan, Swot, TeamMember
from .schema import BOOL, DATE, ENUM, FLOAT, INT, PERIOD, REF, STR, STRLIST, TEXT, Spec, specs

PERIOD_RE = re.compile(r"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class Problem:
    """Something wrong in a plan: where (a path like ``actions[3].due``) and what."""

    path: str
    message: str


class NotAPlan(ValueError):
    """Valid TOML that is not a kamtui plan."""


def show(value: Any) -> str:
    """A value as the user wrote it in the file, for error messages."""
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return '"' + shown.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_value(spec: Spec, value: Any) -> tuple[Any, str | None]:
    """Validate one value against its spec: (value to keep, error or None)."""
    kind = spec.kind
    if kind in (STR, TEXT, REF):
        return (value, None) if isinstance(value, str) else (None, "expected text")
    if kind == DATE:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value, None
        return None, "expected a date like 2027-03-01"
    if kind == FLOAT:
        try:
            if not _is_number(value) or not math.isfinite(value):
                return None, "expected a number"
        except OverflowError:
            return None, "expected a number of a sensible size"
        if spec.lo is not None and value < spec.lo or spec.hi is not None and value > spec.hi:
            return None, f"expected a number from {spec.lo} to {spec.hi}"
        return float(value), None
    if kind == INT:
        if isinstance(value, int) and not isinstance(value, bool):
            if (spec.lo is None or value >= spec.lo) and (spec.hi is None or value <= spec.hi):
                return value, None
        return None, f"expected a whole number from {spec.lo} to {spec.hi}"
    if kind == ENUM:
        if isinstance(value, str) and value in spec.choices:
            return value, None
        return None, "expected one of " + ", ".join(spec.choices)
    if kind == BOOL:
        return (value, None) if isinstance(value, bool) else (None, "expected true or false")
    if kind == PERIOD:
        if isinstance(value, str) and PERIOD_RE.match(value):
            return value, None
        return None, 'expected a period like "2027", "2027-Q2" or "2027-06"'
    if kind == STRLIST:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value), None
        return None, "expected a list of texts"
    raise AssertionError(kind)  # pragma: no cover


def _fill(obj: Any, raw: Any, path: str, problems: list[Problem]) -> Any:
    if not isinstance(raw, dict):
        problems.append(Problem(path, f"expected a table, got {show(raw)}"))
        return obj
    for name, spec in specs(obj):
        if name not in raw:
            if spec.required:
                problems.append(Problem(f"{path}.{name}", "missing"))
            continue
        value, error = check_value(spec, raw[name])
        if error:
            problems.append(Problem(f"{path}.{name}", f"{error}, got {show(raw[name])}"))
        else:
            setattr(obj, name, value)
    return obj


def _fill_list(cls: type, raw: Any, path: str, problems: list[Problem]) -> list[Any]:
    if not isinstance(raw, list):
        problems.append(Problem(path, f"expected [[{path}]] tables, got {show(raw)}"))
        return []
    items = [_fill(cls(), entry, f"{path}[{n}]", problems) for n, entry in enumerate(raw, 1)]
    if hasattr(cls, "PREFIX"):
        seen: set[str] = set()
        for n, item in enumerate(items, 1):
            if item.id and item.id in seen:
                problems.append(Problem(f"{path}[{n}].id", f"duplicate id {show(item.id)}"))
            seen.add(item.id)
    return items


def from_data(raw: dict[str, Any]) -> tuple[Plan, list[Problem]]:
    """Build a plan from parsed TOML. Raises :class:`NotAPlan` when it isn't one."""
    if "schema" not in raw:
        raise NotAPlan("not a kamtui plan (no schema = 1 line)")
    schema = raw["schema"]
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise NotAPlan(f"not a kamtui plan (schema must be a whole number, got {show(schema)})")
    problems: list[Problem] = []
    plan = Plan(schema=schema)
    lang = raw.get("lang", "en")
    if lang in LANGS:
        plan.lang = lang
    else:
        problems.append(Problem("lang", f'expected "fr" or "en", got {show(lang)}'))
    account = raw.get("account", {})
    plan.account = _fill(Account(), account, "account", problems)
    if isinstance(account, dict) and "team" in account:
        plan.account.team = _fill_list(TeamMember, account["team"], "account.team", problems)
    diagnostic = raw.get("diagnostic", {})
    if isinstance(diagnostic, dict):
        for qid, entry in diagnostic.items():
            plan.diagnostic[qid] = _fill(Answer(), entry, f"diagnostic.{qid}", problems)
    else:
        problems.append(Problem("diagnostic", f"expected a table, got {show(diagnostic)}"))
    plan.swot = _fill(Swot(), raw.get("swot", {}), "swot", problems)
    for name, cls in LISTS.items():
        if name in raw:
            setattr(plan, name, _fill_list(cls, raw[name], name, problems))
    plan.conflicts = conflict_tables(raw.get("conflicts"))
    return plan, problems


def conflict_tables(raw: Any) -> list[dict[str, Any]]:
    """The ``[[conflicts]]`` tables of a plan (anything else under that name: none, left as is)."""
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        return []
    return [dict(entry) for entry in raw]


def item_data(obj: Any) -> dict[str, Any]:
    """The fields of an item or table in file order; unset (None) ones left out."""
    return {name: getattr(obj, name) for name, _ in specs(obj) if getattr(obj, name) is not None}


def answer_is_blank(entry: Answer) -> bool:
    return not entry.answer and entry.status == "draft" and entry.updated is None


DATA_PARTS = ("top", "account", "diagnostic", "gaps", "swot", *list(LISTS)[1:])
"""The parts of a plan, in file order, as the session names what an edit touched ("team" is
part of "account")."""


def part_data(plan: Plan, part: str) -> dict[str, Any]:
    """The entries of :func:`to_data` that one part of the plan (see DATA_PARTS) gives."""
    if part == "top":
        return {"schema": plan.schema, "lang": plan.lang}
    if part in ("account", "team"):
        account = item_data(plan.account)
        account["team"] = [item_data(m) for m in plan.account.team]
        return {"account": account}
    if part == "diagnostic":
        return {"diagnostic": {q: item_data(a) for q, a in plan.diagnostic.items() if not answer_is_blank(a)}}
    if part == "swot":
        return {"swot": item_data(plan.swot)}
    if part in LISTS:
        return {part: [item_data(i) for i in getattr(plan, part)]}
    raise ValueError(f"no such part of a plan: {part!r}")


def to_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data in file order (what a TOML writer would write)."""
    data: dict[str, Any] = {}
    for part in DATA_PARTS:
        data.update(part_data(plan, part))
    return data


__all__ = [
    "Problem",
    "NotAPlan",
    "from_data",
    "to_data",
    "part_data",
    "DATA_PARTS",
    "item_data",
    "check_value",
    "SCHEMA_VERSION",
]
