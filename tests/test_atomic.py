"""Atomic writes: temp files, file modes, durability (SPEC §9.1). The kill-during-save test is in
tests/reliability/test_kill_during_save.py."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from kamtui.model import ops
from kamtui.model.plan import Action, Plan
from kamtui.store.atomic import atomic_write, clean_stale_temps
from kamtui.store.planfile import PlanFile
from kamtui.store.plans import new_plan

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")

SUMMARY_A = "Version A.\n" + "Short text.\n" * 5
SUMMARY_B = "Version B, much longer.\n" + "Lorem ipsum dolor sit amet, consectetur. " * 400


def temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def edit(plan: Plan, version: int) -> None:
    """Turn ``plan`` into version A (0) or B (1) through the model operations, as the UI does."""
    plan.account.summary = SUMMARY_B if version else SUMMARY_A
    action = plan.actions[0]
    ops.update_item(action, status="doing" if version else "todo", investment=2500.0 if version else None)
    has_extra = any(a.id == "a-extra1" for a in plan.actions)
    if version and not has_extra:
        ops.add_item(plan, "actions", ops.new_item(plan, "actions", id="a-extra1", title="Extra"))
    elif not version and has_extra:
        ops.remove_item(plan, "actions", next(i for i, a in enumerate(plan.actions) if a.id == "a-extra1"))
    ops.set_answer(plan, "history", answer="Long." if version else "Short.", status="answered")


def make_plan(folder: Path) -> Path:
    plan = new_plan("Atomic SA", 2027, "en")
    plan.actions.append(Action(id="a-first1", title="First", status="todo"))
    edit(plan, 0)
    return PlanFile.create(folder / "atomic-sa-2027.toml", plan, "# Atomic SA\n").path


def test_clean_stale_temps_removes_only_kamtui_temps(tmp_path):
    plan = tmp_path / "p.toml"
    plan.write_text("schema = 1\n")
    stale = tmp_path / ".p.toml.abc123.tmp"
    stale.write_text("half written")
    other = tmp_path / "notes.tmp"
    other.write_text("not ours")
    clean_stale_temps(tmp_path, older_than=0)
    assert not stale.exists()
    assert other.exists() and plan.read_text() == "schema = 1\n"


def test_atomic_write_new_file_is_0600_and_existing_mode_kept(tmp_path):
    new = tmp_path / "new.toml"
    atomic_write(new, b"schema = 1\n")
    assert new.read_bytes() == b"schema = 1\n"
    assert mode(new) == 0o600
    shared = tmp_path / "shared.toml"
    shared.write_bytes(b"old")
    shared.chmod(0o644)
    atomic_write(shared, b"new")
    assert shared.read_bytes() == b"new"
    assert mode(shared) == 0o644
    assert temps(tmp_path) == []


def test_planfile_create_is_0600_and_save_keeps_a_changed_mode(tmp_path):
    folder = tmp_path / "deep" / "plans"
    path = make_plan(folder)
    assert mode(path) == 0o600
    assert mode(folder) == 0o700
    path.chmod(0o640)
    planfile = PlanFile.load(path)
    edit(planfile.plan, 1)
    assert planfile.save() is True
    assert mode(path) == 0o640
    assert "Version B" in path.read_text("utf-8")
    assert temps(folder) == []


def test_save_without_changes_does_not_touch_the_file(tmp_path):
    path = make_plan(tmp_path)
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    planfile = PlanFile.load(path)
    assert planfile.save() is False
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime


def test_clean_stale_temps_spares_a_save_in_progress(tmp_path):
    """A fresh temp file may belong to another kamtui saving right now: it stays."""
    fresh = tmp_path / ".p.toml.def456.tmp"
    fresh.write_text("being written")
    clean_stale_temps(tmp_path)
    assert fresh.exists()
    old = time.time() - 3600
    os.utime(fresh, (old, old))
    clean_stale_temps(tmp_path)
    assert not fresh.exists()


@pytest.mark.real_fsync
def test_atomic_write_flushes_the_data_before_the_rename_and_the_folder_after(tmp_path, monkeypatch):
    """Durability: the new bytes are on the disk before they replace the old file, and the rename
    itself is flushed (the folder's fsync); otherwise a power cut could leave an empty file."""
    path = tmp_path / "p.toml"
    path.write_bytes(b"old")
    real_fsync = os.fsync
    flushed = []

    def spy(fd: int) -> None:
        kind = "folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        flushed.append((kind, path.read_bytes()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    atomic_write(path, b"new")
    assert flushed == [("file", b"old"), ("folder", b"new")]
    assert path.read_bytes() == b"new"
    flushed.clear()
    atomic_write(path, b"cache", durable=False)  # caches (parse cache, catalogs): no flush
    assert flushed == [] and path.read_bytes() == b"cache"
