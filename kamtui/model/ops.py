"""Operations the UI calls to change a plan. Every edit goes through here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from typing import Any

from . import clock
from .plan import LISTS, Plan, TeamMember

_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def new_id(prefix: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A fresh item id: ``prefix-`` and 6 random base32 characters (``a-7k2qmx``)."""
    while True:
        candidate = f"{prefix}-" + "".join(secrets.choice(_BASE32) for _ in range(6))
        if candidate not in taken:
            return candidate


def new_item(plan: Plan, list_name: str, **values: Any) -> Any:
    """A new item for ``list_name`` with a fresh id (when the list has ids)."""
    cls = TeamMember if list_name == "team" else LISTS[list_name]
    item = cls(**values)
    prefix = getattr(cls, "PREFIX", None)
    if prefix and not item.id:
        item.id = new_id(prefix, {getattr(i, "id", "") for i in plan.items(list_name)})
    return item


def add_item(plan: Plan, list_name: str, item: Any, index: int | None = None) -> int:
    """Insert ``item`` (at the end by default); return its index."""
    items = plan.items(list_name)
    if index is None or index > len(items):
        index = len(items)
    items.insert(index, item)
    return index


def remove_item(plan: Plan, list_name: str, index: int) -> Any:
    return plan.items(list_name).pop(index)


def move_item(plan: Plan, list_name: str, index: int, delta: int) -> int:
    """Move the item at ``index`` by ``delta`` places; return its new index."""
    items = plan.items(list_name)
    target = max(0, min(len(items) - 1, index + delta))
    if target != index:
        items.insert(target, items.pop(index))
    return target


def update_item(item: Any, **values: Any) -> bool:
    """Set fields of an item in place; return True if anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed = True
    return changed


def replace_item(plan: Plan, list_name: str, index: int, new: Any) -> None:
    """Put an edited copy in place of the item at ``index``, keeping its identity."""
    items = plan.items(list_name)
    new = dataclasses.replace(new, uid=items[index].uid) if hasattr(new, "uid") else new
    items[index] = new


def set_answer(
    plan: Plan, qid: str, *, answer: str | None = None, status: str | None = None, today: dt.date | None = None
) -> bool:
    """Change a diagnostic answer; a change of its text stamps ``updated``."""
    entry = plan.answer(qid)
    changed = False
    if answer is not None and answer != entry.answer:
        entry.answer = answer
        entry.updated = today or clock.today()
        changed = True
    if status is not None and status != entry.status:
        entry.status = status
        changed = True
    return changed
