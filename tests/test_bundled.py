"""Parsed copies of the bundled catalogs (kamtui.store.bundled)."""

from __future__ import annotations

import tomllib
from tomllib import loads as toml_loads

import pytest

from kamtui import data
from kamtui.store import bundled


@pytest.fixture
def parses(monkeypatch):
    """Counts the TOML parses bundled makes."""
    count: list[str] = []
    real = tomllib.loads

    def counting(text: str) -> dict:
        count.append(text)
        return real(text)

    monkeypatch.setattr(bundled.tomllib, "loads", counting)
    return count


def test_the_copy_is_used_when_the_text_is_the_same(parses):
    text = data.read_text("ui_en.toml")
    first = bundled.parse_bundled("ui_en.toml", text)
    assert first == toml_loads(text) and len(parses) == 1
    assert oct(bundled.copy_path("ui_en.toml").stat().st_mode & 0o777) == "0o600"
    assert bundled.parse_bundled("ui_en.toml", text) == first
    assert len(parses) == 1  # read back, not parsed


def test_a_changed_text_is_parsed_again(parses):
    bundled.parse_bundled("ui_en.toml", 'a = "1"\n')
    assert bundled.parse_bundled("ui_en.toml", 'a = "2"\n') == {"a": "2"}
    assert len(parses) == 2


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\xe9" * 40])
def test_a_damaged_copy_is_parsed_again(parses, damage):
    bundled.parse_bundled("ui_en.toml", 'a = "1"\n')
    bundled.copy_path("ui_en.toml").write_bytes(damage)
    assert bundled.parse_bundled("ui_en.toml", 'a = "1"\n') == {"a": "1"}
    assert len(parses) == 2


def test_no_copy_can_be_written(parses, monkeypatch, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(bundled.locations, "state_dir", lambda: blocked)
    assert bundled.parse_bundled("ui_en.toml", 'a = "1"\n') == {"a": "1"}
    assert bundled.parse_bundled("ui_en.toml", 'a = "1"\n') == {"a": "1"}
    assert len(parses) == 2  # parsed each time, never an error
