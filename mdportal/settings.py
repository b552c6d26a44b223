"""Settings for mdportal, all read from the environment.

One module serves every deployment: the embedded default (SQLite, local media, tasks run
immediately) when nothing is set, and scale-out (PostgreSQL, Redis, object storage, task
workers) when the DJANGO_* variables below say so. See README.md for the list.
"""

import ipaddress
import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Comma-separated addresses or CIDR networks; a bad entry stops the portal from starting."""
    networks = []
    for entry in env_list(name, ""):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {entry!r} is not an IP address or network, such as 10.0.0.5 or "
                "10.0.0.0/24."
            ) from None
    return networks


DEBUG = env_bool("DJANGO_DEBUG", False)
# The demo accounts have a published password, so loading them is an explicit opt-in that
# `make run` gives; no other setting (DEBUG included) turns it on.
DEMO_DATA_ALLOWED = env_bool("DJANGO_DEMO_DATA", False)
# The fallback key only suits a laptop: `check --deploy` rejects it, so production must set one.
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-local-development-key-do-not-use-in-production"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "nhsuk_forms",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "mdportal",
    "page_cache",
    "roles",
    "induction",
    "journey",
    "notifications",
    "search",
    "sso",
    # Second factors (django-otp): authenticator apps, recovery codes and passkeys, required of
    # everyone who can change content and signs in with a password (mfa/).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "mfa",
]

MIDDLEWARE = [
    # HTTPS redirect and host check first; its headers go on every answer, kept pages included.
    "django.middleware.security.SecurityMiddleware",
    # A matching If-None-Match gets an empty 304, for every page that has an ETag.
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous reads of public pages come from here, before static files, the policy headers,
    # sessions, CSRF and authentication. A kept page keeps the headers the middlewares below
    # gave it (page_cache/store.py), so a hit answers with them without running them again.
    "page_cache.middleware.PageCacheMiddleware",
    "mdportal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: signs out a session past its limits, with a message.
    "mdportal.session_limits.SessionLimitsMiddleware",
    # request.user.is_verified(): whether this session proved a second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # After both: someone who must prove a second factor reaches only the MFA pages until they do.
    "mfa.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # AxesMiddleware turns a locked-out sign-in into the lockout response; keep it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mdportal.urls"
WSGI_APPLICATION = "mdportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mdportal.context_processors.site_navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite, as under `make run`: write-ahead logging so readers never wait for a writer;
    # every transaction takes the write lock when it begins (IMMEDIATE), so two publishes
    # queue one behind the other instead of one failing with "database is locked" when it
    # upgrades a read to a write; and a writer waits up to 20 s for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {
            "BACKEND": "mdportal.redis_cache.RedisCache",
            "LOCATION": os.environ["DJANGO_REDIS_URL"],
        }
        if os.environ.get("DJANGO_REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Anonymous reads of public pages are served from the cache (page_cache/). The cache must be
# shared by every worker for a publication to reach them all, so with DJANGO_DEBUG=0 the page
# cache is on only when DJANGO_REDIS_URL is set (the deploy check warns otherwise); `make run`'s
# single process uses local memory.
PAGE_CACHE_ENABLED = (
    os.environ.get(
        "DJANGO_PAGE_CACHE", "1" if (DEBUG or os.environ.get("DJANGO_REDIS_URL")) else "0"
    )
    == "1"
)
# Kept pages are unreachable once anything changes; this only bounds how long unused ones stay.
PAGE_CACHE_SECONDS = 24 * 60 * 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out username and address pair is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on through a trust's Microsoft Entra ID (sso/). It signs in only from its own
    # callback, never with a username and password; listed so that its sessions stay valid.
    "sso.backends.TrustSignOnBackend",
]
CSRF_FAILURE_VIEW = "mdportal.views.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# The reverse proxies in front of the portal (DJANGO_TRUSTED_PROXIES: addresses or networks,
# comma-separated). Behind them the client's address is read from X-Forwarded-For, right to
# left, past these proxies (mdportal/client_address.py); with none, it is REMOTE_ADDR.
TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES")

# Failed sign-ins (django-axes, with the handler in mdportal/sign_in_throttle.py, which says why
# each limit locks what it does): per account and address, per address across accounts
# (password spraying), and per account across addresses, all within the cool-off.
AXES_HANDLER = "mdportal.sign_in_throttle.SignInThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "mdportal.client_address.client_address"
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
SIGN_IN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_ADDRESS_FAILURE_LIMIT", "30"))
SIGN_IN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_ACCOUNT_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_AXES_COOLOFF_HOURS", "0.25"))
# What a successful sign-in clears: only that account's failures from that address. The wider
# counts are the handler's own, and a sign-in must not clear them.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Sessions: an absolute age for everyone, and an idle timeout for people who can change
# something (editors, approvers, platform staff), enforced by mdportal/session_limits.py.
SESSION_MAX_AGE_HOURS = float(os.environ.get("DJANGO_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = int(SESSION_MAX_AGE_HOURS * 3600)
SESSION_IDLE_MINUTES = float(os.environ.get("DJANGO_SESSION_IDLE_MINUTES", "30"))
# Sessions are read from the cache and written through to the database, so a signed-in page
# costs no session query. Only with a cache every process shares (Redis), or in one process
# (`make run`): a worker's own memory would keep a session another worker had ended.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if os.environ.get("DJANGO_REDIS_URL") or DEBUG
    else "django.contrib.sessions.backends.db"
)

# Second factors (mfa/). A wrong code locks that device for 1, 2, 4, 8… seconds after each
# failure in a row (django-otp's throttling); a recovery code works once.
OTP_TOTP_ISSUER = "NHS board induction"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The admin lists people's devices (to remove a lost one) without their secrets or codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Passkeys (django-otp-webauthn) only as a second factor, after the password: never instead of it.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = "NHS board induction"
# A passkey is bound to the host name the browser shows, which ALLOWED_HOSTS has vetted; the
# helper takes the relying party and the expected origin from each request (mfa/passkeys.py),
# so the same settings serve `make run` on localhost, the tests' live server and production.
OTP_WEBAUTHN_RP_ID_CALLABLE = "mfa.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "mfa.passkeys.PortalWebAuthnHelper"
# The check wants a fixed list of origins; the helper works the origin out per request instead.
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"]

# How long platform staff act as an editor of a trust once they start the audited step
# (induction/staff_access.py), unless they stop earlier.
STAFF_ACCESS_HOURS = float(os.environ.get("DJANGO_STAFF_ACCESS_HOURS", "4"))

# Password reset requests per hour (mdportal/accounts.py): over either limit the page says the
# same as ever, and no e-mail is sent.
PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = int(
    os.environ.get("DJANGO_PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", "10")
)
PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR = int(
    os.environ.get("DJANGO_PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR", "3")
)

# Invitations to join a trust (journey/invitations.py): how long an e-mailed link works, and how
# many invitations one editor may send in 24 hours, so that the feature cannot spray e-mail.
INVITATION_DAYS = float(os.environ.get("DJANGO_INVITATION_DAYS", "14"))
INVITATIONS_PER_EDITOR_PER_DAY = int(os.environ.get("DJANGO_INVITATIONS_PER_EDITOR_PER_DAY", "50"))

# Single sign-on (sso/, mozilla-django-oidc): each trust's tenant is set up in the admin, with
# its client secret in an environment variable named there (MDPORTAL_SSO_…); nothing here is
# needed for a portal without it. The settings below are the library's, for every trust.
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
# Seconds to wait for a provider's discovery document, keys or token endpoint.
OIDC_TIMEOUT = int(os.environ.get("DJANGO_SSO_TIMEOUT_SECONDS", "10"))
# How long someone may take at their trust's sign-in page before the sign-in must start again.
SSO_SIGN_IN_MINUTES = float(os.environ.get("DJANGO_SSO_SIGN_IN_MINUTES", "15"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# Uploads (only pictures today) are cut one byte past the largest allowed, before they reach
# memory or disk: induction/uploads.py.
FILE_UPLOAD_HANDLERS = [
    "induction.uploads.TruncatingUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Serve straight from the finders so the embedded default needs no collectstatic step.
WHITENOISE_USE_FINDERS = env_bool("DJANGO_WHITENOISE_USE_FINDERS", True)

STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_DEFAULT_STORAGE", "django.core.files.storage.FileSystemStorage"
        ),
    },
    "staticfiles": {
        "BACKEND": os.environ.get(
            "DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
# Object storage: DJANGO_DEFAULT_STORAGE=storages.backends.s3.S3Storage (django-storages, with
# boto3 from the "s3" extra). The bucket and where it is come from the environment; boto3 finds
# the credentials itself (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role).
# Keep the bucket private: PDFs leave it by links signed for one reader (PDF_SENDFILE below).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME")
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME")
# Another S3-compatible store than Amazon's, e.g. https://objects.example.nhs.uk
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL")
AWS_LOCATION = os.environ.get("AWS_LOCATION", "")

# Background work (django-tasks backport of django.tasks). Immediate by default; a worker
# backend in scale-out: DJANGO_TASKS_BACKEND=django_tasks_db.DatabaseBackend and
# `manage.py db_worker` (django-tasks-db), or django-tasks-rq's RQ backend on Redis.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# E-mail is sent by a task (mdportal/tasks.py), never inside a request. The console backend
# suits `make run`; production sets the SMTP backend, which `check --deploy` insists on.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# A stuck mail server holds a worker, not a web request, but not for ever.
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT_SECONDS", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")

CRISPY_ALLOWED_TEMPLATE_PACKS = ["nhsuk"]
CRISPY_TEMPLATE_PACK = "nhsuk"

# --- Security: HTTPS settings follow DJANGO_HTTPS, on unless DJANGO_DEBUG is set. ---
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# --- PDF handbooks (induction/pdf/, issue 4) ---
# The site's public address: the PDF's base URL. Site paths in a pack resolve against it, its
# links point there, and only its /static/ and /media/ files are ever embedded (read from disk).
PDF_SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000/")
# Limits of one render, which runs in a child process that is killed when time runs out.
PDF_RENDER_TIMEOUT_SECONDS = int(os.environ.get("DJANGO_PDF_TIMEOUT_SECONDS", "120"))
PDF_MAX_HTML_BYTES = int(os.environ.get("DJANGO_PDF_MAX_HTML_BYTES", str(4 * 1024 * 1024)))
PDF_MAX_PAGES = int(os.environ.get("DJANGO_PDF_MAX_PAGES", "400"))
PDF_MAX_MEMORY_BYTES = int(os.environ.get("DJANGO_PDF_MAX_MEMORY_BYTES", str(2 * 1024**3)))
PDF_MAX_EMBEDDED_FILE_BYTES = 20 * 1024 * 1024
# At most this many PDF renders at once on one machine (each may use a core and hundreds of
# megabytes); the others wait for a slot, a lock file in this folder, for up to the timeout.
PDF_MAX_CONCURRENT_RENDERS = int(os.environ.get("DJANGO_PDF_MAX_CONCURRENT_RENDERS", "1"))
PDF_RENDER_SLOTS_DIR = os.environ.get(
    "DJANGO_PDF_RENDER_SLOTS_DIR", str(Path(tempfile.gettempdir()) / "mdportal-pdf-slots")
)
# How a stored PDF leaves the server once Django has checked who may read it: "none" streams it
# through the app server (`make run`); "x-accel-redirect" hands it to nginx at the `internal`
# location PDF_ACCEL_REDIRECT_PREFIX (which serves the media folder) and "x-sendfile" to Apache's
# mod_xsendfile (or another server) by its path on disk; "signed-url" redirects the reader to a
# link of object storage signed for that file, valid for PDF_SIGNED_URL_SECONDS. See README.md,
# "Stored PDFs served by the front server". A storage that cannot do what is asked (local files
# have no signed links, object storage no path on disk) streams instead, and `check --deploy`
# warns.
PDF_SENDFILE_MODES = ("none", "x-accel-redirect", "x-sendfile", "signed-url")
PDF_SENDFILE = os.environ.get("DJANGO_PDF_SENDFILE", "none").strip().lower() or "none"
if PDF_SENDFILE not in PDF_SENDFILE_MODES:
    raise ImproperlyConfigured(
        f"DJANGO_PDF_SENDFILE: {PDF_SENDFILE!r} is not one of {', '.join(PDF_SENDFILE_MODES)}."
    )
PDF_ACCEL_REDIRECT_PREFIX = os.environ.get("DJANGO_PDF_ACCEL_REDIRECT_PREFIX", "/internal-media/")
if not (PDF_ACCEL_REDIRECT_PREFIX.startswith("/") and PDF_ACCEL_REDIRECT_PREFIX.endswith("/")):
    raise ImproperlyConfigured(
        f"DJANGO_PDF_ACCEL_REDIRECT_PREFIX: {PDF_ACCEL_REDIRECT_PREFIX!r} must start and end "
        "with a slash, for example /internal-media/."
    )
# Long enough for the browser to follow the redirect at once, and no longer: a link that leaks
# (a proxy's log, a shared screen) soon stops working.
PDF_SIGNED_URL_SECONDS = int(os.environ.get("DJANGO_PDF_SIGNED_URL_SECONDS", "60"))
if not 1 <= PDF_SIGNED_URL_SECONDS <= 3600:
    raise ImproperlyConfigured(
        f"DJANGO_PDF_SIGNED_URL_SECONDS: {PDF_SIGNED_URL_SECONDS} is not from 1 to 3600 seconds; "
        "a signed link is followed as soon as it is given, for example 60."
    )
# WeasyPrint reports every layout step at INFO; only its warnings belong in the server log.
LOGGING.setdefault("loggers", {})["weasyprint.progress"] = {"level": "WARNING"}
