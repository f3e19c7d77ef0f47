"""SPEC §9.11, issue 8 item 6: everything kamtui writes beside the plans (recovery copies, parse
and list caches, locks, the crash log, the config) is 0600 files in 0700 folders whatever the
umask, also where an older kamtui left them looser; a plans folder is never tightened; saving
keeps the plan's owner and group; a plan moved to the trash leaves no copy in the caches."""

from __future__ import annotations

import marshal
import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import COMPLETE_PLAN, DEMO

from kamtui.model import ops
from kamtui.model.questions import load_bank
from kamtui.store import locations, parsecache, recovery
from kamtui.store.config import load_config
from kamtui.store.planfile import PlanFile
from kamtui.store.plans import move_to_trash
from kamtui.store.portfolio import portfolio

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes and owners are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def loose(root: Path) -> list[str]:
    """Every folder under ``root`` (itself included) that is not 0700, every file not 0600."""
    found = [] if mode(root) == 0o700 else [f"{root} {oct(mode(root))}"]
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            if mode(Path(folder, name)) != 0o700:
                found.append(f"{Path(folder, name)} {oct(mode(Path(folder, name)))}")
        for name in files:
            if mode(Path(folder, name)) != 0o600:
                found.append(f"{Path(folder, name)} {oct(mode(Path(folder, name)))}")
    return found


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def platform_dirs(tmp_path, monkeypatch) -> Path:
    """No KAMTUI_HOME: the platformdirs folders, under a home of the test's own."""
    home = tmp_path / "user"
    home.mkdir()
    monkeypatch.delenv("KAMTUI_HOME")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_DATA_HOME", ".local/share"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    assert home in locations.state_dir().parents and home in locations.config_dir().parents
    return home


def big_plan(path: Path) -> Path:
    """The demo grown past the parse cache's threshold (the cache keeps a copy of its text)."""
    planfile = PlanFile.load(DEMO)
    for n in range(400):
        ops.add_item(planfile.plan, "actions", ops.new_item(planfile.plan, "actions", title=f"Action {n}"))
    PlanFile.create(path, planfile.plan)
    parsecache.forget(path)  # as if the file came from elsewhere: the next opening parses it
    return path


def test_everything_written_beside_the_plans_is_private_whatever_the_umask(tmp_path, umask_022, platform_dirs):
    state = locations.state_dir()
    # What an older kamtui left behind, readable by all.
    (state / "recovery").mkdir(parents=True)
    (state / "parsed").mkdir()
    for folder in (state, state / "recovery", state / "parsed"):
        folder.chmod(0o755)
    (state / "portfolio-cache.json").write_text("{}")
    (state / "portfolio-cache.json").chmod(0o644)
    # A plans folder the user shares on purpose, and one kamtui creates.
    shared = tmp_path / "shared-plans"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    shutil.copyfile(DEMO, shared / "distrib.toml")
    (shared / "distrib.toml").chmod(0o644)
    big = big_plan(tmp_path / "new-plans" / "big.toml")

    load_config(create=True)  # the config folder and its commented config.toml
    planfile = PlanFile.load(shared / "distrib.toml")
    planfile.plan.account.name = "Distrib SAS"
    assert planfile.save()  # a lock, a parse-cache entry if large
    opened = PlanFile.load(big)
    assert opened.remember_parse()  # the parse cache: a copy of the plan's text
    payload = recovery.recovery_payload(big, {"schema": 1, "account": {"name": "Big"}})
    if hasattr(recovery, "new_owner"):  # each instance its own copies (issue 8 item 1)
        recovery.write_recovery(big, recovery.new_owner(), payload)
    else:  # pragma: no cover - before
        recovery.write_recovery(big, payload)  # type: ignore[call-arg]
    (tmp_path / "new-plans" / "complete.toml").write_text(COMPLETE_PLAN, "utf-8")
    portfolio(tmp_path / "new-plans", load_bank())  # the list cache
    portfolio(shared, load_bank())
    log = locations.private_write_text(state / "crash.log", "Traceback (most recent call last): client data\n")

    assert log.read_text("utf-8").startswith("Traceback") and mode(log) == 0o600
    assert (state / "recovery").is_dir() and any((state / "recovery").iterdir())
    assert any((state / "parsed").iterdir())
    assert locations.config_file().is_file()
    assert loose(state) == []
    assert loose(locations.config_dir()) == []
    assert mode(tmp_path / "new-plans") == 0o700 and mode(big) == 0o600  # created by kamtui
    assert mode(shared) == 0o755 and mode(shared / "distrib.toml") == 0o644  # the user's, as they were
    # Folders kamtui made on the way to its own (~/.config did not exist) are 0700 too.
    assert mode(platform_dirs / ".config") == 0o700


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_a_save_by_root_leaves_the_plan_its_owner_and_group(tmp_path):
    folder = tmp_path / "plans"
    planfile = PlanFile.create(folder / "theirs.toml", PlanFile.load(DEMO).plan)
    os.chown(planfile.path, 12345, 23456)
    os.chmod(planfile.path, 0o640)
    planfile = PlanFile.load(planfile.path)
    planfile.plan.account.name = "Saved by root"
    assert planfile.save()
    st = planfile.path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (12345, 23456, 0o640)
    assert "Saved by root" in planfile.path.read_text("utf-8")


def test_a_plan_moved_to_the_trash_leaves_no_copy_in_the_parse_cache(tmp_path, umask_022):
    folder = tmp_path / "plans"
    path = big_plan(folder / "big.toml")
    planfile = PlanFile.load(path)
    assert planfile.remember_parse()
    entry = parsecache.entry_path(path)
    assert marshal.loads(entry.read_bytes())[3] == planfile.text  # (version, python, path, text, data)

    target = move_to_trash(path, folder)

    assert target == folder / ".trash" / "big.toml" and target.is_file() and not path.exists()
    assert not entry.exists(), "the plan's text stays in the parse cache after it went to the trash"
    assert mode(folder / ".trash") == 0o700
    # The same name again, twice within a second: nothing in the trash is replaced.
    seconds = []
    for _ in range(2):
        shutil.copyfile(target, path)
        seconds.append(move_to_trash(path, folder))
    assert len({target, *seconds}) == 3 and all(p.is_file() for p in seconds)
    assert seconds[0].name.startswith("big-") and seconds[0].suffix == ".toml"
    # A .trash made elsewhere, readable by all, is made private when a plan goes in.
    (folder / ".trash").chmod(0o755)
    shutil.copyfile(target, folder / "other.toml")
    move_to_trash(folder / "other.toml", folder)
    assert mode(folder / ".trash") == 0o700
