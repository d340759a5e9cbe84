"""No import loops: the import contracts in pyproject.toml hold, and no two apps import each other.

`lint-imports` checks the declared layers (project wiring > features > platform > core, and the
order of the feature apps); the second test looks at every app, declared or not, so a loop between
two apps nobody thought of still fails. Imports inside functions count in both.
"""

from collections import defaultdict
from pathlib import Path

import grimp
from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "marketplace", "deliberation", "search")


def test_the_import_contracts_hold(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert status == EXIT_STATUS_SUCCESS, capsys.readouterr().out


def app_of(module):
    """marketplace.needs.services -> marketplace.needs; search.backends.base -> search."""
    parts = module.split(".")
    return parts[0] if parts[0] == "search" else ".".join(parts[:2])


def app_graph():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    edges = defaultdict(set)  # (importer app, imported app) -> {(importer, imported)}
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if app_of(module) != app_of(imported):
                edges[app_of(module), app_of(imported)].add((module, imported))
    return edges


def loops(edges):
    """The strongly connected groups of more than one app (Tarjan's algorithm)."""
    successors = defaultdict(set)
    for importer, imported in edges:
        successors[importer].add(imported)
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(app):
        index[app] = low[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for other in sorted(successors[app]):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in on_stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(group)

    for app in sorted(successors):
        if app not in index:
            visit(app)
    return groups


def test_no_two_apps_import_each_other():
    edges = app_graph()
    found = loops(edges)
    described = []
    for group in found:
        for (importer, imported), imports in sorted(edges.items()):
            if importer in group and imported in group:
                example = ", ".join(f"{a} -> {b}" for a, b in sorted(imports)[:3])
                described.append(f"{importer} -> {imported}: {example}")
    assert not found, "Apps import each other round a loop:\n" + "\n".join(described)


def test_a_loop_would_be_found():
    edges = {("a", "b"): set(), ("b", "c"): set(), ("c", "a"): set(), ("c", "d"): set()}
    assert loops(edges) == [{"a", "b", "c"}]
