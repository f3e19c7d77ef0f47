"""The one typed way from a widget to the app and to the open plan's session."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ..session import PlanSession
    from .app import KamApp


class NoPlanOpen(RuntimeError):
    """A widget of a plan asked for the plan while none is open (a bug, never a user error)."""


def app_of(node: DOMNode) -> KamApp:
    return cast("KamApp", node.app)


def session_of(node: DOMNode) -> PlanSession:
    """The open plan's session."""
    session = app_of(node).session
    if session is None:
        raise NoPlanOpen("no plan is open")
    return session


class UsesSession:
    """For widgets of a plan screen: ``self.kam`` (the app) and ``self.session`` (the open plan)."""

    @property
    def kam(self) -> KamApp:
        return app_of(cast("DOMNode", self))

    @property
    def session(self) -> PlanSession:
        return session_of(cast("DOMNode", self))
