"""The warm worker's processes (fork_server.py, and worker.py in each child) load nothing from
Django, and a child keeps to the limits it is given as data."""

import random
import subprocess
import sys
from urllib.parse import urljoin

import pytest
from PIL import Image

from induction.pdf.storing import produce_version_pdf

from .support import make_pack, make_version, pack_content


def test_the_worker_imports_nothing_from_django(settings):
    script = (
        "import sys, induction.pdf.fork_server, induction.pdf.warm_worker; "
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "[]"


@pytest.mark.django_db
def test_the_worker_leaves_out_a_site_image_over_the_configured_size_limit(settings, media_root):
    # Noise does not compress: the image is larger than the handbook's stylesheet, which must
    # still load under the limit.
    noise = random.Random(0).randbytes(300 * 300 * 3)
    Image.frombytes("RGB", (300, 300), noise).save(media_root / "logo.png")
    settings.PDF_MAX_EMBEDDED_FILE_BYTES = (media_root / "logo.png").stat().st_size - 1
    content = pack_content(sections_of_prose=0)
    content["sections"] = content["sections"][:1]
    body = (
        '<div class="app-pack-body"><section class="app-pack-section" id="section-1">'
        '<h2 class="app-pack-section__title">Welcome</h2>'
        '<p><img src="/media/logo.png" alt="Trust logo"></p></section></div>'
    )
    version = make_version(make_pack(), content=content, rendered_html=body)

    outcome = produce_version_pdf(version.pk)

    # test_hostile_content shows the same image embedded under the default limit.
    assert outcome.ok, outcome.error
    assert outcome.refused_urls == (urljoin(settings.PDF_SITE_URL, "/media/logo.png"),)
