"""Issue 8 item 4: ``kamtui list`` and the home screen (both ``portfolio()``) look at a file's
size before its bytes. A 1 GB file in the plans folder is never read: it costs under 50 MB of
memory and well under a second, gets one line saying why, and stays out of the list cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import COMPLETE_PLAN, DEMO

from kamtui.model.questions import load_bank
from kamtui.store import portfolio as portfolio_module
from kamtui.store.portfolio import portfolio

ROOT = Path(__file__).resolve().parents[2]
GB = 1 << 30

# Runs in a fresh interpreter: its peak memory (ru_maxrss) is its own, not pytest's.
SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path

    from kamtui.model.questions import load_bank
    from kamtui.store.portfolio import portfolio

    small, big = Path(sys.argv[1]), Path(sys.argv[2])
    bank = load_bank()
    portfolio(small, bank)  # everything imported and warmed up on the same plans, without the big file
    if sys.platform.startswith("linux"):  # a regression fails with MemoryError, not by eating 1 GB
        pages = int(Path("/proc/self/statm").read_text().split()[0])
        limit = pages * resource.getpagesize() + (512 << 20)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    first = portfolio(big, bank)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    second = portfolio(big, bank)
    warm = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KB elsewhere
    print(json.dumps({
        "grew_mb": (after - before) * scale / 2**20,
        "seconds": seconds,
        "warm": warm,
        "first": [[s.path, s.account, s.error] for s in first],
        "second": [[s.path, s.account, s.error] for s in second],
    }))
    """
)


def plans_folder(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copyfile(DEMO, folder / "distrib.toml")
    (folder / "complete.toml").write_text(COMPLETE_PLAN, encoding="utf-8")
    return folder


def sparse_file(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    if path.stat().st_blocks * 512 > 1 << 20:
        pytest.skip("this file system does not make sparse files")
    return path


@pytest.mark.skipif(os.name != "posix", reason="ru_maxrss and sparse files: POSIX")
def test_a_1_gb_file_in_the_plans_folder_costs_under_50_mb_and_a_second(tmp_path, isolated_home):
    small = plans_folder(tmp_path / "small")
    big = plans_folder(tmp_path / "big")
    huge = sparse_file(big / "huge.toml", GB)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(small), str(big)],
        cwd=ROOT,
        env={**os.environ, "KAMTUI_HOME": str(isolated_home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    measured = json.loads(result.stdout)
    sys.stderr.write(f"1 GB file: +{measured['grew_mb']:.1f} MB, {measured['seconds'] * 1000:.0f} ms\n")
    assert measured["grew_mb"] < 50, measured
    assert measured["seconds"] < 1.0, measured
    for run in ("first", "second"):  # the second run: from the cache, which skipped the big file
        rows = {Path(path).name: (account, error) for path, account, error in measured[run]}
        assert rows["huge.toml"] == ("", f"{huge}: file too large (1024 MB, a plan is at most 4 MB)"), rows
        assert rows["distrib.toml"][0] == "Distrib SA" and rows["complete.toml"] == ("Complete SA", "")
    cache = json.loads((isolated_home / "state" / "portfolio-cache.json").read_text("utf-8"))
    assert str(huge.resolve()) not in cache["plans"]
    assert str((big / "distrib.toml").resolve()) in cache["plans"]


@pytest.mark.skipif(os.name != "posix", reason="sparse files: POSIX")
def test_each_plan_is_read_once_and_a_file_over_the_limit_never(tmp_path, monkeypatch):
    """One open per plan file (its bytes hashed and parsed from that one read), none for a file
    over the limit, none for a file the cache already knows beyond that read."""
    folder = plans_folder(tmp_path / "plans")
    huge = sparse_file(folder / "huge.toml", GB)
    bank = load_bank()
    opened: list[str] = []
    real_open = os.open

    def spy(path, *args, **kwargs):
        if str(path).endswith(".toml"):
            opened.append(Path(path).name)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} read whole"))
    parsed: list[str] = []
    real_parse = portfolio_module.plan_of_bytes
    monkeypatch.setattr(
        portfolio_module, "plan_of_bytes", lambda data, name: parsed.append(name) or real_parse(data, name)
    )
    summaries = portfolio(folder, bank)
    assert sorted(opened) == ["complete.toml", "distrib.toml"] and huge.name not in opened
    assert sorted(Path(p).name for p in parsed) == ["complete.toml", "distrib.toml"]
    assert [s.error for s in summaries if s.path == str(huge)] == [
        f"{huge}: file too large (1024 MB, a plan is at most 4 MB)"
    ]
    opened.clear()
    parsed.clear()
    portfolio(folder, bank)
    assert sorted(opened) == ["complete.toml", "distrib.toml"] and parsed == []
