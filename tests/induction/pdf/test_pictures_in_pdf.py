"""Pictures from the trust's library are embedded in the handbook PDF, read through the
storage API (so object storage works), and the renderer still loads nothing else.

The parent process copies the version's pictures into a folder of the render's own; the
fetcher serves the trust's picture addresses from that folder only."""

import io

import pypdf
import pytest
from django.test import override_settings

from induction.models import PackVersion
from induction.pdf.rendering import copy_pictures, fetcher_config, pictures_url
from induction.pdf.url_fetcher import FetcherConfig, LocalOnlyFetcher, RefusedURL

from ..picture_helpers import add_test_picture, png_bytes, show_in_draft

SITE = "https://induction.example.nhs.uk/"
KEY = "0123456789abcdef0123456789abcdef"
PREFIX = "/trusts/northshire/induction/pictures/"

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def images_in(pdf_bytes: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    return {image.name for page in reader.pages for image in page.images}


def publish_with_picture(pack, user, django_capture_on_commit_callbacks):
    picture = add_test_picture(pack, user, data=png_bytes(size=(120, 60)))
    show_in_draft(pack, user, picture)
    with django_capture_on_commit_callbacks(execute=True):
        version = pack.publish(user=user)
    version.refresh_from_db()
    return version, picture


@pytest.mark.django_db
def test_a_published_picture_is_embedded_in_the_pdf(
    pack, editor_approver, django_capture_on_commit_callbacks
):
    version, picture = publish_with_picture(
        pack, editor_approver, django_capture_on_commit_callbacks
    )
    assert version.pdf_status == PackVersion.PdfStatus.READY, version.pdf_error
    assert list(version.pictures.all()) == [picture]
    assert len(images_in(version.pdf.read())) == 1


@pytest.mark.django_db
def test_an_svg_picture_is_drawn_in_the_pdf_with_nothing_refused(pack, editor_approver):
    from induction.pdf.rendering import render_version

    svg = add_test_picture(
        pack,
        editor_approver,
        alt_text="Organisation chart",
        data=b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80">'
        b'<rect width="200" height="80" fill="#005eb8"/></svg>',
    )
    show_in_draft(pack, editor_approver, svg)
    version = pack.publish(user=editor_approver)
    rendered = render_version(version)
    assert rendered.refused_urls == ()
    assert rendered.content.startswith(b"%PDF-")


@pytest.mark.django_db
def test_pictures_are_read_through_the_storage_api_not_from_the_media_folder(
    pack, editor_approver, media_root, django_capture_on_commit_callbacks
):
    with override_settings(STORAGES=IN_MEMORY):
        version, picture = publish_with_picture(
            pack, editor_approver, django_capture_on_commit_callbacks
        )
        assert version.pdf_status == PackVersion.PdfStatus.READY, version.pdf_error
        assert len(images_in(version.pdf.read())) == 1
    # Nothing was written where the fetcher's media folder is: the copy came from storage.
    assert not any(media_root.rglob("*.png"))


@pytest.mark.django_db
def test_only_the_version_s_own_pictures_are_copied_for_the_render(pack, editor_approver, tmp_path):
    shown = add_test_picture(pack, editor_approver, alt_text="Shown")
    add_test_picture(pack, editor_approver, alt_text="Not shown")
    show_in_draft(pack, editor_approver, shown)
    version = pack.publish(user=editor_approver)
    folder = tmp_path / "render"
    folder.mkdir()
    copy_pictures(version, folder)
    assert [path.name for path in folder.iterdir()] == [shown.filename]
    assert (folder / shown.filename).read_bytes() == shown.file.open("rb").read()


@pytest.mark.django_db
def test_the_picture_address_prefix_is_the_trust_s(pack):
    assert pictures_url(pack.trust) == f"/trusts/{pack.trust.slug}/induction/pictures/"
    picture_address = f"/trusts/{pack.trust.slug}/induction/pictures/{KEY}.png"
    assert picture_address.startswith(pictures_url(pack.trust))


def test_the_site_configuration_passes_the_pictures_folder_on(settings, tmp_path):
    config = fetcher_config(pictures_url=PREFIX, pictures_root=str(tmp_path))
    assert (config.pictures_url, config.pictures_root) == (PREFIX, str(tmp_path))
    assert fetcher_config().pictures_root == ""


@pytest.fixture
def picture_folders(tmp_path):
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    (pictures / f"{KEY}.png").write_bytes(png_bytes())
    (pictures / "notes.txt").write_text("not a picture")
    (tmp_path / "secret.png").write_bytes(b"secret")
    static = tmp_path / "static"
    static.mkdir()
    media = tmp_path / "media"  # made by the package's media_root fixture
    return {"pictures": pictures, "static": static, "media": media}


def picture_fetcher(folders, *, pictures_root=None):
    return LocalOnlyFetcher(
        FetcherConfig(
            site_url=SITE,
            static_url="/static/",
            static_roots=(str(folders["static"]),),
            media_url="/media/",
            media_root=str(folders["media"]),
            pictures_url=PREFIX,
            pictures_root=str(folders["pictures"]) if pictures_root is None else pictures_root,
        )
    )


def test_the_fetcher_serves_a_copied_picture_by_its_address(picture_folders):
    response = picture_fetcher(picture_folders)(
        f"{SITE}trusts/northshire/induction/pictures/{KEY}.png"
    )
    assert response.read() == png_bytes()
    assert response.content_type == "image/png"


@pytest.mark.parametrize(
    "path",
    [
        f"trusts/northshire/induction/pictures/{'f' * 32}.png",  # not one of this version's
        f"trusts/southmoor/induction/pictures/{KEY}.png",  # another trust's address
        "trusts/northshire/induction/pictures/notes.txt",
        "trusts/northshire/induction/pictures/../secret.png",
        "trusts/northshire/induction/pictures/%2e%2e/secret.png",
        f"trusts/northshire/induction/pictures/{KEY}.PNG",
        f"trusts/northshire/induction/pictures/x/{KEY}.png",
    ],
)
def test_the_fetcher_refuses_anything_else_under_or_beside_the_picture_address(
    picture_folders, path
):
    fetcher = picture_fetcher(picture_folders)
    with pytest.raises(RefusedURL):
        fetcher(SITE + path)
    assert fetcher.refused == [SITE + path]


def test_the_fetcher_refuses_a_picture_on_another_host(picture_folders):
    with pytest.raises(RefusedURL):
        picture_fetcher(picture_folders)(
            f"https://evil.example/trusts/northshire/induction/pictures/{KEY}.png"
        )


def test_without_a_pictures_folder_no_picture_is_served(picture_folders):
    fetcher = picture_fetcher(picture_folders, pictures_root="")
    with pytest.raises(RefusedURL, match="Not a static or media file"):
        fetcher(f"{SITE}trusts/northshire/induction/pictures/{KEY}.png")
