"""How browsers and shared caches may keep the pack pages (issue 8, hardening).

A members-only pack's pages and PDFs may be kept only by the reader's own browser, which must
ask again each time, so a shared computer does not show them from its cache after sign-out.
The editor, publish, restore and audit pages are never stored. A public pack's PDF may be kept
by shared caches but is revalidated, so that making the pack members-only takes effect at once.
"""

import hashlib

import pytest
from django.core.files.base import ContentFile

from induction.models import InductionPack, PackVersion

from .ui_helpers import page

FAKE_PDF = b"%PDF-1.7\n% stored\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def set_visibility(pack, visibility):
    InductionPack.objects.filter(pk=pack.pk).update(visibility=visibility)


def make_ready(version):
    name = version.pdf.storage.save(f"packs/test/v{version.number}.pdf", ContentFile(FAKE_PDF))
    PackVersion.objects.filter(pk=version.pk).update(
        pdf=name,
        pdf_sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
        pdf_status=PackVersion.PdfStatus.READY,
    )
    version.refresh_from_db()
    return version


READING_PAGES = [
    ("pack_read", {}),
    ("version_read", {"number": 1}),
    ("history", {}),
    ("compare", {}),
]

MANAGEMENT_PAGES = [
    ("pack_edit", {}),
    ("draft_preview", {}),
    ("pack_settings", {}),
    ("section_add", {}),
    ("publish", {}),
    ("version_restore", {"number": 1}),
    ("audit", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), READING_PAGES, ids=[n for n, _ in READING_PAGES])
def test_a_members_only_packs_pages_are_cached_only_privately_and_revalidated(
    client, published, reader, name, kwargs
):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    client.force_login(reader)

    response = client.get(page(name, published.pack, **kwargs))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize(("name", "kwargs"), READING_PAGES, ids=[n for n, _ in READING_PAGES])
def test_a_public_packs_pages_are_not_marked_private(client, published, name, kwargs):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)

    response = client.get(page(name, published.pack, **kwargs))

    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("name", "kwargs"), MANAGEMENT_PAGES, ids=[n for n, _ in MANAGEMENT_PAGES]
)
@pytest.mark.parametrize("visibility", InductionPack.Visibility.values)
def test_editor_publish_restore_and_audit_pages_are_never_stored(
    client, published, editor_approver, name, kwargs, visibility
):
    set_visibility(published.pack, visibility)
    client.force_login(editor_approver)

    response = client.get(page(name, published.pack, **kwargs))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_a_section_edit_page_is_never_stored(client, pack, editor):
    section = pack.sections.order_by("order").first()
    client.force_login(editor)

    response = client.get(page("section_edit", pack, section_id=section.pk))

    assert response["Cache-Control"] == "no-store"


def test_a_saved_edit_and_a_refusal_are_never_stored_either(client, published, editor, reader):
    client.force_login(reader)
    assert client.get(page("pack_edit", published.pack))["Cache-Control"] == "no-store"
    client.force_login(editor)
    section = published.pack.sections.order_by("order").last()
    response = client.post(page("section_move", published.pack, section_id=section.pk))
    assert response["Cache-Control"] == "no-store"


def test_a_public_pdf_is_revalidated_so_a_switch_to_members_only_is_seen_at_once(
    client, published
):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    version = make_ready(published)
    url = page("version_pdf", published.pack, number=1)

    first = client.get(url)
    assert first["Cache-Control"] == "public, no-cache"
    assert first["ETag"] == f'"{version.pdf_sha256}"'
    assert client.get(page("latest_pdf", published.pack))["Cache-Control"] == "public, no-cache"

    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    # The cache asks again with its ETag: no 304 for someone who may no longer read it.
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 302
    assert again["Location"].startswith("/accounts/login/")


def test_a_members_only_pdf_is_cached_only_privately_and_revalidated(client, published, reader):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)
    client.force_login(reader)

    for name, kwargs in [("version_pdf", {"number": 1}), ("latest_pdf", {})]:
        assert client.get(page(name, published.pack, **kwargs))["Cache-Control"] == (
            "private, no-cache"
        )
