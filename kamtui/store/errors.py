"""What went wrong with a file, said for the user: the plan's name and the reason in plain words,
never the name of a hidden temp file."""

from __future__ import annotations

import errno
from pathlib import Path

REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "no permission to write in {folder}",
    errno.EPERM: "no permission to write in {folder}",
    errno.ENOENT: "the folder {folder} does not exist",
    errno.ENOTDIR: "{folder} is not a folder",
    errno.EISDIR: "{path} is a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EIO: "the disk reported an error",
}


def reason(exc: BaseException, path: Path) -> str:
    """Why writing ``path`` failed, in a few words."""
    path = Path(path)
    if isinstance(exc, OSError) and exc.errno in REASONS:
        return REASONS[exc.errno].format(folder=path.parent, path=path)
    if isinstance(exc, TimeoutError):
        return str(exc) or "another kamtui is saving this plan"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)
