"""Scripted git repositories for the tests of the app's git features (real git, no user config)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def git_env(monkeypatch):
    """No user or system git config: the repositories behave the same everywhere."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def make_repo(path: Path, identity: bool = True) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    if identity:
        git(path, "config", "user.name", "Test KAM")
        git(path, "config", "user.email", "kam@example.com")
    git(path, "config", "commit.gpgsign", "false")
    return path


def commit_all(repo: Path, message: str, date: str = "2026-11-01T10:00:00") -> None:
    git(repo, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    result = subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "-m", message], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr


def commits(repo: Path) -> list[str]:
    return git(repo, "log", "--format=%s").stdout.splitlines()
