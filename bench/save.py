"""Save of the demo plan after a one-field edit: PlanFile.save(), median of N (SPEC §8: <= 30 ms).

    .venv/bin/python bench/save.py [--runs 50]

Two cases, both on a copy of kamtui/data/demo.toml in a temp folder:

* steady: one PlanFile kept open; N times: change one field (the first action's
  title, through kamtui.model.ops.update_item), then time planfile.save().
  The first save of the session (tomlkit import + parse of the file) is shown
  apart and left out of the median.
* first save after opening: N times: PlanFile.load(), one edit, time save().
  This pays tomlkit.parse of the file each time (tomlkit already imported).

save() is called without a snapshot, so the time includes taking it (the app
takes the snapshot on the UI thread and calls save(snap) in a worker thread).
The breakdown wraps PlanFile.render, PlanFile._verify and the atomic_write that
planfile.py calls (write + fsync + rename + fsync of the folder); kamtui's code
is not changed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import demo_source, median, ms, p90, verdict

TARGET = 0.030

PHASES: dict[str, list[float]] = {}


def timed(name: str, fn):
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            PHASES.setdefault(name, []).append(time.perf_counter() - t0)

    return wrapper


def instrument() -> None:
    import kamtui.store.planfile as planfile_module

    planfile_module.atomic_write = timed("write+fsync", planfile_module.atomic_write)
    cls = planfile_module.PlanFile
    cls.render = timed("render (tomlkit)", cls.render)
    cls._verify = timed("verify (read back)", cls._verify)


def edit(planfile, i: int) -> None:
    from kamtui.model.ops import update_item

    action = planfile.plan.actions[0]
    base = action.title.split(" [edit ")[0]
    changed = update_item(action, title=f"{base} [edit {i}]")
    assert changed


def save_once(planfile) -> float:
    t0 = time.perf_counter()
    written = planfile.save()
    elapsed = time.perf_counter() - t0
    assert written, "save() wrote nothing: the edit did not change the plan"
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=50, help="saves measured per case (default 50)")
    opts = ap.parse_args()

    instrument()
    from kamtui.store.planfile import PlanFile

    tmp = Path(tempfile.mkdtemp(prefix="kamtui-bench-save-"))
    try:
        path = tmp / "plans" / "distrib-sa-2026-2027.toml"
        path.parent.mkdir()
        shutil.copyfile(demo_source(), path)

        # steady: one open plan, successive edits
        planfile = PlanFile.load(path)
        edit(planfile, 0)
        first = save_once(planfile)
        PHASES.clear()
        steady = []
        for i in range(1, opts.runs + 1):
            edit(planfile, i)
            steady.append(save_once(planfile))
        steady_phases = {k: median(v) for k, v in PHASES.items()}

        # first save after opening the file
        PHASES.clear()
        fresh = []
        for i in range(opts.runs):
            planfile = PlanFile.load(path)
            edit(planfile, 1000 + i)
            fresh.append(save_once(planfile))
        fresh_phases = {k: median(v) for k, v in PHASES.items()}

        print(f"demo plan: {path.stat().st_size} B, {opts.runs} saves per case, temp folder {tmp.parent}\n")
        print(f"first save of the session (tomlkit import + parse): {ms(first)}\n")
        print(f"{'case':<28} {'median':>10} {'p90':>10}   breakdown (medians)")
        for name, values, phases in (
            ("steady (plan kept open)", steady, steady_phases),
            ("first save after opening", fresh, fresh_phases),
        ):
            parts = ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in phases.items())
            print(f"{name:<28} {ms(median(values))} {ms(p90(values))}   {parts}")
        print()
        ok = median(steady) <= TARGET
        print(f"{verdict(ok)} save median (steady) = {median(steady) * 1000:.1f} ms (target <= {TARGET * 1000:.0f} ms)")
        fresh_ok = median(fresh) <= TARGET
        print(
            f"{verdict(fresh_ok)} save median (first after opening) = {median(fresh) * 1000:.1f} ms "
            f"(same target, stricter reading)"
        )
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
