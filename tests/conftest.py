"""Shared fixtures for the whole suite."""

import pytest
from django.core.cache import cache
from django.test import Client

from mfa.policy import LOCAL_SIGN_IN_KEY


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: no page, comparison or limit kept from another
    test's rolled-back data."""
    cache.clear()


@pytest.fixture(autouse=True)
def force_login_is_not_a_password_sign_in(monkeypatch):
    """`client.force_login(user)` is a test's shortcut past signing in, not a sign-in with a
    password: its session is not asked for a second factor (mfa/policy.py), so the suite's
    editors, approvers and staff reach their pages as before. Signing in with a password and
    the MFA step are tested through the pages in tests/mfa."""
    force_login = Client.force_login

    def force_login_without_password(self, user, backend=None):
        force_login(self, user, backend)
        session = self.session
        del session[LOCAL_SIGN_IN_KEY]
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_without_password)
