"""Atomic file writes: temp file in the same folder, fsync, os.replace, fsync folder; through
symbolic links; never over a folder."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from . import locations
from .tomlio import what_is


def ensure_private_dir(path: Path, own: bool = False) -> Path:
    """Create ``path`` (and parents) if missing: each folder created here is mode 0700, whatever
    the umask. A folder of kamtui's own that exists already (the state folder and what is in it,
    the config folder ``.../kamtui``: see :func:`locations.own_folder`; ``path`` itself if
    ``own``, e.g. a plans folder's ``.trash``) loses its group and other rights if it has any;
    any other folder that exists (a plans folder, maybe shared on purpose) is left as it is."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by another kamtui
            continue
        _chmod(folder, 0o700)  # the umask may have taken bits away from the mode given to mkdir
    if own and path not in missing:
        _tighten(path)
    for folder in (path, *path.parents):
        if folder in missing:
            continue
        if not locations.own_folder(folder):
            break
        _tighten(folder)
    return path


def _chmod(path: Path, mode: int) -> None:
    with contextlib.suppress(OSError):
        os.chmod(path, mode)


def _tighten(folder: Path) -> None:
    """Take the group's and others' rights away from a folder of kamtui's own that this user owns."""
    try:
        st = os.stat(folder)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode) and st.st_mode & 0o077 and st.st_uid == _euid():
        _chmod(folder, stat.S_IMODE(st.st_mode) & 0o700)


def _euid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else -1


class NotARegularFile(OSError):
    """Where a file is to be written there is something else (a folder, a named pipe, a device):
    it is left alone and nothing is written. ``str()`` reads "PATH: is a folder, not a file"."""

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def atomic_write(
    path: Path, data: bytes, *, replace_special: bool = False, private: bool = False, durable: bool = True
) -> None:
    """Replace ``path`` with ``data`` so that it is always the old or the new content.

    A symbolic link is written through: its target is replaced (the temp file goes in the
    target's folder) and the link stays a link. A new file is created mode 0600; an existing
    one keeps its mode, readable by its owner (kamtui reads back what it wrote), and its owner
    and group where this process may set them (root saving a user's plan leaves it the user's).
    A file in a folder of kamtui's own (the state folder: caches, recovery copies, logs), or
    written ``private``, is always 0600. A folder or a device at ``path`` raises :class:`NotARegularFile`; so does a
    named pipe or a socket unless ``replace_special`` (the user chose to write over whatever is
    there). ``durable=False`` skips the fsyncs, for caches whose readers check what they read (a
    crash may leave the old content, the new one, or a damaged file: never a plan).
    """
    path = Path(path)
    real = Path(os.path.realpath(path))
    folder = real.parent
    owner: tuple[int, int] | None = None
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
        owner = (st.st_uid, st.st_gid) if stat.S_ISREG(st.st_mode) else None
    if private or locations.own_folder(folder):
        mode = 0o600
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if owner is not None:
                _keep_owner(handle.fileno(), *owner)
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # after the owner: chown may clear the set-id bits
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        _fsync_dir(folder)


def _keep_owner(fd: int, uid: int, gid: int) -> None:
    """Give the new file the owner and group of the file it replaces, as far as this process
    may: root may set both, a user may set a group it belongs to; anything else is left."""
    if not hasattr(os, "fchown"):  # pragma: no cover - Windows
        return
    st = os.fstat(fd)
    if (st.st_uid, st.st_gid) == (uid, gid):
        return
    try:
        os.fchown(fd, uid, gid)
    except OSError:
        if st.st_gid != gid:
            with contextlib.suppress(OSError):
                os.fchown(fd, -1, gid)


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
