"""The package's shape, read from its source: the import graph and the rules it must keep.

    python scripts/architecture.py          # figures and rule violations; exit 1 on a violation

Every ``import`` and ``from ... import`` statement of ``src/mw_constructs`` counts, wherever it
stands (module level, inside ``if TYPE_CHECKING:``, inside a function). The rules (ARCHITECTURE.md):

* no import cycle between modules;
* no module imports a ``_``-prefixed name from another module (dunders and ``_internal`` /
  ``_version`` as module names excepted: plumbing has public-looking names in ``_internal/``);
* imports go downward through the layers: foundation <- core <- plumbing <- constructs, and
  core <- readback <- cli; the core, the readers and the CLI import no aws-cdk-lib, jsii or
  constructs at module level (the core may, lazily, inside a function).

tests/quality/test_architecture.py runs :func:`violations`; nothing here imports the package.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "mw_constructs"
SOURCE = ROOT / "src" / PACKAGE

#: Each module's layer, by dotted name below the package (first match wins); a layer may import
#: itself and the layers listed for it.
LAYERS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("face", ("", "__main__")),
    ("foundation", ("errors", "_version")),
    ("core", ("schedule", "quotas", "documents", "events", "checks", "coexistence", "tasks.pseudo_parameters", "tasks.rate_control",
              "_internal.validate", "_internal.tokens", "_internal.arns", "_internal.task_arguments",
              "_internal.iam_actions")),
    ("plumbing", ("_internal",)),
    ("readback", ("readback",)),
    ("adopt", ("adopt",)),
    ("cli", ("cli",)),
    ("constructs", ("*",)),
)
MAY_IMPORT: Dict[str, Tuple[str, ...]] = {
    "face": ("foundation", "core", "plumbing", "constructs", "readback", "adopt", "cli"),
    "foundation": (),
    "core": ("foundation",),
    "plumbing": ("foundation", "core"),
    "constructs": ("foundation", "core", "plumbing"),
    "readback": ("foundation", "core"),
    "adopt": ("foundation", "core", "readback", "constructs"),  # builds the code it writes, inside functions
    "cli": ("foundation", "core", "readback", "adopt"),
}
#: Layers that must not load jsii at module level (they run without Node.js).
JSII_FREE = ("foundation", "core", "readback", "adopt", "cli")
JSII_MODULES = ("aws_cdk", "jsii", "constructs", "cdk_stacksets", "cdk_nag")


@dataclass(frozen=True)
class Import:
    """One imported name: the module that imports, the module it comes from, the name (None for
    ``import x``), where, and whether the statement runs when the module is loaded."""

    importer: str
    module: str
    name: Optional[str]
    line: int
    at_load: bool


def modules(source: Path = SOURCE) -> Dict[str, Path]:
    """Dotted names below the package ("" for its ``__init__``) to their files."""
    found = {}
    for path in sorted(source.rglob("*.py")):
        parts = list(path.relative_to(source).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path) -> Iterator[Import]:
    """Every import statement of one module, relative ones resolved to dotted names below the package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def visit(node: ast.AST, at_load: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            inner = at_load and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                inner = False
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".") if package else []
                    base = base[: len(base) - (child.level - 1)]
                    module = ".".join(base + ([child.module] if child.module else []))
                else:
                    module = child.module or ""
                    module = module[len(PACKAGE) + 1:] if module.startswith(PACKAGE + ".") else \
                        "" if module == PACKAGE else "!" + module
                for alias in child.names:
                    yield Import(name, module, alias.name, child.lineno, inner)
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    full = alias.name
                    module = full[len(PACKAGE) + 1:] if full.startswith(PACKAGE + ".") else "!" + full
                    yield Import(name, module, None, child.lineno, inner)
            yield from visit(child, inner)

    yield from visit(ast.parse(path.read_text()), True)


def graph(source: Path = SOURCE) -> Tuple[Dict[str, Path], Dict[str, Set[str]], List[Import]]:
    """(modules, edges between modules of the package, every import)."""
    found = modules(source)
    edges: Dict[str, Set[str]] = {name: set() for name in found}
    every: List[Import] = []
    for name, path in found.items():
        for item in imports(name, path):
            every.append(item)
            if item.module.startswith("!"):
                continue
            target = f"{item.module}.{item.name}".lstrip(".") if item.name else item.module
            target = target if target in found else item.module  # a module imported by name, else its package
            if target in found and target != name:
                edges[name].add(target)
    return found, edges, every


def cycles(edges: Dict[str, Set[str]]) -> List[List[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def layer_of(module: str) -> str:
    for layer, prefixes in LAYERS:
        for prefix in prefixes:
            if prefix == "*" or module == prefix or (prefix and module.startswith(prefix + ".")):
                return layer
    raise AssertionError(module)  # pragma: no cover - the "*" layer matches everything


def violations(source: Path = SOURCE) -> List[str]:
    """Every broken rule, one line each (empty: the shape holds)."""
    found, edges, every = graph(source)
    problems = [f"import cycle: {' -> '.join(component)}" for component in cycles(edges)]
    for item in every:
        where = f"{found[item.importer].relative_to(source.parent)}:{item.line}"
        private_name = item.name is not None and item.name.startswith("_") and not item.name.startswith("__")
        private_module = any(part.startswith("_") and part not in ("_internal", "_version", "__future__")
                             for part in item.module.lstrip("!").split("."))
        if (private_name or private_module) and not item.module.startswith("!"):
            problems.append(f"{where}: imports the private name {item.module}.{item.name or ''}".rstrip("."))
        importer_layer = layer_of(item.importer)
        if item.module.startswith("!"):
            third_party = item.module[1:].split(".")[0]
            if third_party in JSII_MODULES and importer_layer in JSII_FREE and item.at_load:
                problems.append(f"{where}: the {importer_layer} layer loads {third_party} when imported")
            if third_party in JSII_MODULES and importer_layer in ("readback", "cli"):
                problems.append(f"{where}: the {importer_layer} layer imports {third_party}")
            continue
    for importer, targets in edges.items():
        for target in targets:
            layer, destination = layer_of(importer), layer_of(target)
            if destination != layer and destination not in MAY_IMPORT[layer]:
                problems.append(f"{found[importer].relative_to(source.parent)}: {layer} module {importer} imports "
                                f"{destination} module {target}")
    return sorted(set(problems))


def figures(source: Path = SOURCE) -> Dict[str, object]:
    """What the closing notes report: modules at the root, the largest module, the biggest hub."""
    found, edges, _ = graph(source)
    lines = {name: len(path.read_text().splitlines()) for name, path in found.items()}
    largest = max(lines, key=lambda name: lines[name])
    hub = max((name for name in edges if name), key=lambda name: len(edges[name]))
    return {
        "modules": len(found),
        "modules at the root": sum(1 for name in found if name and "." not in name and found[name].name != "__init__.py"),
        "largest module": f"{largest} ({lines[largest]} lines)",
        "biggest hub": f"{hub} (imports {len(edges[hub])} modules of the package)",
        "layers": dict(Counter(layer_of(name) for name in found)),
    }


def main() -> int:
    for key, value in figures().items():
        print(f"{key}: {value}")
    problems = violations()
    for problem in problems:
        print(f"VIOLATION {problem}")
    print(f"{len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
