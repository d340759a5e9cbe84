"""Sections other apps add to a project's page, so that the projects app imports none of them.

An app registers a panel in its `AppConfig.ready` (funding: the money raised, the ledger and the Give
form; adoptions: "Claim this project"); the page shows the registered panels in their order through
`{% project_panels project %}`. A panel is a function `(context, project) -> str` of safe HTML,
usually `render_to_string` of the app's own include.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    render: Any


_PANELS = {}


def register_panel(name, *, order, render):
    """Add (or replace, on a reload) the panel `name`; lower `order` comes first."""
    _PANELS[name] = Panel(name, order, render)


def project_panels():
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.name))
