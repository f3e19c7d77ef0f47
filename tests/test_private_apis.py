"""The private tomlkit methods the writer relies on (kamtui/store/tomlkit_private.py): still there,
with the same parameters, doing what the writer expects. A tomlkit upgrade that breaks one fails
here, naming the version, instead of in a user's save."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import tomlkit
from tomlkit.items import AoT, Table, Whitespace

from kamtui.store import tomlkit_private
from kamtui.store.tomlkit_private import PRIVATE_APIS, insert_after, insert_at

VERSION = f"tomlkit {tomlkit.__version__}"
WRITER = Path(tomlkit_private.__file__).with_name("writer.py")


def keys(container) -> list[str]:
    """The keys in file order."""
    return [k.key for k, _ in container.body if k is not None]


@pytest.mark.parametrize("name", sorted(PRIVATE_APIS))
def test_private_method_exists_with_the_same_parameters(name):
    cls, attribute, expected = PRIVATE_APIS[name]
    method = getattr(cls, attribute, None)
    assert callable(method), f"{VERSION} has no {name} any more: kamtui/store/tomlkit_private.py needs another way"
    params = tuple(inspect.signature(method).parameters)
    assert params == ("self", *expected), (
        f"{VERSION} changed the parameters of {name}: {params[1:]}, kamtui passes {expected}; "
        "see kamtui/store/tomlkit_private.py"
    )


def test_the_writer_calls_no_private_tomlkit_method_but_through_tomlkit_private():
    private = re.findall(r"\w+\._[a-z]\w*", WRITER.read_text("utf-8"))
    assert private == [], f"private attributes used in writer.py: {private}; move them to tomlkit_private.py"


def test_insert_after_puts_the_key_right_after_the_other():
    doc = tomlkit.parse('[account]\nname = "Distrib SA"  # the client\nkam = "F."\n')
    insert_after(doc["account"].value, "name", "period", "2027")
    assert doc.as_string() == '[account]\nname = "Distrib SA"  # the client\nperiod = "2027"\nkam = "F."\n', VERSION
    assert keys(doc["account"].value) == ["name", "period", "kam"], VERSION
    doc["account"]["period"] = "2028"  # tomlkit's key index still finds the inserted key
    assert 'period = "2028"\nkam' in doc.as_string(), VERSION


def test_insert_at_puts_a_key_or_a_section_at_a_position():
    doc = tomlkit.parse('schema = 1\n\n[account]\nname = "A"\n\n[[actions]]\nid = "a-1"\n')
    insert_at(doc, 0, "lang", "fr")
    assert doc.as_string().startswith('lang = "fr"\nschema = 1\n'), VERSION
    swot = tomlkit.table()
    swot.add("strengths", ["s"])
    swot.add(tomlkit.nl())
    index = next(n for n, (k, _) in enumerate(doc.body) if k is not None and k.key == "actions")
    insert_at(doc, index, "swot", swot)
    text = doc.as_string()
    assert text.index("[swot]") < text.index("[[actions]]") and text.index("[account]") < text.index("[swot]"), (
        VERSION,
        text,
    )
    assert keys(doc) == ["lang", "schema", "account", "swot", "actions"], VERSION
    assert doc["actions"][0]["id"] == "a-1", VERSION  # the sections after it are still found


def test_body_is_the_live_list_the_writer_edits_in_place():
    """writer.py appends and removes key-less entries (blank lines) at the end of a table through
    ``Container.body``/``AoT.body``: they must be tomlkit's own lists of (key, item) pairs."""
    doc = tomlkit.parse('[[actions]]\nid = "a-1"\n[[actions]]\nid = "a-2"\n')
    aot = doc["actions"]
    assert isinstance(aot, AoT) and aot.body is aot.body and all(isinstance(t, Table) for t in aot.body), VERSION
    first = aot.body[0]
    body = first.value.body
    assert body is first.value.body and isinstance(body, list), VERSION
    assert [(k.key if k else None) for k, _ in body] == ["id"], VERSION
    body.append((None, Whitespace("\n")))
    assert doc.as_string() == '[[actions]]\nid = "a-1"\n\n[[actions]]\nid = "a-2"\n', VERSION
    body.pop()
    assert doc.as_string() == '[[actions]]\nid = "a-1"\n[[actions]]\nid = "a-2"\n', VERSION


# --- Textual (kamtui/tui/textual_private.py) -------------------------------------------------


def test_textual_private_attributes_are_still_there():
    import textual
    from textual.app import App

    from kamtui.tui import textual_private

    for cls, names in textual_private.USED.items():
        for name in names:
            assert hasattr(cls, name) or name in App().__dict__, (
                f"textual {textual.__version__} has no {cls.__name__}.{name} any more: "
                "kamtui/tui/textual_private.py needs another way"
            )


async def test_exit_with_stops_the_app_and_keeps_the_message_for_after():
    import textual
    from textual.app import App

    from kamtui.tui.textual_private import exit_with

    app: App[None] = App()
    async with app.run_test():
        exit_with(app, "kamtui stopped: see crash.log")
        assert "kamtui stopped: see crash.log" in app._exit_renderables, f"textual {textual.__version__}"
    assert not app.is_running, f"textual {textual.__version__}: the app did not stop"


def test_drop_render_caches_empties_textuals_styles_cache_cache():
    from textual._styles_cache import StylesCache

    from kamtui.tui.textual_private import drop_render_caches

    assert hasattr(StylesCache.get_inner_outer, "cache_info"), "no longer an lru_cache: see textual_private"
    drop_render_caches()
    assert StylesCache.get_inner_outer.cache_info().currsize == 0
