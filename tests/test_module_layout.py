"""How the apps' modules are laid out: each says its one job in a docstring at its top (empty
package `__init__.py` files included), and none of induction/ or roles/ grows past a screenful
of concerns (500 lines; models.py aside), which is when a module is due for a split."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "induction", "roles", "journey", "search", "notifications", "nhsuk_forms", "mdportal", "sso",
    "mfa",
]  # fmt: skip


def modules_without_a_docstring(package, root=ROOT):
    """The package's Python files (migrations aside: Django writes those) with no docstring."""
    missing = []
    for path in sorted((root / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        if not (ast.get_docstring(tree) or "").strip():
            missing.append(path.relative_to(root).as_posix())
    return missing


@pytest.mark.parametrize("package", APPS)
def test_every_module_opens_with_a_docstring(package):
    assert modules_without_a_docstring(package) == []


def test_the_check_sees_a_module_without_a_docstring(tmp_path):
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "said.py").write_text('"""Says its job."""\n')
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("x = 1\n")
    assert modules_without_a_docstring("app", root=tmp_path) == ["app/__init__.py"]


MAX_LINES = 500


def modules_too_long(package, root=ROOT):
    """The package's Python files over MAX_LINES lines, models.py and migrations aside."""
    return [
        path.relative_to(root).as_posix()
        for path in sorted((root / package).rglob("*.py"))
        if "migrations" not in path.parts and path.name != "models.py"
        and len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES
    ]  # fmt: skip


@pytest.mark.parametrize("package", ["induction", "roles"])
def test_no_module_is_over_500_lines_but_the_models(package):
    assert modules_too_long(package) == []
