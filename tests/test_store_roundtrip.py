"""The plan file store keeps files byte for byte (SPEC §3, §9 point 7).

Every test looks at the bytes on disk: loading and saving without edits
changes nothing, any valid plan round-trips, a one-field edit gives a one-hunk
diff, hand-written comments and unknown keys survive, the same edits give the
same bytes, and structural edits keep the app's layout.

Lines are compared with ``text.split("\\n")``, not ``splitlines()``, which would
also cut at characters such as U+2028 or U+0085 inside strings.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import difflib
import itertools
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import (  # tests/ is on sys.path under pytest
    LIST_NAMES,
    dates,
    items,
    layout_problems,
    list_class,
    outside_strings,
    plans,
    qids,
    texts,
    values,
)

from kamtui.model import ops
from kamtui.model.convert import answer_is_blank, to_data
from kamtui.model.plan import LISTS, Account, Action, Answer, Gap, Measure, Plan, Swot, TeamMember
from kamtui.model.schema import STRLIST, TEXT, specs
from kamtui.store.planfile import PlanFile
from kamtui.store.writer import SECTIONS, make_item, patch

DEMO = Path(__file__).resolve().parent.parent / "kamtui" / "data" / "demo.toml"

# Hypothesis runs many examples in one test call: each gets its own folder of tmp_path.
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
_folders = itertools.count()
# Each run tries a few dozen examples per property (the suite must stay quick on 2 CPUs);
# KAMTUI_HYPOTHESIS_SCALE=20 runs 20 times more (a deeper, slower search, e.g. before a release).
SCALE = int(os.environ.get("KAMTUI_HYPOTHESIS_SCALE", "1"))


def folder(tmp_path: Path) -> Path:
    path = tmp_path / f"ex{next(_folders)}"
    path.mkdir()
    return path


def put(folder_: Path, text: str, name: str = "plan.toml") -> Path:
    path = folder_ / name
    path.write_bytes(text.encode("utf-8"))
    return path


def lines(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\n")


def hunks(old: bytes, new: bytes) -> list[tuple[str, int, int, int, int]]:
    """The non-equal opcodes between the lines of two files."""
    matcher = difflib.SequenceMatcher(None, lines(old), lines(new))
    return [op for op in matcher.get_opcodes() if op[0] != "equal"]


def same_plan(a: Plan, b: Plan) -> bool:
    return to_data(a) == to_data(b)


def reload(path: Path) -> Plan:
    return PlanFile.load(path).plan


# --- 1. the demo plan ------------------------------------------------------------


def test_demo_save_without_edits_keeps_bytes(tmp_path):
    original = DEMO.read_bytes()
    path = put(tmp_path, original.decode("utf-8"))
    planfile = PlanFile.load(path)
    assert planfile.save() is False
    assert path.read_bytes() == original
    assert planfile.render(planfile.snapshot()) == original.decode("utf-8")
    # Patching the document with no change (the path of a real save) changes nothing.
    doc = tomlkit.parse(original.decode("utf-8"))
    patch(doc, planfile.snapshot(), planfile.snapshot())
    assert doc.as_string() == original.decode("utf-8")
    # A second load of the untouched file sees the same plan and writes nothing either.
    again = PlanFile.load(path)
    assert same_plan(again.plan, planfile.plan)
    assert again.save() is False
    assert path.read_bytes() == original


def test_demo_edit_then_undo_gives_original_bytes(tmp_path):
    original = DEMO.read_bytes()
    path = put(tmp_path, original.decode("utf-8"))
    planfile = PlanFile.load(path)
    action = planfile.plan.actions[3]
    old_title, old_due = action.title, action.due
    ops.update_item(action, title="Autre titre", due=None)
    assert planfile.save() is True
    assert path.read_bytes() != original
    ops.update_item(action, title=old_title, due=old_due)
    assert planfile.save() is True
    assert path.read_bytes() == original


# --- 2. any valid plan round-trips -----------------------------------------------


def _prune(data: dict[str, Any]) -> dict[str, Any]:
    """to_data() without what a new file leaves out: empty lists and tables of items."""
    data = copy.deepcopy(data)
    if not data["account"]["team"]:
        del data["account"]["team"]
    return {k: v for k, v in data.items() if v != [] and v != {} or k in ("account", "swot")}


def _key_order(value: Any) -> Any:
    if isinstance(value, dict):
        return [(k, _key_order(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_key_order(v) for v in value]
    return None


@settings(SETTINGS, max_examples=30 * SCALE)
@given(plan=plans())
def test_any_plan_round_trips_byte_identical(tmp_path, plan):
    here = folder(tmp_path)
    path = here / "a.toml"
    expected = to_data(plan)
    PlanFile.create(path, plan)
    written = path.read_bytes()
    text = written.decode("utf-8")
    # Deterministic layout, keys and tables in SPEC §3 order, values exactly the plan's.
    assert layout_problems(text) == []
    parsed = tomllib.loads(text)
    assert parsed == _prune(expected)
    assert _key_order(parsed) == _key_order(_prune(expected))
    # Load: same plan; save without edits: same bytes.
    loaded = PlanFile.load(path)
    assert to_data(loaded.plan) == expected
    assert loaded.save() is False
    assert path.read_bytes() == written
    assert loaded.render(loaded.snapshot()) == text
    # A load of what was saved loads again to the same plan.
    assert to_data(reload(path)) == expected
    # The same plan, created again, gives the same bytes.
    PlanFile.create(here / "b.toml", copy.deepcopy(plan))
    assert (here / "b.toml").read_bytes() == written


def test_create_never_writes_over_a_file(tmp_path):
    path = put(tmp_path, "keep me\n")
    with pytest.raises(FileExistsError):
        PlanFile.create(path, Plan())
    assert path.read_bytes() == b"keep me\n"


def test_create_with_a_header_comment(tmp_path):
    path = tmp_path / "distrib-sa-2027.toml"
    header = "# Account Business Plan — Distrib SA — 2027\n"
    PlanFile.create(path, _plan_with_everything(), header)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(header + 'schema = 1\nlang = "fr"\n\n[account]\n')
    assert text[len(header) :] == canonical(tmp_path, _plan_with_everything())
    assert layout_problems(text) == []


def test_empty_plan_round_trips(tmp_path):
    path = tmp_path / "empty.toml"
    PlanFile.create(path, Plan())
    written = path.read_bytes()
    assert layout_problems(written.decode()) == []
    assert written.startswith(b'schema = 1\nlang = "en"\n\n[account]\n')
    assert PlanFile.load(path).save() is False
    assert path.read_bytes() == written


# --- 3. a one-field edit gives a one-hunk diff --------------------------------------


@dataclasses.dataclass
class Edit:
    """One field of one table of a plan, and its new value."""

    where: str
    obj: Any = dataclasses.field(repr=False)
    name: str
    value: Any

    def apply(self, plan: Plan) -> None:
        target = locate(plan, self.where)
        if self.where == "top":
            plan.lang = self.value
        else:
            setattr(target, self.name, self.value)


def locate(plan: Plan, where: str) -> Any:
    """The object named ``where``: "top", "account", "swot", "diagnostic:<qid>" or "<list>:<n>"."""
    if where == "top":
        return plan
    if where in ("account", "swot"):
        return getattr(plan, where)
    kind, _, rest = where.partition(":")
    if kind == "diagnostic":
        return plan.diagnostic[rest]
    return plan.items(kind)[int(rest)]


def places(plan: Plan) -> list[str]:
    found = ["top", "account", "swot"]
    found += [f"diagnostic:{qid}" for qid in plan.diagnostic]
    for name in LIST_NAMES:
        found += [f"{name}:{n}" for n in range(len(plan.items(name)))]
    return found


def rendered_lines(value: Any, kind: str) -> list[str]:
    """The lines the writer would give a value, after the ``key = ...`` line."""
    if value is None:
        return []
    return make_item(value, kind).as_string().split("\n")[1:]


class Quiet:
    """Arguments for a strategy, with a short repr (a whole plan is too long to show)."""

    def __init__(self, **values: Any):
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return "..."


@st.composite
def edits(draw: Any, args: Quiet) -> Edit:
    """One field of one table and a valid new value, different from the old one."""
    plan, old_lines = args.plan, args.old_lines
    where = draw(st.sampled_from(places(plan)))
    obj = locate(plan, where)
    if where == "top":
        value = "en" if plan.lang == "fr" else "fr"
        return Edit(where, obj, "lang", value)
    cls = type(obj)
    name, spec = draw(st.sampled_from(specs(cls)))
    value = draw(values(cls, name, spec))
    assume(value != getattr(obj, name))
    if name == "id":
        kind = where.partition(":")[0]
        assume(value not in {item.id for item in plan.items(kind)})
    # Lines of the new value that also occur in the old file could be matched
    # by SequenceMatcher and split one change into several opcodes.
    kind = spec.kind
    if kind == STRLIST:
        new_lines = [line for line in rendered_lines(value, kind) if line != "]"]
    else:
        new_lines = rendered_lines(value, kind)
    assume(not set(new_lines) & set(old_lines))
    return Edit(where, obj, name, value)


def _one_field_edit(path: Path, data: Any) -> tuple[Edit, Any, PlanFile, bytes] | None:
    """Edit one field of the plan at ``path``; check the diff and the reload.

    Returns what is needed to undo the edit (None if the file did not change)."""
    before = path.read_bytes()
    planfile = PlanFile.load(path)
    edit = data.draw(edits(Quiet(plan=planfile.plan, old_lines=lines(before))))
    old_value = getattr(edit.obj, edit.name) if edit.where != "top" else planfile.plan.lang
    expected = copy.deepcopy(planfile.plan)
    edit.apply(expected)
    edit.apply(planfile.plan)
    changed = planfile.save()
    after = path.read_bytes()
    if (
        edit.where.startswith("diagnostic:")
        and answer_is_blank(edit.obj)
        and answer_is_blank(dataclasses.replace(edit.obj, **{edit.name: old_value}))
    ):
        assert changed is False  # a blank answer is not in the file, before or after
        assert after == before
        return
    assert changed is True
    assert len(hunks(before, after)) == 1, hunks(before, after)
    assert same_plan(reload(path), expected)
    return edit, old_value, planfile, before


@settings(SETTINGS, max_examples=30 * SCALE)
@given(plan=plans(), data=st.data())
def test_one_field_edit_gives_one_hunk(tmp_path, plan, data):
    path = folder(tmp_path) / "plan.toml"
    PlanFile.create(path, plan)
    result = _one_field_edit(path, data)
    assert layout_problems(path.read_text(encoding="utf-8")) == []
    if result:
        # Setting the old value back gives the original bytes.
        edit, old_value, planfile, before = result
        edit.value = old_value
        edit.apply(planfile.plan)
        planfile.save()
        assert path.read_bytes() == before


@settings(SETTINGS, max_examples=40 * SCALE)
@given(data=st.data())
def test_one_field_edit_of_demo_gives_one_hunk(tmp_path, data):
    path = put(folder(tmp_path), DEMO.read_text(encoding="utf-8"))
    _one_field_edit(path, data)


# --- 4. hand-edited files keep their comments and unknown keys -----------------------

HAND = """\
# Plan written by hand
# two lines of comments, then a blank line

schema = 1   # format
lang = "en"
x-owner = "me"     # unknown top-level key
x-numbers = [1, 2,
    3]


[account]
# about the client
name = "ACME"      # inline comment after a value
sector = 'literal string'
  country = "FR"
kam = "Me"
period_start = 2027-01-01

summary = \"\"\"
Two
lines\"\"\"
x-note = "unknown key in account"

[[account.team]]
name = "Paul"
role = "Supply"    # who he is

[diagnostic.know-client]
answer = "short answer"   # single-line answer
status = "answered"
# no updated date

[diagnostic.priorities]
status = "draft"   # not answered yet: a blank answer

[x-custom]
foo = { a = 1, b = "two" }
bar = 2027-01-01T10:00:00

[swot]
strengths = ["one", "two"]   # short list
# weaknesses left out

[[actions]]
id = "a-one"
title = "First"
status = "todo"    # keep this comment
x-extra = true
# a comment between keys
due = 2027-03-01

# a comment between actions


[[actions]]
id = "a-two"
\ttitle = "Second"
owner = "Bob"

[[actions]]   # comment on a header
id = "a-three"
title = "Third"
investment = 1_000.0
notes = '''literal
text'''
# last comment, no blank line after
"""

# (table, key) -> new value, and the line of HAND that changes.
HAND_EDITS = [
    ("top", "lang", "fr", 'lang = "en"'),
    ("account", "kam", "Someone else", 'kam = "Me"'),
    ("account", "name", "ACME SA", 'name = "ACME"      # inline comment after a value'),
    ("account", "country", "BE", '  country = "FR"'),
    ("account", "period_start", dt.date(2028, 2, 29), "period_start = 2027-01-01"),
    ("team:0", "role", "Logistics", 'role = "Supply"    # who he is'),
    ("diagnostic:know-client", "status", "to-confirm", 'status = "answered"'),
    ("actions:0", "status", "done", 'status = "todo"    # keep this comment'),
    ("actions:0", "due", dt.date(2027, 4, 1), "due = 2027-03-01"),
    ("actions:1", "title", 'Say "hi"', '\ttitle = "Second"'),
    ("actions:2", "investment", 2.5, "investment = 1_000.0"),
]

# Fields each item of HAND leaves out: never written back by an unrelated edit.
LEFT_OUT = {
    "account": {"group", "currency", "period_end", "strategy", "current_priorities"},
    "actions": {"objective", "investment", "client_commitment", "notes"},
}


def _comments(text: str) -> list[str]:
    """The comments of a file written by hand (none of its strings holds a #)."""
    return [line[line.index("#") :] for line in text.split("\n") if "#" in line]


@pytest.mark.parametrize(("where", "name", "value", "old_line"), HAND_EDITS)
def test_hand_edited_file_keeps_everything_but_the_edited_line(tmp_path, where, name, value, old_line):
    path = put(tmp_path, HAND)
    planfile = PlanFile.load(path)
    expected = copy.deepcopy(planfile.plan)
    Edit(where, None, name, value).apply(expected)
    Edit(where, None, name, value).apply(planfile.plan)
    assert planfile.save() is True
    after = path.read_bytes()
    old, new = HAND.split("\n"), lines(after)
    (op,) = hunks(HAND.encode(), after)
    tag, i1, i2, j1, j2 = op
    assert (tag, i2 - i1, j2 - j1) == ("replace", 1, 1), op
    assert old[i1] == old_line
    assert old[:i1] == new[:j1] and old[i2:] == new[j2:]
    # An inline comment on the edited line stays with it.
    if "#" in old_line:
        assert new[j1].endswith(old_line[old_line.index("#") :])
    assert same_plan(reload(path), expected)
    # Unknown keys and tables are still there, untouched.
    raw_before, raw_after = tomllib.loads(HAND), tomllib.loads(after.decode())
    for key in ("x-owner", "x-numbers", "x-custom"):
        assert raw_after[key] == raw_before[key]
    assert raw_after["account"]["x-note"] == raw_before["account"]["x-note"]
    assert raw_after["actions"][0]["x-extra"] is True
    # Left-out fields are not written back.
    for n, action in enumerate(raw_after["actions"]):
        for field in LEFT_OUT["actions"] - set(raw_before["actions"][n]):
            assert field not in action or (where, name) == (f"actions:{n}", field)
    for field in LEFT_OUT["account"]:
        assert field not in raw_after["account"]
    for n, action in enumerate(raw_after["actions"]):
        assert set(action) - set(raw_before["actions"][n]) <= ({name} if where == f"actions:{n}" else set())
    assert set(raw_after["account"]) - set(raw_before["account"]) <= ({name} if where == "account" else set())
    assert set(raw_after["swot"]) == set(raw_before["swot"])
    assert "updated" not in raw_after["diagnostic"]["know-client"]


@settings(SETTINGS, max_examples=40 * SCALE)
@given(data=st.data())
def test_any_one_field_edit_of_hand_edited_file_gives_one_hunk(tmp_path, data):
    path = put(folder(tmp_path), HAND)
    _one_field_edit(path, data)
    text = path.read_text(encoding="utf-8")
    for comment in _comments(HAND):
        assert comment in text
    raw_before, raw_after = tomllib.loads(HAND), tomllib.loads(text)
    for key in ("x-owner", "x-numbers", "x-custom"):
        assert raw_after[key] == raw_before[key]
    assert raw_after["account"]["x-note"] == raw_before["account"]["x-note"]
    assert raw_after["actions"][0]["x-extra"] is True


def test_hand_edited_file_adding_a_left_out_field_inserts_one_line(tmp_path):
    path = put(tmp_path, HAND)
    planfile = PlanFile.load(path)
    planfile.plan.actions[1].due = dt.date(2027, 5, 1)
    planfile.save()
    after = path.read_bytes()
    (op,) = hunks(HAND.encode(), after)
    assert op[0] == "insert" and op[4] - op[3] == 1
    assert lines(after)[op[3]] == "due = 2027-05-01"
    assert lines(after)[op[3] - 1] == 'owner = "Bob"'


def test_first_key_of_a_table_holding_only_comments(tmp_path):
    text = 'schema = 1\n\n[swot]\n# nothing yet\n\n[[gaps]]\nid = "g-1"\n'
    path = put(tmp_path, text)
    planfile = PlanFile.load(path)
    planfile.plan.swot.threats = ["t"]
    planfile.save()
    assert path.read_text(encoding="utf-8") == text.replace(
        "# nothing yet\n", '# nothing yet\nthreats = [\n    "t",\n]\n'
    )


def test_hand_edited_file_without_edits_keeps_bytes(tmp_path):
    path = put(tmp_path, HAND)
    planfile = PlanFile.load(path)
    assert planfile.save() is False
    assert path.read_bytes() == HAND.encode()
    assert planfile.render(planfile.snapshot()) == HAND


def test_hand_edited_file_keeps_comments_through_structural_edits(tmp_path):
    path = put(tmp_path, HAND)
    planfile = PlanFile.load(path)
    plan = planfile.plan
    ops.move_item(plan, "actions", 2, -1)
    ops.add_item(plan, "actions", Action(id="a-new", title="New"), 1)
    ops.add_item(plan, "gaps", Gap(id="g-new", question="Who?"))
    ops.set_answer(plan, "priorities", answer="Growth", today=dt.date(2027, 1, 2))
    expected = copy.deepcopy(plan)
    planfile.save()
    text = path.read_text(encoding="utf-8")
    assert same_plan(reload(path), expected)
    for comment in _comments(HAND):
        assert comment in text
    raw_before, raw_after = tomllib.loads(HAND), tomllib.loads(text)
    for key in ("x-owner", "x-numbers", "x-custom"):
        assert raw_after[key] == raw_before[key]
    assert [a["id"] for a in raw_after["actions"]] == ["a-one", "a-new", "a-three", "a-two"]
    assert set(raw_after["actions"][3]) == set(raw_before["actions"][1])


# --- 5. the same edits give the same bytes ---------------------------------------------


@st.composite
def op_lists(draw: Any) -> list[tuple]:
    """A sequence of edits as plain data, indices taken modulo the list's length."""
    steps = []
    for _ in range(draw(st.integers(1, 8))):
        name = draw(st.sampled_from(LIST_NAMES))
        cls = list_class(name)
        kind = draw(st.sampled_from(["add", "add", "remove", "move", "set", "set", "answer", "account", "save"]))
        if kind == "add":
            item = draw(items(cls))
            steps.append(("add", name, draw(st.integers(0, 5)), dataclasses.asdict(item)))
        elif kind == "remove":
            steps.append(("remove", name, draw(st.integers(0, 5))))
        elif kind == "move":
            steps.append(("move", name, draw(st.integers(0, 5)), draw(st.sampled_from([-2, -1, 1, 2]))))
        elif kind == "set":
            field, spec = draw(st.sampled_from([s for s in specs(cls) if s[0] != "id"]))
            steps.append(("set", name, draw(st.integers(0, 5)), field, draw(values(cls, field, spec))))
        elif kind == "answer":
            steps.append(
                (
                    "answer",
                    draw(qids),
                    draw(st.one_of(st.none(), texts)),
                    draw(st.sampled_from([None, "draft", "answered", "to-confirm"])),
                    draw(dates),
                )
            )
        elif kind == "account":
            field, spec = draw(st.sampled_from(specs(Account)))
            steps.append(("account", field, draw(values(Account, field, spec))))
        else:
            steps.append(("save",))
    return steps


def apply_step(planfile: PlanFile, step: tuple, saves: bool) -> None:
    plan = planfile.plan
    kind = step[0]
    if kind == "add":
        _, name, index, values_ = step
        values_ = {k: v for k, v in values_.items() if k != "uid"}
        cls = list_class(name)
        item = cls(**copy.deepcopy(values_))
        if getattr(item, "id", None) is not None:
            taken = {i.id for i in plan.items(name)}
            if item.id in taken:
                return  # ids stay unique
        ops.add_item(plan, name, item, index)
    elif kind == "remove":
        _, name, index = step
        if plan.items(name):
            ops.remove_item(plan, name, index % len(plan.items(name)))
    elif kind == "move":
        _, name, index, delta = step
        if plan.items(name):
            ops.move_item(plan, name, index % len(plan.items(name)), delta)
    elif kind == "set":
        _, name, index, field, value = step
        if plan.items(name):
            ops.update_item(plan.items(name)[index % len(plan.items(name))], **{field: copy.deepcopy(value)})
    elif kind == "answer":
        _, qid, text, status, today = step
        ops.set_answer(plan, qid, answer=text, status=status, today=today)
    elif kind == "account":
        _, field, value = step
        ops.update_item(plan.account, **{field: copy.deepcopy(value)})
    elif kind == "save" and saves:
        planfile.save()


@settings(SETTINGS, max_examples=30 * SCALE)
@given(plan=plans(max_size=2), steps=op_lists(), source=st.sampled_from(["generated", "demo", "hand"]))
def test_same_edits_give_same_bytes(tmp_path, plan, steps, source):
    here = folder(tmp_path)
    first, second, third = here / "1.toml", here / "2.toml", here / "3.toml"
    if source == "generated":
        PlanFile.create(first, plan)
        text = first.read_text(encoding="utf-8")
    else:
        text = DEMO.read_text(encoding="utf-8") if source == "demo" else HAND
        put(here, text, "1.toml")
    put(here, text, "2.toml")
    put(here, text, "3.toml")
    a, b, c = PlanFile.load(first), PlanFile.load(second), PlanFile.load(third)
    for step in steps:
        apply_step(a, step, saves=False)
        apply_step(b, step, saves=False)
        apply_step(c, step, saves=True)  # the same edits, saved now and then
    for planfile in (a, b, c):
        planfile.save()
    assert first.read_bytes() == second.read_bytes()
    assert same_plan(reload(first), a.plan)
    assert third.read_bytes() == first.read_bytes()


# --- 6. structural edits keep the layout -------------------------------------------------


def check_file(path: Path, expected: Plan) -> str:
    """The file holds ``expected``, is valid TOML and is laid out by the app's rules."""
    data = path.read_bytes()
    text = data.decode("utf-8")
    tomllib.loads(text)
    assert same_plan(reload(path), expected)
    assert layout_problems(text) == []
    assert text.endswith("\n") and not text.endswith("\n\n")
    return text


def canonical(tmp_path: Path, plan: Plan) -> str:
    """What a new file for ``plan`` would hold."""
    path = folder(tmp_path) / "canonical.toml"
    PlanFile.create(path, copy.deepcopy(plan))
    return path.read_text(encoding="utf-8")


def edit_and_check(tmp_path: Path, text: str, change) -> str:
    path = put(folder(tmp_path), text)
    planfile = PlanFile.load(path)
    change(planfile.plan)
    expected = copy.deepcopy(planfile.plan)
    assert planfile.save() is True
    return check_file(path, expected)


def _plan_with_everything() -> Plan:
    plan = Plan(lang="fr")
    plan.account = Account(
        name="Distrib",
        summary="Two\nlines",
        period_start=dt.date(2027, 1, 1),
        team=[TeamMember("Paul", "Supply"), TeamMember("Inès", "Trade"), TeamMember("Jo", "")],
    )
    plan.diagnostic = {"know-client": Answer("Yes", "answered", dt.date(2026, 11, 2))}
    plan.swot = Swot(strengths=["a", "b"], threats=["c"])
    for name, cls in LISTS.items():
        for n in range(3):
            values_ = {"kpi": f"k-{n}", "period": f"2027-0{n + 1}"} if cls is Measure else {"id": f"{name}-{n}"}
            setattr(plan, name, [*getattr(plan, name), cls(**values_)])
    return plan


STRUCTURAL = {
    "add at start": lambda plan, name: ops.add_item(plan, name, _new(plan, name), 0),
    "add in middle": lambda plan, name: ops.add_item(plan, name, _new(plan, name), 1),
    "add at end": lambda plan, name: ops.add_item(plan, name, _new(plan, name)),
    "remove first": lambda plan, name: ops.remove_item(plan, name, 0),
    "remove last": lambda plan, name: ops.remove_item(plan, name, len(plan.items(name)) - 1),
    "remove all": lambda plan, name: plan.items(name).clear(),
    "move first down": lambda plan, name: ops.move_item(plan, name, 0, 1),
    "move last up": lambda plan, name: ops.move_item(plan, name, len(plan.items(name)) - 1, -1),
    "move middle down": lambda plan, name: ops.move_item(plan, name, 1, 1),
}


def _new(plan: Plan, name: str) -> Any:
    if name == "measures":
        return ops.new_item(plan, name, kpi="k-new", period="2028", target=1.0)
    if name == "team":
        return ops.new_item(plan, name, name="New", role="Role")
    return ops.new_item(
        plan, name, **{spec_name: "New" for spec_name, spec in specs(list_class(name)) if spec.kind == TEXT}
    )


@pytest.fixture(scope="module")
def everything(tmp_path_factory) -> str:
    """The file the app writes for :func:`_plan_with_everything` (made once: 81 tests start from it)."""
    return canonical(tmp_path_factory.mktemp("everything"), _plan_with_everything())


@pytest.mark.parametrize("name", LIST_NAMES)
@pytest.mark.parametrize("what", STRUCTURAL)
def test_structural_edit_keeps_layout(tmp_path, everything, what, name):
    text = edit_and_check(tmp_path, everything, lambda plan: STRUCTURAL[what](plan, name))
    # Edits of a file the app wrote give the file the app would write for the new plan.
    plan = PlanFile.load(put(folder(tmp_path), text)).plan
    assert text == canonical(tmp_path, plan)


@pytest.mark.parametrize("name", LIST_NAMES)
@pytest.mark.parametrize("what", STRUCTURAL)
def test_structural_edit_of_demo_keeps_layout(tmp_path, what, name):
    demo = DEMO.read_text(encoding="utf-8")
    text = edit_and_check(tmp_path, demo, lambda plan: STRUCTURAL[what](plan, name))
    # Its comments (one sits between [[kpis]] and [[measures]]) are all kept, in order.
    comments = [line for line in demo.split("\n") if line.startswith("#")]
    assert [line for line in text.split("\n") if line.startswith("#")] == comments


@pytest.mark.parametrize("name", LIST_NAMES)
def test_adding_a_missing_section(tmp_path, name):
    full = _plan_with_everything()
    full.items(name).clear()
    start = canonical(tmp_path, full)
    assert f"[{name}]]" not in start
    text = edit_and_check(tmp_path, start, lambda plan: ops.add_item(plan, name, _new(plan, name)))
    assert text == canonical(tmp_path, PlanFile.load(put(folder(tmp_path), text)).plan)


def test_adding_every_section_to_an_empty_plan(tmp_path):
    start = canonical(tmp_path, Plan())

    def change(plan: Plan) -> None:
        for name in reversed(LIST_NAMES):  # against file order, to place each one
            ops.add_item(plan, name, _new(plan, name))
        ops.set_answer(plan, "know-client", answer="First answer", today=dt.date(2027, 1, 1))
        plan.swot.opportunities = ["more"]

    text = edit_and_check(tmp_path, start, change)
    headers = [line for _, line in outside_strings(text) if line.startswith("[")]
    order = [h.strip("[]").split(".")[0] for h in headers]
    assert order == sorted(order, key=SECTIONS.index)
    assert text == canonical(tmp_path, PlanFile.load(put(folder(tmp_path), text)).plan)


@pytest.mark.parametrize("drop", ["diagnostic", "everything after", "everything"])
def test_adding_the_first_diagnostic_answer(tmp_path, drop):
    plan = _plan_with_everything()
    plan.diagnostic.clear()
    if drop in ("everything after", "everything"):
        plan.swot = Swot()
        for name in LISTS:
            plan.items(name).clear()
    if drop == "everything":
        plan.account = Account()
    start = canonical(tmp_path, plan)
    assert "[diagnostic" not in start
    text = edit_and_check(
        tmp_path, start, lambda p: ops.set_answer(p, "priorities", answer="Grow", today=dt.date(2027, 1, 1))
    )
    assert "[diagnostic.priorities]" in text
    assert text == canonical(tmp_path, PlanFile.load(put(folder(tmp_path), text)).plan)


WITHOUT_ACCOUNT = [
    'schema = 1\nlang = "en"\n\n[[gaps]]\nid = "g-1"\n',
    'schema = 1\n\n[[gaps]]\nid = "g-1"\n\n[[actions]]\nid = "a-1"\n',
    '# no [account] table\nschema = 1\n[[actions]]\nid = "a-1"\n',
]


@pytest.mark.parametrize("text", [*WITHOUT_ACCOUNT, "schema = 1\n"])
def test_adding_account_answer_and_swot_to_a_file_without_them(tmp_path, text):
    def change(plan: Plan) -> None:
        plan.account.name = "N"
        plan.swot.threats = ["t"]
        ops.set_answer(plan, "q", answer="a", today=dt.date(2027, 1, 1))

    after = edit_and_check(tmp_path, text, change)
    assert after.startswith(text[: text.index("schema = 1\n") + len("schema = 1\n")])


@pytest.mark.parametrize("text", WITHOUT_ACCOUNT)
def test_removing_and_adding_sections_after_top_level_keys(tmp_path, text):
    path = put(folder(tmp_path), text)
    planfile = PlanFile.load(path)
    planfile.plan.gaps.clear()
    planfile.plan.actions.clear()
    planfile.save()
    emptied = path.read_text(encoding="utf-8")
    assert emptied == text[: text.index("\n[") + 1].rstrip("\n") + "\n"
    ops.add_item(planfile.plan, "actions", Action(id="a-2", title="t"))
    expected = copy.deepcopy(planfile.plan)
    planfile.save()
    assert check_file(path, expected) == emptied + "\n" + "\n".join(
        [
            "[[actions]]",
            'id = "a-2"',
            'title = "t"',
            'objective = ""',
            'owner = ""',
            'status = "todo"',
            'client_commitment = ""',
            'notes = ""',
            "",
        ]
    )


@pytest.mark.parametrize("ends_file", [False, True])
def test_replacing_the_only_diagnostic_answer(tmp_path, ends_file):
    if ends_file:
        start = 'schema = 1\n\n[account]\nname = "A"\n\n[diagnostic.know-client]\nanswer = "x"\n'
    else:
        start = canonical(tmp_path, _plan_with_everything())

    def change(p: Plan) -> None:
        p.diagnostic["know-client"] = Answer()
        ops.set_answer(p, "priorities", answer="Grow", status="answered", today=dt.date(2027, 1, 1))

    text = edit_and_check(tmp_path, start, change)
    assert "[diagnostic.know-client]" not in text and "[diagnostic.priorities]" in text
    if ends_file:
        assert text.endswith(
            '\n\n[diagnostic.priorities]\nanswer = """\nGrow"""\nstatus = "answered"\nupdated = 2027-01-01\n'
        )


@pytest.mark.parametrize("qid", ["know-client", "priorities", "history"])
def test_blank_then_restored_answer_keeps_its_place(tmp_path, qid):
    plan = _plan_with_everything()
    for other in ("priorities", "history"):
        plan.diagnostic[other] = Answer(other.title(), "draft", dt.date(2027, 1, 1))
    path = folder(tmp_path) / "plan.toml"
    planfile = PlanFile.create(path, plan)
    original = path.read_bytes()
    answer = planfile.plan.diagnostic[qid]
    kept = dataclasses.replace(answer)
    planfile.plan.diagnostic[qid] = Answer()  # blank: left out of the file
    planfile.save()
    assert f"[diagnostic.{qid}]" not in path.read_text(encoding="utf-8")
    check_file(path, planfile.plan)
    planfile.plan.diagnostic[qid] = kept
    planfile.save()
    assert path.read_bytes() == original


def test_removing_the_last_diagnostic_answer(tmp_path):
    plan = _plan_with_everything()
    start = canonical(tmp_path, plan)

    def change(p: Plan) -> None:
        p.diagnostic["know-client"] = Answer()

    text = edit_and_check(tmp_path, start, change)
    assert "[diagnostic" not in text


@settings(SETTINGS, max_examples=30 * SCALE)
@given(plan=plans(max_size=2), steps=op_lists())
def test_any_edits_of_an_app_file_give_the_app_layout(tmp_path, plan, steps):
    path = folder(tmp_path) / "plan.toml"
    planfile = PlanFile.create(path, plan)
    for step in steps:
        apply_step(planfile, step, saves=True)
    planfile.save()
    text = check_file(path, planfile.plan)
    assert text == canonical(tmp_path, planfile.plan)
