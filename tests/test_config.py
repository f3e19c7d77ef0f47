"""The config file: defaults, the commented template, bad values, language resolution."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from kamtui.cli import main
from kamtui.store import locations
from kamtui.store.config import TEMPLATE, Config, load_config, resolve_lang, system_lang


def defaults_of(config: Config, home: Path) -> None:
    assert config.lang is None
    assert config.plans_dir == home / "plans"
    assert config.autosave_seconds == 2.0
    assert config.stale_days == 180
    assert config.contact_days == 90


def test_kamtui_home_puts_everything_in_one_folder(isolated_home):
    assert locations.config_file() == isolated_home / "config.toml"
    assert locations.default_plans_dir() == isolated_home / "plans"
    assert locations.state_dir() == isolated_home / "state"
    assert locations.question_templates() == [isolated_home / "questions.toml"]


def test_missing_config_gives_defaults_and_writes_nothing(isolated_home):
    config = load_config()
    defaults_of(config, isolated_home)
    assert config.problems == []
    assert not (isolated_home / "config.toml").exists()


def test_missing_config_with_create_writes_the_commented_template(isolated_home):
    path = isolated_home / "config.toml"
    config = load_config(create=True)
    defaults_of(config, isolated_home)
    assert path.read_text("utf-8") == TEMPLATE
    text = path.read_text("utf-8")
    assert text.startswith("#")
    assert sum(line.startswith("#") for line in text.splitlines()) >= 5
    data = tomllib.loads(text)
    assert data == {"autosave_seconds": 2, "stale_days": 180, "contact_days": 90, "keys": {}}
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # reading the template back gives the same defaults and no problem
    again = load_config(create=True)
    defaults_of(again, isolated_home)
    assert again.problems == []


def test_the_cli_writes_the_template_on_first_run(capsys, isolated_home, tmp_path):
    assert main(["list", "--dir", str(tmp_path)]) == 0
    capsys.readouterr()
    assert (isolated_home / "config.toml").read_text("utf-8") == TEMPLATE


def test_an_existing_config_is_never_rewritten(isolated_home):
    path = isolated_home / "config.toml"
    path.write_text("# mine\nstale_days = 30\n", encoding="utf-8")
    config = load_config(create=True)
    assert config.stale_days == 30
    assert path.read_text("utf-8") == "# mine\nstale_days = 30\n"


def test_values_are_read(isolated_home, tmp_path):
    (isolated_home / "config.toml").write_text(
        f'lang = "fr"\nplans_dir = "{tmp_path / "mine"}"\nautosave_seconds = 0\nstale_days = 30\ncontact_days = 45\n',
        encoding="utf-8",
    )
    config = load_config()
    assert config.problems == []
    assert (config.lang, config.plans_dir, config.autosave_seconds, config.stale_days, config.contact_days) == (
        "fr",
        tmp_path / "mine",
        0.0,
        30,
        45,
    )


def test_plans_dir_with_tilde_is_expanded(isolated_home, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    (isolated_home / "config.toml").write_text('plans_dir = "~/plans"\n', encoding="utf-8")
    assert load_config().plans_dir == tmp_path / "plans"


def test_bad_values_are_reported_and_defaults_kept(isolated_home):
    path = isolated_home / "config.toml"
    path.write_text('lang = "de"\nautosave_seconds = -1\nstale_days = "soon"\ncontact_days = true\n', encoding="utf-8")
    config = load_config()
    defaults_of(config, isolated_home)
    assert len(config.problems) == 4
    for key in ("lang", "autosave_seconds", "stale_days", "contact_days"):
        assert any(key in p and str(path) in p for p in config.problems), key


def test_the_cli_shows_config_problems_and_goes_on(capsys, isolated_home, tmp_path):
    (isolated_home / "config.toml").write_text('lang = "de"\n', encoding="utf-8")
    code = main(["new", "Acme", "--period", "2027", "--dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.strip() == str(tmp_path / "acme-2027.toml")
    assert "lang" in err and "config.toml" in err
    assert 'lang = "en"' in (tmp_path / "acme-2027.toml").read_text("utf-8")


def test_invalid_toml_config_gives_defaults_and_one_problem(isolated_home):
    path = isolated_home / "config.toml"
    path.write_text('lang = "fr\n', encoding="utf-8")
    config = load_config(create=True)
    defaults_of(config, isolated_home)
    assert len(config.problems) == 1 and str(path) in config.problems[0]
    assert path.read_text("utf-8") == 'lang = "fr\n'  # never overwritten


def test_bad_plans_dir_is_reported(isolated_home):
    (isolated_home / "config.toml").write_text("plans_dir = 5\n", encoding="utf-8")
    config = load_config()
    assert config.plans_dir == isolated_home / "plans"
    assert any("plans_dir" in p for p in config.problems)


# --- language ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "cli, configured, env, expected",
    [
        ("en", "fr", "fr_FR.UTF-8", "en"),
        ("fr", "en", "C", "fr"),
        (None, "fr", "C", "fr"),
        (None, "en", "fr_FR.UTF-8", "en"),
        (None, None, "fr_FR.UTF-8", "fr"),
        (None, None, "fr_CA", "fr"),
        (None, None, "de_DE.UTF-8", "en"),
        (None, None, "C", "en"),
        (None, None, None, "en"),
    ],
)
def test_lang_resolution(monkeypatch, cli, configured, env, expected):
    if env is None:
        monkeypatch.delenv("LANG", raising=False)
    else:
        monkeypatch.setenv("LANG", env)
    assert resolve_lang(cli, Config(lang=configured)) == expected


def test_lc_all_wins_over_lang(monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    assert system_lang() == "fr"
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.setenv("LC_ALL", "C")
    assert system_lang() == "en"


@pytest.mark.parametrize(
    "args, configured, env, expected",
    [
        ([], None, "fr_FR.UTF-8", "fr"),
        ([], None, "C", "en"),
        ([], "en", "fr_FR.UTF-8", "en"),
        (["--lang", "fr"], "en", "C", "fr"),
    ],
)
def test_new_plan_language_follows_cli_config_then_locale(
    capsys, monkeypatch, isolated_home, tmp_path, args, configured, env, expected
):
    monkeypatch.setenv("LANG", env)
    if configured:
        (isolated_home / "config.toml").write_text(f'lang = "{configured}"\n', encoding="utf-8")
    code = main(["new", "Acme", "--period", "2027", "--dir", str(tmp_path), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert tomllib.loads(Path(out.strip()).read_text("utf-8"))["lang"] == expected


def test_the_template_lists_every_command_id_with_its_default_keys():
    from kamtui.store.config import COMMAND_KEYS
    from kamtui.tui.commands import COMMANDS

    assert COMMAND_KEYS == {c.id: c.keys for c in COMMANDS.values()}
    for command in COMMANDS.values():
        assert f'# "{command.id}" = "{command.keys}"' in TEMPLATE


def test_a_keys_table_remaps_commands_and_a_bad_one_is_a_warning(isolated_home):
    path = isolated_home / "config.toml"
    path.write_text('[keys]\n"app.save" = "f2"\n"app.undo" = " ctrl+u "\n', "utf-8")
    assert load_config(path).keys == {"app.save": "f2", "app.undo": "ctrl+u"}
    path.write_text('[keys]\n"app.save" = 3\n', "utf-8")
    config = load_config(path)
    assert config.keys == {} and any("keys" in p for p in config.problems)
