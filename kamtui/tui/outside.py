"""Changes made to the open plan's file by someone else (git pull, another editor): noticed by
content, never written over silently; the user chooses to reload, keep theirs, or see the
difference.

The file is looked at in a worker thread (never blocking on a named pipe, size-bounded, through
symbolic links), and so is the difference. While the question is open the session is held: no
autosave writes the file whose fate is being decided. Reloading and "keep mine" are steps of the
session's history (undo gives the other version back); every widget shows the plan again through
the app's ``plan_version``, whatever dialog is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ..store.recovery import clear_recovery
from ..store.tomlio import LoadError
from .i18n import t

if TYPE_CHECKING:
    from ..session import PlanSession
    from ..store.tomlio import DiskVersion
    from .app import KamApp


class OutsideWatch:
    """The app's watch on the open plan's file (every ``interval`` s, in a thread) and the question
    asked when the file changed. Owned by :class:`~kamtui.tui.app.KamApp` as ``app.outside``."""

    def __init__(self, app: KamApp) -> None:
        self.app = app
        self.asking = False
        self._dismissed: bytes | str | None = None  # what was on disk when the user said "later"
        self._looking = False  # a look at the file is running in a thread

    @property
    def pending(self) -> bool:
        """True while the file on disk holds someone else's version that the user has not decided on."""
        return self.asking or self._dismissed is not None

    def forget_later(self) -> None:
        """Ask again about a change the user put off."""
        self._dismissed = None

    def check(self) -> None:
        """Look at the file in a thread; ask if it changed (also called when a save found it changed)."""
        session = self.app.session
        if session is not None and not self.asking and not self._looking:
            # One look at a time (not an exclusive worker: cancelling one that is reading would
            # surface as a cancelled worker to whoever waits for the workers).
            self._looking = True
            self.app.run_worker(lambda: self._check(session), thread=True, group="watch", exit_on_error=False)

    def _check(self, session: PlanSession) -> None:
        try:
            version = session.planfile.disk_version()
        finally:
            self._looking = False
        if version.kind != "same" or self._dismissed is not None:
            self.app.call_from_thread(self._changed, session, version)

    def _changed(self, session: PlanSession, version: DiskVersion) -> None:
        if session is not self.app.session or self.asking:
            return
        self.app.git.refresh()  # a git checkout, pull or merge changes its git state too
        if version.kind == "same":  # put back as it was (e.g. a git checkout undone)
            self._dismissed = None
            self.app.show_save_state()
            return
        seen = version.data if version.data is not None else version.kind
        if seen == self._dismissed:
            return  # the user chose "later" for exactly this; the header still says so
        self.asking = True
        session.hold()  # no autosave over a file whose fate is being decided
        self.app.show_save_state()
        self._ask(session, version)

    def _ask(self, session: PlanSession, version: DiskVersion) -> None:
        from .dialogs.choice import ChoiceDialog, choice

        name = session.path.name
        if version.kind == "changed":
            message = t("external.ask", name=name)
            choices = [
                choice("reload", "external.reload"),
                choice("keep", "external.keep"),
                choice("diff", "external.diff"),
            ]
            default = 2
        else:
            message = t("external.gone", name=name, problem=version.problem or t("external.missing"))
            choices = [choice("keep", "external.write_again"), choice("later", "external.later")]
            default = 1

        def answer(choice: str | None) -> None:
            if session is not self.app.session:
                return
            if choice == "diff":
                self._show_difference(session, version)
                return  # still asking, still held: the question comes back once the difference is closed
            self.asking = False
            session.release()
            if choice == "reload":
                self._reload(session)
            elif choice == "keep":
                # Not asked again about this very state: the forced save either replaces it (and the
                # next check finds our own file) or fails with a message saying why.
                self._dismissed = version.data if version.data is not None else version.kind
                session.keep_mine()
                self.app.saving.start(session, force=True)
            else:  # "later" or Escape: not asked again until the file changes again
                self._dismissed = version.data if version.data is not None else version.kind
            self.app.show_save_state()

        self.app.push_screen(ChoiceDialog(t("external.title"), message, choices, default=default), answer)

    def _reload(self, session: PlanSession) -> None:
        from .dialogs.choice import MessageDialog

        try:
            session.reload()
        except LoadError as exc:
            self.app.push_screen(MessageDialog(t("error.load_title", name=session.path.name), "\n".join(exc.lines)))
            return
        self._dismissed = None
        clear_recovery(session.path, session.recovery_owner)
        self.app.notify(t("external.reloaded"), markup=False)

    def _show_difference(self, session: PlanSession, version: DiskVersion) -> None:
        """What differs between the file on disk and the plan the app holds, by section and item
        (:func:`kamtui.tui.gitui.snapshot_difference`); line by line when the file on disk is
        not a valid plan. Built in a thread, size-bounded."""
        snap = session.planfile.snapshot()  # taken here, on the thread that edits the plan
        disk_label, mine_label = t("external.on_disk"), t("external.mine")

        def build() -> None:
            from .gitui import snapshot_difference

            body = snapshot_difference(version.data, snap, disk_label, mine_label)
            if body is None:
                text = session.planfile.difference(snap, version, disk_label=disk_label, mine_label=mine_label)
                body = Content(text or t("external.same"))
            self.app.call_from_thread(self._difference_ready, session, version, body)

        self.app.run_worker(build, thread=True, exclusive=True, group="difference", exit_on_error=False)

    def _difference_ready(self, session: PlanSession, version: DiskVersion, body: Content) -> None:
        from .dialogs.choice import MessageDialog

        if session is not self.app.session:
            return
        self.app.push_screen(MessageDialog(t("external.diff_title"), body), lambda _: self._ask(session, version))
