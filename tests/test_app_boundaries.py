"""Which package may import which: the apps stand on their own, the project assembles them.

`mdportal` (settings, URLs, site pages) imports the apps; `roles` and `induction` never import
`mdportal`, and the NHS.UK form kit (`nhsuk_forms`) imports none of the portal's packages, so
each can be read, tested and reused without the project around it.
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
        ("nhsuk_forms", {"mdportal", "roles", "induction"}),
    ],
)
def test_an_app_never_imports_the_packages_built_on_it(package, forbidden):
    imports = imported_packages(package)
    assert sorted((path, name) for path, name in imports if name in forbidden) == []


def test_the_check_sees_imports_at_all():
    assert ("induction/forms/base.py", "nhsuk_forms") in imported_packages("induction")
