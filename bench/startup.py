"""Start to first frame: a bare Textual app vs kamtui on the demo and on a 1,000-action plan.

    .venv/bin/python bench/startup.py [--runs 15] [--actions 1000] [--show] [--keep]

Every measurement is a fresh interpreter running bench/_startup_runner.py
headless. The clock starts just before the subprocess is spawned and stops at
the runner's "first frame" mark (time.monotonic_ns(), the same system clock):
the target screen has been laid out and painted with content and nothing is
pending. The three variants are run interleaved (rotating order) in the same
run, after one unmeasured warm-up each. Targets: SPEC §8.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    BENCH,
    DEMO_NAME,
    PYTHON,
    bytecode_note,
    child_env,
    make_home,
    median,
    ms,
    p90,
    verdict,
    write_big_plan,
)

RUNNER = BENCH / "_startup_runner.py"
TARGETS = {"demo": 1.25, "big": 1.5, "cold": 1.5}


def measure(args: list[str], env: dict[str, str], show: bool = False) -> dict[str, float]:
    if show:
        env = {**env, "BENCH_SHOW": "1"}
    t0 = time.monotonic_ns()
    proc = subprocess.Popen(
        [str(PYTHON), str(RUNNER), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        stdout, stderr = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
    t1 = time.monotonic_ns()
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(
            f"runner failed ({' '.join(args)}), exit {proc.returncode}:\n{stdout[-2000:]}\n{stderr[-4000:]}"
        )
    r = json.loads(lines[-1])
    if show:
        print(f"--- first frame: {' '.join(args)} ---\n{r.get('text', '')}\n")
    return {
        "frame": (r["frame"] - t0) / 1e9,  # start -> first frame with content
        "paint": (r["paint"] - t0) / 1e9,  # start -> first paint of the target screen
        "python": (r["runner"] - t0) / 1e9,  # start -> interpreter up (runner's first line)
        "exit": (t1 - t0) / 1e9,  # start -> process gone (includes teardown)
        "cpu": r["cpu"],  # CPU seconds of the child up to the first frame
        "frames": r.get("frames", 0),
        "actions": r.get("actions", 0),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15, help="measured runs per variant (default 15)")
    ap.add_argument("--actions", type=int, default=1000, help="actions in the generated plan (default 1000)")
    ap.add_argument("--show", action="store_true", help="print each variant's first frame as text (warm-up)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary KAMTUI_HOME")
    ap.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="leave the environment's bytecode settings alone (by default .pyc files are "
        "cached in a temp PYTHONPYCACHEPREFIX, as for an installed app)",
    )
    opts = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kamtui-bench-startup-"))
    try:
        home, plans = make_home(tmp)
        big = write_big_plan(plans / f"bench-{opts.actions}-actions.toml", opts.actions, home)
        pycache = None if opts.no_bytecode_cache else tmp / "pycache"
        env = child_env(home, pycache)
        variants = {
            "bare": ["bare"],
            "demo": ["kamtui", "demo"],
            "big": ["kamtui", "open", str(big)],
            "cold": ["kamtui", "open", str(big)],
        }
        labels = {
            "bare": "bare Textual (1 Label)",
            "demo": "kamtui demo",
            "big": f"kamtui {opts.actions}-action plan",
            "cold": "  same, not seen before",
        }
        parsed = home / "state" / "parsed"  # kamtui's parse cache (kamtui.store.parsecache)
        saved_entry = tmp / "parsed-after-save"
        shutil.copytree(parsed, saved_entry)  # as write_demo and PlanFile.create's save left it

        def before(name: str) -> None:
            """The demo and "big" open as kamtui wrote them (their parse cache entries are there);
            "cold" as if it had just come from elsewhere (git pull, e-mail): no entry, TOML is
            parsed."""
            shutil.rmtree(parsed, ignore_errors=True)
            if name != "cold":
                shutil.copytree(saved_entry, parsed)

        print(
            f"python: {PYTHON}\nhome:   {home}\nplans:  {DEMO_NAME} ({(plans / DEMO_NAME).stat().st_size} B), "
            f"{big.name} ({big.stat().st_size} B)\nruns:   {opts.runs} per variant, interleaved\n"
            f"        {bytecode_note(pycache)}\n"
            f"load:   {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min) on {os.cpu_count()} CPUs\n"
        )

        for name, args in variants.items():  # warm-up: .pyc, page cache, kamtui's portfolio cache
            before(name)
            r = measure(args, env, show=opts.show)
            if name in ("big", "cold") and r["actions"] != opts.actions:
                raise SystemExit(f"expected {opts.actions} actions, the app opened {r['actions']}")

        results: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
        names = list(variants)
        for i in range(opts.runs):
            order = names[i % len(names) :] + names[: i % len(names)]
            for name in order:
                before(name)
                results[name].append(measure(variants[name], env))
            print(f"\rrun {i + 1}/{opts.runs}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)

        def col(name: str, key: str) -> list[float]:
            return [r[key] for r in results[name]]

        print(
            f"{'variant':<28} {'first frame':>11} {'p90':>10}   {'cpu':>10} {'1st paint':>10} "
            f"{'python up':>10} {'exit':>10}   (medians unless p90)"
        )
        for name in names:
            print(
                f"{labels[name]:<28} {ms(median(col(name, 'frame')))} {ms(p90(col(name, 'frame')))}   "
                f"{ms(median(col(name, 'cpu')))} {ms(median(col(name, 'paint')))} "
                f"{ms(median(col(name, 'python')))} {ms(median(col(name, 'exit')))}"
            )
        print()
        bare = median(col("bare", "frame"))
        bare90 = p90(col("bare", "frame"))
        status = 0
        for name in ("demo", "big", "cold"):
            ratio = median(col(name, "frame")) / bare
            ratio90 = p90(col(name, "frame")) / bare90
            ok = ratio <= TARGETS[name]
            status |= not ok
            cpu_ratio = median(col(name, "cpu")) / median(col("bare", "cpu"))
            print(
                f"{verdict(ok)} {labels[name]:<28} / bare = {ratio:5.2f}  (target <= {TARGETS[name]}; "
                f"p90/p90 = {ratio90:.2f}; cpu time ratio = {cpu_ratio:.2f})"
            )
        return status
    finally:
        if opts.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
