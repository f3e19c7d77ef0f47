"""Opening a plan: reading it (on any thread), taking its open lock, finding unsaved edits left by
a kamtui that stopped, and the questions asked once its screen is there — another kamtui has it
open; restore the edits left aside?"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..store.atomic import clean_stale_temps
from ..store.lock import Holder, OpenLock
from ..store.recovery import Recovered, discard_recovery, read_recovery
from ..store.tomlio import LoadError
from .i18n import t

if TYPE_CHECKING:
    from ..session import PlanSession
    from ..store.planfile import PlanFile
    from .app import KamApp


class Opening(NamedTuple):
    """A plan read from its file, ready to be shown."""

    planfile: PlanFile
    lock: OpenLock
    holder: Holder | None  # another kamtui that has the plan open (then read-only)
    recovered: Recovered | None  # unsaved edits left by a kamtui that stopped


def read(path: Path) -> Opening | list[str]:
    """Read the plan at ``path`` (any thread): an :class:`Opening`, or the lines of its errors."""
    from ..store.planfile import PlanFile

    clean_stale_temps(path.parent)
    try:
        planfile = PlanFile.load(path)
    except LoadError as exc:
        return exc.lines
    lock = OpenLock(path)
    holder = lock.acquire()
    # Edits left aside are looked for only when no other kamtui has the plan open: then they can
    # only be those of a kamtui that is gone.
    recovered = read_recovery(path) if holder is None else None
    return Opening(planfile, lock, holder, recovered)


def ask_after_opening(app: KamApp, session: PlanSession, opening: Opening) -> None:
    """Once the plan's screen is there: say it is open elsewhere, or offer the edits left aside."""
    if opening.holder is not None:
        _open_elsewhere(app, session, opening.holder)
    elif opening.recovered is not None:
        _offer_recovery(app, session, opening.recovered)


def _open_elsewhere(app: KamApp, session: PlanSession, holder: Holder) -> None:
    from .dialogs.choice import ChoiceDialog, choice

    where = t("lock.process", pid=holder.pid) if holder.same_host else t("lock.host", pid=holder.pid, host=holder.host)
    since = holder.since.replace("T", " ")[:16] or "?"

    def answer(choice: str | None) -> None:
        if choice == "edit" and session is app.session:
            session.insist()
            app.notify(t("lock.insisted"), severity="warning", markup=False)

    app.push_screen(
        ChoiceDialog(
            t("lock.title"),
            t("lock.ask", name=session.path.name, where=where, since=since),
            [choice("read", "lock.read_only"), choice("edit", "lock.edit")],
        ),
        answer,
    )


def _offer_recovery(app: KamApp, session: PlanSession, recovered: Recovered) -> None:
    from ..model.convert import to_data
    from .dialogs.choice import ChoiceDialog, choice

    if to_data(recovered.plan) == to_data(session.plan):
        discard_recovery(recovered)  # nothing was lost after all
        return

    def answer(choice: str | None) -> None:
        if session is not app.session or choice is None:
            return  # Escape: asked again at the next opening
        if choice == "restore":
            session.replace_plan(recovered.plan, "restore")
            app.notify(t("recovery.restored"), markup=False)
        discard_recovery(recovered)  # restored edits are ours now, written aside as ours

    app.push_screen(
        ChoiceDialog(
            t("recovery.title"),
            t("recovery.ask", when=recovered.when),
            [choice("restore", "recovery.restore"), choice("discard", "recovery.discard")],
        ),
        answer,
    )
