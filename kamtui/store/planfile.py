"""A plan file on disk: load with clear errors, save faithfully, notice outside changes."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.convert import NotAPlan, Problem, from_data
from ..model.plan import LISTS, SCHEMA_VERSION, Plan
from . import parsecache
from .atomic import atomic_write, ensure_private_dir
from .snapshot import empty_snapshot, snapshot
from .tomlio import LoadError, decode, locate, parse, read_bytes


@dataclass(frozen=True)
class Stamp:
    """What a file looked like: size, mtime and its content (compared byte for byte)."""

    size: int
    mtime_ns: int
    content: bytes

    @classmethod
    def of_bytes(cls, data: bytes, path: Path) -> Stamp:
        st = path.stat()
        return cls(len(data), st.st_mtime_ns, data)


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
        if self._doc is None:
            self._doc = tomlkit.parse(self.text)
        try:
            patch(self._doc, self._base, snap)
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
            if snap == self._base and self.stamp is not None:
                return False
            if not force and self.changed_on_disk():
                raise ExternalChange(str(self.path))
            text = self.render(snap)
            parsed = self._verify(text, snap)
            data = text.encode("utf-8")
            atomic_write(self.path, data)
            self.text, self._base, self._to_cache = text, snap, None
            self.stamp = Stamp.of_bytes(data, self.path)
        parsecache.remember(self.path, text, parsed)  # the next opening skips the parse
        return True

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

    def disk_bytes(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None

    def changed_on_disk(self) -> bool:
        """True if the file's content is not what was loaded or last saved."""
        with self._lock:
            return self._changed_on_disk()

    def _changed_on_disk(self) -> bool:
        if self.stamp is None:
            return self.path.exists()
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return True
        if st.st_size != self.stamp.size:
            return True
        data = self.disk_bytes()
        return data is None or data != self.stamp.content

    def reload(self) -> None:
        """Take the file as it is on disk now, dropping unsaved edits."""
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
        fresh = PlanFile.load(self.path)
        adopt_uids(self.plan, fresh.plan)
        self.text, self.stamp, self._base, self._doc = fresh.text, fresh.stamp, fresh._base, None
        self._to_cache = fresh._to_cache


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
