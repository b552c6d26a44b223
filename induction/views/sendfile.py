"""Deliver a stored file as a download, handing the bytes to the front server when configured.

Behind nginx or Apache a Python worker need not read and send a file the web server can send
itself: once the view has checked who may read it, it answers with the headers and an empty
body, and `X-Accel-Redirect` (nginx: a URI under an `internal` location that serves the media
folder) or `X-Sendfile` (Apache's mod_xsendfile, lighttpd, Caddy's plugins: the path on disk)
tells the front server which file to send. The headers the reader gets (Content-Type,
Content-Disposition, ETag, Cache-Control) are still Django's. `settings.PDF_SENDFILE` chooses;
"none", the default for `make run`, streams the file through Django.

Only a file in local storage has a path the front server can read; one in object storage is
streamed, and `check --deploy` warns about that combination (mdportal/checks.py).
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

X_ACCEL_REDIRECT = "x-accel-redirect"
X_SENDFILE = "x-sendfile"


def local_path(stored) -> Path | None:
    """Where the file's storage says it is on this machine's disk, or None if it has no disk."""
    try:
        return Path(stored.storage.path(stored.name))
    except NotImplementedError:
        return None


def download_response(stored, *, filename: str, content_type: str):
    """A response that delivers the stored file `stored` (a FieldFile) as the attachment
    `filename`, handed to the front server as settings.PDF_SENDFILE says, or streamed.

    Raises FileNotFoundError (or ValueError, for a field without a file) when there is no file
    to deliver, before anything is handed over: the caller answers that itself.
    """
    mode = settings.PDF_SENDFILE
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
