"""A plan file on disk: load with clear errors, save faithfully, notice outside changes."""

from __future__ import annotations

import itertools
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.convert import NotAPlan, Problem, from_data
from ..model.plan import LISTS, SCHEMA_VERSION, Plan
from . import parsecache
from .atomic import atomic_write, ensure_private_dir
from .lock import save_lock
from .snapshot import empty_snapshot, snapshot
from .tomlio import DiskVersion, LoadError, decode, locate, parse, read_bytes, read_disk


@dataclass(frozen=True)
class Stamp:
    """What a file looked like: size, mtime and its content (compared byte for byte)."""

    size: int
    mtime_ns: int
    content: bytes

    @classmethod
    def of_bytes(cls, data: bytes, path: Path) -> Stamp:
        try:
            mtime_ns = path.stat().st_mtime_ns
        except OSError:  # gone already: the content is what counts
            mtime_ns = 0
        return cls(len(data), mtime_ns, data)


class ExternalChange(Exception):
    """The file changed on disk since it was loaded or saved: not overwritten."""


class ReadOnly(Exception):
    """The plan was opened read-only (a newer schema): it is never written."""


def problem_lines(name: str, text: str, problems: list[Problem]) -> list[str]:
    return [f"{name}:{locate(text, p.path)}: {p.path}: {p.message}" for p in problems]


def read_plan(path: Path, name: str | None = None) -> tuple[Plan, str, list[Problem]]:
    """Parse a plan: (plan, text, problems). Raises LoadError for unreadable/non-plan files."""
    plan, text, problems, _, _ = _read(Path(path), name or str(path), cached=False)
    return plan, text, problems


def _read(path: Path, name: str, cached: bool) -> tuple[Plan, str, list[Problem], bytes, dict | None]:
    """The plan, its text, problems, bytes, and the parsed data when it was parsed from TOML
    (None when it came from the parse cache, which only ``cached`` reads use)."""
    data = read_bytes(path, name)
    text = decode(data, name)
    raw = parsecache.lookup(path, text) if cached else None
    parsed = None
    if raw is None:
        raw = parsed = parse(text, name)
    try:
        plan, problems = from_data(raw)
    except NotAPlan as exc:
        raise LoadError([f"{name}:1: {exc}"]) from None
    return plan, text, problems, data, parsed


class PlanFile:
    """One plan and the file it lives in."""

    def __init__(self, path: Path, plan: Plan, text: str, stamp: Stamp | None):
        self.path = Path(path)
        self.plan = plan
        self.text = text
        self.stamp = stamp
        self.read_only = plan.schema > SCHEMA_VERSION
        self._base = snapshot(plan)
        self._doc: Any = None
        self._doc_holds: dict[str, Any] | None = None  # the snapshot ``_doc`` holds now
        self._lock = threading.RLock()  # saves and disk checks never overlap
        self._to_cache: dict[str, Any] | None = None  # parsed from TOML, not in the parse cache yet

    # --- loading -----------------------------------------------------------

    @classmethod
    def load(cls, path: Path | str, name: str | None = None) -> PlanFile:
        """Load a plan; any problem raises :class:`LoadError` with one line per problem.

        A large plan opened before with exactly this content comes from the parse cache; one
        parsed from TOML can be added to it later with :meth:`remember_parse` (off the UI thread).
        """
        path = Path(path)
        name = name or str(path)
        plan, text, problems, data, parsed = _read(path, name, cached=True)
        if problems and plan.schema <= SCHEMA_VERSION:
            raise LoadError(problem_lines(name, text, problems))
        planfile = cls(path, plan, text, Stamp.of_bytes(data, path))
        planfile._to_cache = parsed
        return planfile

    def remember_parse(self) -> bool:
        """Write the parse cache entry for the text as loaded, if it needs one (never raises)."""
        with self._lock:
            parsed, self._to_cache = self._to_cache, None
            return parsed is not None and parsecache.remember(self.path, self.text, parsed)

    @classmethod
    def create(cls, path: Path | str, plan: Plan, header: str = "") -> PlanFile:
        """Write a new plan file (never over an existing one)."""
        path = Path(path)
        if path.exists():
            raise FileExistsError(str(path))
        ensure_private_dir(path.parent)
        planfile = cls(path, Plan(), header, None)
        planfile._base = empty_snapshot()
        planfile.plan = plan
        planfile.save()
        return planfile

    # --- saving --------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Take a copy of the plan's content (on the thread that edits the plan)."""
        return snapshot(self.plan)

    def is_dirty(self, snap: dict[str, Any] | None = None) -> bool:
        return (snap or self.snapshot()) != self._base

    def render(self, snap: dict[str, Any]) -> str:
        """The file's text holding ``snap``: the loaded text with just the changes applied."""
        import tomlkit  # only when writing: keeps it off the path to the first frame

        from .writer import patch

        if snap == self._base:
            return self.text
        if self._doc is None or self._doc_holds is None:
            self._doc, self._doc_holds = tomlkit.parse(self.text), self._base
        try:
            # From what the document holds: a render that was not saved (the difference view)
            # has left it holding that snapshot, not ``_base``.
            patch(self._doc, self._doc_holds, snap)
            self._doc_holds = snap
            return self._doc.as_string()
        except Exception:
            self._doc = None  # half-patched: start again from the text next time
            raise

    def save(self, snap: dict[str, Any] | None = None, force: bool = False) -> bool:
        """Write the plan if it changed; True if the file was written.

        Safe to call from a worker thread with a snapshot taken on the UI thread.
        Raises :class:`ExternalChange` if the file changed on disk (unless ``force``).
        """
        if self.read_only:
            raise ReadOnly(str(self.path))
        snap = snap if snap is not None else self.snapshot()
        with self._lock:
            if snap == self._base and self.stamp is not None and not force:
                return False
            if not force and self.changed_on_disk():
                raise ExternalChange(str(self.path))
            text = self.render(snap)
            parsed = self._verify(text, snap)
            data = text.encode("utf-8")
            # Another kamtui's save of this plan may have landed since the check above: the
            # check is made again, and the file written, under the plan's save lock.
            with save_lock(self.path):
                if not force and self.changed_on_disk():
                    raise ExternalChange(str(self.path))
                atomic_write(self.path, data, replace_special=force)  # forced: over a named pipe too
            self.text, self._base, self._to_cache = text, snap, None
            self.stamp = Stamp.of_bytes(data, self.path)
        parsecache.remember(self.path, text, parsed)  # the next opening skips the parse
        return True

    def save_as(self, path: Path, snap: dict[str, Any]) -> None:
        """Write the plan to ``path`` (created or replaced, atomically) and follow it from now on:
        later saves go there. Comments and layout of the file it came from are kept."""
        path = Path(path)
        with self._lock:
            text = self.render(snap)
            parsed = self._verify(text, snap)
            data = text.encode("utf-8")
            ensure_private_dir(path.parent)
            with save_lock(path):
                atomic_write(path, data)
            self.path, self.text, self._base, self._to_cache = path, text, snap, None
            self.stamp = Stamp.of_bytes(data, path)
        parsecache.remember(path, text, parsed)

    def _verify(self, text: str, snap: dict[str, Any]) -> dict[str, Any]:
        """Read back what is about to be written: it must hold exactly the plan. Returns the
        parsed data."""
        parsed = parse(text, str(self.path))
        plan, problems = from_data(parsed)
        if problems or _strip_uids(snapshot(plan)) != _strip_uids(snap):
            self._doc = None
            raise RuntimeError(f"{self.path}: internal error while writing; the file was not changed")
        return parsed

    # --- outside changes -----------------------------------------------------

    def disk_version(self) -> DiskVersion:
        """What is at the plan's path now (through a symbolic link), compared with the content
        loaded or last saved. Never blocks, never raises; safe in a worker thread. With nothing
        loaded or saved yet, any file there is "changed"."""
        with self._lock:
            return read_disk(self.path, self.stamp.content if self.stamp is not None else None)

    def disk_bytes(self) -> bytes | None:
        """The file's bytes, None if it can't be read. Kept for the TUI until it moves to
        :meth:`disk_version`."""
        return self.disk_version().data

    def changed_on_disk(self) -> bool:
        """True if the file's content is not what was loaded or last saved, or the file is gone,
        unreadable, too large or not a file any more (every kind of :meth:`disk_version` but
        "same"). An edit of the same size with the mtime restored is seen: bytes are compared."""
        with self._lock:
            if self.stamp is None:
                return self.disk_version().kind != "missing"
            try:
                st = os.stat(self.path)
            except (OSError, ValueError):
                return True
            if not stat.S_ISREG(st.st_mode) or st.st_size != self.stamp.size:
                return True  # cheap: no need to read
            return self.disk_version().kind != "same"

    def difference(
        self,
        snap: dict[str, Any],
        on_disk: DiskVersion,
        max_lines: int = 2000,
        *,
        disk_label: str = "on disk",
        mine_label: str = "mine",
    ) -> str:
        """A unified diff from the file on disk (``on_disk``) to the plan's text as it would be
        saved (``snap``, taken on the thread that edits the plan); empty when they are the same.
        At most ``max_lines`` lines, then one saying how many more there are. For a file that
        can't be read, one line saying why. Safe in a worker thread; never raises."""
        try:
            if on_disk.data is None:
                return f"{self.path.name}: {on_disk.problem or on_disk.kind}; no text on disk to compare with"
            with self._lock:
                try:
                    mine = self.render(snap)
                except Exception:  # noqa: BLE001 - a difference must show, whatever the plan holds
                    mine = self.text
            disk = on_disk.data.decode("utf-8-sig", "replace")
            return _diff(disk, mine, disk_label, mine_label, max(1, max_lines))
        except Exception as exc:  # noqa: BLE001 - never raises
            return f"{self.path.name}: the difference can't be shown ({type(exc).__name__})"

    def reload(self) -> None:
        """Take the file as it is on disk now, dropping unsaved edits."""
        with self._lock:
            fresh = PlanFile.load(self.path)
            self.plan, self.text, self.stamp, self._base, self._doc = (
                fresh.plan,
                fresh.text,
                fresh.stamp,
                fresh._base,
                None,
            )
            self.read_only, self._to_cache = fresh.read_only, fresh._to_cache

    def adopt_disk_version(self) -> None:
        """Keep the plan in memory but treat the file on disk as the new base ("keep mine")."""
        with self._lock:
            fresh = PlanFile.load(self.path)
            adopt_uids(self.plan, fresh.plan)
            self.text, self.stamp, self._base, self._doc = fresh.text, fresh.stamp, fresh._base, None
            self._to_cache = fresh._to_cache

    def rebase(self) -> None:
        """Take the plan as it is now as what the file holds (after its items' identities were
        changed, e.g. by :func:`adopt_uids`)."""
        with self._lock:
            self._base = snapshot(self.plan)
            self._doc = None

    def take_disk_state(self, other: PlanFile) -> None:
        """``other`` was loaded from this plan's path just now: from now on the file on disk is
        what ``other`` read (its text, stamp and base); the plan in memory is left alone."""
        with self._lock:
            self.text, self.stamp, self._base, self._doc = other.text, other.stamp, other._base, None
            self.read_only, self._to_cache = other.read_only, other._to_cache


_LINE_CHARS = 1000  # a longer line of the difference is cut


def _diff(disk: str, mine: str, disk_label: str, mine_label: str, max_lines: int) -> str:
    import difflib  # only when a difference is shown

    lines = difflib.unified_diff(disk.splitlines(), mine.splitlines(), disk_label, mine_label, lineterm="")
    shown = [
        line if len(line) <= _LINE_CHARS else line[:_LINE_CHARS] + "…" for line in itertools.islice(lines, max_lines)
    ]
    more = sum(1 for _ in lines)
    if more:
        shown.append(f"… {more} more line{'s' if more > 1 else ''}")
    return "\n".join(shown)


def _strip_uids(snap: dict[str, Any]) -> dict[str, Any]:
    return {k: [d for _, d in v] if isinstance(v, list) else v for k, v in snap.items()}


def _key(item: Any) -> Any:
    if hasattr(item, "id"):
        return item.id
    if hasattr(item, "period"):
        return (item.kpi, item.period)
    return item.name


def adopt_uids(plan: Plan, base: Plan) -> None:
    """Give ``plan``'s items the identities of the matching items of ``base`` (by id),
    so that saving ``plan`` over a file holding ``base`` patches items instead of
    replacing them."""
    for name in ("team", *LISTS):
        olds: dict[Any, int] = {}
        for item in base.items(name):
            olds.setdefault(_key(item), item.uid)
        used: set[int] = set()
        for item in plan.items(name):
            uid = olds.get(_key(item))
            if uid is not None and uid not in used:
                item.uid = uid
                used.add(uid)
