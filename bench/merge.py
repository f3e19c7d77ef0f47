"""Merge driver and semantic diff on two versions of a 1,000-action plan (SPEC §8: <= 0.5 s each).

    .venv/bin/python bench/merge.py [--runs 15] [--actions 1000]

The demo plan is grown to N actions (bench/_common.py, as bench/startup.py does) and written with
PlanFile.create: the base. Two people edit it with the app (PlanFile.load, edits through the model,
PlanFile.save): *ours* changes the status of five actions, adds one and rewrites one paragraph of
an answer; *theirs* changes the owner of five other actions, deletes one, adds one and records a
KPI actual. A third version, *clash*, changes one of ours' statuses differently (a true conflict).

Measured, medians of N runs after one unmeasured warm-up:

* **merge driver, command**: ``python -m kamtui.gitcli merge-driver BASE OURS THEIRS`` as git runs
  it (a fresh interpreter; OURS a fresh copy each run), start to exit: the number compared with the
  target. ``kamtui merge-driver`` is the same code behind kamtui's CLI.
* **merge, in process**: ``merge_texts(base, ours, theirs)``, and the same with a conflict;
* **baseline, whole reading**: the same merge with the three versions parsed whole by tomllib and
  the result written through tomlkit on the whole of ours (what a plain implementation does): the
  ratio shows what reading in pieces buys;
* **diff, command**: ``python -m kamtui.gitcli diff FILE`` in a git repository holding the base
  at HEAD and ours as the working file (git's own time included);
* **diff, in process**: ``diff_texts(base, ours)``; ``tomllib`` parsing one version is shown for
  scale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PYTHON, bytecode_note, child_env, median, ms, p90, verdict, write_big_plan

TARGET = 0.5


def edit(path: Path, change) -> str:
    """Edit the plan file as the app does; return its new text."""
    from kamtui.store.planfile import PlanFile

    planfile = PlanFile.load(path)
    change(planfile.plan)
    planfile.save()
    return path.read_text("utf-8")


def ours_edit(plan) -> None:
    from kamtui.model.plan import Action

    for action in plan.actions[100:600:100]:
        action.status = "done" if action.status != "done" else "doing"
    plan.actions.insert(300, Action(id="a-ours01", title="Animation en magasin", owner="Inès T."))
    entry = plan.diagnostic["history"]
    lines = entry.answer.split("\n")
    lines[1] = "Les ruptures de l'été 2024 sont oubliées depuis le « Mois du bio »."
    entry.answer, entry.updated = "\n".join(lines), dt.date(2026, 11, 27)


def theirs_edit(plan) -> None:
    from kamtui.model.plan import Action

    for action in plan.actions[150:650:100]:
        action.owner = "Paul R."
    del plan.actions[800]
    plan.actions.append(Action(id="a-their1", title="Revue de catégorie", owner="Julien M."))
    plan.measures[1].actual = 5.2


def clash_edit(plan) -> None:
    plan.actions[100].status = "blocked"


def _cpu(children: bool) -> float:
    if children:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime
    return time.process_time()


def timed(fn, runs: int, children: bool = False) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (of this process, or of the commands it ran) of ``runs`` calls
    after one warm-up."""
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        c0, t0 = _cpu(children), time.perf_counter()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(_cpu(children) - c0)
    return wall, cpu


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> int:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=120).returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15, help="measured runs per case (default 15)")
    ap.add_argument("--actions", type=int, default=1000, help="actions in the plan (default 1000)")
    ap.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run the commands with the environment's bytecode settings (by default bytecode is cached "
        "in a temp folder, as an installed kamtui has it, even where PYTHONDONTWRITEBYTECODE is set)",
    )
    opts = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kamtui-bench-merge-"))
    home = tmp / "home"
    os.environ["KAMTUI_HOME"] = str(home)
    pycache = None if opts.no_bytecode_cache else tmp / "pycache"
    env = {**child_env(home, pycache), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    try:
        base_path = write_big_plan(tmp / "base.toml", opts.actions)
        base = base_path.read_text("utf-8")
        versions = {}
        for name, change in (("ours", ours_edit), ("theirs", theirs_edit), ("clash", clash_edit)):
            path = tmp / f"{name}.toml"
            shutil.copyfile(base_path, path)
            versions[name] = edit(path, change)
        ours, theirs, clash = versions["ours"], versions["theirs"], versions["clash"]

        from kamtui.report.diff import diff_texts
        from kamtui.report.merge import merge_texts, merge_versions
        from kamtui.report.versions import read_full

        result = merge_texts(base, ours, theirs)
        assert result.fast and not result.conflicts, "the bench's merge is meant to be clean and read in pieces"
        assert merge_texts(base, ours, clash).conflicts, "the clash is meant to conflict"

        def whole() -> None:
            merge_versions(read_full(base, "b"), read_full(ours, "o"), read_full(theirs, "t"))

        import tomllib

        in_process = {
            "merge, in process": timed(lambda: merge_texts(base, ours, theirs), opts.runs),
            "merge with a conflict": timed(lambda: merge_texts(base, ours, clash), opts.runs),
            "baseline: whole reading": timed(whole, max(3, opts.runs // 5)),
            "diff, in process": timed(lambda: diff_texts(base, ours), opts.runs),
            "tomllib parse of one version": timed(lambda: tomllib.loads(ours), opts.runs),
        }

        # The driver as git runs it: a fresh interpreter, OURS overwritten with the result.
        driver = [
            str(PYTHON),
            "-m",
            "kamtui.gitcli",
            "merge-driver",
            str(tmp / "b.toml"),
            str(tmp / "o.toml"),
            str(tmp / "t.toml"),
        ]
        (tmp / "b.toml").write_text(base, "utf-8")
        (tmp / "t.toml").write_text(theirs, "utf-8")

        def driver_once() -> None:
            (tmp / "o.toml").write_text(ours, "utf-8")
            assert run(driver, env=env) == 0

        repo = tmp / "repo"
        repo.mkdir()
        for args in (["init", "-q"], ["config", "user.name", "Bench"], ["config", "user.email", "b@example.com"]):
            run(["git", *args], cwd=repo, env=env)
        (repo / "plan.toml").write_text(base, "utf-8")
        run(["git", "add", "plan.toml"], cwd=repo, env=env)
        run(["git", "commit", "-q", "-m", "base"], cwd=repo, env=env)
        (repo / "plan.toml").write_text(ours, "utf-8")
        diff_command = [str(PYTHON), "-m", "kamtui.gitcli", "diff", str(repo / "plan.toml")]

        def diff_once() -> None:
            assert run(diff_command, env=env) == 0

        commands = {
            "merge driver, command": timed(driver_once, opts.runs, children=True),
            "diff, command": timed(diff_once, opts.runs, children=True),
        }

        size = len(base.encode("utf-8"))
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"plan: {opts.actions} actions, {size // 1024} KB; {opts.runs} runs per case")
        print(f"load: {load} (1/5/15 min) on {os.cpu_count()} CPUs")
        print(f"commands: {bytecode_note(pycache)}\n")
        print(f"{'case':<32} {'median':>10} {'p90':>10} {'cpu':>10}")
        for name, (wall, cpu) in {**commands, **in_process}.items():
            print(f"{name:<32} {ms(median(wall))} {ms(p90(wall))} {ms(median(cpu))}")
        base_ratio = median(in_process["baseline: whole reading"][0]) / median(in_process["merge, in process"][0])
        print(f"\nreading in pieces: the merge is {base_ratio:.1f}x faster than reading the versions whole\n")
        ok = True
        for name in ("merge driver, command", "diff, command", "merge, in process", "diff, in process"):
            value = median({**commands, **in_process}[name][0])
            ok &= value <= TARGET
            print(
                f"{verdict(value <= TARGET)} {name} median = {value * 1000:.0f} ms (target <= {TARGET * 1000:.0f} ms)"
            )
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
