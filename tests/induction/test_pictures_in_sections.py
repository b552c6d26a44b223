"""A section's text may show only its own trust's pictures: another trust's picture, or one
that is not (or no longer) in the library, is refused on save with a message saying to upload
it here, and nothing is saved. Publishing would not record it, the PDF would not print it, and
readers could not see it."""

import pytest
from django.core.exceptions import ValidationError

from induction import services
from induction.models import Section
from induction.pictures import markdown_for

from .picture_helpers import add_test_picture, show_in_draft


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def free_text(pack):
    return pack.sections.filter(kind=Section.Kind.MARKDOWN).order_by("order").first()


def save_body(pack, user, body):
    section = free_text(pack)
    return services.save_section(
        section=section, user=user, expected_revision=section.revision, body=body
    )


def test_the_trust_s_own_picture_is_saved(pack, editor):
    picture = add_test_picture(pack, editor)
    section = show_in_draft(pack, editor, picture)
    section.refresh_from_db()
    assert markdown_for(picture) in section.body


def test_another_trust_s_picture_is_refused_and_nothing_saved(pack, other_pack, editor, outsider):
    theirs = add_test_picture(other_pack, outsider)
    section = free_text(pack)
    before = (section.body, section.revision)
    with pytest.raises(ValidationError) as refused:
        save_body(pack, editor, f"Our site:\n\n{markdown_for(theirs)}\n")
    message = " ".join(refused.value.message_dict["body"])
    assert f"is not in {pack.trust.name}'s picture library" in message
    assert "Upload it to this trust's library" in message
    section.refresh_from_db()
    assert (section.body, section.revision) == before


def test_another_trust_s_picture_key_under_this_trust_s_address_is_refused(
    pack, other_pack, editor, outsider
):
    theirs = add_test_picture(other_pack, outsider)
    disguised = markdown_for(theirs).replace(other_pack.trust.slug, pack.trust.slug)
    with pytest.raises(ValidationError, match="picture library"):
        save_body(pack, editor, disguised)


def test_a_picture_address_no_library_holds_is_refused(pack, editor):
    address = f"/trusts/{pack.trust.slug}/induction/pictures/{'a' * 32}.png"
    with pytest.raises(ValidationError, match="picture library"):
        save_body(pack, editor, f"![Old logo]({address})")


def test_another_trust_s_picture_in_a_responsibility_note_is_refused(
    pack, other_pack, editor, outsider
):
    theirs = add_test_picture(other_pack, outsider)
    section = pack.sections.get(kind=Section.Kind.RESPONSIBILITIES)
    overlay = section.overlays.first()
    with pytest.raises(ValidationError, match="picture library"):
        services.save_section(
            section=section,
            user=editor,
            expected_revision=section.revision,
            overlays={overlay.pk: {"status": overlay.status, "note": markdown_for(theirs)}},
        )
    overlay.refresh_from_db()
    assert markdown_for(theirs) not in overlay.note


def test_text_that_only_mentions_a_picture_address_is_saved(pack, editor):
    address = f"/trusts/{pack.trust.slug}/induction/pictures/{'a' * 32}.png"
    save_body(pack, editor, f"Pictures live at addresses such as `{address}`.")
    assert address in free_text(pack).body
