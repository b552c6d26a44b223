"""Publishing records which of the trust's pictures a version shows, in the same
transaction, and nothing else: those records decide who may see a picture and what the PDF
embeds."""

import pytest
from django.core.exceptions import ValidationError

from induction import services
from induction.models import AuditEvent, Section, VersionPicture
from induction.pictures import markdown_for

from .picture_helpers import add_test_picture, show_in_draft


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_version_records_the_pictures_it_shows_and_only_those(pack, editor_approver):
    shown = add_test_picture(pack, editor_approver, alt_text="Shown")
    add_test_picture(pack, editor_approver, alt_text="Only in the library")
    show_in_draft(pack, editor_approver, shown)
    version = pack.publish(user=editor_approver)
    assert list(version.pictures.all()) == [shown]
    assert shown.get_absolute_url() in version.rendered_html


def test_a_version_without_pictures_records_none(published):
    assert not published.pictures.exists()


def test_a_picture_in_a_responsibility_note_is_recorded(pack, editor_approver):
    from induction.pictures import markdown_for

    picture = add_test_picture(pack, editor_approver)
    section = pack.sections.get(kind=Section.Kind.RESPONSIBILITIES)
    overlay = section.overlays.first()
    services.save_section(
        section=section,
        user=editor_approver,
        expected_revision=section.revision,
        overlays={
            overlay.pk: {
                "status": overlay.status,
                "delegated_to": "",
                "note": markdown_for(picture),
            }
        },
    )
    version = pack.publish(user=editor_approver)
    assert list(version.pictures.all()) == [picture]


def test_another_trust_s_picture_in_the_text_is_not_recorded(
    pack, other_pack, editor_approver, outsider
):
    # Saving such a text is refused (test_pictures_in_sections.py); a draft may still hold one
    # from before that check, written here straight to the row.
    theirs = add_test_picture(other_pack, outsider)
    section = pack.sections.filter(kind=Section.Kind.MARKDOWN).order_by("order").first()
    Section.objects.filter(pk=section.pk).update(body=f"Theirs:\n\n{markdown_for(theirs)}\n")
    pack.record(editor_approver, AuditEvent.Action.SECTION_EDITED, "Edited the text directly")
    version = pack.publish(user=editor_approver)
    assert theirs.key in version.rendered_html  # the text was published…
    assert not version.pictures.exists()  # …but the picture not recorded as shown


def test_each_version_keeps_its_own_pictures(pack, editor_approver):
    first = add_test_picture(pack, editor_approver, alt_text="First")
    show_in_draft(pack, editor_approver, first)
    version_1 = pack.publish(user=editor_approver)
    section = pack.sections.filter(kind=Section.Kind.MARKDOWN).order_by("order").first()
    services.save_section(
        section=section,
        user=editor_approver,
        expected_revision=section.revision,
        body="No pictures any more.",
    )
    version_2 = pack.publish(user=editor_approver)
    assert list(version_1.pictures.all()) == [first]
    assert not version_2.pictures.exists()
    assert VersionPicture.objects.count() == 1


def test_a_remote_picture_cannot_be_saved_into_the_draft(pack, editor):
    section = pack.sections.filter(kind=Section.Kind.MARKDOWN).first()
    with pytest.raises(ValidationError) as error:
        services.save_section(
            section=section,
            user=editor,
            expected_revision=section.revision,
            body="![Trust logo](https://cdn.example.com/logo.png)",
        )
    assert "Upload it to the picture library" in str(error.value)


def test_comparing_versions_shows_a_library_picture_and_drops_any_other_image():
    from induction.html_diff import diff_html
    from induction.text_diff import Budget

    picture = "/trusts/testshire/induction/pictures/" + "a" * 32 + ".png"
    old = "<p>Our site.</p>"
    new = (
        f'<p>Our site.</p><p><img alt="Site map" src="{picture}"></p>'
        '<p><img alt="Tracker" src="https://evil.example/pixel.gif"></p>'
    )
    html = diff_html(old, new, Budget())
    assert f'src="{picture}"' in html
    assert "evil.example" not in html
