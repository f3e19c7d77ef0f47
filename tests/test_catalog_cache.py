"""The UI catalogs' parsed copies, kept in the parse cache (kamtui.tui.i18n.catalog)."""

from __future__ import annotations

import shutil
import types

import pytest
import tomli
from tomli import loads as toml_loads

from kamtui import data
from kamtui.store import parsecache
from kamtui.tui import i18n


@pytest.fixture
def catalogs(tmp_path, monkeypatch):
    """The catalogs in a folder of their own (to edit one), and the TOML parses i18n makes."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("ui_en.toml", "ui_fr.toml"):
        shutil.copyfile(data.FOLDER / name, folder / name)
    monkeypatch.setattr(data, "FOLDER", folder)
    parses: list[str] = []

    def counting(text: str) -> dict:
        parses.append(text)
        return toml_loads(text)

    monkeypatch.setattr(i18n, "tomli", types.SimpleNamespace(loads=counting, TOMLDecodeError=tomli.TOMLDecodeError))
    i18n.catalog.cache_clear()
    yield folder, parses
    i18n.catalog.cache_clear()


def read_again() -> dict[str, str]:
    """The catalog as the next run of kamtui reads it (the in-process cache emptied)."""
    i18n.catalog.cache_clear()
    return i18n.catalog("en")


def test_the_copy_is_used_when_the_text_is_the_same(catalogs):
    folder, parses = catalogs
    first = read_again()
    assert first == i18n._flatten(toml_loads((folder / "ui_en.toml").read_text("utf-8"))) and len(parses) == 1
    assert oct(parsecache.entry_path(folder / "ui_en.toml").stat().st_mode & 0o777) == "0o600"
    assert read_again() == first
    assert len(parses) == 1  # read back, not parsed


def test_a_changed_text_is_parsed_again(catalogs):
    folder, parses = catalogs
    read_again()
    (folder / "ui_en.toml").write_text((folder / "ui_en.toml").read_text("utf-8") + '\n[extra]\nkey = "1"\n', "utf-8")
    assert read_again()["extra.key"] == "1"
    assert len(parses) == 2


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\xe9" * 40])
def test_a_damaged_copy_is_parsed_again(catalogs, damage):
    folder, parses = catalogs
    expected = read_again()
    parsecache.entry_path(folder / "ui_en.toml").write_bytes(damage)
    assert read_again() == expected
    assert len(parses) == 2


def test_no_copy_can_be_written(catalogs, monkeypatch, tmp_path):
    _, parses = catalogs
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(parsecache.locations, "state_dir", lambda: blocked)
    expected = read_again()
    assert read_again() == expected
    assert len(parses) == 2  # parsed each time, never an error
