"""The Medical Director's slug is data with one owner, `roles.models.MEDICAL_DIRECTOR_SLUG`:
code, URLs and templates name the constant (or `medical_director_url`), never the literal."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPLICATION = ["induction", "roles", "journey", "search", "notifications", "nhsuk_forms",
               "mdportal", "security", "templates"]  # fmt: skip
SLUG = "medical-director"


def _docstrings(tree):
    """The docstring nodes of a module, its classes and functions (examples, not code)."""
    owners = [tree, *(node for node in ast.walk(tree) if isinstance(
        node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef))]  # fmt: skip
    return {
        id(owner.body[0].value)
        for owner in owners
        if owner.body and isinstance(owner.body[0], ast.Expr)
        and isinstance(owner.body[0].value, ast.Constant)
    }


def places_writing_the_slug(root=ROOT):
    """(file, line) of every string in application code, and every template line, that holds
    the literal slug; migrations (history) and docstrings (examples) aside."""
    found = []
    for folder in APPLICATION:
        for path in sorted((root / folder).rglob("*")):
            if "migrations" in path.parts or path.suffix not in {".py", ".html", ".md", ".txt"}:
                continue
            text = path.read_text(encoding="utf-8")
            name = path.relative_to(root).as_posix()
            if path.suffix != ".py":
                found += [(name, n) for n, line in enumerate(text.splitlines(), 1) if SLUG in line]
                continue
            tree = ast.parse(text)
            skip = _docstrings(tree)
            found += [
                (name, node.lineno)
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
                and SLUG in node.value and id(node) not in skip
            ]  # fmt: skip
    return found


def test_the_medical_director_slug_is_written_once_in_application_code():
    places = places_writing_the_slug()
    assert [name for name, _ in places] == ["roles/models.py"], places


def test_the_check_sees_a_literal_slug(tmp_path):
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "urls.py").write_text(f'"""Under /{SLUG}/."""\nPATH = "{SLUG}/x/"\n')
    assert places_writing_the_slug(tmp_path) == [("roles/urls.py", 2)]


def test_the_home_page_and_search_suggestions_link_to_the_medical_director_guide(client, db):
    html = client.get("/").content.decode()
    assert 'href="/roles/medical-director/"' in html
    html = client.get("/search/", {"q": "zzqxnothingmatches"}).content.decode()
    assert 'href="/roles/medical-director/">the guide to the Medical Director role</a>' in html
