"""Two kamtui processes on one plan (SPEC §9, promise 8): saves that race never lose a change
silently, the second kamtui is told the plan is open elsewhere, a crashed one's lock is taken over,
and neither deletes the other's recovery copy."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from kamtui.model.convert import to_data
from kamtui.store.lock import OpenLock, _proc_state
from kamtui.store.planfile import ExternalChange, PlanFile
from kamtui.store.recovery import (
    clear_recovery,
    read_recovery,
    recovery_copies,
    recovery_payload,
    write_recovery,
)

DEMO = Path(__file__).parents[2] / "kamtui" / "data" / "demo.toml"
RACES = 100  # SPEC §9.8 and the issue ask for at least 100
# The races are run on the demo's account table (a plan of its own, 1.7 KB): the lock, the check
# of the file on disk and the atomic replace are what race, whatever the plan's size; the whole
# demo made each race load and render 17 KB twice (13 s of CPU for 100 races, now about 1 s).
ACCOUNT = DEMO.read_text("utf-8").split("\n[diagnostic")[0] + "\n"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX locks")


def _kam(path: str, field: str, conn) -> None:
    """A kamtui process: for each race, loads the plan, changes one field and renders it, says it
    is ready, saves at the instant it is given, then says whether it saved or was asked (the file
    had changed)."""
    while True:
        n = conn.recv()
        if n is None:
            return
        planfile = PlanFile.load(path)
        setattr(planfile.plan.account, field, f"{field} {n}")
        snap = planfile.snapshot()
        planfile.render(snap)  # the costly part of a save, done before the race starts
        conn.send("ready")
        start = conn.recv()
        while time.time() < start:
            pass
        try:
            planfile.save(snap)
            conn.send("saved")
        except ExternalChange:
            conn.send("asked")


def test_two_processes_saving_at_the_same_instant_never_lose_a_change_silently(tmp_path):
    ctx = multiprocessing.get_context("fork")
    path = tmp_path / "plan.toml"
    pipes = {}
    kams = []
    for field in ("sector", "kam"):
        ours, theirs = ctx.Pipe()
        kam = ctx.Process(target=_kam, args=(str(path), field, theirs), daemon=True)
        kam.start()
        pipes[field] = ours
        kams.append(kam)
    lost = asked = 0
    try:
        for n in range(RACES):
            path.write_text(ACCOUNT, "utf-8")
            for conn in pipes.values():
                conn.send(n)
            # Both have loaded the plan before either saves, then both save at one instant (a
            # start fixed ahead of time was missed by a process slower to load on a busy machine).
            assert [conn.recv() for conn in pipes.values()] == ["ready", "ready"]
            start = time.time() + 0.005
            for conn in pipes.values():
                conn.send(start)
            results = {field: conn.recv() for field, conn in pipes.items()}
            account = PlanFile.load(path).plan.account
            saved = [field for field, result in results.items() if result == "saved"]
            asked += sum(result == "asked" for result in results.values())
            # Every change reported saved is in the file; the other writer was asked, not overwritten.
            lost += sum(getattr(account, field) != f"{field} {n}" for field in saved)
            assert saved, results
    finally:
        for conn in pipes.values():
            conn.send(None)
        for kam in kams:
            kam.join(10)
    assert lost == 0, f"{lost} changes lost in {RACES} races"
    assert asked >= RACES * 0.9, f"only {asked} of {RACES} races had a second writer asked"


def _holder(path: str, ready: multiprocessing.Event) -> None:
    lock = OpenLock(Path(path))
    assert lock.acquire() is None
    ready.set()
    time.sleep(60)


def test_the_second_kamtui_is_told_who_has_the_plan_open_and_a_dead_ones_lock_is_taken_over(tmp_path):
    ctx = multiprocessing.get_context("fork")
    path = tmp_path / "plan.toml"
    shutil.copyfile(DEMO, path)
    ready = ctx.Event()
    first = ctx.Process(target=_holder, args=(str(path), ready))
    first.start()
    try:
        assert ready.wait(10)
        second = OpenLock(path)
        holder = second.acquire()
        assert holder is not None and holder.pid == first.pid and holder.same_host and holder.since
        # Through a symbolic link it is the same plan.
        link = tmp_path / "link.toml"
        link.symlink_to(path)
        assert OpenLock(link).acquire() is not None
    finally:
        os.kill(first.pid, signal.SIGKILL)  # a crash
        first.join(10)
    assert second.acquire() is None  # the lock of a process that is gone is simply taken
    second.release()


def test_a_kamtui_never_deletes_another_ones_recovery_copy(tmp_path):
    path = tmp_path / "plan.toml"
    shutil.copyfile(DEMO, path)
    data = {"schema": 1}
    write_recovery(path, "111.1", recovery_payload(path, data))
    write_recovery(path, "222.1", recovery_payload(path, data))
    assert len(recovery_copies(path)) == 2
    clear_recovery(path, "111.1")  # the first one saved its plan
    assert [p.name.split("-")[-1] for p in recovery_copies(path)] == ["222.1.json"]


def _edits_then_killed(path: str, written: multiprocessing.Event) -> None:
    """A kamtui with unsaved edits set aside: it wrote its recovery copy, then it is killed."""
    planfile = PlanFile.load(path)
    planfile.plan.account.sector = "Edited before the crash"
    write_recovery(Path(path), f"{os.getpid()}.1", recovery_payload(Path(path), to_data(planfile.plan)))
    written.set()
    time.sleep(60)


def test_the_edits_of_a_killed_kamtui_are_offered_even_before_it_is_reaped(tmp_path):
    """SPEC §9.2. A kamtui killed a moment ago is a zombie until its parent reaps it: its lock is
    free already, and its edits must be offered at once (they were skipped as a running
    kamtui's own, and lost if the terminal was reopened on the plan right away)."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("no /proc: a zombie can't be told from a running process")
    ctx = multiprocessing.get_context("fork")
    path = tmp_path / "plan.toml"
    path.write_text(ACCOUNT, "utf-8")
    written = ctx.Event()
    kam = ctx.Process(target=_edits_then_killed, args=(str(path), written))
    kam.start()
    try:
        assert written.wait(10)
        assert read_recovery(path) is None  # running: its copy is its own
        os.kill(kam.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{kam.pid}").exists() and _state(kam.pid) != "Z" and time.monotonic() < deadline:
            time.sleep(0.01)
        recovered = read_recovery(path)  # not reaped yet (no join): a zombie
        assert recovered is not None and recovered.plan.account.sector == "Edited before the crash"
    finally:
        kam.join(10)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "?"


def test_a_pid_taken_by_a_later_process_does_not_hide_a_crashed_kamtuis_edits(tmp_path):
    """After a restart, the pid of the crashed kamtui may be any process's: here this test's parent
    process, started after the copy was written (its time set back to before that start)."""
    path = tmp_path / "plan.toml"
    path.write_text(ACCOUNT, "utf-8")
    plan = PlanFile.load(path).plan
    plan.account.sector = "Edited yesterday"
    parent = os.getppid()  # another running process than ours (ours is read as our own copies)
    write_recovery(path, f"{parent}.1", recovery_payload(path, to_data(plan)))
    copy = recovery_copies(path)[0]
    if not Path(f"/proc/{parent}/stat").exists():
        pytest.skip("no /proc: a process's start time is not known")
    assert read_recovery(path) is None  # written while that process runs: its own
    state = _proc_state(parent)
    assert state is not None and state[1] is not None
    before = state[1] - 60  # a minute before that process started
    os.utime(copy, (before, before))
    recovered = read_recovery(path)
    assert recovered is not None and recovered.plan.account.sector == "Edited yesterday"
