"""The parse cache of large plans: used only for exactly the text it was made from, never
trusted beyond that, and never in the way (SPEC §8: a 1,000-action plan opens fast)."""

from __future__ import annotations

import datetime as dt
import marshal
import math
import os
import time
import tomllib
from pathlib import Path

import pytest
from conftest import COMPLETE_PLAN
from hypothesis import given, settings
from hypothesis import strategies as st

from kamtui.model import ops
from kamtui.model.convert import to_data
from kamtui.store import parsecache
from kamtui.store import planfile as planfile_module
from kamtui.store.planfile import PlanFile, read_plan
from kamtui.store.plans import write_demo
from kamtui.store.tomlio import LoadError

DEMO = Path(__file__).resolve().parent.parent / "kamtui" / "data" / "demo.toml"


def big_plan_file(folder: Path, actions: int = 400) -> Path:
    """The demo grown past the cache's size threshold."""
    planfile = PlanFile.load(DEMO)
    plan = planfile.plan
    for n in range(actions):
        ops.add_item(
            plan,
            "actions",
            ops.new_item(
                plan, "actions", title=f"Action {n}", owner="Inès T.", due=dt.date(2026, 1, 1) + dt.timedelta(days=n)
            ),
        )
    path = folder / "big.toml"
    PlanFile.create(path, plan)
    parsecache.entry_path(path).unlink(missing_ok=True)  # as if the file came from elsewhere
    assert len(path.read_text("utf-8")) >= parsecache.MIN_SIZE
    return path


@pytest.fixture
def count_parses(monkeypatch):
    """How many times TOML was parsed (by the store's parse)."""
    calls = []
    real = planfile_module.parse

    def spy(text, name):
        calls.append(name)
        return real(text, name)

    monkeypatch.setattr(planfile_module, "parse", spy)
    return calls


def test_the_second_opening_skips_the_parse_and_gives_the_same_plan(tmp_path, count_parses):
    path = big_plan_file(tmp_path)
    count_parses.clear()  # the parses made to write it
    first = PlanFile.load(path)
    assert len(count_parses) == 1
    assert not parsecache.entry_path(path).exists()  # written later, off the UI thread
    assert first.remember_parse()
    assert not first.remember_parse()  # once
    assert oct(parsecache.entry_path(path).stat().st_mode & 0o777) == "0o600"

    second = PlanFile.load(path)
    assert len(count_parses) == 1  # from the cache
    assert to_data(second.plan) == to_data(first.plan)
    assert second.text == first.text and second.stamp == first.stamp
    assert not second.remember_parse()  # nothing new to keep


def test_any_change_to_the_file_is_read_from_the_file(tmp_path, count_parses):
    path = big_plan_file(tmp_path)
    count_parses.clear()  # the parses made to write it
    PlanFile.load(path).remember_parse()
    text = path.read_text("utf-8")
    changed = text.replace('name = "Distrib SA"', 'name = "Distrib SB"', 1)
    assert len(changed) == len(text)
    path.write_text(changed, "utf-8")
    os.utime(path, ns=(0, 0))
    assert PlanFile.load(path).plan.account.name == "Distrib SB"
    assert len(count_parses) == 2


def test_the_check_command_path_never_uses_the_cache(tmp_path, count_parses):
    path = big_plan_file(tmp_path)
    count_parses.clear()  # the parses made to write it
    PlanFile.load(path).remember_parse()
    read_plan(path)
    assert len(count_parses) == 2


def test_a_broken_file_is_reported_even_with_an_entry_for_its_old_text(tmp_path):
    path = big_plan_file(tmp_path)
    PlanFile.load(path).remember_parse()
    path.write_text(path.read_text("utf-8") + "\n[[actions]\ntitle = ", "utf-8")
    with pytest.raises(LoadError):
        PlanFile.load(path)


def _bad_date(data):
    """The entry's data with its first date made invalid."""
    done = []

    def walk(value):
        if isinstance(value, dict):
            if "$date" in value and not done:
                done.append(True)
                return {"$date": "20x6" + value["$date"][4:]}
            return {key: walk(item) for key, item in value.items()}
        return [walk(item) for item in value] if isinstance(value, list) else value

    damaged = walk(data)
    assert done
    return damaged


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: b"{not an entry",
        lambda entry: marshal.dumps((99, *marshal.loads(entry)[1:])),  # another version
        lambda entry: marshal.dumps((1, "cpython-0", *marshal.loads(entry)[2:])),  # another Python
        lambda entry: entry[: len(entry) // 2],
        lambda entry: marshal.dumps({"version": 1}),
        lambda entry: b"\xff\xfe",
        lambda entry: marshal.dumps((*marshal.loads(entry)[:4], ["not a table"])),
        lambda entry: marshal.dumps((*marshal.loads(entry)[:4], _bad_date(marshal.loads(entry)[4]))),
    ],
)
def test_a_damaged_entry_means_parsing_again(tmp_path, count_parses, damage):
    path = big_plan_file(tmp_path)
    count_parses.clear()  # the parses made to write it
    expected = to_data(PlanFile.load(path).plan)
    PlanFile.load(path).remember_parse()
    entry = parsecache.entry_path(path)
    entry.write_bytes(damage(entry.read_bytes()))
    assert to_data(PlanFile.load(path).plan) == expected
    assert len(count_parses) == 3


def test_an_entry_made_for_another_path_is_not_used(tmp_path, count_parses):
    path = big_plan_file(tmp_path)
    count_parses.clear()  # the parses made to write it
    PlanFile.load(path).remember_parse()
    other = tmp_path / "other"
    other.mkdir()
    twin = other / "big.toml"
    twin.write_bytes(path.read_bytes())
    # Same content, and (as after a crc32 collision) the other file's entry under this name.
    parsecache.entry_path(twin).write_bytes(parsecache.entry_path(path).read_bytes())
    PlanFile.load(twin)
    assert len(count_parses) == 2  # path, then twin: not taken from path's entry


def test_saving_a_large_plan_refreshes_its_entry(tmp_path, count_parses):
    path = big_plan_file(tmp_path)
    count_parses.clear()  # the parses made to write it
    planfile = PlanFile.load(path)
    ops.update_item(planfile.plan.actions[0], title="Renamed")
    assert planfile.save()
    before = len(count_parses)
    again = PlanFile.load(path)
    assert len(count_parses) == before  # the save left an entry for the new text
    assert again.plan.actions[0].title == "Renamed"


def test_small_plans_are_not_cached(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(COMPLETE_PLAN, encoding="utf-8")
    assert len(COMPLETE_PLAN) < parsecache.MIN_SIZE
    assert not PlanFile.load(path).remember_parse()
    assert not parsecache.folder().exists() or not any(parsecache.folder().iterdir())


def test_the_demo_opens_without_a_parse(tmp_path, count_parses):
    """kamtui writes the demo and keeps its parse, as a save does: opening it parses nothing."""
    path, written = write_demo(tmp_path)
    assert written and len(path.read_text("utf-8")) >= parsecache.MIN_SIZE
    count_parses.clear()
    planfile = PlanFile.load(path)
    assert count_parses == []
    assert planfile.plan == PlanFile.load(path).plan == read_plan(path)[0]  # read_plan always parses


def test_values_that_would_change_are_not_cached(tmp_path):
    text = "x" * parsecache.MIN_SIZE
    for data in (
        {"at": dt.datetime(2026, 1, 1, 8, 30)},
        {"t": dt.time(8, 30)},
        {"f": math.inf},
        {"f": math.nan},
        {"$date": "2026-01-01"},
        {"a": [{"$x": 1}]},
    ):
        assert not parsecache.remember(tmp_path / "p.toml", text, data), data
    assert parsecache.remember(tmp_path / "p.toml", text, {"d": dt.date(2026, 1, 1)})
    assert parsecache.lookup(tmp_path / "p.toml", text) == {"d": dt.date(2026, 1, 1)}


def test_old_entries_are_pruned_when_one_is_written(tmp_path):
    text = "x" * parsecache.MIN_SIZE
    assert parsecache.remember(tmp_path / "old.toml", text, {})
    old = parsecache.entry_path(tmp_path / "old.toml")
    stale = time.time() - (parsecache.KEEP_DAYS + 1) * 86400
    os.utime(old, (stale, stale))
    assert parsecache.remember(tmp_path / "new.toml", text, {})
    assert not old.exists() and parsecache.entry_path(tmp_path / "new.toml").exists()


toml_values = st.recursive(
    st.one_of(st.text(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.dates()),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text().filter(lambda k: not k.startswith("$")), children, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text().filter(lambda k: not k.startswith("$")), toml_values, max_size=5))
def test_encoding_gives_back_exactly_the_same_values(data):
    back = parsecache._decode(marshal.loads(marshal.dumps(parsecache._encode(data))))
    assert back == data
    assert _types(back) == _types(data)  # 1 stays an int, 1.0 a float, True a bool


def _types(value):
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


def test_the_cached_data_equals_what_tomllib_reads(tmp_path):
    path = big_plan_file(tmp_path)
    text = path.read_text("utf-8")
    assert parsecache.remember(path, text, tomllib.loads(text))
    assert parsecache.lookup(path, text) == tomllib.loads(text)
