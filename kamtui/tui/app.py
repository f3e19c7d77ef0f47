"""The kamtui App: opening plans, saving, undo, quitting, recovery.

The open plan lives in a :class:`~kamtui.session.PlanSession`; the app reaches it as
``self.session`` and widgets through :mod:`kamtui.tui.access`. Every change of the plan bumps
the reactive :attr:`KamApp.plan_version`, which the widgets of the plan screen watch to show the
plan again; :attr:`KamApp.save_state` says what is on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette
from textual.filter import LineFilter
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from ..model.questions import load_bank
from ..store import locations
from . import textual_private
from .collector import Collector
from .commands import APP_COMMANDS, COMMANDS, KamCommands, app_bindings, check_keymap
from .gitactions import GitActions
from .gitui import GitState
from .i18n import set_lang, t
from .opening import Opening, ask_after_opening
from .opening import read as opening_read
from .outside import OutsideWatch
from .saving import TICK, Saving
from .text import ControlFilter, FilterChain, shown
from .typeahead import Typeahead

if TYPE_CHECKING:
    from ..session import PlanSession
    from ..store.planfile import PlanFile
    from .screens.plan import PlanScreen

SMALL_PLAN = 1024 * 1024  # bytes: read before the first frame (~0.1 s); larger plans show "loading" first
GC_RESUME = 1.0  # seconds after start-up before the garbage collector runs again
CACHE_DELAY = 1.0  # seconds after opening before a large plan's parse is cached (start-up first)
WATCH_INTERVAL = 2.0  # seconds between checks of the file on disk
HOME_MODE = "plans"  # the plans list, once the app started on a plan has left it
PLAN_ACTIONS = frozenset(c.action.split("(")[0] for c in APP_COMMANDS if c.plan_only)


class KamApp(GitActions, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "kamtui"
    BINDINGS = app_bindings()
    # kamtui's own palette only: every entry translated, each with its keys (Textual's system
    # commands are English-only). ctrl+p and F12 open it: the "app.palette" command.
    COMMANDS = {KamCommands}
    ENABLE_COMMAND_PALETTE = True

    # repaint=False: a reactive of the App repaints the whole screen when it changes (a
    # full-screen render on every key typed); the widgets that watch these redraw themselves.
    plan_version: reactive[int] = reactive(0, repaint=False)
    """Bumped by every change of the open plan (edits, undo, redo, reload): widgets watch it."""
    plan_read_only: reactive[bool] = reactive(False, repaint=False)
    """The open plan can be read, not changed (a newer schema; open in another kamtui)."""
    save_state: reactive[str] = reactive("", repaint=False)
    """What the file on disk holds: saved, unsaved, saving, readonly, outside (changed by someone else)."""

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
        keymap = getattr(self.config, "keys", {}) or {}
        self._keymap_problems = check_keymap(keymap)
        self.set_keymap({k: v for k, v in keymap.items() if k in COMMANDS})
        self.session: PlanSession | None = None
        self.collector = Collector(manage_gc)  # kamtui.tui.run: the process is ours (not in tests)
        self._tick: Timer | None = None
        self._watch_interval = watch_interval
        self.outside = OutsideWatch(self)
        self.git = GitState(self)
        self._control_filter = ControlFilter()
        self._filter_chain = FilterChain(())
        self.saving = Saving(self)
        self._keys_state: tuple[str, bool, bool] | None = None
        self.typeahead = Typeahead(self)

    # --- the open plan -------------------------------------------------------

    @property
    def planfile(self) -> PlanFile | None:
        return self.session.planfile if self.session is not None else None

    @property
    def dirty(self) -> bool:
        return self.session is not None and self.session.dirty

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
        if self.collector.managed:
            self.set_timer(GC_RESUME, self.collector.resume)
            self.set_interval(TICK, self.collector.tick)
        for problem in (*self.config.problems, *self.bank.problems, *self._keymap_problems):
            self.notify(shown(problem), severity="warning", timeout=10, markup=False)
        self.set_interval(self._watch_interval, self.outside.check)
        self.set_interval(self._watch_interval * 5, self.git.refresh)  # a commit made in a terminal

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.collector.key()  # full garbage collections wait for a pause in typing
            if self.typeahead.hold(event):  # typed for a screen now covered: for the one shown
                return
        await super().on_event(event)

    def freeze_plan_objects(self) -> None:
        if self.session is not None:
            self.collector.freeze()

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
        opening = self._read(path)
        if not isinstance(opening, Opening):
            self.call_later(self._show_load_error, path, opening)  # once a screen is there
            return None
        self._adopt(opening)
        self.call_later(self._after_open, opening)  # dialogs go over the plan screen
        return PlanScreen(path)

    def _read(self, path: Path) -> Opening | list[str]:
        return opening_read(path)

    @work(thread=True, exclusive=True, group="load")
    def _load(self, path: Path) -> None:
        opening = self._read(path)
        if not isinstance(opening, Opening):
            self.call_from_thread(self._show_load_error, path, opening)
        else:
            self.call_from_thread(self._open_loaded, opening)

    @work(thread=True, group="cache")
    def _remember_parse(self, planfile: PlanFile) -> None:
        """After the first frame: keep a parsed copy of a large plan for its next opening."""
        planfile.remember_parse()

    def _show_load_error(self, path: Path, lines: list[str]) -> None:
        from .dialogs.choice import MessageDialog

        self.sub_title = ""
        self._show_home()
        self.push_screen(MessageDialog(t("error.load_title", name=path.name), "\n".join(lines)))

    def _adopt(self, opening: Opening) -> None:
        from ..session import PlanSession

        self.session = PlanSession(opening.planfile, autosave_seconds=self.config.autosave_seconds)
        self.session.take_lock(opening.lock, opening.holder)
        self.session.subscribe(self._session_changed)
        self.saving.opened()
        self.git.opened(self.session)
        self._keys_state = None
        self.show_save_state()
        if self._tick is None:
            self._tick = self.set_interval(TICK, self.saving.tick)

    def _open_loaded(self, opening: Opening) -> None:
        self.run_worker(self._opened(opening), group="load")

    async def _opened(self, opening: Opening) -> None:
        """A plan read in a thread is here: fill in its screen, unless the user left it meanwhile."""
        from .screens.plan import PlanScreen

        waiting = [
            screen
            for screen in self.screen_stack
            if isinstance(screen, PlanScreen) and screen.path == opening.planfile.path and not screen.loaded
        ]
        if not waiting:
            opening.lock.release()
            return
        self._adopt(opening)
        await waiting[0].plan_loaded()
        self._after_open(opening)

    def _after_open(self, opening: Opening) -> None:
        planfile = opening.planfile
        self.set_timer(CACHE_DELAY, lambda: self._remember_parse(planfile))
        self.set_timer(GC_RESUME, self.freeze_plan_objects)
        if planfile.read_only:
            self.notify(t("plan.read_only", schema=planfile.plan.schema), severity="warning", timeout=8, markup=False)
        if self.session is not None and self.session.planfile is planfile:
            ask_after_opening(self, self.session, opening)
            self.call_later(self.offer_conflicts)

    def close_plan(self) -> None:
        if self.session is not None:
            self.session.close()
        self.session = None
        self.collector.unfreeze()
        self.sub_title = ""
        self.save_state = ""

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Defence in depth: no control character from anywhere reaches the terminal (plan text is
        already shown with stand-ins; this removes whatever got past, at about 7 µs a line). With
        Textual's enabled filters, as one filter (the same object while they are the same: each
        line drawn keeps its filtered copy by filter)."""
        filters = (*super().get_line_filters(), self._control_filter)
        if self._filter_chain.filters != filters:
            self._filter_chain = FilterChain(filters)
        return [self._filter_chain]

    def on_unmount(self) -> None:
        """The app stops: the plan's lock goes (a process that dies loses it anyway). Its recovery
        copy stays if edits are unsaved: it is offered at the next opening."""
        if self.session is not None and self.session.lock is not None:
            self.session.lock.release()

    def read_only_notice(self) -> bool:
        """True (and say so) if the open plan can't be changed."""
        session = self.session
        if session is not None and session.read_only:
            key = "lock.read_only_edit" if session.elsewhere is not None else "plan.read_only_edit"
            self.notify(t(key), severity="warning", markup=False)
            return True
        return False

    def ref_choices(self) -> dict[str, list[tuple[str, str]]]:
        if self.session is None:
            return {}
        plan = self.session.plan
        return {
            "objectives": [(o.title, o.id) for o in plan.objectives],
            "kpis": [(k.name, k.id) for k in plan.kpis],
            "stakeholders": [(s.name, s.id) for s in plan.stakeholders],
        }

    # --- changes and saving --------------------------------------------------

    def _session_changed(self, session: PlanSession) -> None:
        """Every change of the plan or of what is on disk ends here."""
        if session is not self.session:
            return
        self.plan_version = session.version
        self.show_save_state()

    def show_save_state(self) -> None:
        session = self.session
        if session is None:
            return
        if session.read_only:
            state = "readonly"
        elif self.outside.pending:
            state = "outside"
        elif session.saving:
            state = "saving"
        else:
            state = "unsaved" if session.dirty else "saved"
        self.save_state = state
        self.plan_read_only = session.read_only
        keys = (state, session.can_undo, session.can_redo)
        if keys != self._keys_state:  # what ctrl+s, ctrl+z and ctrl+y can do changed: grey them or not
            self._keys_state = keys
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        if action in PLAN_ACTIONS and session is None:
            return False
        if action in PLAN_ACTIONS | {"home"} and self._in_dialog():
            return False  # finish the dialog first (in the item editor ctrl+s accepts the item)
        if session is not None:
            if action == "save" and (session.read_only or not (session.dirty or self.outside.pending)):
                return None  # shown greyed out
            if action == "save_as" and session.planfile.read_only:
                return None
            if action == "undo" and not session.can_undo:
                return None
            if action == "redo" and not session.can_redo:
                return None
        return True

    def _in_dialog(self) -> bool:
        """A dialog is open (not the command palette, which runs the plan's commands)."""
        return isinstance(self.screen, ModalScreen) and not isinstance(self.screen, CommandPalette)

    def action_save(self, force: bool = False) -> None:
        """ctrl+s (and "keep mine", forced). Asked for by the user: a change on disk that was put
        off ("later") is asked about again."""
        session = self.session
        if session is None:
            return
        if self.outside.pending and not force:
            self.outside.forget_later()
            self.outside.check()  # the question comes back: nothing is written before it is answered
            return
        self.saving.start(session, force)

    def watch_save_state(self) -> None:
        from .screens.plan import PlanScreen

        for screen in self.screen_stack:
            if isinstance(screen, PlanScreen):
                screen.status_changed()

    def action_save_as(self) -> None:
        self.saving.ask_save_as()

    def key_of(self, command_id: str) -> str:
        """The keys of a command as the user has them (after the [keys] table), for messages."""
        keys = [
            self.get_key_display(binding)
            for _node, binding, _enabled, _tooltip in self.screen.active_bindings.values()
            if binding.id == command_id
        ]
        return " / ".join(keys) or command_id

    # --- undo / redo -------------------------------------------------------------

    def action_undo(self) -> AwaitComplete:
        return self._history(undo=True)

    def action_redo(self) -> AwaitComplete:
        return self._history(undo=False)

    def _history(self, undo: bool) -> AwaitComplete:
        """Undo or redo one step and show where it was (awaited by the key: see show_section)."""
        session = self.session
        if session is None or self.read_only_notice():
            return AwaitComplete.nothing()
        step = session.undo() if undo else session.redo()
        screen = self.plan_screen()
        if step is None:
            self.notify(t("undo.nothing" if undo else "redo.nothing"), markup=False)
            return AwaitComplete.nothing()
        self.notify(t("undo.done" if undo else "redo.done", what=t(f"edit.{step.kind}")), timeout=2, markup=False)
        return screen.show_change(step.where) if screen is not None else AwaitComplete.nothing()

    # --- crashes ---------------------------------------------------------------

    def _fatal_error(self) -> None:
        """An unexpected error: keep the unsaved edits aside, log the details, say so briefly."""
        log = self.saving.crashed()
        self.bell()
        from rich.text import Text

        # A rich Text wraps to the terminal's width (a Content would be cut at the first line).
        textual_private.exit_with(self, Text(t("crash.message", log=str(log))))

    # --- quitting and navigation ---------------------------------------------

    async def action_quit(self) -> None:
        self.saving.leave_plan(lambda: self.exit(0))

    def action_home(self) -> None:
        self.saving.leave_plan(self._go_home)

    def _go_home(self) -> None:
        self.close_plan()
        self._show_home()

    def action_help(self) -> None:
        from .dialogs.help import HelpDialog

        self.push_screen(HelpDialog(self.screen))

    def action_command_palette(self) -> None:
        """Textual's palette, its prompt in the interface's language."""
        if self.use_command_palette and not any(isinstance(s, CommandPalette) for s in self.screen_stack):
            self.push_screen(CommandPalette(placeholder=t("palette.placeholder"), id="--command-palette"))

    def plan_screen(self) -> PlanScreen | None:
        """The open plan's screen, wherever it is in the stack."""
        from .screens.plan import PlanScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, PlanScreen):
                return screen
        return None

    def action_section(self, name: str) -> AwaitComplete:
        """Show a section; the key waits until it is focused (keys typed after it go there)."""
        screen = self.plan_screen()
        if screen is None:
            return AwaitComplete.nothing()
        while self.screen is not screen and len(self.screen_stack) > 1:
            self.pop_screen()
        return screen.show_section(name)

    def action_export(self) -> None:
        from .exporting import ask_export

        ask_export(self)

    def action_goto(self) -> None:
        from .dialogs.goto import GotoDialog

        def chosen(name: str | None) -> None:
            if name:
                self.action_section(name)

        self.push_screen(GotoDialog(), chosen)

    def action_toggle_checklist(self) -> None:
        screen = self.plan_screen()
        if screen is not None and screen is self.screen:
            screen.toggle_checklist()
