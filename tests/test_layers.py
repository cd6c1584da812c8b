"""The project's packages are layers that only import downward, and no modules import each other in a circle.

Order, bottom to top: config < ingestion < expectations < serving < orchestration < cli. A module may import
from its own layer and the layers below it, never above. Imports inside functions count too (they are still a
dependency); imports under `if TYPE_CHECKING:` count as well, since they describe the same dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["config", "ingestion", "expectations", "serving", "orchestration", "cli"]
RANK = {name: rank for rank, name in enumerate(LAYERS)}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {module_name(path): path for layer in LAYERS for path in sorted((ROOT / layer).rglob("*.py"))}


def imported_names(path: Path, module: str, *, top_level_only: bool) -> set[str]:
    """Absolute names of what `path` imports (relative imports resolved against `module`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import name` depends on pkg.name when that is a module, else on pkg itself.
            names |= {f"{base}.{alias.name}" for alias in node.names} | {base}
    return names


def test_every_layer_exists() -> None:
    assert all((ROOT / layer / "__init__.py").is_file() for layer in LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_downward(layer: str) -> None:
    modules = project_modules()
    upward = []
    for module, path in modules.items():
        if module.split(".")[0] != layer:
            continue
        for name in imported_names(path, module, top_level_only=False):
            target = name.split(".")[0]
            if target in RANK and RANK[target] > RANK[layer]:
                upward.append(f"{path.relative_to(ROOT)} imports {name} (layer {target} is above {layer})")
    assert not upward, "\n".join(sorted(upward))


def test_no_dagster_below_orchestration() -> None:
    modules = project_modules()
    offenders = [
        str(path.relative_to(ROOT))
        for module, path in modules.items()
        if RANK[module.split(".")[0]] < RANK["orchestration"]
        and any(name.split(".")[0].startswith("dagster") for name in imported_names(path, module, top_level_only=False))
    ]
    assert not offenders


def import_graph() -> dict[str, set[str]]:
    """Module -> project modules it imports when it is loaded (module level: lazy imports cannot loop)."""
    modules = project_modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = {name for name in imported_names(path, module, top_level_only=True) if name in modules}
        # A module importing its own package's __init__ (e.g. `from ingestion import PARSER_VERSION`) is how
        # packages work, not a design cycle: Python loads the package first.
        graph[module] = {t for t in targets if t != module and not module.startswith(t + ".")}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_between_modules() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_checks_catch_a_broken_tree(tmp_path: Path) -> None:
    """The two detectors find what they are for: an upward import and a cycle."""
    (tmp_path / "config").mkdir()
    upward = tmp_path / "config" / "bad.py"
    upward.write_text("def f():\n    from orchestration.definitions import defs\n")
    assert "orchestration.definitions" in imported_names(upward, "config.bad", top_level_only=False)
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
