"""System checks for what `check --deploy` cannot know about this project by itself: the
site's address, e-mail that is really sent, background work done by a worker, the proxies
in front listed, and PDFs sent by the front server or object storage wherever they can be."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def site_url_is_public_https(app_configs, **kwargs):
    """PDFs carry absolute links to DJANGO_SITE_URL: in production it must be the real address."""
    url = settings.PDF_SITE_URL
    if url.startswith("https://") and "127.0.0.1" not in url and "localhost" not in url:
        return []
    return [
        Warning(
            f"DJANGO_SITE_URL is {url!r}; the links in published PDFs would point there.",
            hint="Set DJANGO_SITE_URL to the portal's public https address, "
            "for example https://induction.example.nhs.uk/.",
            id="mdportal.W001",
        )
    ]


# E-mail backends that never deliver: they print, keep in memory, write to a folder or discard.
UNDELIVERED_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
# Task backends without a worker: one runs tasks inside the request that queues them, one
# never runs them.
WORKERLESS_TASK_BACKENDS = {
    "django_tasks.backends.immediate.ImmediateBackend",
    "django_tasks.backends.dummy.DummyBackend",
}


@register(deploy=True)
def email_is_delivered(app_configs, **kwargs):
    """Password reset links must reach their owner's inbox, not the server log."""
    if settings.DEBUG or settings.EMAIL_BACKEND not in UNDELIVERED_EMAIL_BACKENDS:
        return []
    return [
        Warning(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: e-mail, password reset links "
            "included, would be printed or kept on the server instead of being sent.",
            hint="Set DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and "
            "DJANGO_EMAIL_HOST (with DJANGO_EMAIL_PORT, DJANGO_EMAIL_HOST_USER, "
            "DJANGO_EMAIL_HOST_PASSWORD, DJANGO_EMAIL_USE_TLS and DJANGO_DEFAULT_FROM_EMAIL "
            "as the mail server needs).",
            id="mdportal.W002",
        )
    ]


@register(deploy=True)
def tasks_run_in_a_worker(app_configs, **kwargs):
    """PDFs and e-mail are background work: never inside a web request in production."""
    backend = settings.TASKS["default"]["BACKEND"]
    if settings.DEBUG or backend not in WORKERLESS_TASK_BACKENDS:
        return []
    return [
        Warning(
            f"The task backend is {backend}: PDFs would render, and e-mail be sent, inside "
            "web requests (or never), where a slow render ties up the server.",
            hint="Set DJANGO_TASKS_BACKEND=django_tasks_db.DatabaseBackend and run "
            "`manage.py db_worker` beside the web server.",
            id="mdportal.W003",
        )
    ]


@register(deploy=True)
def proxies_are_listed_behind_a_proxy(app_configs, **kwargs):
    """Behind a proxy with none listed, every client has the proxy's address: one person's
    failed sign-ins would lock an account for everyone, and one address's limits be shared by
    all."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is None or settings.TRUSTED_PROXIES:
        return []
    return [
        Warning(
            "DJANGO_BEHIND_PROXY is on but DJANGO_TRUSTED_PROXIES is empty: every client would "
            "have the proxy's address, so the sign-in throttle would lock people out together.",
            hint="Set DJANGO_TRUSTED_PROXIES to the proxy's address or network, for example "
            "10.0.0.5 for one nginx (see README.md, Behind a reverse proxy).",
            id="mdportal.W004",
        )
    ]


@register(deploy=True)
def cache_is_shared(app_configs, **kwargs):
    """Public pages are served from the cache, and a publication must reach every worker: with a
    cache in each process's own memory the page cache stays off, and every read is rebuilt."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or not backend.endswith("LocMemCache"):
        return []
    return [
        Warning(
            "The cache is each process's own memory: public pages cannot be served from it, "
            "and each worker keeps its own comparisons and sign-in limits.",
            hint="Set DJANGO_REDIS_URL to a Redis server shared by the web servers, for "
            "example redis://127.0.0.1:6379/0.",
            id="mdportal.W005",
        )
    ]


@register(deploy=True)
def pdf_delivery_fits_the_storage(app_configs, **kwargs):
    """A PDF download must not tie up an app server for the whole transfer where something else
    can send it: X-Accel-Redirect and X-Sendfile name a file the front server reads from disk,
    signed links need object storage that signs them, and PDFs kept in object storage have no
    file on disk. Whatever cannot be done is streamed through Django instead."""
    from django.core.files.storage import FileSystemStorage, default_storage

    from induction.views.sendfile import SIGNED_URL, signs_private_urls

    mode = settings.PDF_SENDFILE
    storage = default_storage.__class__.__name__
    local = isinstance(default_storage, FileSystemStorage)
    if mode == SIGNED_URL:
        if signs_private_urls(default_storage):
            return []
        problem = (
            f"DJANGO_PDF_SENDFILE is signed-url, but the default storage ({storage}) gives no "
            "links that only work signed and for a short time"
        )
    elif local:
        return []
    elif mode == "none":
        problem = f"DJANGO_PDF_SENDFILE is none, and the default storage ({storage}) is not a disk"
    else:
        problem = (
            f"DJANGO_PDF_SENDFILE is {mode}, but the default storage ({storage}) keeps no files "
            "on this machine's disk"
        )
    return [
        Warning(
            f"{problem}: PDFs would be streamed through the app server.",
            hint="With PDFs in object storage (DJANGO_DEFAULT_STORAGE="
            "storages.backends.s3.S3Storage, a private bucket, signed links on and no custom "
            "domain), set DJANGO_PDF_SENDFILE=signed-url; with PDFs in local storage (a media "
            "folder the front server can read), x-accel-redirect, x-sendfile or none.",
            id="mdportal.W006",
        )
    ]
