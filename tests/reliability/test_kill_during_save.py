"""SPEC §9.1: a save killed at any moment (SIGKILL, hundreds of times) leaves the old or the new
file, valid and 0600, and no temp file once stale temps are cleaned."""

from __future__ import annotations

import os
import random
import signal
import stat
import sys
import time
import tomllib
import traceback
from pathlib import Path

import pytest

from kamtui.model import ops
from kamtui.model.plan import Action, Plan
from kamtui.store.atomic import clean_stale_temps
from kamtui.store.planfile import PlanFile
from kamtui.store.plans import new_plan

pytestmark = pytest.mark.skipif(
    os.name != "posix" or not hasattr(os, "fork"), reason="SIGKILL, fork and file modes are POSIX"
)

KILLS = 200
SECONDS = 60  # a cap for a very busy machine: it fails if KILLS are not reached by then (about 12 s here)
SUMMARY_A = "Version A.\n" + "Short text.\n" * 5
SUMMARY_B = "Version B, much longer.\n" + "Lorem ipsum dolor sit amet, consectetur. " * 400


def temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


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


def save_forever(path: Path, saved: int) -> None:
    """The child's loop: load the plan, write a byte on the pipe ``saved``, then save B, A, B,
    A, ... until killed, with a byte on the pipe after each save."""
    planfile = PlanFile.load(path)
    os.write(saved, b"L")
    version = 1
    while True:
        edit(planfile.plan, version)
        planfile.save()
        os.write(saved, b"S")
        version ^= 1


def make_plan(folder: Path) -> Path:
    plan = new_plan("Atomic SA", 2027, "en")
    plan.actions.append(Action(id="a-first1", title="First", status="todo"))
    edit(plan, 0)
    return PlanFile.create(folder / "atomic-sa-2027.toml", plan, "# Atomic SA\n").path


def versions(tmp_path: Path, original: bytes, name: str) -> tuple[bytes, bytes]:
    """What versions A and B look like on disk: a dry run of the same alternation."""
    dry = tmp_path / "dry" / name
    dry.parent.mkdir()
    dry.write_bytes(original)
    planfile = PlanFile.load(dry)
    seen = [dry.read_bytes()]
    for n in range(4):
        edit(planfile.plan, (n + 1) % 2)
        planfile.save()
        seen.append(dry.read_bytes())
    assert seen[0] != seen[1]
    assert seen == [seen[0], seen[1]] * 2 + [seen[0]], "the same edits must give the same bytes"
    return seen[0], seen[1]


@pytest.mark.real_fsync
def test_killed_saves_leave_old_or_new_version(tmp_path):
    folder = tmp_path / "plans"
    path = make_plan(folder)
    version_a, version_b = versions(tmp_path, path.read_bytes(), path.name)
    assert path.read_bytes() == version_a

    rng = random.Random(1234)
    errors = tmp_path / "child-error.txt"
    observed = {version_a: 0, version_b: 0}
    temps_left = 0
    deadline = time.monotonic() + SECONDS
    kills = 0
    while kills < KILLS and time.monotonic() < deadline:
        saved_r, saved_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: save until killed; never return into pytest
            code = 0
            try:
                os.close(saved_r)
                save_forever(path, saved_w)
            except BaseException:  # noqa: BLE001 - the child reports every failure
                errors.write_text(traceback.format_exc())
                code = 3
            finally:
                os._exit(code)
        os.close(saved_w)
        # The kills land among the saves, at any moment of one: wait until the plan is loaded
        # (a busy machine) and 0 or 1 save is done, then any moment of the next save.
        for _ in range(1 + rng.randrange(2)):
            os.read(saved_r, 1)
        time.sleep(rng.uniform(0, 0.03))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(saved_r)
        kills += 1
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
            errors.read_text() if errors.exists() else f"child ended with status {status}"
        )
        data = path.read_bytes()
        assert data in observed, f"kill {kills}: the file is neither version ({len(data)} bytes)"
        observed[data] += 1
        tomllib.loads(data.decode("utf-8"))
        PlanFile.load(path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        left = temps(folder)
        temps_left += bool(left)
        clean_stale_temps(folder, older_than=0)
        assert temps(folder) == [], f"kill {kills}: temp files stay after clean_stale_temps: {left}"
        assert path.read_bytes() == data
    assert kills >= KILLS, f"only {kills} kills in {SECONDS} s"
    assert observed[version_a] and observed[version_b], f"the kills did not land during saves: {observed}"
    assert temps_left, "no kill landed while a temp file was being written"
    sys.stderr.write(
        f"{kills} kills: {observed[version_a]} A, {observed[version_b]} B, {temps_left} left a temp file\n"
    )
