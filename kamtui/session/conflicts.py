"""Settling the merge conflicts recorded in a plan (its ``[[conflicts]]`` tables, see
:mod:`kamtui.report.merge`): take ours, take theirs, or a value of one's own — one undo step
that sets the field (or puts the item back, or deletes it) and drops the conflict's table.

The conflicts live in ``Plan.conflicts`` (read with the plan, written back by
:mod:`kamtui.store.conflicts`); :class:`SetConflicts` is the record that changes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tomli

from ..model.plan import LANGS, LISTS, Account, Answer, Plan, Swot, TeamMember
from .history import Delete, Insert, Record, SetFields, Target, Where

CHOICES = ("ours", "theirs", "edit")
ITEM_CLASS: dict[str, type] = {"team": TeamMember, **LISTS}
KEY_FIELDS: dict[str, tuple[str, ...]] = {"team": ("name",), "measures": ("kpi", "period")}


class ConflictError(Exception):
    """The conflict can't be settled this way; ``str()`` is a code: ``gone`` (the item is not in
    the plan any more), ``path`` (a path kamtui does not know), ``item`` (a whole item can't be
    edited as text), or a form error code of :class:`~kamtui.model.inputs.InputError`."""


@dataclass
class SetConflicts(Record):
    """The plan's ``[[conflicts]]`` tables changed (one settled, or put back by undo)."""

    old: list[dict[str, Any]]
    new: list[dict[str, Any]]

    def apply(self, plan: Plan, forward: bool) -> Plan:
        plan.conflicts = list(self.new if forward else self.old)
        return plan

    def touched(self) -> frozenset[str]:
        return frozenset({"conflicts"})


def find_item(plan: Plan, list_name: str, parts: tuple[str, ...]) -> Any | None:
    """The item a conflict's key parts name (natural key, then the occurrence if there are more)."""
    fields = KEY_FIELDS.get(list_name, ("id",))
    natural, rest = parts[: len(fields)], parts[len(fields) :]
    occurrence = int(rest[0]) if rest and rest[0].isdigit() else 0
    found = [i for i in plan.items(list_name) if tuple(str(getattr(i, f, "")) for f in fields) == natural]
    return found[occurrence] if occurrence < len(found) else None


def _item_of(list_name: str, text: str) -> Any:
    """An item from its TOML inline table (as a conflict records it)."""
    from ..model.convert import from_data

    data = tomli.loads("v = " + text)["v"]
    raw: dict[str, Any] = {"schema": 1}
    if list_name == "team":
        raw["account"] = {"team": [data]}
    else:
        raw[list_name] = [data]
    plan, problems = from_data(raw)
    if problems:
        raise ConflictError("item")
    return plan.items(list_name)[0]


def _field_target(plan: Plan, section: str, parts: tuple[str, ...]) -> tuple[Target, type]:
    if section == "top":
        return ("top",), Plan
    if section == "account":
        return ("account",), Account
    if section == "swot":
        return ("swot",), Swot
    if section == "diagnostic":
        return ("answer", parts[0]), Answer
    if section in ITEM_CLASS:
        item = find_item(plan, section, parts)
        if item is None:
            raise ConflictError("gone")
        return (section, item.uid), ITEM_CLASS[section]
    raise ConflictError("path")


def _field_records(plan: Plan, target: Target, cls: type, name: str, text: str) -> list[Record]:
    from ..model.inputs import InputError, parse_input
    from ..model.schema import spec_of
    from .history import resolve

    if name in ("schema",):
        raise ConflictError("path")
    try:
        value = parse_input(spec_of(cls, name), text) if cls is not Plan else text.strip()
        if cls is Plan and (name != "lang" or value not in LANGS):
            raise InputError("choice")
    except KeyError:
        raise ConflictError("path") from None
    except InputError as exc:
        raise ConflictError(str(exc)) from None
    obj = resolve(plan, target)
    if obj is None or not hasattr(obj, name):
        raise ConflictError("gone")
    if getattr(obj, name) == value:
        return []
    return [SetFields(target, {name: getattr(obj, name)}, {name: value})]


def _item_records(plan: Plan, section: str, parts: tuple[str, ...], text: str) -> list[Record]:
    """Whole items: the side's version of the item ("" on the side that deleted it)."""
    if section == "diagnostic":
        data = tomli.loads("v = " + text)["v"] if text else {}
        values = {"answer": data.get("answer", ""), "status": data.get("status", "draft")}
        values["updated"] = data.get("updated")
        answer = plan.answer(parts[0])
        old = {k: getattr(answer, k) for k in values}
        return [SetFields(("answer", parts[0]), old, values)] if old != values else []
    if section not in ITEM_CLASS:
        raise ConflictError("path")
    items = plan.items(section)
    current = find_item(plan, section, parts)
    records: list[Record] = []
    at = len(items)
    if current is not None:
        at = items.index(current)
        records.append(Delete(section, at, current))
    if text:
        records.append(Insert(section, at, _item_of(section, text)))
    return records


def settle(plan: Plan, index: int, choice: str, text: str | None = None) -> tuple[list[Record], Where]:
    """The records that settle conflict ``index`` of ``plan`` with ``choice`` ("ours", "theirs",
    or "edit" with ``text``, the value as the user types it) and drop its table. Raises
    :class:`ConflictError` (or IndexError for no such conflict)."""
    from ..report.conflict_text import parse_path

    entry = plan.conflicts[index]
    try:
        section, parts, name = parse_path(str(entry.get("path", "")))
    except ValueError:
        raise ConflictError("path") from None
    if choice == "edit":
        if name is None:
            raise ConflictError("item")
        value = text or ""
    else:
        value = str(entry.get(choice, ""))
    records: list[Record] = []
    where = Where("conflicts")
    if choice != "ours" or name is not None:
        if name is None:
            records = _item_records(plan, section, parts, value)
        else:
            try:
                target, cls = _field_target(plan, section, parts)
            except ConflictError:
                if choice != "ours":
                    raise
                target, cls = ("top",), Plan  # ours is what the file holds: nothing to set
            else:
                records = _field_records(plan, target, cls, name, value)
                where = Where(target[0], target[1] if len(target) > 1 else None, name)
    remaining = [c for n, c in enumerate(plan.conflicts) if n != index]
    records.append(SetConflicts(list(plan.conflicts), remaining))
    return records, where
