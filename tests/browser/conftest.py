"""Browser test fixtures: Debian's Chromium, driven by Playwright, against the live server.

Contract:
- `browser` (session): one headless Chromium from /usr/bin/chromium for the whole run. Where it
  is missing every browser test skips with a clear reason, or fails when the environment sets
  MDPORTAL_REQUIRE_BROWSER=1 (CI does). Playwright never downloads a browser here.
- `site`, `roles_site`, `demo_site` (per module): the live server's URL over an empty database,
  the national role model, or the role model plus the demo trusts and users (whose password is
  this module's DEMO_PASSWORD). A module's tests share its data (see `portal`), so each test
  checks only the changes it makes itself.
- `page`: a page in a fresh browser context (cookies, storage) per test, with the CSP bypassed
  so the axe-core script can be injected (see tests/browser/axe.py). Its uncaught JavaScript
  errors fail the test. `new_context(**options)` makes contexts with other options.
- `sign_in(page, username)`: signs the context in as a user without the form (fast).
"""

import os
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client, override_settings
from playwright.sync_api import expect

# Playwright's sync API runs an asyncio event loop in the test thread for as long as the browser
# is open (its greenlets leave the loop marked as running). Django then takes every ORM call made
# from the test thread (loading data, looking up users, checking what a save did) for a call from
# async code and refuses it with SynchronousOnlyOperation. The test thread is in fact synchronous,
# and the live server answers from its own threads, so this safety check does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
MISSING_CHROMIUM = (
    f"Chromium not found at {CHROMIUM}: apt-get install chromium to run browser tests"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The password the demo accounts are loaded with (see `demo_snapshot`), set here rather than
# taken from the shell, so the tests pass whatever DEMO_PASSWORD the developer has exported.
DEMO_PASSWORD = "browser-tests-demo-password"

# Rows the test database makes for itself after every flush (post_migrate), or that hold no
# demo state: the snapshot leaves them out and refers to content types and permissions by
# natural key, so it loads cleanly into a freshly flushed database.
SNAPSHOT_EXCLUDES = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
    "django_tasks_database",
]


def pytest_collection_modifyitems(items):
    """Every test under tests/browser is a browser test, whether or not its module says so."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("MDPORTAL_REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING_CHROMIUM, pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class DemoSnapshot:
    """The demo database as a fixture file, plus the media folder its PDFs were stored in."""

    fixture: Path
    media_root: Path


def _close_connections():
    # Django keeps a connection per thread *and context*, and Playwright's sync API runs the test
    # code in a context of its own: a connection opened there is one pytest-django cannot see
    # when it drops the test database at the end, and PostgreSQL refuses to drop a database
    # that is still in use. So whatever opened one while the browser may be running closes it.
    connections.close_all()


def _empty_database():
    _assert_test_database()
    # What pytest-django's transactional tests do after each test: delete every row, then let
    # post_migrate recreate the content types and permissions.
    call_command("flush", interactive=False, verbosity=0)


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the reference and demo data once per run, keep it as a fixture file, then empty the
    database again.

    Loading the demo publishes versions and renders their PDFs (seconds each), far too slow to
    repeat per module; reloading the dumped rows takes a moment.
    """
    media_root = tmp_path_factory.mktemp("media")
    fixture = tmp_path_factory.mktemp("snapshot") / "demo.json"
    with (
        django_db_blocker.unblock(),
        # The demo's versions get their real PDFs, made as publishing commits.
        override_settings(MEDIA_ROOT=media_root, DEMO_DATA_ALLOWED=True, TASKS=IMMEDIATE_TASKS),
        mock.patch.dict(os.environ, {"DEMO_PASSWORD": DEMO_PASSWORD}),
    ):
        _empty_database()
        try:
            call_command("loaddata", "roles", verbosity=0)
            call_command("load_demo", verbosity=0)
            dump = StringIO()
            call_command(
                "dumpdata",
                natural_foreign=True,
                exclude=SNAPSHOT_EXCLUDES,
                indent=None,
                stdout=dump,
            )
        finally:
            _empty_database()
            _close_connections()
    fixture.write_text(dump.getvalue(), encoding="utf-8")
    return DemoSnapshot(fixture=fixture, media_root=media_root)


# Publishing in a browser test queues the new version's PDF without rendering it (the state a
# portal with a task worker is in until the worker runs): rendering takes seconds per PDF and
# belongs to tests/induction. The demo snapshot's own versions do get real PDFs.
QUEUED_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _live_server_helper():
    """Replaces pytest-django's helper of the same name for the browser tests.

    Its helper makes every test that uses `live_server` transactional, and pytest-django then
    empties the database after each test: on PostgreSQL that flush plus reloading the data
    costs seconds per test. Here `portal` manages the database per module instead. The tests
    still use the `live_server` fixture itself, which is also how pytest-django knows to create
    the test database for them.
    """
    yield


def _assert_test_database():
    # Flushing must never reach a developer's own database, whatever pytest-django decided.
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        is_test = connection.is_in_memory_db()
    else:
        is_test = name.startswith("test_")
    assert is_test, f"Refusing to empty {name!r}: it is not a test database."


@pytest.fixture(scope="module")
def portal(django_db_setup, live_server, django_db_blocker):
    """The live server's URL, over a database that this test module has to itself.

    The module's data is loaded once and committed (the server answers from other threads, so
    it must be committed), and the database is emptied when the module ends, as pytest-django
    does after a transactional test. So tests in one module share their data: each must check
    only the changes it makes itself, never that something else is unchanged.
    """
    host = live_server.thread.host
    with (
        django_db_blocker.unblock(),
        override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, host], TASKS=QUEUED_TASKS),
    ):
        _empty_database()  # whatever earlier tests committed
        cache.clear()
        try:
            yield live_server.url
        finally:
            _empty_database()
            cache.clear()
            _close_connections()


@pytest.fixture(scope="module")
def site(portal):
    """The live server's base URL, over an empty database."""
    return portal


@pytest.fixture(scope="module")
def roles_site(portal):
    """The live server's base URL with the national role model (no trusts)."""
    call_command("loaddata", "roles", verbosity=0)
    return portal


@pytest.fixture(scope="module")
def demo_site(portal, demo_snapshot):
    """The live server's base URL with the role model and the demo trusts and users."""
    call_command("loaddata", str(demo_snapshot.fixture), verbosity=0)
    with override_settings(MEDIA_ROOT=demo_snapshot.media_root):
        yield portal


# CI's two cores run the live server, Chromium and the test in one go; Playwright's 5 s
# defaults were seen to run out there (the header menu on a narrow screen) but never locally.
SLOW_MACHINE_TIMEOUT_MS = 20_000
expect.set_options(timeout=SLOW_MACHINE_TIMEOUT_MS)


def _new_context(browser, base_url, **options):
    browser_context = browser.new_context(base_url=base_url, locale="en-GB", **options)
    browser_context.set_default_timeout(SLOW_MACHINE_TIMEOUT_MS)
    return browser_context


@pytest.fixture
def context(browser, portal):
    """A fresh browser context (own cookies and storage) for each test.

    bypass_csp lets Playwright inject axe-core as a script element: the portal's CSP rightly
    forbids inline scripts. test_site.py proves the CSP holds in a context without it.
    """
    browser_context = _new_context(browser, portal, bypass_csp=True)
    yield browser_context
    browser_context.close()


@pytest.fixture
def new_context(browser, portal):
    """Make further contexts with other options (no JavaScript, a narrow screen, the CSP on)."""
    made = []

    def make(**options):
        browser_context = _new_context(browser, portal, **options)
        made.append(browser_context)
        return browser_context

    yield make
    for browser_context in made:
        browser_context.close()


@pytest.fixture
def page(context):
    """A page whose uncaught JavaScript errors fail the test: our scripts must never throw."""
    browser_page = context.new_page()
    errors = []
    browser_page.on("pageerror", lambda error: errors.append(str(error)))
    yield browser_page
    assert not errors, f"JavaScript errors on {browser_page.url}: {errors}"


@pytest.fixture
def sign_in(portal):
    """Sign a browser context in as `username` through a session cookie, skipping the form.

    The sign-in form itself is tested in test_sign_in.py; elsewhere this saves a round trip.
    """
    from django.contrib.auth import get_user_model

    def sign_in_as(page_or_context, username):
        browser_context = getattr(page_or_context, "context", page_or_context)
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        browser_context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": portal}]
        )
        return user

    return sign_in_as
