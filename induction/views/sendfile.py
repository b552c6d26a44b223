"""Deliver a stored file as a download, handing the bytes to the front server or to object
storage when configured.

Behind nginx or Apache a Python worker need not read and send a file the web server can send
itself: once the view has checked who may read it, it answers with the headers and an empty
body, and `X-Accel-Redirect` (nginx: a URI under an `internal` location that serves the media
folder) or `X-Sendfile` (Apache's mod_xsendfile, lighttpd, Caddy's plugins: the path on disk)
tells the front server which file to send. The headers the reader gets (Content-Type,
Content-Disposition, ETag, Cache-Control) are still Django's.

A file kept in object storage (django-storages' S3 backend) is on no disk the front server can
read; there, "signed-url" answers with a redirect to a link the store signs for this file alone,
which works for a short time and names the file's type and download name itself.
`settings.PDF_SENDFILE` chooses; "none", the default for `make run`, streams the file through
Django. A file whose storage cannot do what the setting asks is streamed, and `check --deploy`
warns about that combination (mdportal/checks.py).
"""

import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header

X_ACCEL_REDIRECT = "x-accel-redirect"
X_SENDFILE = "x-sendfile"
SIGNED_URL = "signed-url"
# The link is for one reader, now: no cache, shared or the browser's, may keep the redirect to
# it, nor (told to the store through the signed link) the file it returns.
SIGNED_URL_CACHE_CONTROL = "private, no-store"
# Canned ACLs that make every object readable without a signature: a signed link would add
# nothing, and the file's plain address would work for anyone who learns it.
PUBLIC_ACLS = {"public-read", "public-read-write", "authenticated-read"}


def local_path(stored) -> Path | None:
    """Where the file's storage says it is on this machine's disk, or None if it has no disk."""
    try:
        return Path(stored.storage.path(stored.name))
    except NotImplementedError:
        return None


def signs_private_urls(storage) -> bool:
    """Whether `storage` gives each file a link that only works when signed, and only for a
    while: django-storages' S3 backend with query-string signing on, objects not made public,
    and links to the bucket itself (a custom domain's links are plain, or signed by CloudFront,
    which does not pass on the response headers the link sets)."""
    # The backend's module imports boto3, which `make run` does without: when the storage is
    # an S3Storage, the module is already loaded.
    s3 = sys.modules.get("storages.backends.s3")
    return (
        s3 is not None
        and isinstance(storage, s3.S3Storage)
        and bool(storage.querystring_auth)
        and not storage.custom_domain
        and (storage.default_acl or "private") not in PUBLIC_ACLS
    )


def download_response(stored, *, filename: str, content_type: str):
    """A response that delivers the stored file `stored` (a FieldFile) as the attachment
    `filename`, as settings.PDF_SENDFILE says: handed to the front server, redirected to a
    signed link of object storage, or streamed.

    Raises FileNotFoundError (or ValueError, for a field without a file) when there is no file
    to deliver, before anything is handed over: the caller answers that itself.
    """
    mode = settings.PDF_SENDFILE
    if mode == SIGNED_URL and signs_private_urls(stored.storage):
        return _redirect_to_signed_url(stored, filename=filename, content_type=content_type)
    path = local_path(stored) if mode in (X_ACCEL_REDIRECT, X_SENDFILE) else None
    if path is None or not path.is_file():
        # Streamed; opening a missing file raises here, before any response exists.
        return FileResponse(
            stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    # Streaming, with nothing to stream, like the FileResponse it stands for: so no middleware
    # takes the empty body for the download (the page cache would keep and replay it without
    # the header that names the file; ConditionalGetMiddleware would tag it with its own ETag).
    response = StreamingHttpResponse((), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    if mode == X_ACCEL_REDIRECT:
        response["X-Accel-Redirect"] = quote(settings.PDF_ACCEL_REDIRECT_PREFIX + stored.name)
    else:
        response["X-Sendfile"] = str(path)
    return response


def _redirect_to_signed_url(stored, *, filename: str, content_type: str):
    if not stored.name:
        raise ValueError("The field has no file.")
    # One HEAD request to the store, so that a missing file gets the caller's page rather than
    # a redirect to the store's own error.
    if not stored.storage.exists(stored.name):
        raise FileNotFoundError(stored.name)
    # The store sends these headers with the file because the link asks for them; they are
    # part of what is signed, so the reader cannot change them.
    url = stored.storage.url(
        stored.name,
        parameters={
            "ResponseContentType": content_type,
            "ResponseContentDisposition": content_disposition_header(True, filename),
            "ResponseCacheControl": SIGNED_URL_CACHE_CONTROL,
        },
        expire=settings.PDF_SIGNED_URL_SECONDS,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = SIGNED_URL_CACHE_CONTROL
    return response
