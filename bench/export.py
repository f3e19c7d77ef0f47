"""Exports and the roll-up (SPEC §8): HTML export of a 1,000-action plan <= 0.5 s; `portfolio`
over 100 plans <= 0.5 s warm.

    .venv/bin/python bench/export.py [--runs 11] [--actions 1000] [--plans 100]

Measured, each as a median of --runs, after one unmeasured warm-up:

* floor: ``python`` starting and printing ``--help`` (for scale: the machine's speed and load);
* export, in-process: ``export_plan(plan, ..., "html")`` on the plan in memory (Jinja2 imported
  and the template compiled by the warm-up; the first export's cost is printed apart);
* export, whole command: a fresh ``python`` process running ``kamtui export PLAN --format html
  -o OUT`` (interpreter, imports, reading and checking the plan, writing the file);
* portfolio, whole command, warm: a fresh process running ``kamtui portfolio --dir DIR --format
  text`` over --plans plans (the demo under other account names) with the roll-up cache of the
  previous run; cold (cache removed) and in-process warm ``rollup()`` for scale.

The commands run through ``kamtui.reportcli.main`` (what ``kamtui export`` / ``kamtui portfolio``
call). The targets are checked on the whole commands.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PYTHON, big_plan, child_env, demo_source, median, ms, p90, verdict, write_big_plan

TARGET_EXPORT = 0.5
TARGET_PORTFOLIO = 0.5
RUN = "import sys; from kamtui.reportcli import main; sys.exit(main(sys.argv[1:]))"


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system) of each command's process, by command


def run(args: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    """Wall time of one command in a fresh process; its CPU time goes to CPU (less sensitive than
    the wall time to a busy machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([str(PYTHON), "-c", RUN, *args], env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok:
        raise SystemExit(f"kamtui {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    CPU.setdefault(args[0], []).append(cpu)
    return elapsed


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


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=11, help="measured runs per case (default 11)")
    ap.add_argument("--actions", type=int, default=1000, help="actions in the big plan (default 1000)")
    ap.add_argument("--plans", type=int, default=100, help="plans in the folder (default 100)")
    opts = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kamtui-bench-export-"))
    try:
        home = tmp / "home"
        plans = home / "plans"
        plans.mkdir(parents=True)
        os.environ["KAMTUI_HOME"] = str(home)
        os.environ.setdefault("KAMTUI_TODAY", "2026-11-29")
        env = child_env(home, tmp / "pycache")
        from kamtui.model import clock
        from kamtui.model.questions import load_bank
        from kamtui.report.export import export_plan
        from kamtui.report.rollup import CACHE_NAME, rollup
        from kamtui.store.config import load_config

        bank, config, today = load_bank(), load_config(), clock.today()

        # --- export of a big plan
        plan = big_plan(opts.actions)
        t0 = time.perf_counter()
        first = export_plan(plan, bank, config, today, "html")
        first_time = time.perf_counter() - t0
        in_process = timed(lambda: export_plan(plan, bank, config, today, "html"), opts.runs)
        big = write_big_plan(tmp / "big.toml", opts.actions)
        out = tmp / "big.html"
        command = ["export", str(big), "--format", "html", "-o", str(out)]
        run(command, env)  # warm-up (bytecode)
        CPU.clear()
        whole = [run(command, env) for _ in range(opts.runs)]
        export_cpu = CPU.pop("export")

        # --- portfolio over many plans
        write_plans(plans, opts.plans)
        cache = home / "state" / CACHE_NAME
        portfolio = ["portfolio", "--dir", str(plans), "--format", "text"]

        def cold() -> float:
            cache.unlink(missing_ok=True)
            return run(portfolio, env)

        def warm() -> float:
            assert cache.exists(), "no roll-up cache after the previous run"
            return run(portfolio, env)

        cold()
        warm()
        cold_times, warm_times, warm_cpu = [], [], []
        for _ in range(opts.runs):
            cold_times.append(cold())
            warm_times.append(warm())
            warm_cpu.append(CPU["portfolio"][-1])
        floor = [run(["--help"], env, ok=(0,)) for _ in range(opts.runs)]  # interpreter + argparse: for scale
        rollup(plans, bank, today)
        warm_in_process = timed(lambda: rollup(plans, bank, today), opts.runs)

        print(
            f"{opts.actions}-action plan: HTML {len(first) // 1024} KB ({big.stat().st_size // 1024} KB of TOML); "
            f"{opts.plans} plans; {opts.runs} runs per case\n"
            f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min) on {os.cpu_count()} CPUs\n"
        )
        print(f"{'case':<44} {'median':>10} {'p90':>10}")
        rows = [
            ("export html, in-process", in_process),
            ("export html, whole command", whole),
            ("portfolio, whole command, warm (cache)", warm_times),
            ("portfolio, whole command, cold (no cache)", cold_times),
            ("portfolio, in-process rollup(), warm", warm_in_process),
            ("floor: python + kamtui.reportcli --help", floor),
        ]
        for name, values in rows:
            print(f"{name:<44} {ms(median(values))} {ms(p90(values))}")
        print(f"{'first export in the process (jinja2 import)':<44} {ms(first_time)}")
        print(f"{'CPU: export html, whole command':<44} {ms(median(export_cpu))}")
        print(f"{'CPU: portfolio, whole command, warm':<44} {ms(median(warm_cpu))}")
        print(f"{'CPU: floor':<44} {ms(median(CPU['--help']))}")
        print()
        export_ok = median(whole) <= TARGET_EXPORT
        portfolio_ok = median(warm_times) <= TARGET_PORTFOLIO
        print(
            f"{verdict(export_ok)} export (HTML) of a {opts.actions}-action plan: median {median(whole) * 1000:.0f} ms "
            f"for the whole command (target <= {TARGET_EXPORT * 1000:.0f} ms); "
            f"{median(in_process) * 1000:.0f} ms to render"
        )
        print(
            f"{verdict(portfolio_ok)} portfolio, {opts.plans} plans, warm: median {median(warm_times) * 1000:.0f} ms "
            f"(target <= {TARGET_PORTFOLIO * 1000:.0f} ms); cold {median(cold_times) * 1000:.0f} ms"
        )
        return 0 if export_ok and portfolio_ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
