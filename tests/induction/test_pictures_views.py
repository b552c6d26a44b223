"""The picture library page, removing a picture, and who may see a picture at its address.

People as in test_permission_matrix.py. A picture is seen by its trust's editors and
approvers always, and by anyone else only once a published version they may read shows it;
every other answer is a 404, the same as for a key that does not exist."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from induction.models import AuditEvent, InductionPack, Membership, TrustPicture

from .conftest import act_as_editor
from .picture_helpers import add_test_picture, png_bytes, show_in_draft
from .ui_helpers import page

PEOPLE = ["anonymous", "reader", "editor", "approver", "outsider", "staff", "staff_acting"]
EDIT = {"anonymous": 302, "reader": 403, "editor": 200, "approver": 403, "outsider": 404,
        "staff": 403, "staff_acting": 200}  # fmt: skip


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def person(request, anonymous):
    """The user a parametrised test names."""
    name = request.param
    return anonymous if name == "anonymous" else request.getfixturevalue(name)


def sign_in(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.fixture
def picture(pack, editor):
    return add_test_picture(pack, editor)


def upload(client, pack, data, *, name="logo.png", alt_text="The trust's logo", content_type=None):
    file = SimpleUploadedFile(name, data, content_type=content_type or "image/png")
    return client.post(page("picture_library", pack), {"file": file, "alt_text": alt_text})


# --- the library page ----------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
def test_only_the_trust_s_editors_use_the_library_page(client, pack, picture, person, request):
    expected = EDIT[request.node.callspec.params["person"]]
    response = sign_in(client, person).get(page("picture_library", pack))
    assert response.status_code == expected
    if expected == 200:
        assert response["Cache-Control"] == "no-store"
        assert picture.alt_text in response.content.decode()


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
def test_only_the_trust_s_editors_may_upload(client, pack, person, request):
    expected = EDIT[request.node.callspec.params["person"]]
    response = upload(sign_in(client, person), pack, png_bytes())
    assert response.status_code == (302 if expected == 200 else expected)
    assert TrustPicture.objects.count() == (1 if expected == 200 else 0)


def test_the_library_lists_pictures_with_their_markdown(client, pack, editor, picture):
    response = client_for(client, editor).get(page("picture_library", pack))
    html = response.content.decode()
    assert f"![Map of the hospital site]({picture.get_absolute_url()})" in html
    assert f"readonly>![Map of the hospital site]({picture.get_absolute_url()})</textarea>" in html
    assert f'src="{picture.get_absolute_url()}"' in html


def client_for(client, user):
    client.force_login(user)
    return client


def test_the_library_page_costs_the_same_however_many_pictures(
    client, pack, editor, django_assert_max_num_queries
):
    for number in range(5):
        add_test_picture(pack, editor, alt_text=f"Picture {number}")
    client.force_login(editor)
    with django_assert_max_num_queries(10):
        client.get(page("picture_library", pack))


def test_an_upload_is_stored_audited_and_linked_from_the_editor(client, pack, editor):
    client.force_login(editor)
    response = upload(client, pack, png_bytes(), name="logo.jpg", content_type="image/jpeg")
    assert response.status_code == 302
    picture = TrustPicture.objects.get()
    # The name and the browser's word said JPEG; the bytes are a PNG, and that decides.
    assert picture.content_type == "image/png" and picture.file.name.endswith(".png")
    assert (picture.trust, picture.uploaded_by, picture.alt_text) == (
        pack.trust,
        editor,
        "The trust's logo",
    )
    assert picture.byte_size == picture.file.size
    event = AuditEvent.objects.get(action=AuditEvent.Action.PICTURE_ADDED)
    assert event.pack == pack and event.actor == editor and picture.key in event.detail
    assert not event.changes_draft
    overview = client.get(page("pack_edit", pack)).content.decode()
    assert page("picture_library", pack) in overview


def test_a_refused_upload_shows_the_error_summary_and_stores_nothing(client, pack, editor):
    client.force_login(editor)
    response = upload(client, pack, b"Just text, named logo.png")
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html and "PNG, JPEG or SVG" in html
    assert "<title>Error: " in html
    assert not TrustPicture.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PICTURE_ADDED).exists()


@pytest.mark.parametrize("alt_text", ["", "   "])
def test_an_upload_without_a_description_is_refused(client, pack, editor, alt_text):
    client.force_login(editor)
    response = upload(client, pack, png_bytes(), alt_text=alt_text)
    assert "Describe what the picture shows" in response.content.decode()
    assert not TrustPicture.objects.exists()


def test_an_upload_without_a_file_says_to_choose_one(client, pack, editor):
    client.force_login(editor)
    response = client.post(page("picture_library", pack), {"alt_text": "Logo"})
    assert "Choose a picture to upload" in response.content.decode()


def test_an_oversized_upload_is_refused(client, pack, editor):
    client.force_login(editor)
    response = upload(client, pack, png_bytes() + b"\0" * (5 * 1024 * 1024))
    assert "the most is 5 MB" in response.content.decode()
    assert not TrustPicture.objects.exists()


# --- removing ------------------------------------------------------------------------------


def remove(client, pack, picture):
    return client.post(page("picture_remove", pack, key=picture.key))


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
def test_only_the_trust_s_editors_may_remove_a_picture(client, pack, picture, person, request):
    expected = EDIT[request.node.callspec.params["person"]]
    response = remove(sign_in(client, person), pack, picture)
    assert response.status_code == (302 if expected == 200 else expected)
    assert TrustPicture.objects.filter(pk=picture.pk).exists() == (expected != 200)


def test_removing_an_unused_picture_deletes_it_and_its_file_and_audits_it(
    client, pack, editor, picture, django_capture_on_commit_callbacks
):
    storage, name = picture.file.storage, picture.file.name
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = remove(client, pack, picture)
    assert response.status_code == 302
    assert not TrustPicture.objects.exists()
    assert not storage.exists(name)
    event = AuditEvent.objects.get(action=AuditEvent.Action.PICTURE_REMOVED)
    assert event.actor == editor and picture.key in event.detail


def test_a_picture_a_published_version_shows_can_never_be_removed(
    client, pack, editor_approver, picture
):
    show_in_draft(pack, editor_approver, picture)
    version = pack.publish(user=editor_approver)
    assert list(version.pictures.all()) == [picture]
    client.force_login(editor_approver)
    page_html = client.get(page("picture_library", pack)).content.decode()
    assert "A published version shows this picture, so it cannot be removed" in page_html
    assert page("picture_remove", pack, key=picture.key) not in page_html
    response = remove(client, pack, picture)
    assert response.status_code == 302
    assert TrustPicture.objects.filter(pk=picture.pk).exists()
    message = client.get(response["Location"]).content.decode()
    assert "published version 1 shows it" in message


def test_the_database_refuses_to_delete_a_picture_a_version_shows(pack, editor_approver, picture):
    from django.db.models import ProtectedError

    show_in_draft(pack, editor_approver, picture)
    pack.publish(user=editor_approver)
    with pytest.raises(ProtectedError):
        picture.delete()


def test_a_picture_in_the_draft_is_not_removed_until_taken_out(client, pack, editor, picture):
    section = show_in_draft(pack, editor, picture)
    client.force_login(editor)
    response = remove(client, pack, picture)
    assert TrustPicture.objects.filter(pk=picture.pk).exists()
    message = client.get(response["Location"]).content.decode()
    assert f"is in the draft (“{section.title}”)" in message


def test_a_picture_in_a_responsibility_note_counts_as_in_the_draft(pack, editor, picture):
    from induction.pictures import PictureInUse, markdown_for, remove_picture

    section = pack.sections.get(kind="responsibilities")
    overlay = section.overlays.first()
    overlay.note = markdown_for(picture)
    overlay.save()
    with pytest.raises(PictureInUse):
        remove_picture(pack=pack, user=editor, picture=picture)


def test_another_trust_s_picture_cannot_be_removed_through_this_trust(
    client, pack, other_pack, editor, outsider
):
    theirs = add_test_picture(other_pack, outsider)
    client.force_login(editor)
    assert remove(client, pack, theirs).status_code == 404
    assert TrustPicture.objects.filter(pk=theirs.pk).exists()


def test_the_service_refuses_a_picture_of_another_trust(pack, other_pack, editor, outsider):
    from django.core.exceptions import PermissionDenied

    from induction.pictures import remove_picture

    theirs = add_test_picture(other_pack, outsider)
    with pytest.raises(PermissionDenied):
        remove_picture(pack=pack, user=editor, picture=theirs)


def test_a_stored_picture_is_never_changed(picture):
    from induction.models import FrozenPictureError

    picture.alt_text = "Something else"
    with pytest.raises(FrozenPictureError):
        picture.save()


# --- seeing a picture ----------------------------------------------------------------------

UNPUBLISHED = {"anonymous": 404, "reader": 404, "editor": 200, "approver": 200, "outsider": 404,
               "staff": 404, "staff_acting": 200}  # fmt: skip
PUBLISHED_MEMBERS = {"anonymous": 404, "reader": 200, "editor": 200, "approver": 200,
                     "outsider": 404, "staff": 200, "staff_acting": 200}  # fmt: skip
PUBLISHED_PUBLIC = dict.fromkeys(PEOPLE, 200)


@pytest.fixture
def published_picture(pack, editor_approver, picture):
    show_in_draft(pack, editor_approver, picture)
    pack.publish(user=editor_approver)
    return picture


def set_visibility(pack, visibility):
    InductionPack.objects.filter(pk=pack.pk).update(visibility=visibility)


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
def test_an_unpublished_picture_is_seen_by_the_trust_s_editors_and_approvers_only(
    client, picture, person, request
):
    set_visibility(picture.trust.packs.get(), "public")
    expected = UNPUBLISHED[request.node.callspec.params["person"]]
    response = sign_in(client, person).get(picture.get_absolute_url())
    assert response.status_code == expected
    if expected == 200:
        assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
def test_a_members_only_version_s_picture_is_seen_by_members_and_staff(
    client, published_picture, person, request
):
    expected = PUBLISHED_MEMBERS[request.node.callspec.params["person"]]
    response = sign_in(client, person).get(published_picture.get_absolute_url())
    assert response.status_code == expected
    if expected == 200:
        assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("person", PEOPLE, indirect=True)
def test_a_public_version_s_picture_is_seen_by_everyone(
    client, pack, published_picture, person, request
):
    set_visibility(pack, "public")
    response = sign_in(client, person).get(published_picture.get_absolute_url())
    assert response.status_code == PUBLISHED_PUBLIC[request.node.callspec.params["person"]]
    assert response["Cache-Control"] == "public, no-cache"


def test_a_pack_made_members_only_hides_its_pictures_from_outsiders_at_once(
    client, pack, published_picture
):
    set_visibility(pack, "public")
    assert client.get(published_picture.get_absolute_url()).status_code == 200
    set_visibility(pack, "members")
    assert client.get(published_picture.get_absolute_url()).status_code == 404


def test_a_picture_is_served_with_its_type_and_no_sniffing(client, approver, picture):
    client.force_login(approver)
    response = client.get(picture.get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{picture.key}"'
    assert "Content-Security-Policy" not in response or "sandbox" not in response.get(
        "Content-Security-Policy", ""
    )
    assert b"".join(response.streaming_content) == picture.file.open("rb").read()


def test_an_svg_is_served_under_a_policy_that_lets_it_run_and_load_nothing(client, pack, editor):
    svg = add_test_picture(
        pack,
        editor,
        data=b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect/></svg>',
    )
    client.force_login(editor)
    response = client.get(svg.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_picture_asked_for_again_is_a_304(client, approver, picture):
    client.force_login(approver)
    response = client.get(picture.get_absolute_url(), headers={"if-none-match": f'"{picture.key}"'})
    assert response.status_code == 304
    assert response["Cache-Control"] == "no-store"


def test_another_trust_s_picture_key_under_this_trust_is_a_404(
    client, pack, other_pack, editor, outsider
):
    theirs = add_test_picture(other_pack, outsider)
    client.force_login(editor)
    url = page("picture", pack, key=theirs.key, extension="png")
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(theirs.get_absolute_url()).status_code == 200


def test_a_picture_under_the_wrong_extension_or_an_unknown_key_is_a_404(client, editor, picture):
    client.force_login(editor)
    wrong_extension = picture.get_absolute_url().replace(".png", ".svg")
    assert client.get(wrong_extension).status_code == 404
    unknown = picture.get_absolute_url().replace(picture.key, "f" * 32)
    assert client.get(unknown).status_code == 404


def test_a_picture_of_another_trust_s_published_version_is_not_seen_by_editors_here(
    client, pack, other_pack, editor, outsider
):
    theirs = add_test_picture(other_pack, outsider)
    client.force_login(editor)
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_a_reader_who_is_also_an_approver_sees_unpublished_pictures(client, trust, reader, picture):
    client.force_login(reader)
    assert client.get(picture.get_absolute_url()).status_code == 404
    Membership.objects.create(user=reader, trust=trust, role=Membership.Role.APPROVER)
    assert client.get(picture.get_absolute_url()).status_code == 200


def test_staff_acting_as_an_editor_see_unpublished_pictures_only_while_acting(
    client, trust, staff, picture
):
    client.force_login(staff)
    assert client.get(picture.get_absolute_url()).status_code == 404
    act_as_editor(staff, trust)
    assert client.get(picture.get_absolute_url()).status_code == 200


def test_serving_a_picture_takes_a_few_queries(
    client, reader, published_picture, django_assert_max_num_queries
):
    client.force_login(reader)
    with django_assert_max_num_queries(8):
        assert client.get(published_picture.get_absolute_url()).status_code == 200


def test_only_get_and_head_are_answered(client, editor, picture):
    client.force_login(editor)
    assert client.post(picture.get_absolute_url()).status_code == 405


# --- inserting a picture into a section ----------------------------------------------------


def test_the_section_editor_offers_the_trust_s_pictures_to_insert(
    client, pack, other_pack, editor, outsider, picture
):
    add_test_picture(other_pack, outsider, alt_text="Their logo")
    section = pack.sections.filter(kind="markdown").first()
    client.force_login(editor)
    html = client.get(page("section_edit", pack, section_id=section.pk)).content.decode()
    assert 'data-module="app-pictures" data-target="id_body"' in html
    assert f">![Map of the hospital site]({picture.get_absolute_url()})</textarea>" in html
    assert "Their logo" not in html
    assert "js/pictures.js" in html
    assert page("picture_library", pack) in html


def test_a_section_showing_a_library_picture_previews_and_saves(client, pack, editor, picture):
    from induction.pictures import markdown_for

    from .ui_helpers import section_post_data

    section = pack.sections.filter(kind="markdown").first()
    client.force_login(editor)
    url = page("section_edit", pack, section_id=section.pk)
    data = section_post_data(section, body=f"Our site:\n\n{markdown_for(picture)}")
    preview = client.post(url, {**data, "preview": "preview"}).content.decode()
    assert f'<img alt="Map of the hospital site" src="{picture.get_absolute_url()}">' in preview
    assert client.post(url, data).status_code == 302
    section.refresh_from_db()
    assert picture.get_absolute_url() in section.body


def test_a_section_with_a_remote_picture_is_refused_with_the_library_message(client, pack, editor):
    from .ui_helpers import section_post_data

    section = pack.sections.filter(kind="markdown").first()
    client.force_login(editor)
    url = page("section_edit", pack, section_id=section.pk)
    data = section_post_data(section, body="![Logo](https://cdn.example.com/logo.png)")
    html = client.post(url, data).content.decode()
    assert "Upload it to the picture library" in html
    section.refresh_from_db()
    assert "cdn.example.com" not in section.body


def test_a_publication_between_the_check_and_the_removal_keeps_the_picture(
    pack, editor, picture, monkeypatch
):
    """A version published just after the checks still protects its picture: the database
    refuses the delete, and the editor is told why, with nothing audited."""
    from induction import pictures as library
    from induction.models import PackVersion, VersionPicture

    from .ui_helpers import make_version

    version = make_version(pack, 1)

    def published_meanwhile(found):
        VersionPicture.objects.create(version=version, picture=found)
        return []

    monkeypatch.setattr(library, "draft_sections_showing", published_meanwhile)
    with pytest.raises(library.PictureInUse, match="a published version shows it"):
        library.remove_picture(pack=pack, user=editor, picture=picture)
    assert TrustPicture.objects.filter(pk=picture.pk).exists()
    assert picture.file.storage.exists(picture.file.name)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PICTURE_REMOVED).exists()
    assert PackVersion.objects.get(pk=version.pk).pictures.get() == picture
