"""Hostile content cannot make the PDF renderer fetch or disclose anything.

A live HTTP listener on 127.0.0.1 stands in for "another host": pack content points at it in
every way WeasyPrint would load something (image, stylesheet, CSS url(), @import, font,
attachment, object, SVG image), and it must receive no request at all. `file:` URLs and `..`
escapes must not bring local files into the PDF.
"""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pypdf
import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from induction.models import Membership, PackVersion, Section
from induction.pdf.storing import produce_version_pdf

from .support import make_pack, make_version, pack_content

SECRET = "mdportal-secret-that-must-not-leak"


@pytest.fixture
def listener():
    """An HTTP server on an ephemeral port that records every request it gets."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            requests.append(self.path)
            body = f"{SECRET}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def hostile_html(base, secret_file, media_root):
    """Body HTML as if the sanitiser had let everything through."""
    outside = f"/media/../{secret_file.parent.name}/{secret_file.name}"
    return f"""
<div class="app-pack-body">
<section class="app-pack-section" id="section-1">
  <h2 class="app-pack-section__title">Welcome</h2>
  <style>
    @import url("{base}/import.css");
    @font-face {{ font-family: Leak; src: url("{base}/font.woff"); }}
    .leak {{ background: url("{base}/background.png"); font-family: Leak; }}
  </style>
  <link rel="stylesheet" href="{base}/style.css">
  <link rel="attachment" href="{base}/attachment.txt">
  <link rel="attachment" href="file://{secret_file}">
  <p class="leak" style="background-image: url('{base}/inline.png')">Text stays.</p>
  <img src="{base}/image.png" alt="remote">
  <img src="//127.0.0.1:{base.rsplit(':', 1)[1]}/protocol-relative.png" alt="remote">
  <img src="file:///etc/passwd" alt="local file">
  <img src="file://{secret_file}" alt="local file">
  <img src="{outside}" alt="escape">
  <img src="/static/../../../../etc/passwd" alt="escape">
  <object data="{base}/object.svg" type="image/svg+xml"></object>
  <embed src="{base}/embed.svg" type="image/svg+xml">
  <iframe src="{base}/frame.html"></iframe>
  <svg width="10" height="10"><image href="{base}/svg-image.png" width="10" height="10"/></svg>
  <a href="{base}/just-a-link">A link is not fetched.</a>
</section>
</div>
"""


@pytest.mark.django_db
def test_hostile_html_renders_without_fetching_or_leaking(
    listener, media_root, secret_file
):
    base, requests = listener
    pack = make_pack()
    content = pack_content(sections_of_prose=0)
    content["sections"] = content["sections"][:1]
    version = make_version(
        pack, content=content, rendered_html=hostile_html(base, secret_file, media_root)
    )

    outcome = produce_version_pdf(version.pk)

    assert outcome.ok, outcome.error
    assert requests == []
    version.refresh_from_db()
    assert version.pdf_status == PackVersion.PdfStatus.READY
    stored = version.pdf.read()
    reader = pypdf.PdfReader(io.BytesIO(stored))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Text stays." in text
    assert SECRET not in text
    assert SECRET.encode() not in stored
    assert b"root:x:0:0" not in stored
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    # What was left out is reported, for the command's output and the log.
    assert any(url.startswith(base) for url in outcome.refused_urls)
    assert any(url.startswith("file:") for url in outcome.refused_urls)


@pytest.mark.django_db
def test_a_pack_pointing_at_another_host_publishes_without_fetching(
    listener, media_root, django_capture_on_commit_callbacks
):
    base, requests = listener
    pack = make_pack()
    editor = get_user_model().objects.create_user("editor")
    Membership.objects.create(user=editor, trust=pack.trust, role=Membership.Role.EDITOR)
    Section.objects.create(
        pack=pack,
        title="Welcome",
        body=(
            f"![Remote logo]({base}/logo.png)\n\n"
            "![Local file](file:///etc/passwd)\n\n"
            f"[Intranet]({base}/intranet) and <img src=\"{base}/raw.png\">\n"
        ),
        order=1,
    )

    with django_capture_on_commit_callbacks(execute=True):
        version = pack.publish(user=editor)

    version.refresh_from_db()
    assert version.pdf_status == PackVersion.PdfStatus.READY, version.pdf_error
    assert requests == []
    assert b"root:x:0:0" not in version.pdf.read()


@pytest.mark.django_db
def test_the_sites_own_media_images_are_embedded(media_root):
    Image.new("RGB", (40, 20), (0, 94, 184)).save(media_root / "logo.png")
    pack = make_pack()
    content = pack_content(sections_of_prose=0)
    content["sections"] = content["sections"][:1]
    body = (
        '<div class="app-pack-body"><section class="app-pack-section" id="section-1">'
        '<h2 class="app-pack-section__title">Welcome</h2>'
        '<p><img src="/media/logo.png" alt="Trust logo"></p></section></div>'
    )
    version = make_version(pack, content=content, rendered_html=body)

    outcome = produce_version_pdf(version.pk)

    assert outcome.ok and outcome.refused_urls == ()
    reader = pypdf.PdfReader(io.BytesIO(outcome.version.pdf.read()))
    # Pages share one resource dictionary, so the image is listed once per page.
    assert len({image.name for page in reader.pages for image in page.images}) == 1
