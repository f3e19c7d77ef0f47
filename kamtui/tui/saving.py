"""Writing the open plan: ctrl+s, autosave and recovery writes when the session says they are due,
saves in a worker thread, and leaving a plan (quit, back to the list) only once its edits are saved
or knowingly discarded. Owned by :class:`~kamtui.tui.app.KamApp` as ``app.saving``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store.errors import reason
from ..store.recovery import clear_recovery, recovery_payload, write_recovery
from .i18n import t

if TYPE_CHECKING:
    from ..session import PlanSession, SaveJob
    from .app import KamApp

TICK = 0.25  # seconds between checks whether an autosave or a recovery write is due


class Saving:
    def __init__(self, app: KamApp) -> None:
        self.app = app
        self._after_save: list[Callable[[], None]] = []
        self._saved_once = False

    def opened(self) -> None:
        """A plan was opened."""
        self._saved_once = False

    def tick(self) -> None:
        """Autosave and recovery writes, when the session says they are due."""
        session = self.app.session
        if session is None:
            return
        if session.autosave_due():
            self.start(session, force=False)
        if session.recovery_due():
            # The plan is copied here, on the UI thread that edits it; encoding and writing run aside.
            data = session.recovery_data()
            job = partial(_write_recovery, session.path, session.recovery_owner, data)
            self.app.run_worker(job, thread=True, group="recovery", exit_on_error=False)

    def start(self, session: PlanSession, force: bool) -> None:
        """Save now (in a worker), if the session has something to write."""
        job = session.begin_save(force=force)
        if job is not None:
            self.app.run_worker(partial(self._write, session, job, force), thread=True, exclusive=True, group="save")

    def _write(self, session: PlanSession, job: SaveJob, force: bool) -> None:
        from ..store.planfile import ExternalChange, ReadOnly

        app = self.app
        try:
            session.planfile.save(job.snap, force=force)
        except ExternalChange:
            app.call_from_thread(self._ended, session, job, None)
            app.call_from_thread(app.outside.check)
            return
        except (ReadOnly, OSError, RuntimeError) as exc:
            app.call_from_thread(self._ended, session, job, reason(exc, session.path))
            return
        app.call_from_thread(self._ended, session, job, "")

    def _ended(self, session: PlanSession, job: SaveJob, error: str | None) -> None:
        """A save finished: ``error`` is "" when it worked, None when the file changed on disk."""
        if error == "":
            session.save_done(job)
            if not self._saved_once:
                self._saved_once = True
                self.app.freeze_plan_objects()  # the first save built the tomlkit document, kept for the next ones
            if not session.dirty:
                clear_recovery(session.path, session.recovery_owner)
        else:
            session.save_failed()
            if error:
                self.failed(session.path, error)
        then, self._after_save = self._after_save, []
        for callback in then:
            callback()

    def failed(self, path: Path, why: str) -> None:
        """Say a save failed: the plan's name, why, and what to do."""
        key = self.app.key_of("app.save_as")
        self.app.notify(
            t("save.failed_plan", name=path.name, why=why, keys=key), severity="error", timeout=15, markup=False
        )

    # --- save as --------------------------------------------------------------------------

    def ask_save_as(self) -> None:
        """ctrl+r: ask where, then write the plan there."""
        from .dialogs.saveas import SaveAsDialog

        session = self.app.session
        if session is None:
            return

        def chosen(path: Path | None) -> None:
            if path is not None and self.app.session is session:
                self.save_as(path)

        self.app.push_screen(SaveAsDialog(session.path), chosen)

    def save_as(self, path: Path) -> None:
        """Write the plan to ``path`` (in a worker); the session follows the new file."""
        session = self.app.session
        if session is None:
            return
        job = session.begin_save_as()
        if job is None:
            return
        old = session.path

        def write() -> None:
            try:
                session.planfile.save_as(path, job.snap)
            except (OSError, RuntimeError) as exc:
                self.app.call_from_thread(self._save_as_failed, session, path, reason(exc, path))
                return
            self.app.call_from_thread(self._saved_as, session, job, old)

        self.app.run_worker(write, thread=True, exclusive=True, group="save")

    def _saved_as(self, session: PlanSession, job: SaveJob, old: Path) -> None:
        screen = self.app.plan_screen()
        if screen is not None:
            screen.path = session.path  # the screen shows the plan's new file
        session.saved_as(job, old)
        self.app.sub_title = session.path.name
        self.app.notify(t("save.saved_as", path=str(session.path)), markup=False)

    def _save_as_failed(self, session: PlanSession, path: Path, why: str) -> None:
        session.save_failed()
        self.failed(path, why)

    def crashed(self) -> Path:
        """kamtui is stopping on an unexpected error: write the unsaved edits aside and the details
        to the (private) crash log, whose path is returned. Never raises."""
        import traceback

        from ..store import locations
        from ..store.atomic import atomic_write, ensure_private_dir

        log = locations.state_dir() / "crash.log"
        try:
            session = self.app.session
            if session is not None and session.dirty:
                payload = recovery_payload(session.path, session.recovery_data())
                write_recovery(session.path, session.recovery_owner, payload)
            ensure_private_dir(log.parent)
            atomic_write(log, traceback.format_exc().encode("utf-8"))  # private: it may quote client data
        except Exception:  # noqa: BLE001 - already failing: never hide the first error
            pass
        return log

    # --- leaving a plan -------------------------------------------------------------------

    def leave_plan(self, then: Callable[[], None]) -> None:
        """Run ``then`` once unsaved edits are saved or knowingly discarded. While the question is
        open nothing writes the plan file (no autosave): Discard leaves it as the last save."""
        from .dialogs.choice import ChoiceDialog, choice

        app = self.app
        session = app.session
        if session is None or not session.dirty:
            then()
            return
        session.hold()

        def answer(choice: str | None) -> None:
            session.release()
            if session is not app.session:
                return
            if choice == "save":
                self.save_then(then)
            elif choice == "discard":
                app.close_plan()
                then()

        choices = [
            choice("save", "quit.save"),
            choice("discard", "quit.discard"),
            choice("cancel", "dialog.cancel"),
        ]
        app.push_screen(ChoiceDialog(t("quit.title"), t("quit.ask"), choices), answer)

    def save_then(self, then: Callable[[], None]) -> None:
        """Save, then run ``then`` if the plan is clean (a failed save leaves the app running)."""
        session = self.app.session
        assert session is not None

        def after() -> None:
            if self.app.session is session and not session.dirty:
                then()

        if session.saving:
            self._after_save.append(lambda: self.save_then(then))
            return
        if not session.dirty:
            after()
            return
        self._after_save.append(after)
        self.start(session, force=False)


def _write_recovery(path: Path, owner: str, data: dict[str, Any]) -> None:
    try:
        write_recovery(path, owner, recovery_payload(path, data))
    except OSError:
        pass
