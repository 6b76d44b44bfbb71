"""How the apps depend on each other, read from the source: `stories` may import `directory`,
never the reverse, and no module imports itself round a cycle."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["relmap", "directory", "stories"]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }


def imported_by(name: str, path: Path, *, top_level_only: bool) -> set[str]:
    """The project modules `name` imports (each `from x import y` counts x, and x.y when that
    is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {module for module in found if module.split(".")[0] in APPS}


def graph(*, top_level_only: bool) -> dict[str, set[str]]:
    modules = project_modules()
    return {
        name: imported_by(name, path, top_level_only=top_level_only) & modules.keys()
        for name, path in modules.items()
    }


def test_the_walk_finds_the_imports_it_should():
    imports = graph(top_level_only=True)

    assert "directory.models" in imports["stories.models.stories"]
    assert "directory.forms.filters" in imports["directory.forms"]


def test_directory_never_imports_stories():
    offenders = {
        name: sorted(module for module in imported if module.startswith("stories"))
        for name, imported in graph(top_level_only=False).items()
        if name.startswith("directory")
    }

    assert {name: found for name, found in offenders.items() if found} == {}


def test_no_module_imports_itself_round_a_cycle():
    imports = graph(top_level_only=True)
    cycles = []

    def visit(name: str, path: list[str]) -> None:
        for imported in sorted(imports[name]):
            if imported in path:
                cycles.append([*path[path.index(imported) :], imported])
            elif imported not in done:
                visit(imported, [*path, imported])
        done.add(name)

    done: set[str] = set()
    for name in sorted(imports):
        if name not in done:
            visit(name, [name])

    # A package importing its own modules is how a package gathers its names, not a cycle.
    real = [cycle for cycle in cycles if not all(m.startswith(cycle[0]) for m in cycle)]
    assert real == []
