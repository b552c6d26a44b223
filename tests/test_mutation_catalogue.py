"""The mutation catalogue (mutation/mutants.py) must match the code: every mutant's original
text occurs exactly once in its file, so `make mutate` measures what the code is today. A
change that moves a rule without updating its mutants fails here, not months later."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "mutation"))

import run  # noqa: E402


def test_every_mutant_still_matches_the_code():
    run.check_catalogue(ROOT)  # raises CatalogueError, naming each stale mutant


def test_a_mutant_whose_original_is_gone_or_repeated_is_reported(tmp_path):
    (tmp_path / "rule.py").write_text("allowed = True\nallowed = True\nlimit = 5\n")
    with pytest.raises(run.CatalogueError, match="occurs 0 times"):
        run.locate(tmp_path, "rule.py", "allowed = False")
    with pytest.raises(run.CatalogueError, match="occurs 2 times"):
        run.locate(tmp_path, "rule.py", "allowed = True")
    assert run.locate(tmp_path, "rule.py", "limit = 5") == 3
