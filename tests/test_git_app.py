"""The git functions the app uses: a file's state, its history, a commit of that file alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DEMO
from gitrepo import commit_all, commits, git, git_env, make_repo  # noqa: F401 - fixture

from kamtui.report import git as kgit

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.usefixtures("git_env"),
]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo")
    shutil.copyfile(DEMO, repo / "plan.toml")
    commit_all(repo, "first version", "2026-11-01T10:00:00")
    return repo


def test_status_of_each_state(tmp_path, repo):
    plan = repo / "plan.toml"
    assert kgit.status(plan) == "committed"
    plan.write_text(plan.read_text() + "\n# note\n")
    assert kgit.status(plan) == "changed"
    git(repo, "add", "plan.toml")
    assert kgit.status(plan) == "changed"
    other = repo / "other.toml"
    other.write_text("schema = 1\n")
    assert kgit.status(other) == "new"
    (repo / ".gitignore").write_text("ignored.toml\n")
    (repo / "ignored.toml").write_text("schema = 1\n")
    assert kgit.status(repo / "ignored.toml") == "ignored"
    outside = tmp_path / "alone"
    outside.mkdir()
    with pytest.raises(kgit.NotARepository):
        kgit.status(outside / "plan.toml")


def test_log_lists_the_file_commits_newest_first_across_a_rename(repo):
    (repo / "unrelated.txt").write_text("x")
    commit_all(repo, "not about the plan", "2026-11-02T10:00:00")
    plan = repo / "plan.toml"
    plan.write_text(plan.read_text().replace("schema = 1", "schema = 1\n# second", 1))
    commit_all(repo, "second version", "2026-11-03T10:00:00")
    git(repo, "mv", "plan.toml", "renamed.toml")
    commit_all(repo, "renamed", "2026-11-04T10:00:00")
    entries = kgit.log(repo / "renamed.toml")
    assert [e.subject for e in entries] == ["renamed", "second version", "first version"]
    assert entries[0].author == "Test KAM"
    assert entries[0].date.startswith("2026-11-04")
    assert [e.path for e in entries] == ["renamed.toml", "plan.toml", "plan.toml"]
    assert kgit.file_at(repo / "renamed.toml", entries[2].commit, entries[2].path) == DEMO.read_bytes()
    assert kgit.file_at(repo / "renamed.toml", entries[2].commit + "^", "plan.toml") is None


def test_log_of_a_repository_without_commits_is_empty(tmp_path):
    repo = make_repo(tmp_path / "empty")
    shutil.copyfile(DEMO, repo / "plan.toml")
    assert kgit.log(repo / "plan.toml") == []


def test_commit_holds_the_plan_file_only_and_leaves_other_staged_files_staged(repo):
    plan = repo / "plan.toml"
    plan.write_text(plan.read_text() + "\n# edited\n")
    (repo / "notes.txt").write_text("staged, not for this commit")
    git(repo, "add", "notes.txt")
    short = kgit.commit(plan, "Update the plan")
    assert short and git(repo, "rev-parse", "--short", "HEAD").stdout.strip() == short
    assert commits(repo) == ["Update the plan", "first version"]
    assert git(repo, "show", "--name-only", "--format=", "HEAD").stdout.split() == ["plan.toml"]
    assert git(repo, "diff", "--cached", "--name-only").stdout.split() == ["notes.txt"]
    assert kgit.status(plan) == "committed"


def test_commit_of_a_new_file_adds_it(repo):
    new = repo / "new.toml"
    shutil.copyfile(DEMO, new)
    kgit.commit(new, "Add a plan")
    assert git(repo, "show", "--name-only", "--format=", "HEAD").stdout.split() == ["new.toml"]


def test_commit_problems_are_one_line(tmp_path, repo):
    plan = repo / "plan.toml"
    with pytest.raises(kgit.GitError, match="nothing to commit"):
        kgit.commit(plan, "no change")
    anonymous = make_repo(tmp_path / "anon", identity=False)
    shutil.copyfile(DEMO, anonymous / "plan.toml")
    with pytest.raises(kgit.GitError, match="does not know who you are") as info:
        kgit.commit(anonymous / "plan.toml", "first")
    assert "\n" not in str(info.value)
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'refused by the team hook' >&2\nexit 1\n")
    hook.chmod(0o755)
    plan.write_text(plan.read_text() + "\n# edited\n")
    with pytest.raises(kgit.GitError, match="refused by the team hook"):
        kgit.commit(plan, "blocked")
    with pytest.raises(kgit.NotARepository):
        kgit.commit(tmp_path / "nowhere.toml", "x")
