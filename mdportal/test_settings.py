"""Settings for the test suite: the production module with fast, local stand-ins."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests speak plain HTTP to the test client and the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# PDF render slots of their own per test process: the suite runs in parallel workers, and a
# developer's `make run` on the same machine must not make a test wait for its render.
PDF_RENDER_SLOTS_DIR = str(Path(tempfile.gettempdir()) / f"mdportal-pdf-slots-test-{os.getpid()}")  # noqa: F405

# Stored PDFs are streamed, whatever the environment says: the tests that hand them to a front
# server (X-Accel-Redirect, X-Sendfile) say so themselves.
PDF_SENDFILE = "none"

# A PostgreSQL test database of its own per test run, so that two runs on one server (two
# engineers, or CI beside a developer) never drop each other's database mid-run.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_mdportal_{os.getpid()}"}  # noqa: F405

# One process: the page cache and the sessions can use local memory, as in `make run`.
PAGE_CACHE_ENABLED = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# A real OpenID Connect provider for the single sign-on tests (tests/sso/provider):
# django-oauth-toolkit with OIDC on, mounted at /test-oidc/ by the test URLs alone and served
# by the live server. Its RSA signing key is made afresh for each test process.
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "oauth2_provider"]  # noqa: F405
ROOT_URLCONF = "tests.sso.provider.urls"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": rsa.generate_private_key(public_exponent=65537, key_size=2048)
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode(),
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "tests.sso.provider.claims.ClaimsValidator",
    "SCOPES": {"openid": "OpenID Connect", "email": "E-mail address", "profile": "Name"},
}
