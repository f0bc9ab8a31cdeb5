"""Every package the code imports is declared in pyproject.toml, not merely installed.

A package that arrives only as a dependency of another (werkzeug through flask,
webargs through flask-smorest) can disappear or change major version when that
other package changes its mind; imported directly, it must be declared.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from cms.config import PROJECT_ROOT

FIRST_PARTY = {"cms", "tests", "migrations", "benchmarks"}
SOURCES = ("cms", "tests", "benchmarks", "migrations")


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules() -> dict[str, str]:
    """Top-level module name → one file that imports it."""
    found: dict[str, str] = {}
    for folder in SOURCES:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(PROJECT_ROOT)))
    return found


def declared() -> set[str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    requirements = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return {_normalized(re.split(r"[\s\[<>=!~;]", r, maxsplit=1)[0]) for r in requirements}


def test_every_imported_package_is_declared():
    distributions = packages_distributions()
    missing = {}
    for module, where in imported_modules().items():
        if module in FIRST_PARTY or module in sys.stdlib_module_names or module == "__future__":
            continue
        names = {_normalized(d) for d in distributions.get(module, [module])}
        if not names & declared():
            missing[module] = where
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_the_check_sees_the_imports_it_is_about():
    modules = imported_modules()
    assert {"flask", "werkzeug", "apispec", "webargs", "click", "marshmallow"} <= set(modules)
