"""The kamtui App: opening plans, saving, quitting, outside changes, recovery."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from ..model.questions import load_bank
from ..store import locations
from ..store.atomic import clean_stale_temps
from ..store.recovery import clear_recovery, read_recovery, recovery_payload, write_recovery
from ..store.tomlio import LoadError
from .commands import APP_COMMANDS, KamCommands, app_bindings
from .i18n import set_lang, t
from .outside import OutsideChanges

if TYPE_CHECKING:
    from ..store.planfile import PlanFile

SMALL_PLAN = 1024 * 1024  # bytes: read before the first frame (~0.1 s); larger plans show "loading" first
RECOVERY_DELAY = 1.0  # seconds after an edit before unsaved edits are written aside
GC_RESUME = 1.0  # seconds after start-up before the garbage collector runs again
CACHE_DELAY = 1.0  # seconds after opening before a large plan's parse is cached (start-up first)
WATCH_INTERVAL = 2.0  # seconds between checks of the file on disk
HOME_MODE = "plans"  # the plans list, once the app started on a plan has left it
PLAN_ACTIONS = frozenset(c.action.split("(")[0] for c in APP_COMMANDS if c.plan_only)


class KamApp(OutsideChanges, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "kamtui"
    BINDINGS = app_bindings()
    COMMANDS = App.COMMANDS | {KamCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p,f12"
    ENABLE_COMMAND_PALETTE = True

    dirty: reactive[bool] = reactive(False, bindings=True)
    save_state: reactive[str] = reactive("")

    def __init__(
        self,
        path: Path | None = None,
        lang: str | None = None,
        folder: Path | None = None,
        config: Any = None,
        watch_interval: float = WATCH_INTERVAL,
        manage_gc: bool = False,
    ) -> None:
        super().__init__()
        from ..store.config import load_config, resolve_lang

        self.config = config or load_config()
        self.ui_lang = resolve_lang(lang, self.config)
        set_lang(self.ui_lang)
        self.folder = Path(folder or self.config.plans_dir)
        self.start_path = path
        self.bank = load_bank(locations.question_templates())
        self.planfile: PlanFile | None = None
        self._saved_once = False
        self._manage_gc = manage_gc  # kamtui.tui.run: the process is ours (not in tests)
        self.edit_count = 0
        self._autosave: Timer | None = None
        self._recovery: Timer | None = None
        self._watch_interval = watch_interval
        self._asking_external = False

    # --- the open plan -------------------------------------------------------

    @property
    def plan(self) -> Any:
        return self.planfile.plan if self.planfile else None

    def get_default_screen(self) -> Screen:
        """The app's first screen is the plan itself (or the plans list), not a screen pushed over
        an empty one: nothing is built twice and the first frame is the finished one."""
        if self.start_path is not None:
            screen = self._plan_screen(self.start_path)
            if screen is not None:
                return screen
        from .screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        if self._manage_gc:
            self.set_timer(GC_RESUME, self._resume_gc)
        for problem in (*self.config.problems, *self.bank.problems):
            self.notify(Content(problem), severity="warning", timeout=10)
        self.set_interval(self._watch_interval, self._watch_disk)

    # --- the garbage collector (only when kamtui.tui.run made the process ours: manage_gc) --------
    # A full collection walks every live object: Textual's widgets and caches, the plan, and after
    # the first save the tomlkit document (some 70,000 objects for 1,000 actions). While typing that
    # took 40-80 ms now and then. What lives as long as the open plan is frozen out of those walks
    # once it is built, and unfrozen when the plan is closed so that it can be collected.

    def _resume_gc(self) -> None:
        """kamtui.tui.run starts with the collector off; it comes back once start-up is over."""
        gc.freeze()
        gc.enable()

    def _freeze_plan_objects(self) -> None:
        if self._manage_gc and self.planfile is not None:
            gc.freeze()

    def _show_home(self) -> None:
        """Back to the plans list (made the first screen if the app started on a plan)."""
        from .screens.home import HomeScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        first = self.screen
        if isinstance(first, HomeScreen):
            first.reload()
            return
        # The app started on this plan: the list becomes the first screen, in a mode of its own
        # (Textual can't replace a default screen). The plan's screen stays suspended: empty it.
        self.add_mode(HOME_MODE, HomeScreen)
        self.switch_mode(HOME_MODE)
        first.remove_children()

    def open_plan(self, path: Path) -> None:
        screen = self._plan_screen(path)
        if screen is not None:
            self.push_screen(screen)

    def _plan_screen(self, path: Path) -> Screen | None:
        """The screen of the plan at ``path``. A small plan is read now, so that the screen's first
        frame shows it; a large one is read in a thread while the screen shows "loading". None when
        the plan can't be read (the error is shown)."""
        from .screens.plan import PlanScreen

        path = Path(path)
        self.sub_title = path.name
        try:
            small = path.stat().st_size <= SMALL_PLAN
        except OSError:
            small = False  # the thread reports the problem
        if not small:
            self._load(path)
            return PlanScreen(path)
        planfile, recovered, errors = self._read(path)
        if errors is not None:
            self.call_later(self._show_load_error, path, errors)  # once a screen is there
            return None
        self._adopt(planfile)
        self.call_later(self._after_open, planfile, recovered)  # dialogs go over the plan screen
        return PlanScreen(path)

    def _read(self, path: Path) -> tuple[Any, Any, list[str] | None]:
        """(plan file, recovered edits, error lines): the reading half of opening a plan."""
        from ..store.planfile import PlanFile

        clean_stale_temps(path.parent)
        try:
            planfile = PlanFile.load(path)
        except LoadError as exc:
            return None, None, exc.lines
        return planfile, read_recovery(path), None

    @work(thread=True, exclusive=True, group="load")
    def _load(self, path: Path) -> None:
        planfile, recovered, errors = self._read(path)
        if errors is not None:
            self.call_from_thread(self._show_load_error, path, errors)
        else:
            self.call_from_thread(self._opened, planfile, recovered)

    @work(thread=True, group="cache")
    def _remember_parse(self, planfile: PlanFile) -> None:
        """After the first frame: keep a parsed copy of a large plan for its next opening."""
        planfile.remember_parse()

    def _show_load_error(self, path: Path, lines: list[str]) -> None:
        from .dialogs.choice import MessageDialog

        self.sub_title = ""
        self._show_home()
        self.push_screen(MessageDialog(t("error.load_title", name=path.name), "\n".join(lines)))

    def _adopt(self, planfile: PlanFile) -> None:
        self.planfile = planfile
        self._saved_once = False
        self.edit_count = 0
        self.dirty = False
        self.save_state = "readonly" if planfile.read_only else "saved"

    async def _opened(self, planfile: PlanFile, recovered: Any) -> None:
        """A plan read in a thread is here: fill in its screen, unless the user left it meanwhile."""
        from .screens.plan import PlanScreen

        waiting = [
            screen
            for screen in self.screen_stack
            if isinstance(screen, PlanScreen) and screen.path == planfile.path and not screen.loaded
        ]
        if not waiting:
            return
        self._adopt(planfile)
        await waiting[0].plan_loaded()
        self._after_open(planfile, recovered)

    def _after_open(self, planfile: PlanFile, recovered: Any) -> None:
        self.set_timer(CACHE_DELAY, lambda: self._remember_parse(planfile))
        self.set_timer(GC_RESUME, self._freeze_plan_objects)
        if planfile.read_only:
            self.notify(t("plan.read_only", schema=planfile.plan.schema), severity="warning", timeout=8)
        if recovered is not None:
            self._offer_recovery(*recovered)

    def _offer_recovery(self, plan: Any, when: str) -> None:
        from ..model.convert import to_data
        from .dialogs.choice import ChoiceDialog

        assert self.planfile is not None
        if to_data(plan) == to_data(self.planfile.plan):
            clear_recovery(self.planfile.path)
            return

        def answer(choice: str | None) -> None:
            assert self.planfile is not None
            if choice == "restore":
                from ..store.planfile import adopt_uids

                adopt_uids(plan, self.planfile.plan)
                self.planfile.plan = plan
                self.plan_changed()
                self.screen.refresh_from_plan()  # type: ignore[attr-defined]
                self.notify(t("recovery.restored"))
            elif choice == "discard":
                clear_recovery(self.planfile.path)

        self.push_screen(
            ChoiceDialog(
                t("recovery.title"),
                t("recovery.ask", when=when),
                [("restore", t("recovery.restore"), "r"), ("discard", t("recovery.discard"), "d")],
            ),
            answer,
        )

    def close_plan(self) -> None:
        if self.planfile is not None:
            clear_recovery(self.planfile.path)
        self.planfile = None
        if self._manage_gc:
            gc.unfreeze()  # the plan's objects (frozen while it was open) can be collected now
        self.dirty = False
        self.sub_title = ""

    def read_only_notice(self) -> bool:
        """True (and say so) if the open plan can't be changed."""
        if self.planfile is not None and self.planfile.read_only:
            self.notify(t("plan.read_only_edit"), severity="warning")
            return True
        return False

    def ref_choices(self) -> dict[str, list[tuple[str, str]]]:
        plan = self.plan
        return {
            "objectives": [(o.title, o.id) for o in plan.objectives],
            "kpis": [(k.name, k.id) for k in plan.kpis],
            "stakeholders": [(s.name, s.id) for s in plan.stakeholders],
        }

    # --- changes and saving --------------------------------------------------

    def plan_changed(self) -> None:
        """Every edit ends here: mark unsaved, restart the autosave and recovery timers."""
        self.edit_count += 1
        self.dirty = True
        self.save_state = "unsaved"
        delay = self.config.autosave_seconds
        if self._autosave is not None:
            self._autosave.stop()
        if delay > 0:
            self._autosave = self.set_timer(delay, self.action_save)
        if self._recovery is None:
            self._recovery = self.set_timer(RECOVERY_DELAY, self._write_recovery)
        screen = self.screen
        if hasattr(screen, "plan_changed"):
            screen.plan_changed()

    def _write_recovery(self) -> None:
        self._recovery = None
        if self.planfile is None or not self.dirty:
            return
        from ..model.convert import to_data

        # The plan is copied here, on the UI thread that edits it; encoding and writing run aside.
        self._recovery_worker(self.planfile.path, to_data(self.planfile.plan))

    @work(thread=True, group="recovery")
    def _recovery_worker(self, path: Path, data: dict) -> None:
        try:
            write_recovery(path, recovery_payload(path, data))
        except OSError:
            pass

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PLAN_ACTIONS and self.planfile is None:
            return False
        if action in PLAN_ACTIONS | {"home"} and isinstance(self.screen, ModalScreen):
            return False  # finish the dialog first (in the item editor ctrl+s accepts the item)
        if action == "save" and self.planfile is not None and (self.planfile.read_only or not self.dirty):
            return None  # shown greyed out
        return True

    def action_save(self, force: bool = False) -> None:
        if self.planfile is None or self.planfile.read_only:
            return
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        self.save_state = "saving"
        self._save_worker(self.planfile, self.planfile.snapshot(), self.edit_count, force)

    @work(thread=True, exclusive=True, group="save")
    def _save_worker(self, planfile: PlanFile, snap: dict, edits: int, force: bool) -> None:
        from ..store.planfile import ExternalChange, ReadOnly

        try:
            planfile.save(snap, force=force)
        except ExternalChange:
            self.call_from_thread(self._external_change)
            return
        except (ReadOnly, OSError, RuntimeError) as exc:
            self.call_from_thread(self._save_failed, str(exc))
            return
        self.call_from_thread(self._saved, planfile, edits)

    def _saved(self, planfile: PlanFile, edits: int) -> None:
        if planfile is not self.planfile:
            return
        if not self._saved_once:
            self._saved_once = True
            self._freeze_plan_objects()  # the first save built the tomlkit document, kept for the next ones
        if edits == self.edit_count:
            self.dirty = False
            self.save_state = "saved"
            clear_recovery(planfile.path)
        else:
            self.save_state = "unsaved"

    def _save_failed(self, message: str) -> None:
        self.save_state = "unsaved"
        self.notify(Content(t("save.failed", error=message)), severity="error", timeout=10)

    def watch_save_state(self) -> None:
        if self.screen_stack and hasattr(self.screen, "status_changed"):
            self.screen.status_changed()  # type: ignore[attr-defined]

    # --- crashes ---------------------------------------------------------------

    def _fatal_error(self) -> None:
        """An unexpected error: keep the unsaved edits aside, log the details, say so briefly."""
        import traceback

        log = locations.state_dir() / "crash.log"
        try:
            if self.planfile is not None and self.dirty:
                from ..model.convert import to_data

                write_recovery(self.planfile.path, recovery_payload(self.planfile.path, to_data(self.planfile.plan)))
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(traceback.format_exc(), "utf-8")
        except Exception:  # noqa: BLE001 - already failing: never hide the first error
            pass
        self.bell()
        from rich.text import Text

        # A rich Text wraps to the terminal's width (a Content would be cut at the first line).
        self._exit_renderables.append(Text(t("crash.message", log=str(log))))
        self._close_messages_no_wait()

    # --- quitting and navigation ---------------------------------------------

    def _leave_plan(self, then: Callable[[], None]) -> None:
        """Run ``then`` once unsaved edits are saved or knowingly discarded."""
        from .dialogs.choice import ChoiceDialog

        if not self.dirty or self.planfile is None:
            then()
            return

        def answer(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
                self._after_save(then)
            elif choice == "discard":
                self.close_plan()
                then()

        self.push_screen(
            ChoiceDialog(
                t("quit.title"),
                t("quit.ask"),
                [
                    ("save", t("quit.save"), "s"),
                    ("discard", t("quit.discard"), "d"),
                    ("cancel", t("dialog.cancel"), "c"),
                ],
            ),
            answer,
        )

    @work(group="leave")
    async def _after_save(self, then: Callable[[], None]) -> None:
        await self.workers.wait_for_complete([w for w in self.workers if w.group == "save"])
        if not self.dirty:
            then()

    async def action_quit(self) -> None:
        self._leave_plan(lambda: self.exit(0))

    def action_home(self) -> None:
        self._leave_plan(self._go_home)

    def _go_home(self) -> None:
        self.close_plan()
        self._show_home()

    def action_help(self) -> None:
        from .dialogs.help import HelpDialog

        self.push_screen(HelpDialog(self.screen))

    def action_section(self, name: str) -> None:
        if hasattr(self.screen, "show_section"):
            self.screen.show_section(name)  # type: ignore[attr-defined]
        else:
            from .screens.plan import PlanScreen

            for screen in self.screen_stack:
                if isinstance(screen, PlanScreen):
                    while self.screen is not screen:
                        self.pop_screen()
                    screen.show_section(name)
                    return

    def action_goto(self) -> None:
        from .dialogs.goto import GotoDialog

        self.push_screen(GotoDialog(), lambda name: name and self.action_section(name))

    def action_toggle_checklist(self) -> None:
        if hasattr(self.screen, "toggle_checklist"):
            self.screen.toggle_checklist()  # type: ignore[attr-defined]
