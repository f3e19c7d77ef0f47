"""A form for the fields of a plan item, built from the fields' specs, with inline validation.

A form never keeps a model object: it is given a ``source``, a function returning the object
whose values it shows (the account of the plan open now, a copy of an item in the item editor),
and reads it again when asked to :meth:`FieldForm.show` the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from ...model.inputs import InputError, parse_input, to_text
from ...model.schema import BOOL, DATE, ENUM, FLOAT, INT, PERIOD, REF, STR, STRLIST, TEXT, Spec, specs
from ..i18n import field_label, t, value_label
from ..text import EDITOR_HIGHLIGHTER, editor_line, plan_content, show, shown

RefChoices = dict[str, list[tuple[str, str]]]  # list name -> [(label, id)]


class TextBox(TextArea):
    """Long text. Entering it for the first time puts the cursor at the end of the text (where
    one goes on writing), not at its start; afterwards the cursor stays where it was left.

    Control characters in the text (an ESC from a hostile plan) are drawn as stand-ins, one for
    one, and never sent to the terminal; the text itself keeps them. A line holding some may be
    wrapped a little late (Textual measures them as zero cells wide, their stand-ins take one)."""

    def on_focus(self, event: events.Focus) -> None:
        if self.cursor_location == (0, 0) and self.text:
            self.move_cursor(self.document.end)

    def get_line(self, line_index: int) -> Text:
        return Text(editor_line(self.document.get_line(line_index)), end="", no_wrap=True)


class FieldInput(Input):
    """A field's line of text. Textual's Input sets its virtual size at each key typed (the text's
    width), and that reactive asks for a layout of the whole screen: a field is as wide as its
    column whatever its text, so it is repainted, not laid out (an Input sized by its text still
    asks for its layout itself). That layout was most of a key's cost."""

    virtual_size = Reactive(Size(0, 0), repaint=True, layout=False)


def text_input(value: str, **kwargs: Any) -> Input:
    """One line of text. Entering it keeps its text and puts the cursor at the end: the first key
    typed adds to the value instead of replacing it (Textual selects all by default). Control
    characters in it are drawn as stand-ins (the value keeps them)."""
    field = FieldInput(value, select_on_focus=False, highlighter=EDITOR_HIGHLIGHTER, **kwargs)
    field.cursor_position = len(value)
    return field


# Fields naming people, typed with suggestions from the plan's lists (names shown, names or ids
# stored): list names to suggest from, and whether a chosen name is stored as the item's id.
# Where the format allows free text (an owner not in the team), what is typed is kept as is.
PEOPLE_FIELDS: dict[str, tuple[tuple[str, ...], bool]] = {
    "ask": (("stakeholders",), True),  # a gap's whom to ask: a stakeholder id, or free text
    "owner": (("team", "stakeholders"), False),  # an action's or a relationship's owner: a name
}


class PersonInput(FieldInput):
    """A person's name, with suggestions (→ or End completes); ``ids`` maps a known name (folded)
    to what is stored for it — its item id for a reference, else the name itself."""

    def __init__(self, value: str, names: list[str], ids: dict[str, str], **kwargs: Any) -> None:
        super().__init__(
            value,
            select_on_focus=False,
            highlighter=EDITOR_HIGHLIGHTER,
            suggester=SuggestFromList(names, case_sensitive=False) if names else None,
            **kwargs,
        )
        self.ids = ids
        self.labels = {ids[label.casefold()]: label for label in names}
        self.cursor_position = len(value)

    def stored(self) -> str:
        """What is stored for the text typed: a known person's id (or name), else the text."""
        text = self.value.strip()
        return self.ids.get(text.casefold(), text)

    def label_of(self, stored: str) -> str:
        """What is shown for a stored value: the name of the person it is the id of."""
        return self.labels.get(stored, stored)


def person_input(wid: str, name: str, value: str, refs: RefChoices) -> PersonInput:
    lists, by_id = PEOPLE_FIELDS[name]
    names: list[str] = []
    ids: dict[str, str] = {}
    for list_name in lists:
        for label, ident in refs.get(list_name, []):
            if label and label.casefold() not in ids:
                names.append(label)
                ids[label.casefold()] = ident if by_id else label
    field = PersonInput(value, names, ids, id=wid, placeholder=t("form.people_hint") if names else "")
    field.value = field.label_of(value)
    field.cursor_position = len(field.value)
    return field


def editor_for(name: str, spec: Spec, value: Any, refs: RefChoices) -> Any:
    wid = f"f-{name}"
    if spec.kind == STR and name in PEOPLE_FIELDS:
        return person_input(wid, name, value, refs)
    if spec.kind in (TEXT, STRLIST):
        return TextBox(
            to_text(spec, value),
            id=wid,
            soft_wrap=True,
            show_line_numbers=False,
            classes="long" if spec.kind == TEXT else "list",
        )
    if spec.kind == ENUM:
        return Select([(value_label(c), c) for c in spec.choices], value=value, allow_blank=False, id=wid)
    if spec.kind == INT and spec.lo is not None and spec.hi is not None:
        return Select([(str(n), n) for n in range(spec.lo, spec.hi + 1)], value=value, allow_blank=False, id=wid)
    if spec.kind == BOOL:
        return Checkbox(field_label(name), value=bool(value), id=wid)
    if spec.kind == REF:
        options = [(plan_content(label or ident), ident) for label, ident in refs.get(spec.ref or "", [])]
        known = {ident for _, ident in options}
        if value and value not in known:  # a dangling reference stays visible, not lost
            options.append((Content(t("form.missing_ref", id=shown(value))), value))
        return Select(options, value=value or Select.NULL, allow_blank=True, id=wid, prompt=t("form.none"))
    placeholder = {DATE: t("form.date_hint"), PERIOD: t("form.period_hint"), FLOAT: t("form.number_hint")}
    return text_input(to_text(spec, value), id=wid, placeholder=placeholder.get(spec.kind, ""))


def read_editor(widget: Any, spec: Spec) -> Any:
    """The value of an editor widget, parsed; raises InputError."""
    if isinstance(widget, TextArea):
        return parse_input(spec, widget.text)
    if isinstance(widget, Checkbox):
        return bool(widget.value)
    if isinstance(widget, Select):
        value = widget.value
        return "" if value is Select.NULL else value
    if isinstance(widget, PersonInput):
        return parse_input(spec, widget.stored())
    return parse_input(spec, widget.value)


def raw_value(widget: Any) -> Any:
    """What an editor holds, as typed (to tell whether the user changed anything)."""
    if isinstance(widget, TextArea):
        return widget.text
    return widget.value


class FieldForm(VerticalScroll):
    """Editors for some fields of the object ``source()`` returns. Posts :class:`FieldForm.Changed`
    for each valid change; ``part`` names what it edits in the plan ("account", "swot"), if anything."""

    DEFAULT_CSS = """
    FieldForm.inline-form { height: auto; }
    .field { height: auto; }
    .field-label { color: $text-muted; }
    .field-error { display: none; color: $error; }
    .field-error.shown { display: block; }
    .field-help { color: $text-muted; text-style: italic; }
    .invalid { border: tall $error; }
    TextArea.long { height: 6; }
    TextArea.list { height: 6; }
    """

    class Changed(Message):
        def __init__(self, form: FieldForm, name: str, value: Any, typing: bool) -> None:
            super().__init__()
            self.form = form
            self.name = name
            self.value = value
            self.typing = typing  # typed text (grouped into one undo step), not a choice

    def __init__(
        self,
        source: Callable[[], Any],
        fields: list[str] | None = None,
        refs: RefChoices | None = None,
        *,
        part: str = "",
        required: tuple[str, ...] = (),
        compact: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.part = part
        self.compact = compact  # editors without borders, one line each
        all_specs = dict(specs(source()))
        self.specs = {n: all_specs[n] for n in (fields or [n for n in all_specs if n != "id"])}
        self.refs = refs or {}
        # Fields that must not be left blank: those named, and those the format requires (not ids).
        self.required = {n for n in self.specs if n in required or (self.specs[n].required and n != "id")}

    def compose(self) -> ComposeResult:
        obj = self.source()
        for name, spec in self.specs.items():
            with Vertical(classes="field wide" if spec.kind in (TEXT, STRLIST) else "field", id=f"field-{name}"):
                if spec.kind != BOOL:
                    yield Label(field_label(name), classes="field-label")
                editor = editor_for(name, spec, getattr(obj, name), self.refs)
                if self.compact and not isinstance(editor, Checkbox):
                    editor.compact = True  # before it is styled: restyling a mounted one costs
                yield editor
                if name in PEOPLE_FIELDS and spec.kind == STR and self.refs:
                    yield Static(Content(t("form.people_help")), classes="field-help")
                yield Static("", classes="field-error", id=f"err-{name}")

    def editor(self, name: str) -> Any:
        return self.query_one(f"#f-{name}")

    def _field_name(self, widget: Any) -> str | None:
        wid = widget.id or ""
        return wid[2:] if wid.startswith("f-") and wid[2:] in self.specs else None

    def _check(self, name: str, *, blank_ok: bool = True) -> tuple[bool, Any]:
        """The field's value, or (False, None) with its error shown; a required field left blank is
        an error when ``blank_ok`` is false (when the form is accepted, not while typing)."""
        error = self.query_one(f"#err-{name}", Static)
        editor = self.editor(name)
        spec = self.specs[name]
        try:
            value = read_editor(editor, spec)
            if not blank_ok and name in self.required and value in ("", None, []):
                raise InputError("required")
        except InputError as exc:
            show(error, Content(t(f"form.error.{exc}", lo=spec.lo, hi=spec.hi)))
            error.add_class("shown")
            editor.add_class("invalid")
            return False, None
        show(error, "")
        error.remove_class("shown")
        editor.remove_class("invalid")
        return True, value

    def _changed(self, widget: Any) -> None:
        name = self._field_name(widget)
        if name is None:
            return
        ok, value = self._check(name)
        if ok:
            self.post_message(self.Changed(self, name, value, isinstance(widget, (Input, TextArea))))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed(event.input)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._changed(event.text_area)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._changed(event.select)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._changed(event.checkbox)

    def values(self) -> dict[str, Any] | None:
        """All fields' values, or None (errors shown) if any is invalid."""
        result: dict[str, Any] = {}
        valid = True
        for name in self.specs:
            ok, value = self._check(name, blank_ok=False)
            valid = valid and ok
            result[name] = value
        return result if valid else None

    def first_invalid(self) -> Any | None:
        """The editor of the first field in error, if any."""
        found = self.query(".invalid")
        return found.first() if found else None

    def raw(self) -> dict[str, Any]:
        """What every editor holds, as typed."""
        return {name: raw_value(self.editor(name)) for name in self.specs}

    def show(self) -> None:
        """Show the source's values again (after an undo, a reload...), without posting changes.
        An editor whose value already says the same (``12,5`` for 12.5) is left alone, so that
        the field being typed in keeps its text and cursor."""
        obj = self.source()
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed, Checkbox.Changed):
            for name, spec in self.specs.items():
                widget = self.editor(name)
                value = getattr(obj, name)
                try:
                    if read_editor(widget, spec) == value:
                        continue
                except InputError:
                    pass
                if isinstance(widget, TextArea):
                    widget.load_text(to_text(spec, value))
                    widget.move_cursor(widget.document.end)
                elif isinstance(widget, PersonInput):
                    widget.value = widget.label_of(str(value))
                    widget.cursor_position = len(widget.value)
                elif isinstance(widget, Input):
                    widget.value = to_text(spec, value)
                    widget.cursor_position = len(widget.value)
                elif isinstance(widget, Checkbox):
                    widget.value = bool(value)
                elif isinstance(widget, Select):
                    widget.value = value if value not in ("", None) else Select.NULL
                self._check(name)
