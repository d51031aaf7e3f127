"""The package's shape (README.md, "The network itself"): each layer imports only the layers below
it, no two modules import each other (directly or through others), no module reaches into another
package's private names, and the chapter's core never imports scikit-learn, pandas or
matplotlib."""

import ast
import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SOURCE / "ffnn"

# Each layer may import itself and the layers before it.
LAYERS = [
    ("core", ["exceptions", "arrays", "workspace", "activations", "layout", "log_terms", "losses",
              "checks", "layers", "init", "network", "reference", "chapter", "summary",
              "rounding", "version"]),
    ("training", ["training"]),
    ("estimators", ["estimators"]),
    ("tabular", ["tabular"]),
    ("persistence", ["persistence"]),
    ("cli", ["cli", "__main__"]),
]
CORE_MAY_NOT_IMPORT = ("sklearn", "pandas", "matplotlib")


def _module_name(path):
    parts = list(path.relative_to(SOURCE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(name):
    return (SOURCE / Path(*name.split(".")) / "__init__.py").exists()


def _resolve(module, level, target, is_package):
    """The absolute name of `from <level dots><target> import ...` written in `module`."""
    if level == 0:
        return target
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def _imports():
    """{module: [(imported module, imported name or None, line)]}, at any depth of the code."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        package = path.name == "__init__.py"
        edges = found.setdefault(module, [])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges += [(alias.name, None, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                source = _resolve(module, node.level, node.module, package)
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    if (SOURCE / Path(*submodule.split("."))).with_suffix(".py").exists() or \
                            _is_package(submodule):
                        edges.append((submodule, None, node.lineno))
                    else:
                        edges.append((source, alias.name, node.lineno))
    return found


IMPORTS = _imports()


def _ffnn_graph():
    # The package itself ("ffnn", its __init__) is a node too: a module that imports a name from
    # it (`from .. import __version__`) closes a cycle with every import of the package's own.
    return {module: sorted({target for target, _, _ in edges
                            if (target == "ffnn" or target.startswith("ffnn."))
                            and target in IMPORTS and target != module})
            for module, edges in IMPORTS.items()}


def _cycles(graph):
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, components, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return components


def _layer(module):
    top = module.split(".")[1] if "." in module else ""
    for rank, (_, tops) in enumerate(LAYERS):
        if top in tops:
            return rank
    return None  # ffnn/__init__.py, the public surface, may import anything


def test_every_module_has_a_layer():
    """A module left out of LAYERS would escape the layering check below."""
    unplaced = sorted(module for module in IMPORTS if module != "ffnn" and _layer(module) is None)
    assert unplaced == []


def test_no_import_cycles():
    assert _cycles(_ffnn_graph()) == []


def test_the_import_graph_is_what_the_test_reads():
    graph = _ffnn_graph()
    assert "ffnn.training.objective" in graph["ffnn.training.trainer"]
    assert "ffnn.cli.fit" in graph["ffnn.cli.demo"]
    assert _cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]
    assert "ffnn.persistence" in graph["ffnn"]


def test_each_layer_imports_only_the_layers_below():
    wrong = []
    for module, targets in _ffnn_graph().items():
        here = _layer(module)
        for target in targets:
            there = _layer(target)
            if here is not None and there is not None and there > here:
                wrong.append(f"{module} ({LAYERS[here][0]}) imports {target} "
                             f"({LAYERS[there][0]})")
    assert wrong == []


def _readme_rows():
    """The rows of README.md's table of the package, top to bottom: the modules each names."""
    text = (SOURCE.parent / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| where | what it is |"):].split("\n\n", 1)[0]
    return [re.findall(r"`(ffnn(?:\.\w+)?)`", line.split("|")[1])
            for line in table.splitlines()[2:]]


def test_the_readme_lists_the_package_in_the_order_of_its_imports():
    """README.md says each row of its table of the package imports only the rows above it."""
    rows = _readme_rows()
    row_of = {name: k for k, names in enumerate(rows) for name in names}
    assert {"ffnn.checks", "ffnn.network", "ffnn.training", "ffnn.cli"} <= set(row_of)

    def row(module):  # a module's row: its own, or its package's (ffnn.training.trainer)
        top = ".".join(module.split(".")[:2])
        return row_of.get(module, row_of.get(top))

    wrong = [f"{module} (row {row(module) + 1}) imports {target} (row {row(target) + 1})"
             for module, targets in _ffnn_graph().items() if row(module) is not None
             for target in targets if row(target) is not None and row(target) > row(module)]
    assert wrong == []


def test_the_core_imports_no_scikit_learn_pandas_or_matplotlib():
    wrong = [f"{module}:{line} imports {target}" for module, edges in IMPORTS.items()
             if _layer(module) in (0, 1) for target, _, line in edges
             if target.split(".")[0] in CORE_MAY_NOT_IMPORT]
    assert wrong == []


def _package_of(module):
    return module if _is_package(module) else module.rsplit(".", 1)[0]


def test_no_module_reaches_into_another_modules_private_names():
    """A private module (`estimators._base`) is imported only inside its package; a private name
    (`_BaseFFNN`) only from a private module of the importer's own package."""
    wrong = []
    for module, edges in IMPORTS.items():
        for target, name, line in edges:
            if not target.startswith("ffnn."):
                continue
            private_module = any(part.startswith("_") for part in target.split(".")[1:])
            same_package = _package_of(module) == _package_of(target)
            if private_module and not same_package:
                wrong.append(f"{module}:{line} imports the private module {target}")
            if name is not None and name.startswith("_") and name != "__version__" and not (
                    private_module and same_package):
                wrong.append(f"{module}:{line} imports the private name {target}.{name}")
    assert wrong == []


@pytest.mark.parametrize("module", sorted(m for m in IMPORTS if _layer(m) is not None))
def test_every_module_says_what_it_is(module):
    path = SOURCE / Path(*module.split("."))
    path = path / "__init__.py" if _is_package(module) else path.with_suffix(".py")
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), module


def _private_names_defined(module_path):
    """Private methods and attributes (`def _x`, `self._x = ...`) defined in a module."""
    names = set()
    for node in ast.walk(ast.parse(module_path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                node.name.startswith("_") and not node.name.startswith("__"):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and \
                isinstance(node.value, ast.Name) and node.value.id == "self" and \
                node.attr.startswith("_") and not node.attr.startswith("__"):
            names.add(node.attr)
    return names


def test_no_module_uses_another_modules_private_attributes():
    """`other._x` (not `self._x`) where `_x` is private to another module: that module's public
    surface is what the others use. As for imports, the private modules of a package (the
    estimators' `_base`, `_fitted_state`, ...) share their private names within it."""
    paths = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
    defined = {module: _private_names_defined(path) for module, path in paths.items()}
    wrong = []
    for module, path in paths.items():
        package = _package_of(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                continue
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            if node.attr in defined[module]:
                continue
            owners = [other for other, names in defined.items() if node.attr in names]
            if owners and not any(_package_of(other) == package and
                                  other.rsplit(".", 1)[-1].startswith("_") for other in owners):
                wrong.append(f"{module}:{node.lineno} uses {node.attr} of {', '.join(owners)}")
    assert wrong == []


def test_the_command_lines_help_and_the_package_import_load_no_heavy_library():
    """`ffnn --help` and `import ffnn` answer at once: scikit-learn, pandas, matplotlib, JAX
    and Dask are imported by the commands and estimators that use them, not before."""
    import subprocess
    import sys

    heavy = ("sklearn", "pandas", "matplotlib", "jax", "dask")
    for start in ("import ffnn", "sys.argv = ['ffnn', '--help']\ntry:\n"
                  "    runpy.run_module('ffnn', run_name='__main__')\nexcept SystemExit:\n"
                  "    pass"):
        code = (f"import io, runpy, sys, contextlib\nwith contextlib.redirect_stdout(io.StringIO()):"
                f"\n    exec({start!r})\nprint([m for m in {heavy!r} if m in sys.modules])")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, env={"PYTHONPATH": str(SOURCE)})
        assert done.stdout.strip() == "[]", (start, done.stdout, done.stderr)
