"""The project page shows the panels the funding and adoptions apps register, without the projects app
importing either (marketplace/projects/panels.py)."""

import pathlib
import re

import pytest

from marketplace.projects.panels import project_panels

PROJECTS = pathlib.Path(__file__).resolve().parents[2] / "marketplace" / "projects"


def test_the_projects_app_neither_imports_nor_loads_funding_or_adoptions():
    offending = []
    for path in PROJECTS.rglob("*"):
        if path.suffix not in {".py", ".html"} or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"(from|import)\s+marketplace\.(funding|adoptions)|\{%\s*load[^%]*\b(funding|adoptions)\b", text):
            offending.append(str(path.relative_to(PROJECTS)))
    assert offending == []


def test_funding_and_adoptions_register_their_panels_in_order():
    assert [panel.name for panel in project_panels()][:2] == ["claim", "funding"]


@pytest.mark.django_db
def test_the_project_page_shows_both_panels(tree, client):
    from tests.factories.projects import published_project

    project = published_project(tree.community_a1, target_yuan=1000)
    text = client.get(project.get_absolute_url()).content.decode()
    assert 'id="claim"' in text and 'id="give"' in text
    assert text.index('id="claim"') < text.index('id="give"')
