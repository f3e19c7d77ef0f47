"""Locks between kamtui processes working on the same plan file.

Two kinds, both ``flock`` locks on small files in the private state folder (``locks/``), one pair
per plan (its real path, through symbolic links):

* the **open lock**, held for as long as a plan is open in a process. A second kamtui opening the
  same plan finds it taken and reads who holds it (process, host, since when): it opens the plan
  read-only unless the user insists. The kernel releases a lock when its process ends, however it
  ends, so the lock of a crashed kamtui is simply taken over: there are no stale locks to clean.
* the **save lock**, held from "is the file on disk still what I loaded?" to the atomic rename, so
  that two saves of the same plan never interleave: the second writer sees the first one's version
  and is asked what to do instead of writing over it.

On systems without ``fcntl`` (Windows) there is no locking: every lock is granted, and two kamtui
processes on one plan are only protected by the check of the file's content before each save.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import locations
from .atomic import ensure_private_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SAVE_WAIT = 10.0  # seconds a save waits for another process's save of the same plan


@dataclass(frozen=True)
class Holder:
    """Who has a plan open: a process, on a host, since when."""

    pid: int
    host: str
    since: str  # ISO date and time

    @property
    def same_host(self) -> bool:
        return self.host == _host()


def _host() -> str:
    # (os.uname, not socket.gethostname: the lock is taken on the way to the first frame)
    return os.uname().nodename if hasattr(os, "uname") else ""


def folder() -> Path:
    return locations.state_dir() / "locks"


def _key(plan_path: Path) -> str:
    real = os.path.realpath(plan_path)
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(real).stem)[:40]
    return f"{name}-{zlib.crc32(real.encode('utf-8', 'surrogateescape')):08x}"


def _open(plan_path: Path, suffix: str) -> int:
    target = ensure_private_dir(folder()) / f"{_key(plan_path)}.{suffix}"
    return os.open(target, os.O_RDWR | os.O_CREAT, 0o600)


class OpenLock:
    """The open lock of one plan (see the module's doc). ``acquire`` returns None when this process
    holds it now, else who does."""

    def __init__(self, plan_path: Path) -> None:
        self.plan_path = Path(plan_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> Holder | None:
        if self._fd is not None or fcntl is None:
            return None
        try:
            fd = _open(self.plan_path, "lock")
        except OSError:
            return None  # no state folder to lock in: don't stop the user working
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _read_holder(fd)
            os.close(fd)
            return holder or Holder(0, "", "")
        # Who holds it, one value a line: pid, host, since, the plan's real path.
        since = dt.datetime.now().isoformat(timespec="seconds")
        info = f"{os.getpid()}\n{_host()}\n{since}\n{os.path.realpath(self.plan_path)}\n"
        os.ftruncate(fd, 0)
        os.pwrite(fd, info.encode("utf-8", "surrogateescape"), 0)
        self._fd = fd
        return None

    def release(self) -> None:
        """Let the plan go (the file stays: removing it could let two processes lock two files)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the descriptor releases the flock

    def moved(self, new_path: Path) -> Holder | None:
        """The plan now lives at ``new_path`` (save as): hold that one's lock instead."""
        other = OpenLock(new_path)
        holder = other.acquire()
        if holder is None:
            self.release()
            self.plan_path, self._fd = other.plan_path, other._fd
        return holder


def _read_holder(fd: int) -> Holder | None:
    try:
        pid, host, since, *_ = os.pread(fd, 4096, 0).decode("utf-8", "replace").split("\n")
        return Holder(int(pid), host, since)
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def save_lock(plan_path: Path, wait: float = SAVE_WAIT) -> Iterator[None]:
    """Hold the plan's save lock for the block: the other processes' saves of this plan wait.
    Raises TimeoutError if another save holds it for more than ``wait`` seconds."""
    if fcntl is None:
        yield
        return
    try:
        fd = _open(plan_path, "save")
    except OSError:
        yield  # no state folder: the content check before writing still guards the file
        return
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{Path(plan_path).name}: another kamtui is saving this plan") from None
                time.sleep(0.005)
        yield
    finally:
        os.close(fd)


def process_alive(pid: int, since: float | None = None) -> bool:
    """True if a process ``pid`` runs on this host. Where the system says more (Linux's
    ``/proc``): a zombie — killed, not yet reaped by its parent — is gone, and with ``since`` (a
    time that process was known to run, as an epoch), a process started after it is another one
    that got the same pid (after a restart, a crashed kamtui's pid may be anyone's)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: it exists
    state = _proc_state(pid)
    if state is None:
        return True  # no /proc: it exists, that is all that is known
    status, started = state
    if status == "Z":
        return False
    return since is None or started is None or started <= since + 1


def _proc_state(pid: int) -> tuple[str, float | None] | None:
    """(state letter, start time as an epoch) of ``pid`` from ``/proc``; None where there is none."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()  # after "pid (name)": the name may hold ")"
    except (OSError, IndexError):
        return None
    try:
        ticks = int(fields[19])  # field 22, the start time: clock ticks after boot
        return fields[0].decode("ascii", "replace"), _boot_time() + ticks / os.sysconf("SC_CLK_TCK")
    except (IndexError, ValueError, OSError):
        return fields[0].decode("ascii", "replace") if fields else "?", None


@functools.cache  # the boot time does not change: read once, not per recovery copy
def _boot_time() -> float:
    with open("/proc/stat", "rb") as stat:
        for line in stat:
            if line.startswith(b"btime "):
                return float(line.split()[1])
    raise OSError("no btime in /proc/stat")
