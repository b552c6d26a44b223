"""Fixtures for the PDF tests. Test data (packs and versions made from snapshot data) is in
support.py, importable by the tests of the commands too."""

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """A media folder of the test's own: stored PDFs and embedded images never touch media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT
