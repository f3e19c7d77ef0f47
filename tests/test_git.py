"""Merging plans with real git, in scripted temporary repositories: each everyday two-person edit of
the demo plan merged by plain git and by kamtui's merge driver; true conflicts; a side that is not
a plan; ``kamtui git-setup``; ``kamtui diff`` on revisions.

Each case is two edits made through the model and saved with the app's writer, ours on ``main``
and theirs on a branch, then ``git merge``. The expected plan is the base with ours' edit then
theirs' applied; the merged file is parsed and compared with it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DEMO

from kamtui import gitcli
from kamtui.model.convert import from_data, to_data
from kamtui.model.ops import move_item, set_answer, update_item
from kamtui.model.plan import Action, Gap, Measure, Plan, Stakeholder, TeamMember
from kamtui.report.conflict_text import parse_path
from kamtui.store.planfile import PlanFile, read_plan

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# The driver as git runs it in these repositories: the git commands' own entry point, so the
# tests don't depend on how kamtui.cli dispatches (test_setup_then_merge_end_to_end checks that).
DRIVER = f"{shlex.quote(sys.executable)} -m kamtui.gitcli merge-driver %O %A %B %P --marker-size=%L"
BASE = DEMO.read_text("utf-8")


@pytest.fixture(autouse=True)
def git_env(monkeypatch):
    """No user or system git config: the repositories behave the same everywhere."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Test KAM")
    git(path, "config", "user.email", "kam@example.com")
    git(path, "config", "commit.gpgsign", "false")
    return path


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def edit_file(path: Path, edit: Callable[[Plan], None]) -> None:
    """Load the plan as the app does, edit it through the model, save it with the app's writer."""
    planfile = PlanFile.load(path)
    edit(planfile.plan)
    planfile.save()


def content(text: str) -> dict:
    """What a plan file holds, as plain data (comparable across layouts)."""
    plan, problems = from_data(tomllib.loads(text))
    assert not problems, problems
    return to_data(plan)


# --- the edits --------------------------------------------------------------------------------


def find(plan: Plan, list_name: str, key: str):
    for item in plan.items(list_name):
        if getattr(item, "id", None) == key or getattr(item, "name", None) == key:
            return item
    return None


def setf(list_name: str, key: str, **values) -> Callable[[Plan], None]:
    def edit(plan: Plan) -> None:
        update_item(find(plan, list_name, key), **values)

    return edit


def add(list_name: str, item) -> Callable[[Plan], None]:
    def edit(plan: Plan) -> None:
        plan.items(list_name).append(copy.deepcopy(item))

    return edit


def delete(list_name: str, key: str) -> Callable[[Plan], None]:
    def edit(plan: Plan) -> None:
        found = find(plan, list_name, key)
        if found is not None:
            plan.items(list_name).remove(found)

    return edit


def move(list_name: str, key: str, delta: int) -> Callable[[Plan], None]:
    def edit(plan: Plan) -> None:
        move_item(plan, list_name, plan.items(list_name).index(find(plan, list_name, key)), delta)

    return edit


def seta(**values) -> Callable[[Plan], None]:
    def edit(plan: Plan) -> None:
        update_item(plan.account, **values)

    return edit


def measure(kpi: str, period: str, **values) -> Callable[[Plan], None]:
    def edit(plan: Plan) -> None:
        update_item(next(m for m in plan.measures if (m.kpi, m.period) == (kpi, period)), **values)

    return edit


def answer(qid: str, day: dt.date, text: Callable[[str], str] | None = None, status: str | None = None):
    def edit(plan: Plan) -> None:
        old = plan.answer(qid).answer
        set_answer(plan, qid, answer=text(old) if text else None, status=status, today=day)

    return edit


def swot(field: str, line: str) -> Callable[[Plan], None]:
    def edit(plan: Plan) -> None:
        getattr(plan.swot, field).append(line)

    return edit


def both(*edits: Callable[[Plan], None]) -> Callable[[Plan], None]:
    def edit(plan: Plan) -> None:
        for one in edits:
            one(plan)

    return edit


def paragraph(n: int, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        lines = text.split("\n")
        lines[n] = new
        return "\n".join(lines)

    return change


def multiline_swot(text: str) -> str:
    """The demo with its SWOT lists written one item per line."""
    raw = tomllib.loads(text)["swot"]
    out = []
    for line in text.split("\n"):
        key = line.split(" = ", 1)[0]
        if key in raw and line.startswith(f"{key} = ["):
            items = "".join(f"    {json.dumps(v, ensure_ascii=False)},\n" for v in raw[key])
            out.append(f"{key} = [\n{items}]")
        else:
            out.append(line)
    return "\n".join(out)


A1, A2, A3 = "a-rg7u4i", "a-gp25co", "a-o64iyk"  # the demo's first three actions
S1, S2 = "s-qxz3jc", "s-6twr7x"
D1, D2 = dt.date(2026, 11, 20), dt.date(2026, 11, 25)
NEW_ACTION_OURS = Action(id="a-ours01", title="Animation en magasin", owner="Inès T.", status="todo")
NEW_ACTION_THEIRS = Action(id="a-their1", title="Revue de catégorie", owner="Julien M.", due=dt.date(2027, 2, 1))


@dataclass
class Case:
    name: str
    ours: Callable[[Plan], None]
    theirs: Callable[[Plan], None]
    plain_git: str  # how plain git 2.39 merges it: "ok" (clean and right), "conflict", "wrong" (clean but wrong)
    base: str = BASE


CASES = [
    Case(
        "different fields of one item",
        setf("actions", A1, title="Négocier les têtes de gondole"),
        setf("actions", A1, investment=50000.0),
        "ok",
    ),
    Case(
        "adjacent fields of one item",
        setf("actions", A1, due=dt.date(2026, 9, 30)),
        setf("actions", A1, status="doing"),
        "conflict",
    ),
    Case("two different items", setf("actions", A1, status="doing"), setf("actions", A3, owner="Inès T."), "ok"),
    Case("both append actions", add("actions", NEW_ACTION_OURS), add("actions", NEW_ACTION_THEIRS), "conflict"),
    Case(
        "both append stakeholders",
        add("stakeholders", Stakeholder(id="s-ours01", name="Luc Roy", role="user")),
        add("stakeholders", Stakeholder(id="s-their1", name="Ana Gil", role="sponsor")),
        "conflict",
    ),
    Case(
        "both append gaps",
        add("gaps", Gap(id="g-ours01", question="Budget RSE 2027 ?")),
        add("gaps", Gap(id="g-their1", question="Calendrier des foires ?")),
        "conflict",
    ),
    Case(
        "both append team members",
        add("team", TeamMember(name="Léa V.", role="Finance")),
        add("team", TeamMember(name="Hugo P.", role="Juridique")),
        "conflict",
    ),
    Case(
        "both append measures",
        add("measures", Measure(kpi="k-share", period="2027-05", target=9.0)),
        add("measures", Measure(kpi="k-eblptt", period="2026-12", target=3.0)),
        "conflict",
    ),
    Case("delete one item, edit another", delete("actions", A1), setf("actions", A3, status="blocked"), "ok"),
    Case(
        "delete one item, edit its neighbour",
        delete("actions", A2),
        setf("actions", A1, notes="Obtenu 300 magasins sur 420."),
        "ok",
    ),
    Case("move an item, edit it", move("actions", A2, -1), setf("actions", A2, status="done"), "ok"),
    Case("move an item, edit its neighbour", move("actions", A2, -1), setf("actions", A1, owner="Paul R."), "conflict"),
    Case(
        "the same change on both sides", setf("actions", A1, status="doing"), setf("actions", A1, status="doing"), "ok"
    ),
    Case("both delete the same item", delete("actions", A2), delete("actions", A2), "ok"),
    Case(
        "an answer's text on one side, its status on the other",
        answer("history", D1, paragraph(3, "La direction commerciale juge la relation correcte.")),
        answer("history", D2, status="answered"),
        "conflict",
    ),
    Case(
        "two paragraphs of one answer, on different days",
        answer("priorities", D1, paragraph(0, "Long terme : bio, local et vrac.")),
        answer("priorities", D2, paragraph(2, "Confirmé par Claire Martin le 24 novembre.")),
        "conflict",
    ),
    Case(
        "SWOT additions on both sides (one-line lists)",
        swot("strengths", "Délais tenus"),
        swot("strengths", "Prix stables"),
        "conflict",
    ),
    Case(
        "SWOT additions on both sides (one per line)",
        swot("opportunities", "Drive piéton"),
        swot("opportunities", "Rayon vrac"),
        "conflict",
        multiline_swot(BASE),
    ),
    Case(
        "actuals of two measures",
        measure("k-share", "2026-11", actual=5.2),
        measure("k-share", "2027-01", actual=7.1),
        "ok",
    ),
    Case("account: KAM and country", seta(kam="Fabienne Bernard"), seta(country="BE"), "ok"),
    Case(
        "answers to two new questions",
        answer("ways-of-working", D1, lambda _: "Revue mensuelle avec Thomas Girard.", "draft"),
        answer("performance", D2, lambda _: "Croissance de 12 %.", "answered"),
        "conflict",
    ),
    Case(
        "stakeholder: attitude and last contact",
        setf("stakeholders", S1, attitude="supporter"),
        setf("stakeholders", S1, last_contact=dt.date(2026, 11, 24)),
        "ok",
    ),
    Case("reorder on one side, append on the other", move("actions", A3, -2), add("actions", NEW_ACTION_THEIRS), "ok"),
    Case(
        "add a gap, resolve another",
        add("gaps", Gap(id="g-ours01", question="Budget RSE 2027 ?")),
        setf("gaps", "g-ob2vmz", resolved=True),
        "ok",
    ),
]


def expected(case: Case) -> dict:
    """The base with ours' edit, then theirs'."""
    plan, problems = from_data(tomllib.loads(case.base))
    assert not problems
    case.ours(plan)
    case.theirs(plan)
    return to_data(plan)


COMMENTED = BASE.replace(
    'kam = "Fabienne B."', 'kam = "Fabienne B."  # since 2024\nregion = "Ouest"  # not a kamtui key'
)
COMMENTED = COMMENTED.replace(
    '[[actions]]\nid = "a-gp25co"', '# --- second action ---\n[[actions]]\nid = "a-gp25co"', 1
)

# Cases that are not in the everyday table: true conflicts, and a hand-edited file.
OTHER_CASES = [
    Case("same field", setf("actions", A1, status="doing"), setf("actions", A1, status="blocked"), "conflict"),
    Case("edited vs deleted", setf("actions", A2, status="done"), delete("actions", A2), "conflict"),
    Case("deleted vs edited", delete("actions", A2), setf("actions", A2, status="done"), "conflict"),
    Case(
        "one paragraph",
        answer("history", D1, paragraph(1, "Ruptures de 2024 : oubliées.")),
        answer("history", D2, paragraph(1, "Ruptures de 2024 : encore en mémoire.")),
        "conflict",
    ),
    Case("comments", add("actions", NEW_ACTION_OURS), setf("actions", A2, status="done"), "conflict", COMMENTED),
]


@dataclass
class Merge:
    conflicted: bool  # git left the file unmerged
    text: str  # the file after the merge
    output: str  # what git and the driver said


@pytest.fixture(scope="module")
def merges(tmp_path_factory) -> dict[tuple[str, bool], Merge]:
    """Every case merged once by plain git and once with the driver: one repository each, one
    file per case, one ``git merge`` (git runs the driver once per file)."""
    root = tmp_path_factory.mktemp("merges")
    cases = CASES + OTHER_CASES
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KAMTUI_HOME", str(root / "home"))
        mp.setenv("KAMTUI_TODAY", "2026-11-29")
        mp.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        # The drivers git starts share the run's compiled bytecode (conftest._share_bytecode).
        sides = {}
        for n, case in enumerate(cases):
            for side in ("ours", "theirs"):
                path = root / f"{n}-{side}.toml"
                path.write_text(case.base, "utf-8")
                edit_file(path, getattr(case, side))
                sides[n, side] = path.read_text("utf-8")
        for driver in (False, True):
            repo = make_repo(root / ("driver" if driver else "plain"))
            if driver:
                (repo / ".gitattributes").write_text("*.toml merge=kamtui\n", "utf-8")
                git(repo, "config", "merge.kamtui.driver", DRIVER)

            def write(version: str, repo: Path = repo) -> None:
                for n, case in enumerate(cases):
                    text = case.base if version == "base" else sides[n, version]
                    (repo / f"case-{n:02}.toml").write_text(text, "utf-8")

            write("base")
            commit_all(repo, "base")
            git(repo, "checkout", "-q", "-b", "theirs")
            write("theirs")
            commit_all(repo, "theirs")
            git(repo, "checkout", "-q", "main")
            write("ours")
            commit_all(repo, "ours")
            result = git(repo, "merge", "--no-edit", "theirs", check=False)
            unmerged = set(git(repo, "diff", "--name-only", "--diff-filter=U").stdout.split())
            for n, case in enumerate(cases):
                name = f"case-{n:02}.toml"
                text = (repo / name).read_text("utf-8")
                out[case.name, driver] = Merge(name in unmerged, text, result.stdout + result.stderr)
    return out


def plain_outcome(merge: Merge, want: dict) -> str:
    if merge.conflicted:
        return "conflict"
    try:
        return "ok" if content(merge.text) == want else "wrong"
    except (tomllib.TOMLDecodeError, AssertionError):
        return "wrong"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_driver_merges_everyday_edits_cleanly_and_keeps_both_sides(merges, tmp_path, case):
    merge = merges[case.name, True]
    assert not merge.conflicted, merge.output
    assert "[[conflicts]]" not in merge.text and "<<<<<<<" not in merge.text
    assert content(merge.text) == expected(case)
    _, _, problems = read_plan(_write(tmp_path / "merged.toml", merge.text))
    assert not problems


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_plain_git_on_the_same_edits(merges, case):
    """How git's own line merge does on each case (the driver's reason to be): recorded, so a
    change of git's behaviour shows up here."""
    assert plain_outcome(merges[case.name, False], expected(case)) == case.plain_git


def test_plain_git_gets_half_of_the_cases_right():
    right = sum(c.plain_git == "ok" for c in CASES)
    assert (right, len(CASES)) == (12, 24)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


# --- true conflicts -----------------------------------------------------------------------------


def conflicts_of(text: str) -> list[dict]:
    return tomllib.loads(text).get("conflicts", [])


def loaded(tmp_path: Path, text: str) -> Plan:
    plan, _, problems = read_plan(_write(tmp_path / "merged.toml", text))
    assert not problems
    return plan


def test_the_same_field_changed_differently_keeps_ours_and_records_the_conflict(merges, tmp_path):
    merge = merges["same field", True]
    assert merge.conflicted
    assert "actions[a-rg7u4i].status: ours 'doing', theirs 'blocked'" in merge.output
    assert find(loaded(tmp_path, merge.text), "actions", A1).status == "doing"
    assert conflicts_of(merge.text) == [
        {"path": "actions[a-rg7u4i].status", "base": "done", "ours": "doing", "theirs": "blocked"}
    ]
    assert merge.text.rstrip().endswith('theirs = "blocked"')  # after everything else


def test_an_item_deleted_on_one_side_and_edited_on_the_other_is_a_conflict(merges, tmp_path):
    merge = merges["edited vs deleted", True]
    assert merge.conflicted
    assert find(loaded(tmp_path, merge.text), "actions", A2).status == "done"  # ours kept it
    [conflict] = conflicts_of(merge.text)
    assert conflict["path"] == f"actions[{A2}]" and conflict["theirs"] == ""
    assert tomllib.loads("v = " + conflict["ours"])["v"]["status"] == "done"
    assert parse_path(conflict["path"]) == ("actions", (A2,), None)


def test_an_item_deleted_by_ours_and_edited_by_theirs_stays_deleted_and_theirs_is_recorded(merges, tmp_path):
    merge = merges["deleted vs edited", True]
    assert merge.conflicted
    assert find(loaded(tmp_path, merge.text), "actions", A2) is None
    [conflict] = conflicts_of(merge.text)
    assert conflict["ours"] == "" and tomllib.loads("v = " + conflict["theirs"])["v"]["id"] == A2


def test_overlapping_edits_of_one_paragraph_are_a_conflict(merges, tmp_path):
    merge = merges["one paragraph", True]
    assert merge.conflicted
    plan = loaded(tmp_path, merge.text)
    assert "oubliées" in plan.diagnostic["history"].answer
    assert plan.diagnostic["history"].updated == D2  # the later date, conflict or not
    [conflict] = conflicts_of(merge.text)
    assert conflict["path"] == "diagnostic.history.answer" and "encore en mémoire" in conflict["theirs"]


def test_comments_and_unknown_keys_of_ours_survive(merges):
    case = OTHER_CASES[-1]
    merge = merges[case.name, True]
    assert not merge.conflicted
    assert 'kam = "Fabienne B."  # since 2024\nregion = "Ouest"  # not a kamtui key' in merge.text
    assert "# --- second action ---\n" in merge.text
    text = merge.text
    assert text.index("# --- second action ---") < text.index('id = "a-gp25co"') < text.index('id = "a-o64iyk"')
    assert content(text) == expected(case)


# --- a side that is not a plan --------------------------------------------------------------------


def test_a_side_that_is_not_a_plan_falls_back_to_git_line_merge_with_markers(tmp_path):
    repo = make_repo(tmp_path / "repo")
    (repo / ".gitattributes").write_text("*.toml merge=kamtui\n", "utf-8")
    git(repo, "config", "merge.kamtui.driver", DRIVER)
    plan = repo / "plan.toml"
    plan.write_text(BASE, "utf-8")
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "theirs")
    plan.write_text(BASE.replace('status = "done"', 'status = "finished', 1), "utf-8")  # broken TOML
    commit_all(repo, "theirs")
    git(repo, "checkout", "-q", "main")
    plan.write_text(BASE.replace('status = "done"', 'status = "doing"', 1), "utf-8")
    commit_all(repo, "ours")
    result = git(repo, "merge", "--no-edit", "theirs", check=False)
    assert result.returncode == 1
    text = plan.read_text("utf-8")
    assert "<<<<<<< plan.toml (ours)" in text and ">>>>>>> plan.toml (theirs)" in text
    assert 'status = "doing"' in text and 'status = "finished' in text  # no side lost
    assert "invalid TOML" in result.stderr and "line by line" in result.stderr


def test_a_side_too_large_to_be_a_plan_is_merged_line_by_line(tmp_path, capsys):
    base, ours, theirs = (tmp_path / n for n in ("base.toml", "ours.toml", "theirs.toml"))
    base.write_text(BASE, "utf-8")
    ours.write_text(BASE.replace('status = "done"', 'status = "doing"', 1), "utf-8")
    theirs.write_text(BASE + "# padding\n" * 500_000, "utf-8")  # 5 MB: no plan is that large
    assert gitcli.main(["merge-driver", str(base), str(ours), str(theirs), "plan.toml"]) == 1
    assert "file too large" in capsys.readouterr().err
    merged = ours.read_text("utf-8")
    assert 'status = "doing"' in merged and merged.count("# padding") == 500_000


def test_the_driver_writes_ours_atomically_and_exits_0_when_clean(tmp_path):
    base, ours, theirs = (tmp_path / n for n in ("base.toml", "ours.toml", "theirs.toml"))
    base.write_text(BASE, "utf-8")
    ours.write_text(BASE.replace('status = "done"', 'status = "doing"', 1), "utf-8")
    theirs.write_text(BASE.replace('owner = "Inès T."', 'owner = "Paul R."', 1), "utf-8")
    assert gitcli.main(["merge-driver", str(base), str(ours), str(theirs), "plans/distrib.toml"]) == 0
    merged = ours.read_text("utf-8")
    assert merged == BASE.replace('status = "done"', 'status = "doing"', 1).replace(
        'owner = "Inès T."', 'owner = "Paul R."', 1
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.toml", "ours.toml", "theirs.toml"]


# --- git-setup --------------------------------------------------------------------------------------


def config(repo: Path) -> dict[str, str]:
    out = git(repo, "config", "--local", "--list").stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "kamtui" in line.split("=", 1)[0])


def test_git_setup_registers_the_driver_and_the_diff_rule_and_twice_changes_nothing(tmp_path, capsys):
    repo = make_repo(tmp_path / "team")
    plans = repo / "plans"
    plans.mkdir()
    (plans / ".gitattributes").write_text("*.pdf binary", "utf-8")  # someone else's line, no final newline
    assert gitcli.main(["git-setup", str(plans)]) == 0
    attributes = (plans / ".gitattributes").read_text("utf-8")
    assert attributes == "*.pdf binary\n*.toml merge=kamtui diff=kamtui\n"
    first = config(repo)
    assert set(first) == {"merge.kamtui.name", "merge.kamtui.driver", "diff.kamtui.xfuncname"}
    assert first["merge.kamtui.driver"].endswith("-m kamtui merge-driver %O %A %B %P --marker-size=%L")
    assert shlex.split(first["merge.kamtui.driver"])[0] == os.path.abspath(sys.executable)
    git_config = (repo / ".git" / "config").read_bytes()
    capsys.readouterr()
    assert gitcli.main(["git-setup", str(plans)]) == 0
    assert "already set up" in capsys.readouterr().out
    assert (plans / ".gitattributes").read_text("utf-8") == attributes
    assert (repo / ".git" / "config").read_bytes() == git_config


def test_git_setup_defaults_to_the_plans_folder_of_the_config(tmp_path, isolated_home):
    from kamtui.store.config import load_config

    plans = load_config().plans_dir
    plans.mkdir(parents=True, exist_ok=True)
    make_repo(plans)
    assert gitcli.main(["git-setup"]) == 0
    assert (plans / ".gitattributes").read_text("utf-8") == "*.toml merge=kamtui diff=kamtui\n"


def test_git_setup_outside_a_repository_says_so_in_one_line(tmp_path, capsys):
    assert gitcli.main(["git-setup", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not in a git repository" in err
    assert not (tmp_path / ".gitattributes").exists()


def test_git_hunk_headers_name_the_item(tmp_path):
    repo = make_repo(tmp_path / "repo")
    assert gitcli.main(["git-setup", str(repo)]) == 0
    plan = repo / "plan.toml"
    plan.write_text(BASE, "utf-8")
    commit_all(repo, "base")
    edit_file(plan, setf("actions", A2, status="blocked"))
    out = git(repo, "diff").stdout
    assert '@@ title = "Former les chefs de rayon à la gamme Pocket"' in out


def test_setup_then_merge_end_to_end(tmp_path):
    """git-setup's own driver command (``python -m kamtui merge-driver``) run by git."""
    from kamtui import cli

    if "merge-driver" not in getattr(cli, "COMMANDS", ()):
        pytest.skip("kamtui.cli does not dispatch merge-driver yet")
    repo = make_repo(tmp_path / "repo")
    assert gitcli.main(["git-setup", str(repo)]) == 0
    plan = repo / "plan.toml"
    plan.write_text(BASE, "utf-8")
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "theirs")
    edit_file(plan, add("actions", NEW_ACTION_THEIRS))
    commit_all(repo, "theirs")
    git(repo, "checkout", "-q", "main")
    edit_file(plan, add("actions", NEW_ACTION_OURS))
    commit_all(repo, "ours")
    result = git(repo, "merge", "--no-edit", "theirs", check=False)
    assert result.returncode == 0, result.stderr
    ids = [a.id for a in read_plan(plan)[0].actions]
    assert ids[-2:] == ["a-ours01", "a-their1"]


# --- kamtui diff on revisions -----------------------------------------------------------------------


@pytest.fixture
def history(tmp_path) -> Path:
    """A repository with the demo committed twice: HEAD~1 the demo, HEAD with one status changed."""
    repo = make_repo(tmp_path / "repo")
    plan = repo / "plans" / "distrib.toml"
    plan.parent.mkdir()
    plan.write_text(BASE, "utf-8")
    commit_all(repo, "demo")
    edit_file(plan, setf("actions", A2, status="blocked"))
    commit_all(repo, "blocked")
    return plan


def run_diff(capsys, *args: str) -> tuple[int, str, str]:
    code = gitcli.main(["diff", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_diff_after_one_edit_prints_that_field_only(history, capsys):
    edit_file(history, setf("actions", A1, owner="Paul R."))
    code, out, err = run_diff(capsys, str(history))
    assert (code, err) == (0, "")
    assert (
        out
        == 'actions "Négocier les têtes de gondole du lancement en octobre" (a-rg7u4i): owner "Fabienne B." → "Paul R."\n'
    )


def test_diff_with_no_change_prints_nothing_and_exits_0(history, capsys):
    assert run_diff(capsys, str(history)) == (0, "", "")


def test_diff_from_a_revision_and_between_two(history, capsys):
    line = 'actions "Former les chefs de rayon à la gamme Pocket" (a-gp25co): status doing → blocked\n'
    assert run_diff(capsys, str(history), "HEAD~1") == (0, line, "")
    assert run_diff(capsys, str(history), "HEAD~1", "HEAD") == (0, line, "")
    assert run_diff(capsys, str(history), "HEAD", "HEAD~1")[1] == line.replace("doing → blocked", "blocked → doing")


def test_diff_json(history, capsys):
    code, out, _ = run_diff(capsys, str(history), "HEAD~1", "--json")
    assert code == 0
    assert json.loads(out) == {
        "changes": [
            {
                "section": "actions",
                "change": "changed",
                "key": ["a-gp25co"],
                "title": "Former les chefs de rayon à la gamme Pocket",
                "moved": None,
                "fields": [{"field": "status", "old": "doing", "new": "blocked"}],
            }
        ]
    }


def test_diff_bad_revision_outside_a_repository_and_without_git_exit_2_in_one_line(
    history, tmp_path, capsys, monkeypatch
):
    code, out, err = run_diff(capsys, str(history), "no-such-branch")
    assert (code, out) == (2, "") and err == f"kamtui diff: no-such-branch: no such revision in {history.parents[1]}\n"
    outside = tmp_path / "outside" / "plan.toml"
    outside.parent.mkdir()
    outside.write_text(BASE, "utf-8")
    code, out, err = run_diff(capsys, str(outside))
    assert (code, out) == (2, "") and err.count("\n") == 1 and "not in a git repository" in err
    new = history.with_name("new.toml")
    new.write_text(BASE, "utf-8")
    code, _, err = run_diff(capsys, str(new))
    assert code == 2 and err == "kamtui diff: plans/new.toml is not in HEAD\n"
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, err = run_diff(capsys, str(history))
    assert code == 2 and err.count("\n") == 1 and "git is not installed" in err


def test_diff_of_a_version_that_is_not_a_plan_exits_1_with_file_and_line(history, capsys):
    history.write_text(BASE.replace('status = "done"', 'status = "finished', 1), "utf-8")
    code, out, err = run_diff(capsys, str(history))
    assert code == 1 and out == ""
    assert err.startswith(f"{history}:") and "invalid TOML" in err
    history.write_text(BASE.replace('status = "done"', 'status = "finished"', 1), "utf-8")
    code, _, err = run_diff(capsys, str(history))
    assert code == 1 and err.startswith(f"{history}:") and "status: expected one of todo" in err
