"""What features add to an organisation's public page and API record, without this app importing them.

A feature registers, from its `AppConfig.ready`, a page section (`register_section`: a function
`(context, organisation) -> safe HTML`, shown in `order`) and an API value (`register_api_value`: a
function `(organisations) -> {id: JSON}` computed once for a whole page of results, so a list costs one
call however long it is). The implementation app registers the track record this way.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    name: str
    order: int
    render: Any


_SECTIONS = {}
_API_VALUES = {}


def register_section(name, *, order, render):
    _SECTIONS[name] = Section(name, order, render)


def register_api_value(name, *, values):
    _API_VALUES[name] = values


def sections():
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.name))


def api_values(organisations):
    """{name: {organisation id: value}} for every registered value, each computed once for all of them."""
    organisations = list(organisations)
    return {name: values(organisations) for name, values in _API_VALUES.items()}
