"""Merge conflicts recorded in a plan (``[[conflicts]]``): read with the plan, settled through the
session (ours, theirs, a value of one's own, whole items), undone, and written back so that
``kamtui check`` passes once all are settled."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO

from kamtui.report.merge import merge_texts
from kamtui.session import PlanSession
from kamtui.session.conflicts import ConflictError
from kamtui.store.planfile import PlanFile

BASE = DEMO.read_text("utf-8")
STATUS = ('status = "doing"\ninvestment = 18000.0', 'status = "{}"\ninvestment = 18000.0')
OWNER = ('owner = "Paul R."\ndue = 2026-10-15', 'owner = "{}"\ndue = 2026-10-15')


def conflicted_text(extra_ours: str = "", extra_theirs: str = "") -> str:
    """The demo plan merged with two true conflicts: an action's status and another's owner."""

    def side(status: str, owner: str) -> str:
        return BASE.replace(STATUS[0], STATUS[1].format(status)).replace(OWNER[0], OWNER[1].format(owner))

    result = merge_texts(BASE, side("blocked", "Ours P."), side("todo", "Theirs T."))
    assert len(result.conflicts) == 2
    return result.text


@pytest.fixture
def conflicted(tmp_path: Path) -> Path:
    path = tmp_path / "merged.toml"
    path.write_text(conflicted_text(), "utf-8")
    return path


def check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kamtui", "check", str(path)], capture_output=True, text=True)


def action(planfile: PlanFile, action_id: str):
    return next(a for a in planfile.plan.actions if a.id == action_id)


def save(session: PlanSession) -> None:
    job = session.begin_save()
    assert job is not None
    session.planfile.save(job.snap)
    session.save_done(job)


def test_conflicts_are_read_with_the_plan(conflicted):
    planfile = PlanFile.load(conflicted)
    assert [c["path"] for c in planfile.plan.conflicts] == ["actions[a-gp25co].status", "actions[a-o64iyk].owner"]
    assert not planfile.is_dirty()
    assert check(conflicted).returncode == 1


def test_take_theirs_then_ours_then_save_passes_check_and_leaves_no_conflicts_table(conflicted):
    session = PlanSession(PlanFile.load(conflicted))
    session.settle_conflict(0, "theirs")
    assert action(session.planfile, "a-gp25co").status == "todo"
    assert len(session.plan.conflicts) == 1 and session.dirty
    session.settle_conflict(0, "ours")
    assert action(session.planfile, "a-o64iyk").owner == "Ours P."
    save(session)
    text = conflicted.read_text("utf-8")
    assert "[[conflicts]]" not in text and text.endswith('"""\n')
    assert check(conflicted).returncode == 0, check(conflicted).stderr
    again = PlanFile.load(conflicted)
    assert action(again, "a-gp25co").status == "todo" and action(again, "a-o64iyk").owner == "Ours P."


def test_one_settled_drops_only_its_table_and_undo_brings_it_back(conflicted):
    session = PlanSession(PlanFile.load(conflicted))
    session.settle_conflict(1, "edit", "Both of us")
    assert action(session.planfile, "a-o64iyk").owner == "Both of us"
    save(session)
    text = conflicted.read_text("utf-8")
    assert text.count("[[conflicts]]") == 1 and "actions[a-gp25co].status" in text
    step = session.undo()
    assert step is not None and step.kind == "conflict"
    assert action(session.planfile, "a-o64iyk").owner == "Ours P." and len(session.plan.conflicts) == 2
    save(session)
    assert conflicted.read_text("utf-8").count("[[conflicts]]") == 2
    assert check(conflicted).returncode == 1


def test_a_value_that_does_not_fit_the_field_is_refused(conflicted):
    session = PlanSession(PlanFile.load(conflicted))
    with pytest.raises(ConflictError, match="choice"):
        session.settle_conflict(0, "edit", "not a status")
    assert len(session.plan.conflicts) == 2 and not session.dirty


def test_whole_item_conflicts_put_back_or_delete_the_item(tmp_path):
    deleted = BASE.replace(
        BASE[BASE.index('[[actions]]\nid = "a-gp25co"') : BASE.index('[[actions]]\nid = "a-o64iyk"')], ""
    )
    edited = BASE.replace(STATUS[0], STATUS[1].format("blocked"))
    result = merge_texts(BASE, deleted, edited)  # ours deleted it, theirs edited it
    assert [c.path for c in result.conflicts] == ["actions[a-gp25co]"]
    path = tmp_path / "item.toml"
    path.write_text(result.text, "utf-8")
    session = PlanSession(PlanFile.load(path))
    assert all(a.id != "a-gp25co" for a in session.plan.actions)
    session.settle_conflict(0, "theirs")
    assert action(session.planfile, "a-gp25co").status == "blocked"
    save(session)
    assert check(path).returncode == 0
    session.undo()
    assert all(a.id != "a-gp25co" for a in session.plan.actions)
    with pytest.raises(ConflictError, match="item"):
        session.settle_conflict(0, "edit", "x")


def test_a_conflict_on_the_plan_language_takes_only_a_known_language(tmp_path):
    path = tmp_path / "lang.toml"
    path.write_text(BASE + '\n[[conflicts]]\npath = "lang"\nbase = "fr"\nours = "fr"\ntheirs = "en"\n', "utf-8")
    session = PlanSession(PlanFile.load(path))
    assert session.plan.lang == "fr"
    with pytest.raises(ConflictError, match="choice"):
        session.settle_conflict(0, "edit", "xx")
    session.settle_conflict(0, "theirs")
    assert session.plan.lang == "en" and session.plan.conflicts == []
    save(session)
    assert check(path).returncode == 0 and "[[conflicts]]" not in path.read_text("utf-8")
