"""The plans of a folder at a glance, with a cache keyed by file stat and content hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..model import clock
from ..model.plan import CLOSED_ACTION_STATUSES
from ..model.questions import QuestionBank
from ..model.rules import completeness, unanswered
from . import locations
from .atomic import atomic_write, ensure_private_dir
from .planfile import read_plan
from .tomlio import LoadError

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


def summarise(path: Path, bank: QuestionBank) -> PlanSummary:
    summary = PlanSummary(path=str(path))
    try:
        plan, _, problems = read_plan(path)
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
    fresh: dict[str, dict] = {}
    result = []
    for path in plan_files(folder):
        key = str(path.resolve())
        try:
            st = os.stat(path)
        except OSError:
            continue
        cached = entries.get(key)
        # The hash decides: an edit of the same size with the mtime put back is still seen.
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        if cached and digest and cached["digest"] == digest:
            summary = PlanSummary(**cached["summary"])
        else:
            summary = summarise(path, bank)
        summary.path = str(path)
        summary.modified = st.st_mtime
        result.append(summary)
        fresh[key] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "digest": digest, "summary": asdict(summary)}
    if use_cache and fresh != entries:
        try:
            ensure_private_dir(_cache_path().parent)
            payload = {"version": CACHE_VERSION, "questions": signature, "plans": fresh}
            atomic_write(_cache_path(), json.dumps(payload).encode("utf-8"))
        except OSError:
            pass
    return result
