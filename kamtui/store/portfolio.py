"""The plans of a folder at a glance, with a cache keyed by file stat and content hash.

Size before bytes: each file is looked at (``stat``) before it is opened, a file over the plan
limit is never read (a 1 GB file costs nothing), and a plan is read once: its bytes are hashed
and, when the cache doesn't know them, parsed from those same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..model import clock
from ..model.convert import NotAPlan, Problem, from_data
from ..model.plan import CLOSED_ACTION_STATUSES, Plan
from ..model.questions import QuestionBank
from ..model.rules import completeness, unanswered
from . import locations
from .atomic import atomic_write, ensure_private_dir
from .tomlio import MAX_BYTES, LoadError, decode, parse, read_disk, too_large

CACHE_VERSION = 1


@dataclass
class PlanSummary:
    path: str
    account: str = ""
    period: str = ""
    completeness: int = 0
    unanswered: int = 0
    open_due: list[str] = field(default_factory=list)  # due dates of open actions
    modified: float = 0.0
    error: str = ""

    def overdue(self, today: dt.date | None = None) -> int:
        today_iso = (today or clock.today()).isoformat()
        return sum(1 for due in self.open_due if due < today_iso)

    def as_json(self, today: dt.date | None = None) -> dict:
        data = asdict(self)
        data.pop("open_due")
        data["overdue"] = self.overdue(today)
        data["modified"] = dt.datetime.fromtimestamp(self.modified).isoformat(timespec="seconds")
        return data


def _period(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
    day = start or end
    return str(day.year) if day else ""


def plan_of_bytes(data: bytes, name: str) -> tuple[Plan, list[Problem]]:
    """The plan a file's bytes hold, and its problems; :class:`LoadError` if it is none."""
    raw = parse(decode(data, name), name)
    try:
        return from_data(raw)
    except NotAPlan as exc:
        raise LoadError([f"{name}:1: {exc}"]) from None


def summarise(path: Path, bank: QuestionBank, data: bytes | None = None) -> PlanSummary:
    """The summary of the plan at ``path``, from its bytes ``data`` (read here when None)."""
    summary = PlanSummary(path=str(path))
    try:
        if data is None:
            version = read_disk(path)
            if version.data is None:
                raise LoadError([f"{path}: {version.problem}"])
            data = version.data
        plan, problems = plan_of_bytes(data, str(path))
    except LoadError as exc:
        summary.error = exc.lines[0]
        return summary
    account = plan.account
    summary.account = account.name or Path(path).stem
    summary.period = _period(account.period_start, account.period_end)
    summary.completeness = completeness(plan, bank)
    summary.unanswered = len(unanswered(plan, bank))
    summary.open_due = sorted(
        a.due.isoformat() for a in plan.actions if a.due and a.status not in CLOSED_ACTION_STATUSES
    )
    if problems:
        summary.error = f"{problems[0].path}: {problems[0].message}"
    return summary


def plan_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in Path(folder).glob("*.toml") if p.is_file() and not p.name.startswith("."))
    except OSError:
        return []


def _cached(entry: object, digest: str, path: str) -> PlanSummary | None:
    """The summary an entry of the cache keeps for a file with this hash, if it has one."""
    if not isinstance(entry, dict) or entry.get("digest") != digest:
        return None
    try:
        summary = PlanSummary(**entry["summary"])
    except (KeyError, TypeError):  # an entry of another shape: the plan is read again
        return None
    # The error names the file as it was reached when cached ("plans/x.toml" from one folder):
    # it is named as reached now.
    old = entry.get("name")
    if isinstance(old, str) and old and old != path and summary.error.startswith(old):
        summary.error = path + summary.error[len(old) :]
    return summary


def _cache_path() -> Path:
    return locations.state_dir() / "portfolio-cache.json"


def portfolio(folder: Path, bank: QuestionBank, use_cache: bool = True) -> list[PlanSummary]:
    """One summary per plan file of ``folder``, reusing cached ones whose file did not change."""
    signature = ",".join(q.id for q in bank)
    cache: dict = {}
    if use_cache:
        try:
            cache = json.loads(_cache_path().read_text("utf-8"))
            if cache.get("version") != CACHE_VERSION or cache.get("questions") != signature:
                cache = {}
        except (OSError, ValueError):
            cache = {}
    entries = cache.get("plans", {})
    if not isinstance(entries, dict):
        entries = {}
    fresh: dict[str, dict] = {}
    result = []
    for path in plan_files(folder):
        key = str(path.resolve())
        try:
            st = os.stat(path)
        except OSError:
            continue
        if st.st_size > MAX_BYTES:  # never opened: a 1 GB file costs nothing; never cached
            result.append(PlanSummary(path=str(path), modified=st.st_mtime, error=f"{path}: {too_large(st.st_size)}"))
            continue
        version = read_disk(path)  # at most MAX_BYTES + 1 bytes, whatever the file does meanwhile
        if version.data is None:
            result.append(PlanSummary(path=str(path), modified=st.st_mtime, error=f"{path}: {version.problem}"))
            continue
        # The hash decides: an edit of the same size with the mtime put back is still seen.
        digest = hashlib.sha256(version.data).hexdigest()
        summary = _cached(entries.get(key), digest, str(path)) or summarise(path, bank, version.data)
        summary.path = str(path)
        summary.modified = st.st_mtime
        result.append(summary)
        fresh[key] = {
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "digest": digest,
            "name": str(path),
            "summary": asdict(summary),
        }
    if use_cache and fresh != entries:
        try:
            ensure_private_dir(_cache_path().parent)
            payload = {"version": CACHE_VERSION, "questions": signature, "plans": fresh}
            atomic_write(_cache_path(), json.dumps(payload).encode("utf-8"))
        except OSError:
            pass
    return result
