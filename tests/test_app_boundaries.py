"""Which package may import which: the apps stand on their own, the project assembles them.

`mdportal` (settings, URLs, site pages) imports the apps; `roles`, `induction`, `sso` and `mfa`
never import `mdportal`, and the NHS.UK form kit (`nhsuk_forms`) imports none of the portal's
packages, so each can be read, tested and reused without the project around it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(package):
    """(file, top-level package) for every import in the package's Python files."""
    found = set()
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found.update((path.relative_to(ROOT).as_posix(), name.split(".")[0]) for name in names)
    return found


@pytest.mark.parametrize(
    "package, forbidden",
    [
        ("roles", {"mdportal"}),
        ("induction", {"mdportal"}),
        ("sso", {"mdportal"}),
        ("nhsuk_forms", {"mdportal", "roles", "induction"}),
        ("mfa", {"mdportal"}),
    ],
)
def test_an_app_never_imports_the_packages_built_on_it(package, forbidden):
    imports = imported_packages(package)
    assert sorted((path, name) for path, name in imports if name in forbidden) == []


def test_the_check_sees_imports_at_all():
    assert ("induction/forms/base.py", "nhsuk_forms") in imported_packages("induction")


# The modules of induction/views/ that views may share: access (who may see a page and how it
# is cached), navigation (breadcrumbs and addresses), section_editor (the forms of one
# section, for its edit page and its live preview) and sendfile (a stored file handed to the
# front server). No module of views proper is imported by another, in the app or outside it.
SHARED_VIEW_MODULES = {"access", "navigation", "section_editor", "sendfile"}


def sideways_view_imports(root=ROOT):
    """(file, view module) for every import of one of induction/views/'s modules other than
    the shared ones, from anywhere in the apps (the package's own __init__ aside)."""
    found = set()
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(("tests/", ".venv/", "mutation/", "benchmarks/")):
            continue
        if relative == "induction/views/__init__.py":
            continue
        in_views = relative.startswith("induction/views/")
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if node.level == 0 and node.module.startswith("induction.views."):
                module = node.module.split(".")[2]
            elif in_views and node.level == 1:
                module = node.module.split(".")[0]
            else:
                continue
            if module not in SHARED_VIEW_MODULES:
                found.add((relative, module))
    return found


def test_no_view_module_imports_another_sideways():
    assert sideways_view_imports() == set()
