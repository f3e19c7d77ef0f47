"""What is on disk under an open plan (SPEC §4 "Saving", §9.6, §9.10): the same file, an edit of
the same size with the mtime restored, a deleted file, a folder, a named pipe, a symbolic link,
an unreadable or a too large file. Every check finishes (nothing blocks), none raises, and a
save writes through a link, never over a folder."""

from __future__ import annotations

import errno
import os
import socket
import stat
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kamtui import data
from kamtui.store import atomic, locations
from kamtui.store.atomic import NotARegularFile, atomic_write
from kamtui.store.planfile import ExternalChange, PlanFile
from kamtui.store.tomlio import MAX_BYTES, DiskVersion, LoadError, read_disk

pytestmark = pytest.mark.skipif(os.name != "posix" or sys.platform == "cygwin", reason="POSIX file types and modes")

DEMO = Path(data.__file__).parent / "demo.toml"
KAM = b'kam = "Fabienne B."'
KAM_SAME_SIZE = b'kam = "Fabienne C."'


def within(seconds: float, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``call(*args)`` in a thread; fails (instead of hanging the suite) if it has not finished
    after ``seconds``."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{getattr(call, '__name__', call)} still running after {seconds} s: it blocks"
    if "error" in box:
        raise box["error"]
    return box["value"]


def temps(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    path = tmp_path / "distrib.toml"
    path.write_bytes(DEMO.read_bytes())
    assert KAM in path.read_bytes()
    return path


@pytest.fixture
def planfile(plan_path: Path) -> PlanFile:
    return PlanFile.load(plan_path)


def check_all(planfile: PlanFile) -> tuple[DiskVersion, bool, bytes | None, str]:
    """disk_version, changed_on_disk, disk_bytes and difference, each bounded to 2 s."""
    version = within(2, planfile.disk_version)
    changed = within(2, planfile.changed_on_disk)
    raw = within(2, planfile.disk_bytes)
    diff = within(2, planfile.difference, planfile.snapshot(), version)
    return version, changed, raw, diff


# --- each state of the disk -------------------------------------------------------------------


def test_unchanged_file_is_same_and_shows_no_difference(planfile, plan_path):
    version, changed, raw, diff = check_all(planfile)
    assert version == DiskVersion("same", plan_path.read_bytes(), "")
    assert changed is False
    assert raw == plan_path.read_bytes()
    assert diff == ""


def test_unchanged_file_with_unsaved_edits_shows_them(planfile):
    planfile.plan.account.kam = "Zoé K."
    version, changed, _, diff = check_all(planfile)
    assert version.kind == "same" and changed is False
    assert diff.splitlines()[:2] == ["--- on disk", "+++ mine"]
    assert '-kam = "Fabienne B."' in diff.splitlines()
    assert '+kam = "Zoé K."' in diff.splitlines()


def test_same_size_edit_with_mtime_restored_is_changed(planfile, plan_path):
    before = plan_path.stat()
    edited = plan_path.read_bytes().replace(KAM, KAM_SAME_SIZE)
    plan_path.write_bytes(edited)
    os.utime(plan_path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert plan_path.stat().st_size == before.st_size and plan_path.stat().st_mtime_ns == before.st_mtime_ns

    version, changed, raw, diff = check_all(planfile)
    assert version.kind == "changed" and version.data == edited and raw == edited
    assert changed is True
    lines = diff.splitlines()
    assert '-kam = "Fabienne C."' in lines and '+kam = "Fabienne B."' in lines
    assert len([line for line in lines if line.startswith(("-", "+")) and line[:3] not in ("---", "+++")]) == 2
    with pytest.raises(ExternalChange):
        planfile.plan.account.summary = "Mine."
        within(2, planfile.save)
    assert plan_path.read_bytes() == edited  # never overwritten silently


def test_deleted_file_is_missing_and_keep_mine_writes_it_again(planfile, plan_path):
    plan_path.unlink()
    version, changed, raw, diff = check_all(planfile)
    assert version.kind == "missing" and version.data is None and "no such file" in version.problem
    assert changed is True and raw is None
    assert diff == "distrib.toml: no such file; no text on disk to compare with"
    planfile.plan.account.kam = "Zoé K."
    with pytest.raises(ExternalChange):
        within(2, planfile.save)
    assert not plan_path.exists()
    with pytest.raises(LoadError):
        within(2, planfile.adopt_disk_version)  # what "keep mine" tries first
    assert within(2, planfile.save, force=True) is True
    assert 'kam = "Zoé K."' in plan_path.read_text("utf-8")
    assert stat.S_IMODE(plan_path.stat().st_mode) == 0o600
    assert within(2, planfile.changed_on_disk) is False
    assert temps(plan_path.parent) == []


def test_folder_in_place_of_the_file_is_not_a_file_and_never_written_over(planfile, plan_path):
    plan_path.unlink()
    plan_path.mkdir()
    (plan_path / "inside.txt").write_text("keep")
    version, changed, raw, diff = check_all(planfile)
    assert version.kind == "not-a-file" and version.data is None
    assert version.problem == "is a folder, not a plan file"
    assert changed is True and raw is None
    assert diff == "distrib.toml: is a folder, not a plan file; no text on disk to compare with"
    with pytest.raises(LoadError, match="is a folder"):
        within(2, planfile.reload)
    planfile.plan.account.kam = "Zoé K."
    with pytest.raises(NotARegularFile) as info:
        within(2, planfile.save, force=True)
    assert isinstance(info.value, OSError) and info.value.errno == errno.EISDIR
    assert str(info.value) == f"{plan_path}: is a folder, not a file; nothing was written"
    assert plan_path.is_dir() and (plan_path / "inside.txt").read_text() == "keep"
    assert temps(plan_path.parent, plan_path) == []


def test_named_pipe_in_place_of_the_file_never_blocks(planfile, plan_path):
    plan_path.unlink()
    os.mkfifo(plan_path)
    try:
        version, changed, raw, diff = check_all(planfile)
        assert version.kind == "not-a-file" and version.problem == "is a named pipe (FIFO), not a plan file"
        assert changed is True and raw is None
        assert diff == "distrib.toml: is a named pipe (FIFO), not a plan file; no text on disk to compare with"
        with pytest.raises(LoadError, match="named pipe"):
            within(2, planfile.reload)
        with pytest.raises(ExternalChange):
            planfile.plan.account.kam = "Zoé K."
            within(2, planfile.save)
        assert stat.S_ISFIFO(plan_path.stat().st_mode)
        # "keep mine": the user asked to write over what is there
        assert within(2, planfile.save, force=True) is True
        assert stat.S_ISREG(plan_path.stat().st_mode)
        assert 'kam = "Zoé K."' in plan_path.read_text("utf-8")
        assert within(2, planfile.changed_on_disk) is False
        assert temps(plan_path.parent) == []
    finally:
        release_readers(plan_path)


def release_readers(fifo: Path) -> None:
    """If a regression left a thread blocked opening the pipe for reading, let it go."""
    try:
        if stat.S_ISFIFO(os.stat(fifo).st_mode):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass  # no reader waiting (ENXIO) or no pipe any more


def test_too_large_file_is_refused_without_reading_it_all(planfile, plan_path):
    with open(plan_path, "wb") as handle:
        handle.write(b"# " + b"x" * (MAX_BYTES + 10) + b"\n")
    version, changed, raw, diff = check_all(planfile)
    assert version.kind == "too-large" and version.data is None
    assert version.problem == f"file too large ({(MAX_BYTES + 13) // 1024} KB, a plan is at most 4 MB)"
    assert changed is True and raw is None
    assert diff.startswith("distrib.toml: file too large") and "\n" not in diff


@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_unreadable_file_chmod_000(planfile, plan_path):
    plan_path.chmod(0)
    try:
        version, changed, raw, diff = check_all(planfile)
        assert version == DiskVersion("unreadable", None, "permission denied")
        assert changed is True and raw is None
        assert diff == "distrib.toml: permission denied; no text on disk to compare with"
    finally:
        plan_path.chmod(0o600)


def test_unreadable_file_denied_on_open(planfile, plan_path, monkeypatch):
    """The same as chmod 000 where the tests run as root: the open is refused."""
    real_open = os.open

    def deny(path, *args, **kwargs):
        if Path(path) == plan_path:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    plan_path.chmod(0)
    monkeypatch.setattr(os, "open", deny)
    version, changed, raw, diff = check_all(planfile)
    monkeypatch.undo()
    assert version == DiskVersion("unreadable", None, "permission denied")
    assert changed is True  # same size: only reading tells, and the read was refused
    assert raw is None and diff == "distrib.toml: permission denied; no text on disk to compare with"


def test_keep_mine_over_an_unreadable_file_leaves_it_readable(planfile, plan_path):
    plan_path.chmod(0)
    planfile.plan.account.kam = "Zoé K."
    assert within(2, planfile.save, force=True) is True
    assert stat.S_IMODE(plan_path.stat().st_mode) == 0o400  # its mode, but the owner reads it back
    assert within(2, planfile.changed_on_disk) is False


# --- symbolic links ---------------------------------------------------------------------------


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """plans/distrib.toml -> ../shared/real.toml (a relative link), the target mode 0640."""
    plans, shared = tmp_path / "plans", tmp_path / "shared"
    plans.mkdir()
    shared.mkdir()
    target = shared / "real.toml"
    target.write_bytes(DEMO.read_bytes())
    target.chmod(0o640)
    link = plans / "distrib.toml"
    link.symlink_to(Path("..") / "shared" / "real.toml")
    return link, target


def test_symlink_to_a_changed_file_is_seen_and_reloaded_through_the_link(linked):
    link, target = linked
    planfile = PlanFile.load(link)
    assert within(2, planfile.disk_version).kind == "same"
    edited = target.read_bytes().replace(KAM, b'kam = "Someone Else"')
    target.write_bytes(edited)
    version, changed, raw, diff = check_all(planfile)
    assert version.kind == "changed" and version.data == edited and changed is True and raw == edited
    assert '-kam = "Someone Else"' in diff.splitlines() and '+kam = "Fabienne B."' in diff.splitlines()
    within(2, planfile.reload)
    assert planfile.plan.account.kam == "Someone Else"
    assert link.is_symlink() and within(2, planfile.changed_on_disk) is False


def test_save_writes_through_the_link(linked, monkeypatch):
    link, target = linked
    planfile = PlanFile.load(link)
    inode = target.stat().st_ino
    folders: list[str] = []
    mkstemp = atomic.tempfile.mkstemp

    def spy(*args, **kwargs):
        folders.append(str(kwargs.get("dir")))
        return mkstemp(*args, **kwargs)

    monkeypatch.setattr(atomic.tempfile, "mkstemp", spy)
    planfile.plan.account.kam = "Zoé K."
    assert within(2, planfile.save) is True
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "shared", "real.toml")
    state = str(locations.state_dir())
    assert [f for f in folders if not f.startswith(state)] == [str(target.parent.resolve())]  # next to the target
    assert target.stat().st_ino != inode  # replaced, not rewritten in place
    assert 'kam = "Zoé K."' in target.read_text("utf-8") and link.read_bytes() == target.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert temps(link.parent, target.parent) == []
    assert within(2, planfile.changed_on_disk) is False
    assert PlanFile.load(link).plan.account.kam == "Zoé K."


def test_keep_mine_through_the_link(linked):
    link, target = linked
    planfile = PlanFile.load(link)
    target.write_bytes(target.read_bytes().replace(KAM, b'kam = "Someone Else"'))
    planfile.plan.account.summary = "Mine."
    with pytest.raises(ExternalChange):
        within(2, planfile.save)
    within(2, planfile.adopt_disk_version)
    assert within(2, planfile.save, force=True) is True
    assert link.is_symlink()
    saved = PlanFile.load(target).plan
    assert saved.account.summary == "Mine." and saved.account.kam == "Fabienne B."
    assert temps(link.parent, target.parent) == []


def test_atomic_write_through_a_dangling_link_creates_the_target(tmp_path):
    link = tmp_path / "plan.toml"
    link.symlink_to("elsewhere.toml")
    atomic_write(link, b"schema = 1\n")
    assert link.is_symlink()
    assert (tmp_path / "elsewhere.toml").read_bytes() == b"schema = 1\n"
    assert stat.S_IMODE((tmp_path / "elsewhere.toml").stat().st_mode) == 0o600


# --- what atomic_write refuses ----------------------------------------------------------------


def test_atomic_write_over_a_folder_raises_and_leaves_no_temp(tmp_path):
    folder = tmp_path / "plan.toml"
    folder.mkdir()
    with pytest.raises(NotARegularFile, match="is a folder, not a file"):
        atomic_write(folder, b"schema = 1\n")
    link = tmp_path / "link.toml"
    link.symlink_to(folder)
    with pytest.raises(NotARegularFile, match="is a folder"):
        atomic_write(link, b"schema = 1\n", replace_special=True)
    assert folder.is_dir() and link.is_symlink() and list(folder.iterdir()) == []
    assert temps(tmp_path) == []


def test_atomic_write_replaces_a_socket_only_when_asked(tmp_path):
    path = tmp_path / "s.toml"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert read_disk(path) == DiskVersion("not-a-file", None, "is a socket, not a plan file")
        with pytest.raises(NotARegularFile, match="is a socket"):
            atomic_write(path, b"x")
        atomic_write(path, b"x", replace_special=True)
        assert path.read_bytes() == b"x" and stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        server.close()
    assert temps(tmp_path) == []


def test_a_device_is_never_opened_nor_written_over(tmp_path):
    device = tmp_path / "null.toml"
    try:
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # like /dev/null
    except (OSError, AttributeError):
        pytest.skip("can't create a device node here")
    assert within(2, read_disk, device) == DiskVersion("not-a-file", None, "is a character device, not a plan file")
    with pytest.raises(NotARegularFile, match="is a character device"):
        atomic_write(device, b"x", replace_special=True)
    assert stat.S_ISCHR(device.stat().st_mode) and temps(tmp_path) == []


# --- the difference ---------------------------------------------------------------------------


def test_difference_is_cut_with_a_count_of_the_lines_left(planfile, plan_path):
    plan_path.write_text("# nothing like the plan\n" * 500, encoding="utf-8")
    version = within(2, planfile.disk_version)
    full = within(2, planfile.difference, planfile.snapshot(), version, max_lines=100_000).splitlines()
    cut = within(2, planfile.difference, planfile.snapshot(), version, max_lines=10).splitlines()
    assert cut[:10] == full[:10]
    assert cut[10] == f"… {len(full) - 10} more lines" and len(cut) == 11


def test_difference_labels_and_a_failing_render(planfile, plan_path, monkeypatch):
    plan_path.write_bytes(plan_path.read_bytes().replace(KAM, KAM_SAME_SIZE))
    planfile.plan.account.kam = "Zoé K."

    def broken(snap):
        raise ValueError("render failed")

    monkeypatch.setattr(planfile, "render", broken)
    diff = within(2, planfile.difference, planfile.snapshot(), planfile.disk_version(), disk_label="a", mine_label="b")
    lines = diff.splitlines()
    assert lines[:2] == ["--- a", "+++ b"]
    assert '-kam = "Fabienne C."' in lines and '+kam = "Fabienne B."' in lines  # the loaded text as "mine"


def test_a_difference_shown_then_undone_does_not_break_the_next_save(planfile, plan_path):
    """render() for the difference view patches the kept tomlkit document without saving; the next
    save must start from what that document holds."""
    planfile.plan.account.kam = "Shown only"
    assert '+kam = "Shown only"' in planfile.difference(planfile.snapshot(), planfile.disk_version())
    planfile.plan.account.kam = "Fabienne B."  # undo
    planfile.plan.account.summary = "Saved."
    assert within(2, planfile.save) is True
    text = plan_path.read_text("utf-8")
    assert "Shown only" not in text and 'kam = "Fabienne B."' in text
    assert PlanFile.load(plan_path).plan.account.summary == "Saved."
