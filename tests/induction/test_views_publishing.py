"""The publish page: publishing from the web, and the four-eyes rule explained."""

import re
from html import unescape

import pytest

from induction import services

from .conftest import edit_draft, one_space_edit
from .ui_helpers import hidden_value, page


def publish_form(client, pack):
    """The publish page as the publisher sees it, and the draft revision its form carries."""
    html = client.get(page("publish", pack)).content.decode()
    return html, hidden_value(html, "revision")


def test_publishing_makes_a_version_and_shows_it_with_a_success_message(
    client, pack, editor_approver
):
    client.force_login(editor_approver)
    _, revision = publish_form(client, pack)
    response = client.post(
        page("publish", pack),
        {"change_summary": "First version", "revision": revision},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page("version_read", pack, number=1)
    html = response.content.decode()
    assert "Published version 1." in html
    assert pack.versions.get().change_summary == "First version"


def test_the_publish_form_carries_the_draft_revision_it_shows(client, pack, editor_approver):
    edit_draft(pack, editor_approver)
    client.force_login(editor_approver)
    _, revision = publish_form(client, pack)
    assert revision == "2"


def test_publish_page_lists_what_changed_since_the_newest_version(
    client, pack, published, editor_approver
):
    edit_draft(pack, editor_approver)
    client.force_login(editor_approver)
    html = client.get(page("publish", pack)).content.decode()
    assert "What has changed since version 1" in html
    assert "<li>Welcome: changed</li>" in html


def listed_changes(html):
    """The items of the publish page's list of what changed."""
    listed = html.split("What has changed since version", 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li>(.*?)</li>", unescape(listed))


def test_publish_page_shows_a_moved_section_as_moved(client, pack, published, editor_approver):
    welcome = pack.sections.get(order=1)
    for _ in range(4):
        services.move_section(section=welcome, user=editor_approver, direction="down")
    client.force_login(editor_approver)
    html = client.get(page("publish", pack)).content.decode()
    assert listed_changes(html) == ["Welcome: moved"]
    assert "Publish this version" in html


def test_an_unchanged_draft_offers_no_publish_button(client, published, editor_approver):
    client.force_login(editor_approver)
    html = client.get(page("publish", published.pack)).content.decode()
    assert "The draft is the same as version 1" in html
    assert "so there is nothing to publish" in html
    assert "Publish this version" not in html
    assert 'name="change_summary"' not in html
    assert 'name="revision"' not in html


def test_publishing_an_unchanged_draft_is_refused_and_makes_no_version(
    client, published, editor_approver
):
    pack = published.pack
    client.force_login(editor_approver)
    response = client.post(
        page("publish", pack), {"change_summary": "Again", "revision": pack.draft_revision}
    )
    assert response.status_code == 200
    assert "Nothing has changed since version 1" in response.content.decode()
    assert list(pack.versions.values_list("number", flat=True)) == [1]


def test_a_draft_edited_while_the_approver_reviewed_it_is_not_published(
    client, pack, published, editor, approver
):
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, editor, text="What the approver reviewed.")
    client.force_login(approver)
    _, reviewed = publish_form(client, pack)
    edit_draft(pack, editor, text="Added after the approver opened the page.")

    response = client.post(
        page("publish", pack), {"change_summary": "Reviewed", "revision": reviewed}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "The draft changed while you were reviewing it" in html
    assert list(pack.versions.values_list("number", flat=True)) == [1]
    pack.refresh_from_db()
    assert hidden_value(html, "revision") == str(pack.draft_revision)
    assert hidden_value(html, "revision") != reviewed


def test_four_eyes_rule_explains_why_an_editor_of_the_draft_cannot_publish(
    client, pack, editor_approver, approver
):
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, editor_approver)
    client.force_login(editor_approver)
    html = client.get(page("publish", pack)).content.decode()
    assert "requires approval by a second person" in html
    assert "You have edited this draft since the last version was published" in html
    assert "These people can publish it:" in html
    assert "<li>approver</li>" in html
    assert 'name="change_summary"' not in html


def test_four_eyes_rule_refuses_a_forged_post_and_publishes_nothing(
    client, pack, editor_approver, approver
):
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, editor_approver)
    client.force_login(editor_approver)
    response = client.post(
        page("publish", pack), {"change_summary": "Sneaky", "revision": pack.draft_revision}
    )
    assert response.status_code == 200
    assert "You have edited this draft since the last version" in response.content.decode()
    assert not pack.versions.exists()


def test_an_approver_who_edited_cannot_publish_after_someone_else_edits(
    client, pack, editor_approver, second_editor, approver
):
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, editor_approver, text="The approver's own change.")
    one_space_edit(pack, second_editor)
    pack.refresh_from_db()
    client.force_login(editor_approver)
    html = client.get(page("publish", pack)).content.decode()
    assert "You have edited this draft since the last version" in html
    assert 'name="change_summary"' not in html
    response = client.post(
        page("publish", pack), {"change_summary": "Mine", "revision": pack.draft_revision}
    )
    assert "You have edited this draft since the last version" in response.content.decode()
    assert not pack.versions.exists()

    client.force_login(approver)
    response = client.post(
        page("publish", pack), {"change_summary": "", "revision": pack.draft_revision}
    )
    assert response.status_code == 302
    assert pack.versions.get().published_by == approver


def test_platform_staff_acting_as_an_editor_cannot_publish_their_own_edit(
    client, pack, staff_acting, approver
):
    """Acting staff are editors, not approvers: one of the trust's approvers must publish."""
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, staff_acting)
    pack.refresh_from_db()
    client.force_login(staff_acting)
    response = client.post(
        page("publish", pack), {"change_summary": "Staff", "revision": pack.draft_revision}
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Only an approver of this trust can publish this pack" in html
    assert not pack.versions.exists()

    client.force_login(approver)
    response = client.post(
        page("publish", pack), {"change_summary": "", "revision": pack.draft_revision}
    )
    assert response.status_code == 302
    assert pack.versions.get().published_by == approver


def test_platform_staff_without_access_cannot_publish_on_the_web(client, pack, staff, editor):
    edit_draft(pack, editor)
    pack.refresh_from_db()
    client.force_login(staff)
    response = client.post(
        page("publish", pack), {"change_summary": "Staff", "revision": pack.draft_revision}
    )
    assert response.status_code == 403
    assert "Act as an editor of" in unescape(response.content.decode())
    assert not pack.versions.exists()


def test_second_approver_publishes_and_is_recorded_as_approver(
    client, pack, editor_approver, approver
):
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, editor_approver)
    client.force_login(approver)
    _, revision = publish_form(client, pack)
    response = client.post(page("publish", pack), {"change_summary": "", "revision": revision})
    assert response.status_code == 302
    assert pack.versions.get().approved_by == approver


def test_editor_who_is_not_an_approver_sees_who_can_publish(client, pack, editor, approver):
    pack.requires_approval = True
    pack.save()
    client.force_login(editor)
    html = client.get(page("publish", pack)).content.decode()
    assert "Only an approver of this trust can publish this pack" in html
    assert "<li>approver</li>" in html


def test_overlong_summary_says_what_to_do(client, pack, editor_approver):
    client.force_login(editor_approver)
    _, revision = publish_form(client, pack)
    html = client.post(
        page("publish", pack), {"change_summary": "x" * 1001, "revision": revision}
    ).content.decode()
    assert "Shorten the summary to 1,000 characters or fewer" in html
    assert not pack.versions.exists()


@pytest.mark.parametrize("versions", [0, 1])
def test_publish_page_keeps_to_a_query_budget(
    client, pack, editor_approver, versions, django_assert_max_num_queries
):
    for _ in range(versions):
        pack.publish(user=editor_approver)
    client.force_login(editor_approver)
    with django_assert_max_num_queries(16):
        assert client.get(page("publish", pack)).status_code == 200
