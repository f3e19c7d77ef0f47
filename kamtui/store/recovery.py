"""Recovery files: unsaved edits written aside regularly, offered back after a crash."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import locations
from .atomic import atomic_write, ensure_private_dir

if TYPE_CHECKING:
    from ..model.plan import Plan


def recovery_folder() -> Path:
    return locations.state_dir() / "recovery"


def _key(plan_path: Path) -> str:
    import hashlib

    return hashlib.sha256(str(Path(plan_path).resolve()).encode()).hexdigest()[:20]


_instances = itertools.count(1)


def new_owner() -> str:
    """A name for the recovery copies of one opening of a plan: this process and a counter. Each
    kamtui has its own copies: one never deletes another's."""
    return f"{os.getpid()}.{next(_instances)}"


def recovery_path(plan_path: Path, owner: str) -> Path:
    return recovery_folder() / f"{_key(plan_path)}-{owner}.json"


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$date"}:
            return dt.date.fromisoformat(value["$date"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def recovery_payload(plan_path: Path, data: dict[str, Any]) -> bytes:
    """What :func:`write_recovery` writes, from ``to_data(plan)``. That copy is taken on the thread
    that edits the plan; the encoding, the costly part for a large plan, can then run in a worker."""
    import json

    payload = {
        "path": str(Path(plan_path).resolve()),
        "saved": dt.datetime.now().isoformat(timespec="seconds"),
        "plan": _encode(data),
    }
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def write_recovery(plan_path: Path, owner: str, payload: bytes) -> None:
    path = recovery_path(plan_path, owner)
    ensure_private_dir(path.parent)
    atomic_write(path, payload)


def recovery_copies(plan_path: Path) -> list[Path]:
    """Every recovery copy of this plan, whoever wrote it."""
    try:
        return sorted(recovery_folder().glob(f"{_key(plan_path)}-*.json"))
    except OSError:
        return []


class Recovered(NamedTuple):
    """Unsaved edits found aside: the plan as it was, when it was written aside, and the copy."""

    plan: Plan
    when: str
    source: Path


def read_recovery(plan_path: Path) -> Recovered | None:
    """The newest recovery copy of this plan left by a kamtui that is gone; None if there is none.
    Call it holding the plan's open lock (no other kamtui has the plan open); the copies of another
    kamtui process still running are skipped all the same: they are its own. A kamtui killed a
    moment ago (not yet reaped) is gone, and so is one whose pid a later process took."""
    try:
        if not any(recovery_folder().iterdir()):
            return None  # the usual case: nothing to recover (nor json or hashlib to import)
    except OSError:
        return None
    import json

    from ..model.convert import from_data
    from .lock import process_alive

    prefix = _key(plan_path) + "-"
    found: list[Recovered] = []
    for path in recovery_folder().glob(prefix + "*.json"):
        pid = path.stem[len(prefix) :].split(".")[0]
        try:
            written = path.stat().st_mtime  # its kamtui was running then
        except OSError:
            continue
        if not pid.isdigit() or (int(pid) != os.getpid() and process_alive(int(pid), since=written)):
            continue
        try:
            payload = json.loads(path.read_text("utf-8"))
            plan, problems = from_data(_decode(payload["plan"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if not problems:
            found.append(Recovered(plan, str(payload.get("saved", "")), path))
    return max(found, key=lambda r: r.when, default=None)


def discard_recovery(recovered: Recovered) -> None:
    """Remove a copy left by a process that is gone, once the user has decided about it."""
    with contextlib.suppress(OSError):
        recovered.source.unlink()


def clear_recovery(plan_path: Path, owner: str) -> None:
    """Remove ``owner``'s recovery copy of the plan (its edits are saved or discarded)."""
    with contextlib.suppress(OSError):
        recovery_path(plan_path, owner).unlink()
