"""Shared fixtures for the whole suite."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: no page, comparison or limit kept from another
    test's rolled-back data."""
    cache.clear()
