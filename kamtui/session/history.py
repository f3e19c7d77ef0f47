"""Edits as reversible records, grouped into undo steps.

Every change to an open plan is one of a few records — fields of one table or item set, an item
inserted, deleted or moved, the whole plan replaced (reload, "keep mine", recovered edits) — and
each knows how to apply itself forwards and backwards. Records find their item by ``uid`` (the
identity an item keeps across edits), never by holding on to a position, so that undoing an edit
made before a sort, a filter or a reload finds the right item or, if it is gone, does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..model.plan import Plan
from ..model.struct import Struct

# What an edit is about: ("top",) the plan's own keys, ("account",), ("swot",), ("answer", qid),
# or (list_name, uid) for an item of a list ("team" is the account's team).
Target = tuple[Any, ...]
TABLES = ("top", "account", "swot", "answer")


class Where(NamedTuple):
    """Where a change was: a table ("account", "swot", "answer", "top") or a list name, the item's
    uid or the question's id (None for tables), and the field (None for a whole item)."""

    part: str
    key: Any = None
    field: str | None = None


def resolve(plan: Plan, target: Target) -> Any | None:
    """The object a target names in ``plan`` (None if the item is not there)."""
    part = target[0]
    if part == "top":
        return plan
    if part == "account":
        return plan.account
    if part == "swot":
        return plan.swot
    if part == "answer":
        return plan.answer(target[1])
    return find_uid(plan.items(part), target[1])


def find_uid(items: list[Any], uid: int) -> Any | None:
    for item in items:
        if item.uid == uid:
            return item
    return None


def index_of_uid(items: list[Any], uid: int) -> int | None:
    for n, item in enumerate(items):
        if item.uid == uid:
            return n
    return None


class Record:
    """One reversible change. ``apply`` returns the plan to use from then on (the same one, except
    for :class:`ReplacePlan`)."""

    def apply(self, plan: Plan, forward: bool) -> Plan:  # pragma: no cover - every record has one
        raise NotImplementedError

    def touched(self) -> frozenset[str]:  # pragma: no cover
        raise NotImplementedError


@dataclass(repr=False, eq=False)
class SetFields(Record, Struct):
    target: Target
    old: dict[str, Any]
    new: dict[str, Any]

    def apply(self, plan: Plan, forward: bool) -> Plan:
        obj = resolve(plan, self.target)
        if obj is not None:
            for name, value in (self.new if forward else self.old).items():
                setattr(obj, name, value)
        return plan

    def touched(self) -> frozenset[str]:
        part = self.target[0]
        return frozenset({"diagnostic" if part == "answer" else part})


@dataclass(repr=False, eq=False)
class Insert(Record, Struct):
    """``item`` inserted at ``index`` of ``list_name`` (forwards); taken out again (backwards)."""

    list_name: str
    index: int
    item: Any

    def apply(self, plan: Plan, forward: bool) -> Plan:
        items = plan.items(self.list_name)
        if forward:
            if find_uid(items, self.item.uid) is None:
                items.insert(min(self.index, len(items)), self.item)
        else:
            at = index_of_uid(items, self.item.uid)
            if at is not None:
                items.pop(at)
        return plan

    def touched(self) -> frozenset[str]:
        return frozenset({self.list_name})


@dataclass(repr=False, eq=False)
class Delete(Record, Struct):
    """The reverse of :class:`Insert`."""

    list_name: str
    index: int
    item: Any

    def apply(self, plan: Plan, forward: bool) -> Plan:
        return Insert(self.list_name, self.index, self.item).apply(plan, not forward)

    def touched(self) -> frozenset[str]:
        return frozenset({self.list_name})


@dataclass(repr=False, eq=False)
class Move(Record, Struct):
    list_name: str
    uid: int
    old_index: int
    new_index: int

    def apply(self, plan: Plan, forward: bool) -> Plan:
        items = plan.items(self.list_name)
        at = index_of_uid(items, self.uid)
        if at is not None:
            target = self.new_index if forward else self.old_index
            items.insert(max(0, min(len(items) - 1, target)), items.pop(at))
        return plan

    def touched(self) -> frozenset[str]:
        return frozenset({self.list_name})


EVERYTHING = frozenset({"*"})


@dataclass(repr=False, eq=False)
class ReplacePlan(Record, Struct):
    """The whole plan swapped for another one (a reload, "keep mine", recovered edits)."""

    before: Plan
    after: Plan

    def apply(self, plan: Plan, forward: bool) -> Plan:
        return self.after if forward else self.before

    def touched(self) -> frozenset[str]:
        return EVERYTHING


@dataclass(repr=False, eq=False)
class Step(Struct):
    """What one ctrl+z undoes: a few records made by one user action."""

    serial: int
    kind: str  # typing, edit, add, delete, move, status, reload, keep-mine, restore
    records: list[Record]
    where: Where
    at: float  # when it was last extended (typing groups by pause)
    sealed: bool = False  # a save holds this state: typing no longer extends it
    merge_key: tuple[Any, ...] | None = None

    def touched(self) -> frozenset[str]:
        found: set[str] = set()
        for record in self.records:
            found |= record.touched()
        return frozenset(found)


@dataclass(repr=False, eq=False)
class History(Struct):
    """Undo and redo stacks, unlimited within a session."""

    undo: list[Step] = field(default_factory=list)
    redo: list[Step] = field(default_factory=list)

    @property
    def state(self) -> int:
        """The serial of the step the plan is at (0: as opened)."""
        return self.undo[-1].serial if self.undo else 0
