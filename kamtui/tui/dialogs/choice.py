"""Small modal dialogs: a question with a few answers, a message, a long text.

Titles and messages often quote plan text, file names or errors naming files (a load error, the
difference with the file on disk): a ``str`` is shown literally, its control characters as
stand-ins; a ``Content`` keeps its styles, any control character left in it shown as a stand-in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from ..commands import bindings
from ..i18n import t
from ..text import plan_content, safe_content, shown
from .base import Dialog


class ChoiceDialog(Dialog[str | None]):
    """Asks ``message`` and returns the key of the chosen answer (None on Escape).

    Each answer is ``(key, label, shortcut)``: the shortcut letter picks it too.
    """

    BINDINGS = bindings("dialog.dismiss")

    def __init__(
        self,
        title: str,
        message: str | Content,
        choices: list[tuple[str, str, str]],
        default: int = 0,
        classes: str = "",
    ) -> None:
        super().__init__(classes=classes)
        self.title_text = title
        self.message = message
        self.choices = choices
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(shown(self.title_text)), classes="dialog-title")
            message = self.message
            message = safe_content(message) if isinstance(message, Content) else plan_content(message, multiline=True)
            yield Static(message, classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                for n, (key, label, shortcut) in enumerate(self.choices):
                    text = f"{label} ({shortcut})" if shortcut else label
                    yield Button(
                        Content(text), id=f"choice-{key}", variant="primary" if n == self.default else "default"
                    )

    def on_mount(self) -> None:
        self.query(Button)[self.default].focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def on_key(self, event) -> None:
        for key, _, shortcut in self.choices:
            if shortcut and event.key == shortcut.lower():
                event.stop()
                self.dismiss(key)
                return

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def choice(key: str, label_key: str) -> tuple[str, str, str]:
    """An answer for :class:`ChoiceDialog`: ``key``, the label ``label_key`` in the UI language
    and its shortcut letter, a letter of that label (catalog ``shortcut."<label_key>"``)."""
    return key, t(label_key), t(f"shortcut.{label_key}")


def confirm(title: str, message: str | Content) -> ChoiceDialog:
    return ChoiceDialog(title, message, [choice("yes", "dialog.yes"), choice("no", "dialog.no")], default=1)


class MessageDialog(Dialog[None]):
    """A message (an error, a list of problems, a difference) to read and close."""

    BINDINGS = bindings("dialog.close")

    def __init__(self, title: str, body: str | Content, classes: str = "") -> None:
        super().__init__(classes=classes)
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Content(shown(self.title_text)), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                body = self.body
                body = safe_content(body) if isinstance(body, Content) else plan_content(body, multiline=True)
                yield Static(body, classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.close"), id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close").focus()

    @on(Button.Pressed)
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
