"""The git features in the app, with real git in scripted repositories and the keys a user
presses: the header's git state, History (ctrl+l), Commit (ctrl+n), the semantic difference of
an outside change, and the Conflicts screen (ctrl+b) after a real merge by kamtui's driver."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO
from gitrepo import commit_all, commits, git, git_env, make_repo  # noqa: F401 - fixture
from textual.widgets import TextArea
from tui_helpers import (
    SIZE,
    go_to,
    make_app,
    open_plan,
    plan_path,  # noqa: F401 - fixture
    screen_text,
    type_text,
    wait_for_dialog,
    wait_for_workers,
    wait_until,
)

from kamtui import gitcli
from kamtui.tui.dialogs.choice import ChoiceDialog, MessageDialog
from kamtui.tui.dialogs.commit import CommitDialog
from kamtui.tui.dialogs.value import ValueDialog
from kamtui.tui.screens.conflicts import ConflictsScreen
from kamtui.tui.screens.history import HistoryScreen
from kamtui.tui.screens.plan import PlanScreen

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.usefixtures("git_env"),
]
SMALL = (80, 24)
STATUS = ('status = "doing"\ninvestment = 18000.0', 'status = "{}"\ninvestment = 18000.0')  # a-gp25co
OWNER = ('owner = "Paul R."\ndue = 2026-10-15', 'owner = "{}"\ndue = 2026-10-15')  # a-o64iyk


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose plan.toml (the demo) has two commits: added, then an action blocked."""
    repo = make_repo(tmp_path / "repo")
    shutil.copyfile(DEMO, repo / "plan.toml")
    commit_all(repo, "First version", "2026-11-01T10:00:00")
    plan = repo / "plan.toml"
    plan.write_text(plan.read_text("utf-8").replace(STATUS[0], STATUS[1].format("blocked")), "utf-8")
    commit_all(repo, "Training blocked", "2026-11-20T09:30:00")
    return repo


def flat(app) -> str:
    """The screen's words on one line (a long line of a difference wraps at 80 columns)."""
    return " ".join(screen_text(app).split())


def header(app) -> str:
    """The plan screen's header as drawn on the screen, or as it stands under a dialog."""
    if isinstance(app.screen, PlanScreen):
        return screen_text(app).splitlines()[0]
    screen = app.plan_screen()
    return str(screen.query_one("#status").content) if screen is not None else ""


async def wait_header(pilot, text: str) -> str:
    return await wait_until(
        pilot,
        timeout=GIT_WAIT,
        condition=lambda: text in header(pilot.app) and header(pilot.app),
        what=f"header {text!r}",
    )


async def edit_answer(pilot, text: str = "Z") -> None:
    """Type at the start of the first question's answer (focused when the diagnostic opens)."""
    app = pilot.app
    await go_to(pilot, "diagnostic")
    assert isinstance(app.focused, TextArea) and app.focused.id == "answer"
    app.focused.move_cursor((0, 0))
    await type_text(pilot, text)
    assert app.dirty


def check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kamtui", "check", str(path)], capture_output=True, text=True)


GIT_WAIT = 20.0  # seconds: git runs as subprocesses, slow on a loaded 2-CPU machine


# --- the header ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [SIZE, SMALL])
async def test_header_shows_each_git_state_on_one_line(repo, plan_path, size):
    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        await open_plan(pilot)
        line = await wait_header(pilot, "not in git")
        assert "[saved]" in line and "demo.toml" in line
    path = repo / "plan.toml"
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await open_plan(pilot)
        line = await wait_header(pilot, "git: committed")
        assert "[saved]" in line and "plan.toml" in line and "Distrib SA" in line
        await edit_answer(pilot)
        await wait_header(pilot, "[unsaved]")
        assert "git: committed" in header(app)  # not saved yet: the file is still as committed
        await pilot.press("ctrl+s")
        line = await wait_header(pilot, "git: uncommitted")
        assert "[saved]" in line and "Distrib SA" in line
        assert len(line.rstrip()) <= size[0]


async def test_the_header_follows_a_change_made_outside_the_app(repo):
    path = repo / "plan.toml"
    app = make_app(path, watch_interval=0.2)
    async with app.run_test(size=SMALL) as pilot:
        await open_plan(pilot)
        await wait_header(pilot, "git: committed")
        path.write_text(path.read_text("utf-8").replace(STATUS[1].format("blocked"), STATUS[0]), "utf-8")
        await wait_for_dialog(pilot, ChoiceDialog)  # the file changed: seen by the watch
        await wait_header(pilot, "git: uncommitted")
        await pilot.press("r")
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: isinstance(app.screen, PlanScreen), what="reloaded")
        git(repo, "checkout", "--", "plan.toml")  # put back as committed, by git
        await wait_for_dialog(pilot, ChoiceDialog)
        await wait_header(pilot, "git: committed")


async def test_a_long_account_name_is_shortened_and_the_states_stay_in_view(repo):
    path = repo / "plan.toml"
    path.write_text(path.read_text("utf-8").replace('name = "Distrib SA"', 'name = "' + "Very Long Name " * 8 + '"', 1))
    app = make_app(path)
    async with app.run_test(size=SMALL) as pilot:
        await open_plan(pilot)
        line = await wait_header(pilot, "git: uncommitted")
        assert "…" in line and "[saved]" in line and "plan.toml" in line


async def test_git_missing_says_why_once_and_the_header_says_nothing(plan_path, monkeypatch):
    (plan_path.parent / ".git").mkdir()  # a plan in what looks like a repository: git is needed
    monkeypatch.setenv("PATH", str(plan_path.parent))  # no git command on the PATH
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: app.git.state == "off", what="git off")
        await pilot.pause()
        assert "git" not in header(app)
        notes = [n.message for n in app._notifications]
        assert sum("Git features are off" in m for m in notes) == 1, notes


async def test_a_plan_outside_any_repository_runs_no_git(plan_path, monkeypatch):
    """The header says nothing of git, and no git process is started for it (every 10 s)."""
    from kamtui.report import git as git_module

    if any((folder / ".git").exists() for folder in plan_path.parents):
        pytest.skip("the temporary folder is inside a git repository")
    started: list[list[str]] = []
    real_run = git_module.run
    monkeypatch.setattr(git_module, "run", lambda args, **kw: started.append(args) or real_run(args, **kw))
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: app.git.state == "none", what="not in git")
        assert started == [] and "git" not in header(app).replace("not in git", "")


# --- history -------------------------------------------------------------------------------------


async def shown_diff(pilot, screen: HistoryScreen, kind: str, what: str) -> None:
    """Wait until History shows a difference of ``kind`` ("commit": what a commit changed;
    "since": what changed since it), drawn."""
    await wait_until(
        pilot, timeout=GIT_WAIT, condition=lambda: screen.shown_diff and screen.shown_diff[1] == kind, what=what
    )
    await pilot.pause()


@pytest.mark.parametrize("size", [SIZE, SMALL])
async def test_history_lists_the_commits_and_shows_what_each_changed(repo, size):
    path = repo / "plan.toml"
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await open_plan(pilot)
        await pilot.press("ctrl+l")
        screen = await wait_for_dialog(pilot, HistoryScreen)
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: len(screen.entries) == 2, what="the commits")
        await pilot.press("ctrl+l")  # already there: not opened twice
        await pilot.pause()
        assert app.screen is screen and len(app.screen_stack) == 2
        text = screen_text(app)
        assert text.index("Training blocked") < text.index("First version")  # newest first
        assert "2026-11-20 09:30" in text and "Test KAM" in text
        await pilot.press("enter")
        await shown_diff(pilot, screen, "commit", "the diff")
        text = flat(app)
        assert "a-gp25co" in text and "doing → blocked" in text
        await pilot.press("down", "s")  # since the first version: the same change, up to the file now
        await shown_diff(pilot, screen, "since", "since")
        assert "doing → blocked" in flat(app)
        await pilot.press("enter")  # the first commit added the file
        await shown_diff(pilot, screen, "commit", "added")
        assert "added by this commit" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: isinstance(app.screen, PlanScreen), what="back")


async def test_history_outside_a_repository_says_so_in_one_line(plan_path):
    app = make_app(plan_path)
    async with app.run_test(size=SMALL) as pilot:
        await open_plan(pilot)
        await pilot.press("ctrl+l")
        screen = await wait_for_dialog(pilot, HistoryScreen)
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: screen.problem is not None, what="the answer")
        await pilot.pause()
        assert "not in a git repository" in screen_text(app)
        await pilot.press("q")
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: isinstance(app.screen, PlanScreen), what="back")


async def test_git_commands_are_in_the_palette_and_the_help(repo):
    app = make_app(repo / "plan.toml")
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await pilot.press("f1")
        from kamtui.tui.dialogs.help import HelpDialog

        dialog = await wait_for_dialog(pilot, HelpDialog)
        text = "\n".join(f"{keys} {label}" for keys, label in dialog.lines)  # a scroll box: all of it
        assert "Git history" in text and "Git commit" in text and "Merge conflicts" in text
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "git hist")
        await wait_until(
            pilot, timeout=GIT_WAIT, condition=lambda: "Git history" in screen_text(app), what="the palette entry"
        )
        await pilot.press("enter")
        await wait_for_dialog(pilot, HistoryScreen)


# --- commit ----------------------------------------------------------------------------------------


async def test_commit_saves_then_commits_the_plan_file_alone(repo):
    path = repo / "plan.toml"
    (repo / "notes.txt").write_text("staged, not for the plan's commit")
    git(repo, "add", "notes.txt")
    app = make_app(path)
    async with app.run_test(size=SMALL) as pilot:
        await open_plan(pilot)
        await edit_answer(pilot)
        await pilot.press("ctrl+n")
        dialog = await wait_for_dialog(pilot, CommitDialog)
        await pilot.press("enter")  # no message: asked for one
        await pilot.pause()
        assert app.screen is dialog and "Type a message" in screen_text(app)
        await type_text(pilot, "Answer refined after the visit\n")
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: len(commits(repo)) == 3, what="the commit")
        await wait_for_workers(app, pilot)
        await wait_header(pilot, "git: committed")
        assert not app.dirty
        short = git(repo, "rev-parse", "--short", "HEAD").stdout.strip()
        await wait_until(
            pilot,
            timeout=GIT_WAIT,
            condition=lambda: any(short in n.message for n in app._notifications),
            what="the id",
        )
    assert commits(repo)[0] == "Answer refined after the visit"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").stdout.split() == ["plan.toml"]
    assert git(repo, "diff", "--cached", "--name-only").stdout.split() == ["notes.txt"]
    assert git(repo, "status", "--porcelain", "--", "plan.toml").stdout == ""


async def test_commit_problems_are_one_line_messages(tmp_path):
    repo = make_repo(tmp_path / "anonymous", identity=False)
    shutil.copyfile(DEMO, repo / "plan.toml")
    app = make_app(repo / "plan.toml")
    async with app.run_test(size=SMALL) as pilot:
        await open_plan(pilot)
        await wait_header(pilot, "git: new file")
        await pilot.press("ctrl+n")
        await wait_for_dialog(pilot, CommitDialog)
        await type_text(pilot, "First\n")
        await wait_until(
            pilot,
            timeout=GIT_WAIT,
            condition=lambda: any("Not committed" in n.message for n in app._notifications),
            what="the error",
        )
        message = next(n.message for n in app._notifications if "Not committed" in n.message)
        assert "does not know who you are" in message and "\n" not in message
        assert isinstance(app.screen, PlanScreen)


# --- outside change: the difference ----------------------------------------------------------------


async def test_outside_change_difference_is_by_item_and_falls_back_to_lines(plan_path):
    app = make_app(plan_path, watch_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        plan_path.write_text(plan_path.read_text("utf-8").replace(STATUS[0], STATUS[1].format("todo")), "utf-8")
        await wait_for_dialog(pilot, ChoiceDialog)
        await pilot.press("d")
        await wait_for_dialog(pilot, MessageDialog)
        await pilot.pause()
        text = screen_text(app)
        assert "a-gp25co" in text and "todo → doing" in text  # on disk → what the app holds
        assert "@@" not in text
        await pilot.press("escape")
        await wait_for_dialog(pilot, ChoiceDialog)
        # The file on disk is not a plan any more: the lines are shown.
        await pilot.press("r")  # take theirs first (a valid plan), then break the file
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: isinstance(app.screen, PlanScreen), what="reloaded")
        plan_path.write_text("schema = [\n", "utf-8")
        await wait_for_dialog(pilot, ChoiceDialog)
        await pilot.press("d")
        await wait_for_dialog(pilot, MessageDialog)
        await pilot.pause()
        text = screen_text(app)
        assert "+schema = 1" in text and "-schema = [" in text


# --- conflicts ------------------------------------------------------------------------------------


def conflicted_repo(tmp_path: Path) -> Path:
    """A real merge with two true conflicts: the driver set up with ``kamtui git-setup``, an
    action's status and another's owner changed differently on two branches, ``git merge`` exits 1."""
    repo = make_repo(tmp_path / "team")
    shutil.copyfile(DEMO, repo / "plan.toml")
    assert gitcli.main(["git-setup", str(repo)]) == 0
    commit_all(repo, "Plan and merge driver")
    plan = repo / "plan.toml"
    base = plan.read_text("utf-8")

    def side(status: str, owner: str) -> str:
        return base.replace(STATUS[0], STATUS[1].format(status)).replace(OWNER[0], OWNER[1].format(owner))

    git(repo, "checkout", "-q", "-b", "theirs")
    plan.write_text(side("todo", "Theirs T."), "utf-8")
    commit_all(repo, "Their edits")
    git(repo, "checkout", "-q", "main")
    plan.write_text(side("blocked", "Ours P."), "utf-8")
    commit_all(repo, "Our edits")
    merged = git(repo, "merge", "theirs", "-m", "Merge", check=False)
    assert merged.returncode == 1, merged.stdout + merged.stderr
    text = plan.read_text("utf-8")
    assert text.count("[[conflicts]]") == 2 and "<<<<<<<" not in text
    return plan


async def test_conflicts_after_a_real_merge_are_settled_in_the_app_and_check_passes(tmp_path):
    plan = conflicted_repo(tmp_path)
    assert check(plan).returncode == 1
    app = make_app(plan)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for_dialog(pilot, ChoiceDialog)  # offered on opening
        await wait_header(pilot, "2 conflict")
        await pilot.press("s")
        screen = await wait_for_dialog(pilot, ConflictsScreen)
        await pilot.pause()
        text = screen_text(app)
        assert "actions[a-gp25co].status" in text and "blocked" in text and "todo" in text
        assert "Former les chefs de rayon" in flat(app)  # the action's title
        await pilot.press("t")  # theirs for the status
        await wait_until(
            pilot, timeout=GIT_WAIT, condition=lambda: len(app.session.plan.conflicts) == 1, what="one settled"
        )
        await pilot.pause()
        assert "actions[a-o64iyk].owner" in screen_text(app) and "Theirs T." in screen_text(app)
        await pilot.press("o")  # ours for the owner
        await wait_until(
            pilot, timeout=GIT_WAIT, condition=lambda: isinstance(app.screen, PlanScreen), what="all settled"
        )
        assert screen.is_attached is False
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: "conflict" not in header(app), what="the header")
        await pilot.press("ctrl+s")
        await wait_for_workers(app, pilot)
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: not app.dirty, what="saved")
        # git still has the merge to finish: a commit of the plan alone can't, and says so.
        await pilot.press("ctrl+n")
        await wait_for_dialog(pilot, CommitDialog)
        await type_text(pilot, "Settled\n")
        await wait_until(
            pilot,
            timeout=GIT_WAIT,
            condition=lambda: any("merge is in progress" in n.message for n in app._notifications),
        )
    text = plan.read_text("utf-8")
    assert "[[conflicts]]" not in text
    assert 'id = "a-gp25co"' in text
    result = check(plan)
    assert result.returncode == 0, result.stderr
    from kamtui.store.planfile import PlanFile

    merged = PlanFile.load(plan).plan
    assert next(a for a in merged.actions if a.id == "a-gp25co").status == "todo"
    assert next(a for a in merged.actions if a.id == "a-o64iyk").owner == "Ours P."


async def test_a_conflict_value_typed_by_hand_and_undone(tmp_path):
    plan = conflicted_repo(tmp_path)
    app = make_app(plan)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dialog(pilot, ChoiceDialog)
        await pilot.press("l")  # later
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: isinstance(app.screen, PlanScreen), what="the plan")
        await pilot.press("ctrl+b")
        await wait_for_dialog(pilot, ConflictsScreen)
        await pilot.press("e")
        await wait_for_dialog(pilot, ValueDialog)
        await type_text(pilot, "x")  # "blockedx": not a status
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, timeout=GIT_WAIT, condition=lambda: isinstance(app.screen, ConflictsScreen), what="back"
        )
        await pilot.pause()
        assert "Pick one of the values" in screen_text(app) and len(app.session.plan.conflicts) == 2
        await pilot.press("down", "e")
        dialog = await wait_for_dialog(pilot, ValueDialog)
        area = dialog.query_one(TextArea)
        area.select_all()
        await type_text(pilot, "Both of us")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, timeout=GIT_WAIT, condition=lambda: len(app.session.plan.conflicts) == 1, what="settled"
        )
        assert next(a for a in app.session.plan.actions if a.id == "a-o64iyk").owner == "Both of us"
        await pilot.press("ctrl+z")
        await wait_until(pilot, timeout=GIT_WAIT, condition=lambda: len(app.session.plan.conflicts) == 2, what="undone")
        assert next(a for a in app.session.plan.actions if a.id == "a-o64iyk").owner == "Ours P."
        assert not app.dirty


@pytest.mark.parametrize("width", [50, 78, 118, 198])
def test_the_header_fits_its_width_and_keeps_the_states(width):
    from kamtui.tui.gitui import fit_header

    name, file = "Carrefour Hypermarchés France — Grand Ouest " * 2, "carrefour-hypermarches-2026-2027.toml"
    line = fit_header(name, file, ("[unsaved]", "yellow"), ("git: uncommitted", "yellow"), width).plain
    assert len(line) <= width and "[unsaved]" in line and "git: uncommitted" in line
    short = fit_header("Distrib SA", "plan.toml", ("[saved]", "green"), None, width).plain
    assert "Distrib SA" in short and "plan.toml" in short and short.startswith("kamtui")
