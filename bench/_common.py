"""Shared helpers for the benchmarks: temp homes, generated plans, statistics.

Nothing here is timed; it only prepares inputs and summarises numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import statistics
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PYTHON = ROOT / ".venv" / "bin" / "python"
if not PYTHON.exists():  # fall back to whatever runs us
    PYTHON = Path(sys.executable)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEMO_NAME = "distrib-sa-2026-2027.toml"  # the name `kamtui demo` looks for (kamtui.store.plans)


def demo_source() -> Path:
    return Path(str(resources.files("kamtui.data").joinpath("demo.toml")))


def child_env(home: Path, pycache: Path | None) -> dict[str, str]:
    """Environment for a child process: an isolated KAMTUI_HOME.

    With ``pycache``, bytecode is written to and read from that folder
    (PYTHONPYCACHEPREFIX), as an installed app would have it, without touching
    the repository or the venv, and even where PYTHONDONTWRITEBYTECODE is set.
    Without it, the environment's own bytecode settings are kept.
    """
    env = dict(os.environ)
    env["KAMTUI_HOME"] = str(home)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def bytecode_note(pycache: Path | None) -> str:
    if pycache is not None:
        return f"bytecode cached in {pycache} (PYTHONPYCACHEPREFIX; filled by the warm-up runs)"
    state = (
        "not written (PYTHONDONTWRITEBYTECODE)"
        if os.environ.get("PYTHONDONTWRITEBYTECODE")
        else "as the environment has it"
    )
    return f"bytecode {state}"


def make_home(root: Path) -> tuple[Path, Path]:
    """A KAMTUI_HOME under ``root`` with the config written and the demo in its plans folder, as
    the first ``kamtui demo`` leaves them (its parse cache entry too).

    Returns (home, plans folder).
    """
    home = root / "home"
    plans = home / "plans"
    plans.mkdir(parents=True, exist_ok=True)
    os.environ["KAMTUI_HOME"] = str(home)
    from kamtui.store.config import load_config
    from kamtui.store.plans import write_demo

    load_config(create=True)  # so no run pays for writing the config file
    path, _ = write_demo(plans)
    assert path.name == DEMO_NAME
    return home, plans


def big_plan(n_actions: int = 1000):
    """The demo plan grown to ``n_actions`` actions through kamtui.model.ops."""
    from kamtui.model.ops import add_item, new_item
    from kamtui.model.plan import ACTION_STATUSES
    from kamtui.store.planfile import read_plan

    plan, _, problems = read_plan(demo_source())
    assert not problems, problems
    objectives = [o.id for o in plan.objectives] or [""]
    owners = ["Fabienne B.", "Inès T.", "Paul R.", "Marc D.", "Sophie L."]
    start = dt.date(2026, 1, 5)
    i = len(plan.actions)
    while len(plan.actions) < n_actions:
        i += 1
        action = new_item(
            plan,
            "actions",
            title=f"Action {i}: revoir l'assortiment du magasin {i % 420 + 1}",
            objective=objectives[i % len(objectives)],
            owner=owners[i % len(owners)],
            due=start + dt.timedelta(days=i % 700),
            status=ACTION_STATUSES[i % len(ACTION_STATUSES)],
            investment=float(1000 * (i % 50)),
            client_commitment=f"Données de sortie de caisse du magasin {i % 420 + 1}.",
            notes=f"Point d'étape {i}: ruptures à surveiller.",
        )
        add_item(plan, "actions", action)
    return plan


def write_big_plan(path: Path, n_actions: int = 1000, home: Path | None = None) -> Path:
    """Write the generated plan with PlanFile.create (kamtui's own writer). With ``home``, as the
    app would in that KAMTUI_HOME (its save also leaves the plan's parse cache entry there)."""
    from kamtui.store.planfile import PlanFile

    plan = big_plan(n_actions)
    saved = os.environ.get("KAMTUI_HOME")
    if home is not None:
        os.environ["KAMTUI_HOME"] = str(home)
    try:
        PlanFile.create(path, plan, f"# Account Business Plan — {n_actions} actions (benchmark)\n")
    finally:
        if home is not None:
            if saved is None:
                os.environ.pop("KAMTUI_HOME", None)
            else:
                os.environ["KAMTUI_HOME"] = saved
    return path


def median(values: list[float]) -> float:
    return statistics.median(values)


def p90(values: list[float]) -> float:
    """Nearest-rank 90th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def verdict(ok: bool) -> str:
    return "OK  " if ok else "MISS"
