"""Shared fixtures: an isolated KAMTUI_HOME, a fixed today and a cheap fsync for every test; the demo
plan, a complete plan."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

import pytest

# "Today" for every test (KAMTUI_TODAY, read by kamtui.model.clock.today): a test that passes
# today passes next year. Tests compute their expectations from this constant, never from the
# real date.
TODAY = dt.date(2026, 11, 29)

DEMO = Path(str(resources.files("kamtui.data").joinpath("demo.toml")))


def _share_bytecode() -> None:
    """Every Python process of the run (the xdist workers, started after this conftest is read,
    the app and the CLI run as subprocesses, git's merge driver) reads and writes its compiled
    bytecode in one cache outside the tree, kept between runs, even where PYTHONDONTWRITEBYTECODE
    is set: without it each one compiles textual, rich, tomlkit and kamtui from source again
    (1.4 s instead of 0.2 s to import kamtui.tui.app). A PYTHONPYCACHEPREFIX of the user's wins."""
    prefix = os.environ.get("PYTHONPYCACHEPREFIX") or str(
        Path(tempfile.gettempdir()) / f"kamtui-tests-pycache-{getattr(os, 'getuid', lambda: 0)()}"
    )
    try:
        os.makedirs(prefix, mode=0o700, exist_ok=True)
    except OSError:
        return  # no cache: every process compiles, as before
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False


_share_bytecode()

# A plan that meets every checkpoint: the 7 core questions answered, every
# section filled, no dangling id, no action overdue (open ones are due in 2099).
COMPLETE_PLAN = '''\
# Account Business Plan — Complete SA — 2099
schema = 1
lang = "en"

[account]
name = "Complete SA"
sector = "Retail"
country = "FR"
currency = "EUR"
period_start = 2099-01-01
period_end = 2099-12-31
kam = "Kim"
summary = """
A retailer."""
strategy = """
Grow organic."""
current_priorities = """
Fewer stock-outs."""

[[account.team]]
name = "Paul R."
role = "Supply chain"

[diagnostic.know-client]
answer = """
Well."""
status = "answered"
updated = 2026-11-01

[diagnostic.market-challenges]
answer = "Discounters."
status = "answered"

[diagnostic.priorities]
answer = "Organic."
status = "answered"

[diagnostic.competition]
answer = "MarqueX."
status = "answered"

[diagnostic.history]
answer = "Four years."
status = "answered"

[diagnostic.ways-of-working]
answer = "Monthly reviews."
status = "answered"

[diagnostic.performance]
answer = "Growing."
status = "answered"

[swot]
strengths = ["s"]
weaknesses = ["w"]
opportunities = ["o"]
threats = ["t"]

[[competitors]]
id = "c-aaaaaa"
name = "MarqueX"
trend = "growing"
impact = "high"

[[stakeholders]]
id = "s-boss11"
name = "Marc"
role = "decision-maker"

[[stakeholders]]
id = "s-buyer1"
name = "Claire"
role = "decision-maker"
reports_to = "s-boss11"

[[kpis]]
id = "k-share"
name = "Share"
unit = "%"

[[measures]]
kpi = "k-share"
period = "2099-Q2"
target = 10.0

[[objectives]]
id = "o-share1"
title = "10 % share"
kpi = "k-share"
target = 10.0
deadline = 2099-06-30

[[actions]]
id = "a-done11"
title = "Done long ago"
objective = "o-share1"
due = 2020-01-01
status = "done"

[[actions]]
id = "a-later1"
title = "Later"
objective = "o-share1"
due = 2099-03-01
status = "todo"
'''


def pytest_xdist_auto_num_workers(config) -> int | None:
    """``-n auto``: one worker more than the CPUs (at most 4, --maxprocesses in pyproject.toml). A
    Pilot test waits for its app about a third of its time (each key is followed by at least two
    20 ms idle checks), a subprocess test for its child: a third worker fills that time. Four Pilot
    files on 2 CPUs: 75 s / 58 s with 2 workers, 55 s / 47 s with 3, the same CPU time.
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    affinity = getattr(os, "sched_getaffinity", None)
    cpus = len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)
    return cpus + 1


def pytest_collection_finish(session) -> None:
    """The garbage collector of a test process as kamtui.tui.run sets the app's
    (kamtui/tui/collector.py): what is imported and collected now lives until the end, frozen out
    of the collector's walks, and Python's own full collections come after 100 collections of the
    middle generation instead of 10. A Pilot test's app holds a few hundred thousand objects (its
    widgets, their cached lines): walking them all ten times as often took a third of the CPU time
    of the Pilot tests. Garbage is still collected, the young generations as usual."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 100)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own KAMTUI_HOME, an English C locale and a fixed today: the real home
    is never touched, the real date never read."""
    home = tmp_path_factory.mktemp("kamtui-home")
    monkeypatch.setenv("KAMTUI_HOME", str(home))
    monkeypatch.setenv("KAMTUI_TODAY", TODAY.isoformat())
    monkeypatch.setenv("LANG", "C")
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(autouse=True)
def cheap_fsync(request, monkeypatch):
    """``os.fsync`` does nothing, except in tests marked ``real_fsync`` (the durability of saves):
    flushing to the disk proves nothing elsewhere and costs time on every save."""
    if request.node.get_closest_marker("real_fsync") is None:
        monkeypatch.setattr(os, "fsync", lambda fd: None)


@pytest.fixture(autouse=True)
def drop_dead_widgets_render_caches():
    """After each test, Textual's ``StylesCache.get_inner_outer`` cache is emptied: an
    ``lru_cache(1024)`` on a method, it keeps the StylesCache of up to 1,024 widgets of finished
    apps alive, with every line they rendered (about 500,000 objects after 25 Pilot tests). The
    garbage collector walked them all in each full collection: 45 % of the CPU time of
    tests/test_tui_session.py went to it (19.7 s of 52 s), more with each test a worker ran. The
    cache only saves recomputing two styles; what the tests render is the same."""
    yield
    if "textual._styles_cache" in sys.modules:  # (a test that ran an app)
        from kamtui.tui.textual_private import drop_render_caches

        drop_render_caches()


@pytest.fixture
def demo_file(tmp_path) -> Path:
    """A copy of the bundled demo plan in tmp_path."""
    target = tmp_path / "demo.toml"
    shutil.copyfile(DEMO, target)
    return target


@pytest.fixture
def complete_text() -> str:
    return COMPLETE_PLAN


@pytest.fixture
def complete_file(tmp_path) -> Path:
    """A valid plan with every question answered and nothing overdue."""
    target = tmp_path / "complete.toml"
    target.write_text(COMPLETE_PLAN, encoding="utf-8")
    return target
