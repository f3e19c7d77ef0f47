"""Recovery files: unsaved edits written aside regularly, offered back after a crash."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import locations
from .atomic import atomic_write, ensure_private_dir

if TYPE_CHECKING:
    from ..model.plan import Plan


def recovery_folder() -> Path:
    return locations.state_dir() / "recovery"


def recovery_path(plan_path: Path) -> Path:
    import hashlib

    key = hashlib.sha256(str(Path(plan_path).resolve()).encode()).hexdigest()[:20]
    return recovery_folder() / f"{key}.json"


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


def write_recovery(plan_path: Path, payload: bytes) -> None:
    path = recovery_path(plan_path)
    ensure_private_dir(path.parent)
    atomic_write(path, payload)


def read_recovery(plan_path: Path) -> tuple[Plan, str] | None:
    """The plan as it was at the last recovery write, and when; None if there is none."""
    try:
        if not any(recovery_folder().iterdir()):
            return None  # the usual case: nothing to recover (nor json or hashlib to import)
    except OSError:
        return None
    import json

    from ..model.convert import from_data

    path = recovery_path(plan_path)
    try:
        payload = json.loads(path.read_text("utf-8"))
        plan, problems = from_data(_decode(payload["plan"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if problems:
        return None
    return plan, str(payload.get("saved", ""))


def clear_recovery(plan_path: Path) -> None:
    with contextlib.suppress(OSError):
        recovery_path(plan_path).unlink()
