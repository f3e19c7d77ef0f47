"""The model: question states, completeness, overdue actions, dangling ids, operations, question bank."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kamtui.model import ops
from kamtui.model.plan import Action, Answer, Kpi, Measure, Objective, Plan, Stakeholder
from kamtui.model.questions import CORE_IDS, load_bank
from kamtui.model.rules import (
    ANSWERED,
    DRAFT,
    TO_CONFIRM,
    UNANSWERED,
    completeness,
    dangling_references,
    overdue_actions,
    question_state,
    unanswered,
)
from kamtui.store.locations import question_templates
from kamtui.store.planfile import PlanFile

TODAY = dt.date(2027, 3, 1)


@pytest.fixture
def bank():
    return load_bank(question_templates())


# --- question states -----------------------------------------------------------


@pytest.mark.parametrize(
    "entry, state",
    [
        (None, UNANSWERED),
        (Answer(answer="", status="answered"), UNANSWERED),
        (Answer(answer="  \n\t ", status="answered"), UNANSWERED),
        (Answer(answer="Some text", status="draft"), DRAFT),
        (Answer(answer="Some text", status="to-confirm"), TO_CONFIRM),
        (Answer(answer="Some text", status="answered"), ANSWERED),
    ],
)
def test_question_state(entry, state):
    plan = Plan()
    if entry is not None:
        plan.diagnostic["know-client"] = entry
    assert question_state(plan, "know-client") == state
    assert (entry is not None and entry.is_answered) == (state == ANSWERED)


def test_unanswered_lists_every_question_not_answered(bank):
    plan = Plan()
    plan.diagnostic["history"] = Answer(answer="Long.", status="answered")
    plan.diagnostic["priorities"] = Answer(answer="Maybe.", status="to-confirm")
    missing = [q.id for q in unanswered(plan, bank)]
    assert "history" not in missing
    assert missing == [qid for qid in CORE_IDS if qid != "history"]


# --- completeness ----------------------------------------------------------------


def test_completeness_of_empty_demo_and_complete_plans(bank, demo_file, complete_file):
    assert completeness(Plan(), bank) == 0
    demo = PlanFile.load(demo_file).plan
    assert 0 < completeness(demo, bank) < 100
    complete = PlanFile.load(complete_file).plan
    assert completeness(complete, bank) == 100
    # one unanswered question takes it below 100
    complete.diagnostic["history"].status = "draft"
    assert 0 < completeness(complete, bank) < 100


def test_completeness_grows_with_answers(bank, demo_file):
    plan = PlanFile.load(demo_file).plan
    before = completeness(plan, bank)
    for q in bank:
        ops.set_answer(plan, q.id, answer="Done.", status="answered", today=TODAY)
    assert completeness(plan, bank) > before


# --- overdue -----------------------------------------------------------------------


def test_overdue_actions_with_a_fixed_today():
    plan = Plan(
        actions=[
            Action(id="a-1", due=dt.date(2027, 2, 28), status="todo"),  # overdue
            Action(id="a-2", due=dt.date(2027, 2, 1), status="doing"),  # overdue
            Action(id="a-3", due=dt.date(2027, 2, 1), status="blocked"),  # overdue
            Action(id="a-4", due=dt.date(2027, 2, 1), status="done"),
            Action(id="a-5", due=dt.date(2027, 2, 1), status="dropped"),
            Action(id="a-6", due=TODAY, status="todo"),  # due today: not yet overdue
            Action(id="a-7", due=None, status="todo"),
            Action(id="a-8", due=dt.date(2027, 3, 2), status="todo"),
        ]
    )
    assert [a.id for a in overdue_actions(plan, TODAY)] == ["a-1", "a-2", "a-3"]
    assert overdue_actions(plan, dt.date(2000, 1, 1)) == []


# --- dangling references -------------------------------------------------------------


def test_dangling_references():
    plan = Plan(
        kpis=[Kpi(id="k-share")],
        measures=[Measure(kpi="k-share", period="2027"), Measure(kpi="k-gone", period="2027")],
        objectives=[Objective(id="o-1", kpi="k-share"), Objective(id="o-2", kpi="k-nope")],
        actions=[Action(id="a-1", objective="o-1"), Action(id="a-2", objective=""), Action(id="a-3", objective="o-9")],
        stakeholders=[
            Stakeholder(id="s-1"),
            Stakeholder(id="s-2", reports_to="s-1"),
            Stakeholder(id="s-3", reports_to="s-404"),
        ],
    )
    found = {(p.path, p.message) for p in dangling_references(plan)}
    assert {path for path, _ in found} == {
        "measures[2].kpi",
        "objectives[2].kpi",
        "actions[3].objective",
        "stakeholders[3].reports_to",
    }
    assert all(("k-gone" in m) or ("k-nope" in m) or ("o-9" in m) or ("s-404" in m) for _, m in found)


def test_no_dangling_references_in_demo_and_complete_plans(demo_file, complete_file):
    assert dangling_references(PlanFile.load(demo_file).plan) == []
    assert dangling_references(PlanFile.load(complete_file).plan) == []


# --- ops -------------------------------------------------------------------------------

ID_RE = re.compile(r"^[a-z]-[a-z2-7]{6}$")


def test_new_id_format():
    ids = {ops.new_id(prefix) for prefix in "acghkos" for _ in range(50)}
    assert all(ID_RE.match(i) for i in ids), [i for i in ids if not ID_RE.match(i)]
    assert len(ids) > 340  # random: practically no repeats


def test_new_id_avoids_taken_ids(monkeypatch):
    picks = iter("aaaaaaaaaaaabbbbbb")
    monkeypatch.setattr(ops.secrets, "choice", lambda seq: next(picks))
    assert ops.new_id("a", {"a-aaaaaa"}) == "a-bbbbbb"


def test_new_item_gets_a_fresh_id_not_taken_in_its_list():
    plan = Plan(actions=[Action(id="a-aaaaaa")])
    item = ops.new_item(plan, "actions", title="New")
    assert ID_RE.match(item.id) and item.id != "a-aaaaaa"
    assert item.title == "New"
    assert ops.new_item(plan, "actions", id="a-mine11").id == "a-mine11"


@pytest.mark.parametrize(
    "index, delta, target, order",
    [
        (0, -1, 0, "abcd"),
        (3, 1, 3, "abcd"),
        (0, 1, 1, "bacd"),
        (3, -1, 2, "abdc"),
        (1, 10, 3, "acdb"),
        (2, -10, 0, "cabd"),
        (1, 0, 1, "abcd"),
    ],
)
def test_move_item_stays_within_bounds(index, delta, target, order):
    plan = Plan(actions=[Action(id=c) for c in "abcd"])
    assert ops.move_item(plan, "actions", index, delta) == target
    assert "".join(a.id for a in plan.actions) == order


def test_add_and_remove_item():
    plan = Plan(actions=[Action(id="a"), Action(id="b")])
    assert ops.add_item(plan, "actions", Action(id="c")) == 2
    assert ops.add_item(plan, "actions", Action(id="z"), 0) == 0
    assert ops.add_item(plan, "actions", Action(id="y"), 99) == 4
    assert [a.id for a in plan.actions] == ["z", "a", "b", "c", "y"]
    assert ops.remove_item(plan, "actions", 1).id == "a"


def test_set_answer_stamps_updated_only_when_the_text_changes():
    plan = Plan()
    day1, day2, day3 = dt.date(2027, 1, 1), dt.date(2027, 1, 2), dt.date(2027, 1, 3)
    assert ops.set_answer(plan, "history", answer="Four years.", today=day1) is True
    assert plan.diagnostic["history"].updated == day1
    assert ops.set_answer(plan, "history", status="answered", today=day2) is True
    assert plan.diagnostic["history"].updated == day1
    assert plan.diagnostic["history"].status == "answered"
    assert ops.set_answer(plan, "history", answer="Four years.", status="answered", today=day2) is False
    assert plan.diagnostic["history"].updated == day1
    assert ops.set_answer(plan, "history", answer="Five years.", today=day3) is True
    assert plan.diagnostic["history"].updated == day3


def test_set_answer_is_saved_with_its_date(tmp_path, complete_file):
    planfile = PlanFile.load(complete_file)
    ops.set_answer(planfile.plan, "history", answer="Five years.", today=dt.date(2027, 5, 4))
    planfile.save()
    text = complete_file.read_text("utf-8")
    section = text.split("[diagnostic.history]", 1)[1].split("[", 1)[0]
    assert "Five years." in section and "updated = 2027-05-04" in section


# --- question bank -------------------------------------------------------------------


def test_question_bank_has_the_seven_core_questions_in_both_languages(bank):
    assert bank.problems == ()
    assert (
        [q.id for q in bank]
        == list(CORE_IDS)
        == [
            "know-client",
            "market-challenges",
            "priorities",
            "competition",
            "history",
            "ways-of-working",
            "performance",
        ]
    )
    areas = {q.id: q.area for q in bank}
    assert areas == {
        "know-client": "client",
        "market-challenges": "market",
        "priorities": "client",
        "competition": "competition",
        "history": "relationship",
        "ways-of-working": "relationship",
        "performance": "performance",
    }
    for q in bank:
        assert q.core
        for text in (q.fr, q.en, q.hint_fr, q.hint_en):
            assert text.strip(), q.id
        assert q.fr != q.en and q.hint_fr != q.hint_en, q.id
        assert q.text("fr") == q.fr and q.text("en") == q.en
        assert q.hint("fr") == q.hint_fr and q.hint("en") == q.hint_en


def test_template_adds_a_question_and_cannot_replace_a_core_one(isolated_home):
    (isolated_home / "questions.toml").write_text(
        """\
[[questions]]
id = "supply"
area = "performance"
fr = "Comment se passe la logistique ?"
en = "How is the supply chain doing?"
hint_fr = "Taux de service."
hint_en = "Service level."

[[questions]]
id = "know-client"
area = "client"
fr = "Remplacée ?"
en = "Replaced?"
""",
        encoding="utf-8",
    )
    bank = load_bank(question_templates())
    assert [q.id for q in bank] == [*CORE_IDS, "supply"]
    supply = bank.by_id("supply")
    assert supply.en == "How is the supply chain doing?" and not supply.core
    assert bank.by_id("know-client").en != "Replaced?"
    assert bank.by_id("know-client").core
    assert any("know-client" in p for p in bank.problems)
    # the template question counts for the plans
    assert "supply" in [q.id for q in unanswered(Plan(), bank)]


def test_broken_template_keeps_the_core_questions(isolated_home):
    (isolated_home / "questions.toml").write_text("[[questions]\n", encoding="utf-8")
    bank = load_bank(question_templates())
    assert [q.id for q in bank] == list(CORE_IDS)
    assert len(bank.problems) == 1 and "questions.toml" in bank.problems[0]


def test_template_question_shows_in_check_strict(capsys, isolated_home, complete_file):
    from kamtui.cli import main

    (isolated_home / "questions.toml").write_text(
        '[[questions]]\nid = "supply"\narea = "performance"\nfr = "Logistique ?"\nen = "Supply?"\n', encoding="utf-8"
    )
    assert main(["check", "--strict", str(complete_file)]) == 1
    out, err = capsys.readouterr()
    assert err == f"{complete_file}:1: diagnostic.supply: question not answered\n"


def test_plan_classes_compare_and_show_as_dataclasses_do():
    """kamtui.model.struct stands in for @dataclass's generated __eq__ and __repr__."""
    import dataclasses

    from kamtui.model.plan import Action, Gap, Plan

    one, two = Action(title="Call", uid=1), Action(title="Call", uid=2)
    assert one == two  # uid is not compared (compare=False), as with @dataclass
    assert one != Action(title="Visit", uid=1)
    assert one != Gap() and (one == "Call") is False  # another class: never equal
    assert Plan() == Plan() and Plan(actions=[one]) == Plan(actions=[two]) != Plan()
    shown = repr(one)
    names = [f.name for f in dataclasses.fields(Action) if f.repr]
    assert shown.startswith("Action(id=''") and all(f"{name}=" in shown for name in names)
    hidden = [f.name for f in dataclasses.fields(Action) if not f.repr]
    assert all(f"{name}=" not in shown for name in hidden)
    with pytest.raises(TypeError):
        hash(one)  # mutable: unhashable, as @dataclass(eq=True)
