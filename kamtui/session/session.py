"""The open plan: every edit, undo and redo, and what is (or is not yet) on disk.

A :class:`PlanSession` owns one :class:`~kamtui.store.planfile.PlanFile`. The interface changes
the plan only through the session's methods; each change is recorded (see :mod:`.history`),
counted in :attr:`PlanSession.version`, and reported to the session's listeners, which is how
the screens learn that they have something to show again. The session also decides when an
autosave or a recovery write is due; the interface only owns the timers and the threads.

Threads: the session is used from one thread (the interface's). A save takes a snapshot here
(:meth:`begin_save`), writes it elsewhere (``planfile.save``), and reports back here
(:meth:`save_done` / :meth:`save_failed`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import clock
from ..model.plan import Plan
from .history import (
    EVERYTHING,
    Delete,
    History,
    Insert,
    Move,
    Record,
    ReplacePlan,
    SetFields,
    Step,
    Target,
    Where,
    find_uid,
    index_of_uid,
    resolve,
)

if TYPE_CHECKING:
    from ..store.lock import Holder, OpenLock
    from ..store.planfile import PlanFile

TYPING_PAUSE = 1.5  # seconds: typing in one field without a longer pause is one undo step
RECOVERY_EVERY = 1.0  # seconds between recovery writes while edits are unsaved
CHANGES_KEPT = 256  # versions whose touched parts are remembered (older ones: "everything")


@dataclass(frozen=True)
class SaveJob:
    """A save in progress: the plan's content when it started, and the state it holds."""

    snap: dict[str, Any]
    state: int


class PlanSession:
    """One open plan file: edits, history, saved state, and when to write."""

    def __init__(
        self,
        planfile: PlanFile,
        *,
        autosave_seconds: float = 2.0,
        now: Callable[[], float] = time.monotonic,
        today: Callable[[], Any] = clock.today,
    ) -> None:
        self.planfile = planfile
        self.autosave_seconds = autosave_seconds
        self._now = now
        self._today = today
        self.history = History()
        self._serial = 0
        self.saved_state = 0  # the history state the file on disk holds
        self.version = 0  # counts every change of the plan in memory
        self._touched: deque[tuple[int, frozenset[str]]] = deque(maxlen=CHANGES_KEPT)
        self.last_edit_at = 0.0
        self.saving = False
        self._failed_version = -1  # the version a save failed at: no autosave again before an edit
        self._holds = 0
        self._recovered_version = 0  # the version last written aside
        self._recovery_parts: dict[str, dict[str, Any]] = {}  # its data, by part (convert.DATA_PARTS)
        self._recovery_at = 0.0
        self._listeners: list[Callable[[PlanSession], None]] = []
        from ..store.recovery import new_owner

        self.lock: OpenLock | None = None  # this process's hold on the plan (see open_lock)
        self.elsewhere: Holder | None = None  # who else has the plan open, if the lock was taken
        self.recovery_owner = new_owner()  # the name of this session's recovery copies

    # --- reading ------------------------------------------------------------------

    @property
    def plan(self) -> Plan:
        return self.planfile.plan

    @property
    def path(self) -> Any:
        return self.planfile.path

    @property
    def read_only(self) -> bool:
        """A newer schema, or the plan open in another kamtui (unless the user insisted)."""
        return self.planfile.read_only or self.elsewhere is not None

    def take_lock(self, lock: OpenLock, holder: Holder | None) -> None:
        """``lock`` was tried when the plan was read: held by us (``holder`` None), or by another
        kamtui, in which case the plan is read-only until :meth:`insist`."""
        self.lock, self.elsewhere = lock, holder

    def insist(self) -> None:
        """Edit the plan although another kamtui has it open (its saves and ours are still never
        written over each other silently: each save checks the file under the save lock)."""
        self.elsewhere = None
        self._notify()

    def close(self) -> None:
        """The plan is closed: its lock goes, and its recovery copy (the edits were saved or discarded)."""
        from ..store.recovery import clear_recovery

        clear_recovery(self.path, self.recovery_owner)
        if self.lock is not None:
            self.lock.release()

    def items(self, list_name: str) -> list[Any]:
        return self.plan.items(list_name)

    def item(self, list_name: str, uid: int) -> Any | None:
        return find_uid(self.items(list_name), uid)

    def index_of(self, list_name: str, uid: int) -> int | None:
        return index_of_uid(self.items(list_name), uid)

    # --- listening ------------------------------------------------------------------

    def subscribe(self, listener: Callable[[PlanSession], None]) -> None:
        """``listener(session)`` is called after every change of the plan or of its saved state."""
        self._listeners.append(listener)

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    def touched_since(self, version: int) -> frozenset[str]:
        """The parts changed after ``version``: list names, "account", "swot", "diagnostic",
        "top", or "*" (everything, e.g. after a reload, or when too long ago to tell)."""
        if version >= self.version:
            return frozenset()
        oldest = self._touched[0][0] if self._touched else self.version + 1
        if version < oldest - 1:
            return EVERYTHING
        found: set[str] = set()
        for seen, parts in self._touched:
            if seen > version:
                found |= parts
        return frozenset(found)

    def _changed(self, parts: frozenset[str]) -> None:
        self.version += 1
        self._touched.append((self.version, parts))
        self.last_edit_at = self._now()
        self._notify()

    # --- edits --------------------------------------------------------------------

    def _push(self, kind: str, records: list[Record], where: Where, merge_key: tuple[Any, ...] | None = None) -> None:
        plan = self.plan
        for record in records:
            plan = record.apply(plan, True)
        self.planfile.plan = plan
        self._serial += 1
        step = Step(self._serial, kind, records, where, self._now(), merge_key=merge_key)
        self.history.undo.append(step)
        self.history.redo.clear()
        self._changed(step.touched())

    def _mergeable(self, merge_key: tuple[Any, ...]) -> Step | None:
        """The last step, if typing in the same field goes on without a pause."""
        if not self.history.undo:
            return None
        step = self.history.undo[-1]
        if step.sealed or step.merge_key != merge_key or self._now() - step.at > TYPING_PAUSE:
            return None
        return step

    def set_fields(self, target: Target, values: dict[str, Any], *, kind: str = "edit", typing: bool = False) -> bool:
        """Set fields of one table or item (an item's target is ``(list_name, uid)``). With
        ``typing``, consecutive changes of the same fields without a pause are one undo step.
        Returns True if anything changed."""
        if self.read_only:
            return False
        obj = resolve(self.plan, target)
        if obj is None:
            return False
        changes = {name: value for name, value in values.items() if getattr(obj, name) != value}
        if not changes:
            return False
        field = next(iter(changes)) if len(values) == 1 else None
        where = Where(target[0], target[1] if len(target) > 1 else None, field)
        merge_key = (target, tuple(sorted(values))) if typing else None
        step = self._mergeable(merge_key) if merge_key else None
        if step is not None:
            record = step.records[0]
            assert isinstance(record, SetFields)
            for name, value in changes.items():
                record.old.setdefault(name, getattr(obj, name))
                record.new[name] = value
                setattr(obj, name, value)
            step.at = self._now()
            self._changed(step.touched())
            return True
        old = {name: getattr(obj, name) for name in changes}
        self._push("typing" if typing else kind, [SetFields(target, old, dict(changes))], where, merge_key)
        return True

    def set_field(self, target: Target, name: str, value: Any, *, typing: bool = False) -> bool:
        return self.set_fields(target, {name: value}, typing=typing)

    def set_answer(
        self, qid: str, *, answer: str | None = None, status: str | None = None, typing: bool = False
    ) -> bool:
        """Change a diagnostic answer; a change of its text or its status stamps ``updated`` with
        today (confirming an answer with the client makes it current again)."""
        entry = self.plan.diagnostic.get(qid)
        values: dict[str, Any] = {}
        if answer is not None and answer != (entry.answer if entry else ""):
            values["answer"] = answer
            values["updated"] = self._today()
        if status is not None and status != (entry.status if entry else "draft"):
            values["status"] = status
            values["updated"] = self._today()
        if not values:
            return False
        if "answer" in values and status is None:
            return self.set_fields(("answer", qid), values, typing=typing)
        return self.set_fields(("answer", qid), values, kind="status" if "answer" not in values else "edit")

    def add_item(self, list_name: str, values: dict[str, Any], *, index: int | None = None) -> int | None:
        """Add an item with ``values`` (a fresh id when the list has ids) at ``index`` (default: at the
        end); returns its uid, or None for a read-only plan."""
        if self.read_only:
            return None
        from ..model import ops  # (its random ids import hashlib: not needed to show a plan)

        item = ops.new_item(self.plan, list_name, **values)
        items = self.items(list_name)
        at = len(items) if index is None or index > len(items) else max(0, index)
        self._push("add", [Insert(list_name, at, item)], Where(list_name, item.uid))
        return int(item.uid)

    def delete_item(self, list_name: str, uid: int) -> bool:
        if self.read_only:
            return False
        at = self.index_of(list_name, uid)
        if at is None:
            return False
        item = self.items(list_name)[at]
        self._push("delete", [Delete(list_name, at, item)], Where(list_name, uid))
        return True

    def move_item(self, list_name: str, uid: int, delta: int) -> bool:
        """Move an item ``delta`` places (clamped to the list); True if it moved."""
        if self.read_only:
            return False
        at = self.index_of(list_name, uid)
        if at is None:
            return False
        target = max(0, min(len(self.items(list_name)) - 1, at + delta))
        if target == at:
            return False
        self._push("move", [Move(list_name, uid, at, target)], Where(list_name, uid))
        return True

    def settle_conflict(self, index: int, choice: str, text: str | None = None) -> bool:
        """Settle merge conflict ``index`` (see :mod:`.conflicts`): "ours", "theirs", or "edit"
        with ``text``; one undo step. Raises :class:`~.conflicts.ConflictError` saying why not."""
        if self.read_only:
            return False
        from .conflicts import settle

        records, where = settle(self.plan, index, choice, text)
        self._push("conflict", records, where)
        return True

    def replace_plan(self, plan: Plan, kind: str) -> None:
        """Swap in another plan (recovered edits), as one undoable step."""
        from ..store.planfile import adopt_uids

        adopt_uids(plan, self.plan)
        self._push(kind, [ReplacePlan(self.plan, plan)], Where("top"))

    # --- undo / redo ----------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self.history.undo) and not self.read_only

    @property
    def can_redo(self) -> bool:
        return bool(self.history.redo) and not self.read_only

    def undo(self) -> Step | None:
        """Undo the last step; returns it (its ``where`` says where the change was), or None."""
        if not self.can_undo:
            return None
        step = self.history.undo.pop()
        plan = self.plan
        for record in reversed(step.records):
            plan = record.apply(plan, False)
        self.planfile.plan = plan
        step.sealed = True  # redone later, it is a state of its own: typing starts a new step
        self.history.redo.append(step)
        self._changed(step.touched())
        return step

    def redo(self) -> Step | None:
        if not self.can_redo:
            return None
        step = self.history.redo.pop()
        plan = self.plan
        for record in step.records:
            plan = record.apply(plan, True)
        self.planfile.plan = plan
        self.history.undo.append(step)
        self._changed(step.touched())
        return step

    # --- saved state ----------------------------------------------------------------

    @property
    def state(self) -> int:
        return self.history.state

    @property
    def dirty(self) -> bool:
        """True when the plan in memory is not what the file holds."""
        return self.state != self.saved_state

    @property
    def held(self) -> bool:
        return self._holds > 0

    def hold(self) -> None:
        """Nothing is written to the plan file until :meth:`release` (while a dialog decides its fate)."""
        self._holds += 1

    def release(self) -> None:
        self._holds = max(0, self._holds - 1)
        self._notify()

    def seconds_to_autosave(self) -> float | None:
        """Seconds until an autosave is due (0: now), or None when none will be."""
        if not self.dirty or self.read_only or self.autosave_seconds <= 0 or self.held:
            return None
        if self._failed_version == self.version:
            return None  # the last save failed (a full disk...): tried again after the next edit or ctrl+s
        return max(0.0, self.last_edit_at + self.autosave_seconds - self._now())

    def autosave_due(self) -> bool:
        wait = self.seconds_to_autosave()
        return wait is not None and wait <= 0 and not self.saving

    def begin_save(self, *, force: bool = False) -> SaveJob | None:
        """Start a save: the plan's content to write, or None when there is nothing to write
        (clean, read-only, held, or a save already running)."""
        if self.read_only or self.saving or self.held or (not self.dirty and not force):
            return None
        if self.history.undo:
            self.history.undo[-1].sealed = True  # this state is about to be on disk
        self.saving = True
        job = SaveJob(self.planfile.snapshot(), self.state)
        self._notify()
        return job

    def save_done(self, job: SaveJob) -> None:
        self.saving = False
        self.saved_state = job.state
        self._notify()

    def save_failed(self) -> None:
        self.saving = False
        self._failed_version = self.version
        self._notify()

    def begin_save_as(self) -> SaveJob | None:
        """Start writing the plan elsewhere (even when clean: it is a copy the user asked for)."""
        if self.saving or self.planfile.read_only:
            return None
        if self.history.undo:
            self.history.undo[-1].sealed = True
        self.saving = True
        job = SaveJob(self.planfile.snapshot(), self.state)
        self._notify()
        return job

    def saved_as(self, job: SaveJob, old_path: Any) -> None:
        """The plan was written to its new path (``planfile.save_as``): the session follows it — its
        lock and recovery copy move there, and the plan is no longer read-only for being open
        elsewhere (the new file is ours)."""
        from ..store.recovery import clear_recovery

        clear_recovery(old_path, self.recovery_owner)
        if self.lock is not None:
            holder = self.lock.moved(self.path)
            if holder is None:
                self.elsewhere = None
        self.save_done(job)

    # --- recovery (unsaved edits written aside) --------------------------------------

    def recovery_due(self) -> bool:
        return (
            self.dirty and self.version != self._recovered_version and self._now() - self._recovery_at >= RECOVERY_EVERY
        )

    def recovery_data(self) -> dict[str, Any]:
        """A copy of the plan as plain data, to write aside (taken on this thread, which edits
        the plan). Only the parts changed since the last copy are copied again: typing in one
        field of a 1,000-action plan copies that field's part, not the actions (14 ms)."""
        from ..model.convert import DATA_PARTS, part_data

        touched = self.touched_since(self._recovered_version)
        parts = self._recovery_parts
        for part in DATA_PARTS:
            if part not in parts or "*" in touched or part in touched or (part == "account" and "team" in touched):
                parts[part] = part_data(self.plan, part)
        self._recovered_version = self.version
        self._recovery_at = self._now()
        data: dict[str, Any] = {}
        for part in DATA_PARTS:
            data.update(parts[part])
        return data

    # --- the file on disk changed -----------------------------------------------------

    def _load_disk(self) -> PlanFile:
        """The file as it is now, its items taking the identities of ours (matched by id), so
        that saving one over the other changes only what differs. Raises LoadError."""
        from ..store.planfile import PlanFile, adopt_uids

        fresh = PlanFile.load(self.path)
        adopt_uids(fresh.plan, self.plan)
        fresh.rebase()
        return fresh

    def reload(self) -> None:
        """Take the file as it is on disk (an undoable step: undo brings our edits back).
        Raises LoadError when the file can't be read; nothing changes then."""
        fresh = self._load_disk()
        self.planfile.take_disk_state(fresh)
        self._push("reload", [ReplacePlan(self.plan, fresh.plan)], Where("top"))
        self.saved_state = self.state
        self._notify()

    def keep_mine(self) -> bool:
        """Keep our plan over the changed file: theirs becomes the base and ours a step on top of
        it, so that undo gives theirs back. The caller then saves (forced). Returns False when the
        file on disk can't be read as a plan: the forced save simply writes ours over it."""
        from ..store.tomlio import LoadError

        try:
            fresh = self._load_disk()
        except LoadError:
            return False
        mine = self.plan
        self.planfile.take_disk_state(fresh)
        self.planfile.plan = fresh.plan
        self.saved_state = -1  # the file holds theirs: no state of our history
        self._push("keep-mine", [ReplacePlan(fresh.plan, mine)], Where("top"))
        return True
