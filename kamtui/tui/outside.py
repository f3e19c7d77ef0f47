"""Changes made to the open plan's file by someone else (git pull, another editor): noticed by
content, never written over silently; the user chooses to reload, keep theirs, or see the
difference."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from ..store.recovery import clear_recovery
from ..store.tomlio import LoadError
from .i18n import t

if TYPE_CHECKING:
    from ..store.planfile import PlanFile


class OutsideChanges:
    """Part of :class:`~kamtui.tui.app.KamApp`: the file watch (every ``_watch_interval`` s, in a
    thread) and the question asked when the file changed."""

    planfile: PlanFile | None
    _asking_external: bool

    def _watch_disk(self) -> None:
        if self.planfile is not None and not self._asking_external:
            self._check_disk(self.planfile)

    @work(thread=True, exclusive=True, group="watch")
    def _check_disk(self, planfile: PlanFile) -> None:
        if planfile.changed_on_disk():
            self.call_from_thread(self._external_change)

    def _external_change(self) -> None:
        from .dialogs.choice import ChoiceDialog, MessageDialog

        # Checked again here: a check that started before our own save may report late.
        if self.planfile is None or self._asking_external or not self.planfile.changed_on_disk():
            return
        self._asking_external = True
        planfile = self.planfile

        def answer(choice: str | None) -> None:
            self._asking_external = False
            if planfile is not self.planfile:
                return
            if choice == "reload":
                try:
                    planfile.reload()
                except LoadError as exc:
                    self.push_screen(
                        MessageDialog(t("error.load_title", name=planfile.path.name), "\n".join(exc.lines))
                    )
                    return
                self.edit_count += 1
                self.dirty = False
                self.save_state = "saved"
                clear_recovery(planfile.path)
                self.screen.refresh_from_plan()  # type: ignore[attr-defined]
                self.notify(t("external.reloaded"))
            elif choice == "keep":
                try:
                    planfile.adopt_disk_version()
                except LoadError:
                    pass  # the file on disk is broken: keep ours, write over it on the next save
                self.plan_changed()
                self.action_save(force=True)
            elif choice == "diff":
                self.push_screen(
                    MessageDialog(t("external.diff_title"), self._difference()), lambda _: self._external_change()
                )
            # None (Escape): ask again at the next check

        self.push_screen(
            ChoiceDialog(
                t("external.title"),
                t("external.ask", name=planfile.path.name),
                [
                    ("reload", t("external.reload"), "r"),
                    ("keep", t("external.keep"), "k"),
                    ("diff", t("external.diff"), "d"),
                ],
                default=2,
            ),
            answer,
        )

    def _difference(self) -> str:
        import difflib

        planfile = self.planfile
        assert planfile is not None
        disk = (planfile.disk_bytes() or b"").decode("utf-8", "replace")
        try:
            mine = planfile.render(planfile.snapshot())
        except Exception:  # noqa: BLE001 - showing a difference must never crash
            mine = planfile.text
        lines = difflib.unified_diff(
            disk.splitlines(), mine.splitlines(), t("external.on_disk"), t("external.mine"), lineterm=""
        )
        return "\n".join(lines) or t("external.same")
