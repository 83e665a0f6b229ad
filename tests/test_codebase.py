"""Properties of the source tree: declared dependencies, public Inspect API only, no dead code."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "aflab"
MODULES = sorted(SRC.rglob("*.py"))


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in MODULES}


def _imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


# Inspect keeps no public list of its model providers; checking a model name before a run
# reads its registry. This module is the one place allowed to, and only for that.
_PRIVATE_INSPECT_ALLOWED = {"src/aflab/experiment/_model_names.py"}


def test_no_private_inspect_modules_are_imported():
    private = {
        f"{path.relative_to(ROOT)}: {name}"
        for path, tree in _trees().items()
        for name in _imports(tree)
        if name.startswith("inspect_ai.") and any(p.startswith("_") for p in name.split("."))
        and str(path.relative_to(ROOT)) not in _PRIVATE_INSPECT_ALLOWED
    }  # fmt: skip
    assert not private


# Installed by hand before the `organisms` extra (pyproject.toml says how), so that no extra
# replaces the build the machine needs.
_INSTALLED_FIRST = {"torch"}


# Import names of optional extras that may be absent (so not in packages_distributions()).
_NOT_INSTALLED = {"llama_cpp": "llama-cpp-python"}


def test_every_third_party_import_is_a_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_requirement_name(r) for r in project["dependencies"]}
    for extra in project.get("optional-dependencies", {}).values():
        declared |= {_requirement_name(r) for r in extra}
    distributions = packages_distributions()
    missing = set()
    for tree in _trees().values():
        for name in _imports(tree):
            top = name.split(".")[0]
            if top == "aflab" or top in sys.stdlib_module_names or top in _INSTALLED_FIRST:
                continue
            found = distributions.get(top) or [_NOT_INSTALLED.get(top, top)]
            dists = {d.lower().replace("_", "-") for d in found}
            if not dists & declared:
                missing.add(top)
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if not node.decorator_list:  # registered (task, scorer, command) or used by name
                names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_every_module_level_name_is_used_somewhere():
    """A name defined at module level is used in src or a benchmark, or exported in ``__all__``.

    Tests do not count as a use: code only tests call is dead.
    """
    trees = _trees()
    sources = [*MODULES, *sorted((ROOT / "benchmarks").glob("*.py"))]
    text = "\n".join(path.read_text(encoding="utf-8") for path in sources)
    exported: set[str] = set()
    for tree in trees.values():
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
            ):
                exported.update(ast.literal_eval(node.value))
    unused = {
        f"{path.relative_to(SRC)}: {name}"
        for path, tree in trees.items()
        for name in _top_level_names(tree)
        if not name.startswith("__") and name not in exported
        and len(re.findall(rf"\b{re.escape(name)}\b", text)) < 2
    }  # fmt: skip
    assert not unused


@pytest.mark.parametrize("name", ["aflab.cli.main", "aflab.analysis", "aflab.report"])
def test_modules_import(name):
    __import__(name)
