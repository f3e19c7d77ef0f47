"""The semantic diff (kamtui.report.diff): each kind of change is reported, and nothing else; long
text word by word; the lines, the JSON form; random edits against what really changed."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

from conftest import DEMO
from hypothesis import given
from hypothesis import strategies as st
from strategies import plans
from test_merge import PROPERTY, by_key, side, written  # tests/ is on sys.path under pytest

from kamtui.model.convert import from_data, to_data
from kamtui.model.plan import LISTS, Action, Measure, Plan, TeamMember
from kamtui.report.diff import PlanDiff, diff_plans, diff_texts, diff_versions, render_text, word_hunks
from kamtui.report.versions import read_full, read_version
from kamtui.store.planfile import PlanFile

BASE = DEMO.read_text("utf-8")


def edit(text: str, change) -> str:
    plan, problems = from_data(tomllib.loads(text))
    assert not problems
    planfile = PlanFile(Path("plan.toml"), plan, text, None)
    change(planfile.plan)
    return planfile.render(planfile.snapshot())


def lines(change) -> list[str]:
    text = render_text(diff_texts(BASE, edit(BASE, change)))
    return text.split("\n") if text else []


def action(plan: Plan, action_id: str) -> Action:
    found = plan.find("actions", action_id)
    assert found is not None
    return found


def test_no_change_is_no_diff_and_comments_are_not_changes():
    assert not diff_texts(BASE, BASE)
    assert render_text(diff_texts(BASE, BASE)) == ""
    commented = BASE.replace('kam = "Fabienne B."', 'kam = "Fabienne B."  # depuis 2024')
    commented = commented.replace('[[actions]]\nid = "a-gp25co"', '# la suite\n[[actions]]\nid = "a-gp25co"')
    assert not diff_texts(BASE, commented)


def test_a_field_changed_is_reported_old_to_new_naming_the_item():
    assert lines(lambda p: setattr(action(p, "a-rg7u4i"), "status", "doing")) == [
        'actions "Négocier les têtes de gondole du lancement en octobre" (a-rg7u4i): status done → doing'
    ]
    assert lines(lambda p: setattr(action(p, "a-rg7u4i"), "investment", None)) == [
        'actions "Négocier les têtes de gondole du lancement en octobre" (a-rg7u4i): investment 45000.0 → (none)'
    ]
    assert lines(lambda p: setattr(action(p, "a-rg7u4i"), "due", dt.date(2026, 9, 30))) == [
        'actions "Négocier les têtes de gondole du lancement en octobre" (a-rg7u4i): due 2026-09-15 → 2026-09-30'
    ]


def test_tables_and_top_keys():
    assert lines(lambda p: setattr(p.account, "kam", "Fabienne Bernard")) == [
        'account: kam "Fabienne B." → "Fabienne Bernard"'
    ]
    assert lines(lambda p: setattr(p, "lang", "en")) == ["plan: lang fr → en"]


def test_items_added_removed_and_moved():
    new = Action(id="a-new001", title="Animation en magasin")
    assert lines(lambda p: p.actions.append(new)) == ['actions "Animation en magasin" (a-new001): added']
    assert lines(lambda p: p.actions.remove(action(p, "a-gp25co"))) == [
        'actions "Former les chefs de rayon à la gamme Pocket" (a-gp25co): removed'
    ]
    # Moving the third action first moves it only: the two it passed are not "moved".
    assert lines(lambda p: p.actions.insert(0, p.actions.pop(2))) == [
        'actions "Mettre en place le réassort automatique sur les douze références Pocket" (a-o64iyk): moved from 3 to 1'
    ]


def test_moved_and_changed():
    def change(plan: Plan) -> None:
        plan.actions.insert(0, plan.actions.pop(1))
        plan.actions[0].owner = "Paul R."

    assert lines(change) == [
        'actions "Former les chefs de rayon à la gamme Pocket" (a-gp25co): moved from 2 to 1',
        'actions "Former les chefs de rayon à la gamme Pocket" (a-gp25co): owner "Inès T." → "Paul R."',
    ]


def test_team_members_by_name_measures_by_kpi_and_period_gaps_by_question():
    assert lines(lambda p: setattr(p.account.team[0], "role", "Logistique")) == [
        'account.team "Paul R.": role "Supply chain" → "Logistique"'
    ]
    assert lines(lambda p: p.account.team.append(TeamMember(name="Léa V.", role="Finance"))) == [
        'account.team "Léa V.": added'
    ]
    assert lines(lambda p: setattr(p.measures[1], "actual", 5.2)) == ["measures k-share 2026-11: actual (none) → 5.2"]
    assert lines(lambda p: p.measures.append(Measure(kpi="k-share", period="2027-06", target=10.0))) == [
        "measures k-share 2027-06: added"
    ]
    assert lines(lambda p: setattr(p.gaps[0], "resolved", True)) == [
        'gaps "Volume des ventes de la catégorie snacking fruité par région ?" (g-gyayrj): resolved false → true'
    ]


def test_long_text_is_shown_word_by_word_in_the_lines_that_changed():
    def change(plan: Plan) -> None:
        entry = plan.diagnostic["history"]
        entry.answer = entry.answer.replace("Relation de quatre ans", "Relation de cinq ans")
        entry.updated = dt.date(2026, 11, 28)

    assert lines(change) == [
        "diagnostic.history: answer:",
        "    Relation de [-quatre-]{+cinq+} ans, commencée par un référencement régional des jus bio en 2023.",
        "diagnostic.history: updated 2026-10-30 → 2026-11-28",
    ]


def test_word_hunks_of_added_and_removed_lines():
    assert word_hunks("a\nb\nc", "a\nb\nnew\nc") == [[("+", "new")]]
    assert word_hunks("a\nb\nc", "a\nc") == [[("-", "b")]]
    assert word_hunks("one two three", "one 2 three") == [[("=", "one "), ("-", "two"), ("+", "2"), ("=", " three")]]


def test_a_new_answer_and_the_swot_item_by_item():
    def answer(plan: Plan) -> None:
        entry = plan.answer("performance")
        entry.answer, entry.status = "Croissance de 12 %.", "answered"

    assert lines(answer) == [
        "diagnostic.performance: answer:",
        "    {+Croissance de 12 %.+}",
        "diagnostic.performance: status draft → answered",
    ]

    def swot(plan: Plan) -> None:
        plan.swot.strengths.append("Délais tenus")
        plan.swot.threats.pop(0)

    assert lines(swot) == [
        'swot: strengths: added "Délais tenus"',
        'swot: threats: removed "Marque propre Distrib Bio poussée par l\'enseigne"',
    ]


def test_sections_come_in_file_order():
    def change(plan: Plan) -> None:
        action(plan, "a-rg7u4i").status = "doing"
        plan.swot.strengths.append("X")
        plan.gaps[0].resolved = True
        plan.account.kam = "K"

    assert [line.split(" ", 1)[0] for line in lines(change)] == ["account:", "gaps", "swot:", "actions"]


def test_the_json_form():
    def change(plan: Plan) -> None:
        plan.diagnostic["history"].answer = plan.diagnostic["history"].answer.replace("quatre", "cinq")
        action(plan, "a-rg7u4i").due = dt.date(2026, 9, 30)

    data = json.loads(json.dumps(diff_texts(BASE, edit(BASE, change)).as_json()))
    assert data["changes"][0]["section"] == "diagnostic" and data["changes"][0]["key"] == ["history"]
    [answer] = data["changes"][0]["fields"]
    assert answer["words"] == [[["=", "Relation de "], ["-", "quatre"], ["+", "cinq"], ["=", answer["words"][0][3][1]]]]
    assert data["changes"][1]["fields"] == [{"field": "due", "old": "2026-09-15", "new": "2026-09-30"}]


def test_control_characters_from_the_plan_are_shown_as_escapes():
    def change(plan: Plan) -> None:
        action(plan, "a-rg7u4i").title = "Évil\x1b]52;c;aGk=\x07 \x9b31m"
        action(plan, "a-rg7u4i").notes = "ligne\x1b[2J\nsuite"

    text = "\n".join(lines(change))
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "\\x1b]52;c;aGk=\\x07 \\x9b31m" in text and "\\x1b[2J" in text


def test_diff_of_plans_in_memory():
    old, _ = from_data(tomllib.loads(BASE))
    new, _ = from_data(tomllib.loads(BASE))
    new.actions[0].status = "doing"
    diff = diff_plans(old, new)
    assert [(c.section, c.key, [f.field for f in c.fields]) for c in diff.changes] == [
        ("actions", ("a-rg7u4i",), ["status"])
    ]


# --- random edits ---------------------------------------------------------------------------------


def _public(key: tuple) -> tuple[str, ...]:
    *natural, occurrence = key
    return tuple(str(p) for p in natural) + ((f"#{occurrence + 1}",) if occurrence else ())


def what_changed(old: dict, new: dict) -> set[tuple]:
    """(section, key, field or "added"/"removed") for every difference of content."""
    out: set[tuple] = set()
    for table, section in (("account", "account"), ("swot", "swot")):
        for name in set(old[table]) | set(new[table]):
            if old[table].get(name) != new[table].get(name):
                out.add((section, (), name))
    for name in ("team", "diagnostic", *LISTS):
        section = "account.team" if name == "team" else name
        for key in set(old[name]) | set(new[name]):
            before, after = old[name].get(key), new[name].get(key)
            if name == "diagnostic":
                blank = {"answer": "", "status": "draft"}
                before, after = before or blank, after or blank
            if before is None or after is None:
                out.add((section, _public(key), "added" if before is None else "removed"))
                continue
            for field in set(before) | set(after):
                if before.get(field) != after.get(field):
                    out.add((section, _public(key), field))
    return out


def reported(diff: PlanDiff) -> set[tuple]:
    out: set[tuple] = set()
    for change in diff.changes:
        if change.change in ("added", "removed"):
            out.add((change.section, change.key, change.change))
        for fc in change.fields:
            out.add((change.section, change.key, fc.field))
    return out


@PROPERTY
@given(plans(max_size=3), st.data())
def test_every_change_is_reported_and_nothing_else(plan, data):
    base = written(plan)
    x = side(base, data, "x")
    diff = diff_texts(base, x)
    old, new = by_key(to_data(from_data(tomllib.loads(base))[0])), by_key(to_data(from_data(tomllib.loads(x))[0]))
    old["swot"] = to_data(from_data(tomllib.loads(base))[0])["swot"]  # lines in order: a reorder is a change
    new["swot"] = to_data(from_data(tomllib.loads(x))[0])["swot"]
    assert reported(diff) == what_changed(old, new)
    assert render_text(diff) == render_text(diff_versions(read_full(base, "a"), read_full(x, "b")))
    assert bool(diff) == (base != x and bool(what_changed(old, new) or _moved(diff)))
    try:
        fast = diff_versions(read_version(base, "a"), read_version(x, "b"))
    except Exception:  # noqa: BLE001 - the fast reading may decline such a text
        return
    assert fast.as_json() == diff.as_json()


def _moved(diff: PlanDiff) -> bool:
    return any(c.moved for c in diff.changes)
