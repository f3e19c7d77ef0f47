"""The plan session (kamtui.session): every edit through it, undo / redo, dirty and saved state,
when to save, outside changes — without any interface."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import DEMO

from kamtui.session import PlanSession
from kamtui.store.planfile import PlanFile

TODAY = dt.date(2026, 11, 29)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "plan.toml"
    shutil.copyfile(DEMO, target)
    return target


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def session(path, clock):
    return PlanSession(PlanFile.load(path), autosave_seconds=2.0, now=clock, today=lambda: TODAY)


def save(session: PlanSession) -> None:
    job = session.begin_save()
    assert job is not None
    session.planfile.save(job.snap)
    session.save_done(job)


def uid_of(session: PlanSession, list_name: str, n: int) -> int:
    return session.items(list_name)[n].uid


# --- kinds of edit, each undone and redone ---------------------------------------------


def test_eight_kinds_of_edit_undo_to_the_original_bytes_and_redo_to_the_edited_ones(session, path, clock):
    original = path.read_bytes()
    plan = session.plan
    # 1. typing in a field (three keys, one step)
    name = plan.account.name
    for n in range(1, 4):
        clock.t += 0.2
        session.set_field(("account",), "name", name + "xyz"[:n], typing=True)
    # 2. a status
    session.set_answer("know-client", status="to-confirm")
    # 3. an answer typed
    session.set_answer("priorities", answer="Nouvelle réponse", typing=True)
    # 4. add an item
    clock.t += 5
    uid = session.add_item("actions", {"title": "Appeler Claire", "owner": "Fabienne B."}, index=1)
    assert uid is not None
    # 5. edit it (the item editor: several fields at once)
    session.set_fields(("actions", uid), {"title": "Appeler Claire Martin", "status": "doing"})
    # 6. delete another one
    assert session.delete_item("competitors", uid_of(session, "competitors", 0))
    # 7. move one
    assert session.move_item("stakeholders", uid_of(session, "stakeholders", 0), 2)
    # 8. SWOT list and a team member
    session.set_field(("swot",), "threats", ["Une menace", *plan.swot.threats])
    session.set_field(("team", uid_of(session, "team", 0)), "role", "Logistique")
    assert session.dirty
    save(session)
    edited = path.read_bytes()
    assert edited != original and not session.dirty

    while session.undo():
        pass
    assert session.dirty  # the file holds the edits, memory the original
    save(session)
    assert path.read_bytes() == original

    while session.redo():
        pass
    save(session)
    assert path.read_bytes() == edited


def test_typing_is_grouped_per_field_and_pause(session, clock):
    name = session.plan.account.name
    for text in ("A", "AB", "ABC"):
        clock.t += 0.3
        session.set_field(("account",), "name", text, typing=True)
    clock.t += 5  # a pause
    session.set_field(("account",), "name", "ABCD", typing=True)
    clock.t += 0.1
    session.set_field(("account",), "kam", "Zoé", typing=True)  # another field
    assert len(session.history.undo) == 3
    session.undo()
    assert session.plan.account.kam != "Zoé"
    session.undo()
    assert session.plan.account.name == "ABC"
    session.undo()
    assert session.plan.account.name == name


def test_a_save_ends_a_typing_step(session, clock):
    session.set_field(("account",), "name", "A", typing=True)
    save(session)
    clock.t += 0.1
    session.set_field(("account",), "name", "AB", typing=True)
    assert session.dirty
    session.undo()
    assert session.plan.account.name == "A"
    assert not session.dirty  # back to what the file holds


def test_undo_back_to_the_saved_state_is_clean_and_a_new_edit_drops_redo(session):
    session.set_field(("account",), "sector", "Épicerie")
    assert session.dirty and session.can_undo and not session.can_redo
    session.undo()
    assert not session.dirty and session.can_redo
    session.set_field(("account",), "country", "BE")
    assert not session.can_redo


def test_answer_text_stamps_updated_and_undo_restores_the_old_stamp(session):
    before = session.plan.diagnostic["know-client"].updated
    session.set_answer("know-client", answer="Autre chose")
    assert session.plan.diagnostic["know-client"].updated == TODAY
    session.undo()
    assert session.plan.diagnostic["know-client"].updated == before


def test_undo_says_where_the_change_was(session):
    uid = uid_of(session, "actions", 3)
    session.set_fields(("actions", uid), {"status": "done"})
    step = session.undo()
    assert step is not None and step.where.part == "actions" and step.where.key == uid
    session.set_answer("history", answer="x")
    step = session.undo()
    assert step is not None and step.where.part == "answer" and step.where.key == "history"


def test_undo_of_a_delete_puts_the_item_back_in_its_place(session):
    titles = [a.title for a in session.items("actions")]
    session.delete_item("actions", uid_of(session, "actions", 2))
    assert len(session.items("actions")) == len(titles) - 1
    session.undo()
    assert [a.title for a in session.items("actions")] == titles


def test_edits_of_a_read_only_plan_change_nothing(path, clock):
    path.write_text(path.read_text("utf-8").replace("schema = 1", "schema = 99", 1), "utf-8")
    session = PlanSession(PlanFile.load(path), now=clock)
    assert session.read_only
    assert not session.set_field(("account",), "name", "X")
    assert session.add_item("actions", {"title": "x"}) is None
    assert session.begin_save() is None and not session.dirty


# --- what the interface hears --------------------------------------------------------------


def test_listeners_hear_every_change_and_touched_parts_are_known(session):
    heard: list[int] = []
    session.subscribe(lambda s: heard.append(s.version))
    start = session.version
    session.set_field(("account",), "name", "X")
    session.add_item("gaps", {"question": "Volumes ?"})
    assert heard[-1] == session.version == start + 2
    assert session.touched_since(start) == {"account", "gaps"}
    assert session.touched_since(start + 1) == {"gaps"}
    assert session.touched_since(session.version) == frozenset()
    session.set_answer("history", answer="y")
    assert session.touched_since(start + 2) == {"diagnostic"}


# --- when to write ---------------------------------------------------------------------


def test_autosave_is_due_after_the_idle_delay_and_never_while_held(session, clock):
    assert session.seconds_to_autosave() is None
    session.set_field(("account",), "name", "X")
    assert session.seconds_to_autosave() == pytest.approx(2.0)
    assert not session.autosave_due()
    clock.t += 2.5
    assert session.autosave_due()
    session.hold()
    assert not session.autosave_due() and session.begin_save() is None
    session.release()
    job = session.begin_save()
    assert job is not None and session.saving and not session.autosave_due()
    session.save_failed()
    assert session.dirty and not session.saving


def test_an_edit_during_a_save_leaves_the_plan_dirty(session, path):
    session.set_field(("account",), "name", "X")
    job = session.begin_save()
    assert job is not None
    session.set_field(("account",), "name", "XY")  # typed while the worker writes
    session.planfile.save(job.snap)
    session.save_done(job)
    assert session.dirty
    assert 'name = "X"' in path.read_text("utf-8")


def test_recovery_is_due_once_per_change_and_not_when_clean(session, clock):
    assert not session.recovery_due()
    session.set_field(("account",), "name", "X")
    clock.t += 1.5
    assert session.recovery_due()
    data = session.recovery_data()
    assert data["account"]["name"] == "X"
    clock.t += 5
    assert not session.recovery_due()
    session.set_field(("account",), "name", "XY")
    assert session.recovery_due()


def test_recovery_data_copies_only_what_changed_and_always_equals_the_plan(session, clock):
    from kamtui.model.convert import to_data

    plan = session.plan
    edits = [
        lambda: session.set_field(("account",), "name", "X"),
        lambda: session.set_answer("priorities", answer="Typed", typing=True),
        lambda: session.add_item("actions", {"title": "Call", "owner": "F."}, index=0),
        lambda: session.delete_item("competitors", uid_of(session, "competitors", 0)),
        lambda: session.move_item("stakeholders", uid_of(session, "stakeholders", 0), 1),
        lambda: session.set_field(("swot",), "threats", ["A threat"]),
        lambda: session.set_field(("team", uid_of(session, "team", 0)), "role", "Logistics"),
        lambda: session.set_field(("top",), "lang", "en"),
        session.undo,
        session.undo,
        session.redo,
    ]
    first = session.recovery_data() if session.recovery_due() else None
    assert first is None  # nothing to recover yet
    session.set_field(("account",), "name", "Start")
    previous = session.recovery_data()
    assert previous == to_data(plan)
    for edit in edits:
        clock.t += 2
        edit()
        data = session.recovery_data()
        assert data == to_data(session.plan)
        assert list(data) == list(to_data(session.plan))  # file order
        previous = data
    # Typing in the account again: the actions (the bulk of a big plan) are not copied again.
    session.set_field(("account",), "name", "Again")
    again = session.recovery_data()
    assert again["actions"] is previous["actions"]
    assert again["account"] is not previous["account"] and again["account"]["name"] == "Again"


def test_a_failed_save_is_not_retried_by_autosave_until_the_next_edit(session, clock):
    session.set_field(("account",), "name", "X")
    clock.t += 3
    job = session.begin_save()
    assert job is not None
    session.save_failed()  # a full disk
    clock.t += 10
    assert not session.autosave_due()  # no retry every tick (each one a message and a write attempt)
    assert session.begin_save() is not None  # ctrl+s still tries
    session.save_failed()
    session.set_field(("account",), "name", "XY")
    clock.t += 3
    assert session.autosave_due()
