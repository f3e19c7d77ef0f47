"""Keypress to screen while typing, and memory, with a 1,000-action plan open
(SPEC §8: p95 <= 20 ms; <= 120 MB RSS).

    .venv/bin/python bench/typing_.py [--runs 2] [--chars 300] [--input-chars 30]
        [--typist-chars 100] [--typist-interval 0.08] [--autosave 2.0] [--actions 1000]

(The name has a trailing underscore: a bench/typing.py would stand in for the
standard library's typing module in every script of bench/, which have bench/
first on sys.path.)

Each run is a fresh interpreter on bench/_typing_runner.py, which runs the real
KamApp headless with Textual's Pilot (App.run_test, 120x40) on a fresh copy of
the generated plan, goes to the Diagnostic (F3) and types into the answer:

* pilot:  --chars keys, one pilot.press(char) each, the next one sent once the
          previous one is on screen;
* input:  --input-chars keys the same way in the Account's first Input (F2);
* typist: --typist-chars keys sent from a thread every --typist-interval s,
          whatever the app is doing, as a terminal's input thread would.

A key's time runs from its sending to the first frame rendered with it in the
field. Autosave is on (2 s, the default) unless --autosave 0: typing stops
long enough for an autosave to start now and then, and goes on while it runs.
RSS is read in the same child; a bare Textual app (one Label) is run the same
way for comparison. One unmeasured warm-up run comes first.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BENCH, PYTHON, bytecode_note, child_env, make_home, median, verdict, write_big_plan

RUNNER = BENCH / "_typing_runner.py"
TARGET_MS = 20.0
TARGET_MB = 120.0
SLOW_MS = 20.0
PHASES = {
    "pilot": "answer (TextArea), pilot.press",
    "input": "account name (Input), pilot.press",
    "typist": "answer (TextArea), typist thread",
}
EVENT_NAMES = {
    "gc": "full garbage collection (UI thread)",
    "recovery": "recovery write, KamApp._write_recovery (UI thread)",
    "snapshot": "autosave snapshot, PlanFile.snapshot (UI thread)",
    "save": "save, PlanFile.save (worker thread)",
}


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def child(args: list[str], env: dict[str, str]) -> dict:
    proc = subprocess.run([str(PYTHON), str(RUNNER), *args], env=env, capture_output=True, text=True, timeout=600)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(
            f"runner failed ({' '.join(args)}), exit {proc.returncode}:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        )
    return json.loads(lines[-1])


def latencies(keys: list[dict]) -> list[float]:
    return [(k["t1"] - k["t0"]) / 1e6 for k in keys]


def overlaps(key: dict, events: list, kinds: set[str]) -> set[str]:
    return {what for what, start, end in events if what in kinds and start < key["t1"] and end > key["t0"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=2, help="measured runs, each a fresh interpreter (default 2)")
    ap.add_argument("--chars", type=int, default=300, help="keys typed with pilot.press into the answer (default 300)")
    ap.add_argument(
        "--input-chars",
        type=int,
        default=30,
        help="keys typed with pilot.press into the account name, 0: none (default 30)",
    )
    ap.add_argument(
        "--typist-chars",
        type=int,
        default=100,
        help="keys sent at a steady pace from a thread into the answer, 0: none (default 100)",
    )
    ap.add_argument(
        "--typist-interval",
        type=float,
        default=0.08,
        help="seconds between the typist's keys (default 0.08: 12.5 keys/s)",
    )
    ap.add_argument(
        "--autosave", type=float, default=2.0, help="autosave delay in seconds, 0: off (default 2.0, kamtui's default)"
    )
    ap.add_argument(
        "--burst",
        type=int,
        default=150,
        help="with autosave on, keys between pauses that let an autosave start (default 150)",
    )
    ap.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="run the app without kamtui.tui.run's garbage collector handling after start-up "
        "(manage_gc=False), to see what it saves",
    )
    ap.add_argument("--actions", type=int, default=1000, help="actions in the generated plan (default 1000)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary KAMTUI_HOME")
    ap.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="leave the environment's bytecode settings alone (by default .pyc files are "
        "cached in a temp PYTHONPYCACHEPREFIX, as for an installed app)",
    )
    opts = ap.parse_args()
    if opts.runs < 1 or opts.chars < 1:
        ap.error("--runs and --chars must be at least 1")

    tmp = Path(tempfile.mkdtemp(prefix="kamtui-bench-typing-"))
    try:
        home, plans = make_home(tmp)
        big = write_big_plan(plans / f"bench-{opts.actions}-actions.toml", opts.actions, home)
        pristine = tmp / "pristine"
        shutil.copytree(home, pristine)  # every run starts from the plan as written (and its parse cache)
        pycache = None if opts.no_bytecode_cache else tmp / "pycache"
        env = child_env(home, pycache)
        args = [
            "kamtui",
            str(big),
            "--chars",
            str(opts.chars),
            "--input-chars",
            str(opts.input_chars),
            "--typist-chars",
            str(opts.typist_chars),
            "--typist-interval",
            str(opts.typist_interval),
            "--autosave",
            str(opts.autosave),
            "--burst",
            str(opts.burst),
            *(["--no-gc-freeze"] if opts.no_gc_freeze else []),
        ]

        def fresh_home() -> None:
            shutil.rmtree(home)
            shutil.copytree(pristine, home)

        autosave = (
            f"autosave {opts.autosave:g} s: typing pauses every {opts.burst} keys until an autosave "
            "starts, and goes on while it runs"
            if opts.autosave > 0
            else "autosave off"
        )
        print(
            f"python: {PYTHON}\nhome:   {home}\nplan:   {big.name} ({big.stat().st_size} B, {opts.actions} actions)\n"
            f"runs:   {opts.runs}, each a fresh interpreter: App.run_test(size=(120, 40)), after 1 warm-up\n"
            f"        {autosave}\n"
            f"        {bytecode_note(pycache)}\n"
            f"load:   {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min) on {os.cpu_count()} CPUs\n"
        )

        # Warm-up: fills the bytecode cache (textual, kamtui, and tomlkit for the save) and the page cache.
        fresh_home()
        child(
            [
                "kamtui",
                str(big),
                "--chars",
                "5",
                "--input-chars",
                "2",
                "--typist-chars",
                "5",
                "--autosave",
                "0.2" if opts.autosave > 0 else "0",
                "--burst",
                "3",
            ],
            env,
        )
        bare = child(["bare"], env)
        results = []
        for i in range(opts.runs):
            fresh_home()
            r = child(args, env)
            if r["actions"] != opts.actions:
                raise SystemExit(f"expected {opts.actions} actions, the app opened {r['actions']}")
            results.append(r)
            print(f"\rrun {i + 1}/{opts.runs}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)

        status = 0
        phases = [p for p in PHASES if results[0].get(p)]
        print(
            f"keypress to screen (ms)              run   keys  median     p95     max  >{SLOW_MS:.0f}ms"
            f"  during a save  hidden"
        )
        verdicts = []
        for phase in phases:
            p95s = []
            for n, r in enumerate(results + [None]):
                if r is None:
                    keys = [k for r in results for k in r[phase]]
                    events = [e for r in results for e in r["events"]]
                    label = "all"
                else:
                    keys, events, label = r[phase], r["events"], str(n + 1)
                lat = latencies(keys)
                if r is not None:
                    p95s.append(p95(lat))
                else:
                    verdicts.append((phase, p95(lat), p95s))
                during = sum(bool(overlaps(k, events, {"save"})) for k in keys)
                hidden = f"{sum(k['hidden'] for k in keys):6d}" if phase != "typist" else "     -"
                name = PHASES[phase] if n == 0 else ""
                print(
                    f"{name:<36} {label:>3} {len(keys):6d} {median(lat):7.1f} {p95(lat):7.1f} {max(lat):7.1f}"
                    f" {sum(x > SLOW_MS for x in lat):6d} {during:14d}  {hidden}"
                )
        print()

        all_keys = [(k, r["events"]) for r in results for phase in phases for k in r[phase]]
        slow = [(k, ev) for k, ev in all_keys if (k["t1"] - k["t0"]) / 1e6 > SLOW_MS]
        print(
            f"keys over {SLOW_MS:.0f} ms: {len(slow)} of {len(all_keys)}. What ran meanwhile, and how long "
            "it takes (all runs, while typing):"
        )
        for what, label in EVENT_NAMES.items():
            spans = [(end - start) / 1e6 for r in results for w, start, end in r["events"] if w == what]
            hit = sum(what in overlaps(k, ev, {what}) for k, ev in slow)
            stats = (
                f"{len(spans):4d} times, median {median(spans):6.1f} ms, max {max(spans):6.1f} ms"
                if spans
                else "   0 times"
            )
            print(f"  {label:<52} {stats}; during {hit} slow keys")
        none = sum(not overlaps(k, ev, set(EVENT_NAMES)) for k, ev in slow)
        print(f"  {'none of these':<52} {'':44}  {none} slow keys")
        firsts = [k for r in results for k in r["pilot"] + r.get("input", [])]
        same = sum(k["first"] == k["t1"] for k in firsts)
        print(f"pilot.press keys shown by the first frame after them: {same} of {len(firsts)}\n")

        print("memory (MB)              open  diagnostic  typed  saved   peak (VmHWM)")
        for n, r in enumerate(results):
            print(
                f"kamtui, run {n + 1:<10} {r['mem_open']['rss']:6.1f} {r['mem_diag']['rss']:11.1f} "
                f"{r['mem_typed']['rss']:6.1f} {r['mem_end']['rss']:6.1f} {r['mem_end']['hwm']:8.1f}"
            )
        print(
            f"{'bare Textual (1 Label)':<22} {bare['mem_open']['rss']:6.1f} {'':11} {'':6} {'':6} "
            f"{bare['mem_open']['hwm']:8.1f}\n"
        )

        for phase, value, p95s in verdicts:
            ok = value <= TARGET_MS
            status |= not ok
            print(
                f"{verdict(ok)} keypress to screen, {PHASES[phase]}: p95 {value:.1f} ms over all runs' keys "
                f"(target <= {TARGET_MS:.0f} ms; runs' p95s: {', '.join(f'{x:.1f}' for x in p95s)}, "
                f"median {median(p95s):.1f})"
            )
        rss = max(max(r["mem_typed"]["rss"], r["mem_end"]["rss"]) for r in results)
        ok = rss <= TARGET_MB
        status |= not ok
        peak = max(r["mem_end"]["hwm"] for r in results)
        done = "typed into and saved" if opts.autosave > 0 else "typed into (autosave off)"
        print(
            f"{verdict(ok)} memory, {opts.actions}-action plan open, {done}: RSS {rss:.1f} MB "
            f"(worst run; target <= {TARGET_MB:.0f} MB; peak {peak:.1f} MB; bare Textual "
            f"{bare['mem_open']['rss']:.1f} MB)"
        )
        return status
    finally:
        if opts.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
