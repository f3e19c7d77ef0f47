"""Atomic file writes: temp file in the same folder, fsync, os.replace, fsync folder; through
symbolic links; never over a folder."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from .tomlio import what_is


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if missing; a folder kamtui creates is mode 0700."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    return path


class NotARegularFile(OSError):
    """Where a file is to be written there is something else (a folder, a named pipe, a device):
    it is left alone and nothing is written. ``str()`` reads "PATH: is a folder, not a file"."""

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def atomic_write(path: Path, data: bytes, *, replace_special: bool = False) -> None:
    """Replace ``path`` with ``data`` so that it is always the old or the new content.

    A symbolic link is written through: its target is replaced (the temp file goes in the
    target's folder) and the link stays a link. A new file is created mode 0600; an existing
    one keeps its mode, readable by its owner (kamtui reads back what it wrote). A folder or a
    device at ``path`` raises :class:`NotARegularFile`; so does a named pipe or a socket unless
    ``replace_special`` (the user chose to write over whatever is there).
    """
    path = Path(path)
    real = Path(os.path.realpath(path))
    folder = real.parent
    try:
        st = os.stat(real)
    except FileNotFoundError:
        mode = 0o600
    else:
        special = stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode)
        if not stat.S_ISREG(st.st_mode) and not (special and replace_special):
            code = errno.EISDIR if stat.S_ISDIR(st.st_mode) else errno.EINVAL
            raise NotARegularFile(code, f"is {what_is(st.st_mode)}, not a file; nothing was written", str(path))
        mode = (stat.S_IMODE(st.st_mode) & 0o777 | stat.S_IRUSR) if stat.S_ISREG(st.st_mode) else 0o600
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover - Windows cannot open folders
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clean_stale_temps(folder: Path, older_than: float = 60.0) -> None:
    """Remove temp files left by a write that was killed midway.

    Only files older than ``older_than`` seconds: another kamtui may be saving right now.
    """
    import time

    limit = time.time() - older_than
    for tmp in Path(folder).glob(".*.toml.*.tmp"):
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < limit:
                tmp.unlink()
