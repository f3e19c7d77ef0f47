"""`kamtui list` over 100 plans, warm (portfolio cache) vs cold (SPEC §8: <= 0.3 s warm).

    .venv/bin/python bench/list.py [--runs 15] [--plans 100]

The plans are the demo plan under 100 account names, written with
PlanFile.create into a temp KAMTUI_HOME. Each measurement is the wall time of
a fresh `python -m kamtui list` process (output thrown away):

* cold: the portfolio cache file (state/portfolio-cache.json) removed first,
  so every plan is read and summarised (the OS page cache is warm);
* warm: the cache left by the previous run, every file unchanged;
* floor: `python -m kamtui --version`, the interpreter + CLI import, for scale.

The three are interleaved (rotating order) after one unmeasured warm-up each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PYTHON, bytecode_note, child_env, demo_source, median, ms, p90, verdict

TARGET = 0.3


def write_plans(plans: Path, count: int) -> None:
    from kamtui.store.planfile import PlanFile, read_plan
    from kamtui.store.plans import plan_path

    plan, _, problems = read_plan(demo_source())
    assert not problems, problems
    year = plan.account.period_start.year
    for i in range(count):
        name = f"Client {i + 1:03d} SA"
        plan.account.name = name
        PlanFile.create(plan_path(plans, name, year), plan, f"# Account Business Plan — {name} — {year}\n")


def run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([str(PYTHON), "-m", "kamtui", *args], env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"kamtui {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed, proc.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15, help="measured runs per case (default 15)")
    ap.add_argument("--plans", type=int, default=100, help="plans in the folder (default 100)")
    ap.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="leave the environment's bytecode settings alone (see startup.py)",
    )
    opts = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kamtui-bench-list-"))
    try:
        home = tmp / "home"
        plans = home / "plans"
        plans.mkdir(parents=True)
        os.environ["KAMTUI_HOME"] = str(home)
        t0 = time.perf_counter()
        write_plans(plans, opts.plans)
        setup = time.perf_counter() - t0
        pycache = None if opts.no_bytecode_cache else tmp / "pycache"
        env = child_env(home, pycache)
        cache = home / "state" / "portfolio-cache.json"

        def cold() -> float:
            cache.unlink(missing_ok=True)
            return run(["list"], env)[0]

        def warm() -> float:
            assert cache.exists(), "no portfolio cache after the previous run"
            return run(["list"], env)[0]

        def floor() -> float:
            return run(["--version"], env)[0]

        cases = {"cold (no cache)": cold, "warm (cache)": warm, "floor (kamtui --version)": floor}
        # warm-up, and a check that the listing holds every plan
        cold()
        _, out = run(["list"], env)
        rows = [line for line in out.splitlines()[1:] if line.strip()]
        if len(rows) != opts.plans:
            raise SystemExit(f"kamtui list printed {len(rows)} plans, expected {opts.plans}:\n{out[:2000]}")
        floor()

        results: dict[str, list[float]] = {name: [] for name in cases}
        names = list(cases)
        for i in range(opts.runs):
            # cold must run before warm in a round (it rebuilds the cache warm relies on)
            order = names if i % 2 == 0 else [names[2], names[0], names[1]]
            for name in order:
                results[name].append(cases[name]())

        size = sum(p.stat().st_size for p in plans.glob("*.toml"))
        print(
            f"{opts.plans} plans ({size // 1024} KB) written in {setup:.1f} s; {opts.runs} runs per case, "
            f"interleaved\n{bytecode_note(pycache)}\n"
            f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min) on {os.cpu_count()} CPUs\n"
        )
        print(f"{'case':<26} {'median':>10} {'p90':>10}")
        for name in names:
            print(f"{name:<26} {ms(median(results[name]))} {ms(p90(results[name]))}")
        print()
        warm_median = median(results["warm (cache)"])
        ok = warm_median <= TARGET
        print(
            f"{verdict(ok)} kamtui list, {opts.plans} plans, warm: median {warm_median * 1000:.0f} ms "
            f"(target <= {TARGET * 1000:.0f} ms); cold: {median(results['cold (no cache)']) * 1000:.0f} ms"
        )
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
