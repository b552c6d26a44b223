"""The publish page: publishing from the web, and the four-eyes rule explained."""

import pytest

from induction import services
from induction.models import Section

from .ui_helpers import page


def edit_draft(pack, user):
    section = pack.sections.filter(kind=Section.Kind.MARKDOWN).first()
    services.save_section(
        section=section, user=user, expected_revision=section.revision, body="Edited text."
    )


def test_publishing_makes_a_version_and_shows_it_with_a_success_message(
    client, pack, editor_approver
):
    client.force_login(editor_approver)
    response = client.post(page("publish", pack), {"change_summary": "First version"}, follow=True)
    assert response.redirect_chain[-1][0] == page("version_read", pack, number=1)
    html = response.content.decode()
    assert "Published version 1." in html
    assert pack.versions.get().change_summary == "First version"


def test_publish_page_lists_what_changed_since_the_newest_version(
    client, pack, published, editor_approver
):
    edit_draft(pack, editor_approver)
    client.force_login(editor_approver)
    html = client.get(page("publish", pack)).content.decode()
    assert "What has changed since version 1" in html
    assert "Welcome: changed" in html


def test_four_eyes_rule_explains_why_the_last_editor_cannot_publish(
    client, pack, editor_approver, approver
):
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, editor_approver)
    client.force_login(editor_approver)
    html = client.get(page("publish", pack)).content.decode()
    assert "requires approval by a second person" in html
    assert "You made the last edit to this draft" in html
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
    response = client.post(page("publish", pack), {"change_summary": "Sneaky"})
    assert response.status_code == 200
    assert "You made the last edit to this draft" in response.content.decode()
    assert not pack.versions.exists()


def test_second_approver_publishes_and_is_recorded_as_approver(
    client, pack, editor_approver, approver
):
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, editor_approver)
    client.force_login(approver)
    assert client.post(page("publish", pack), {"change_summary": ""}).status_code == 302
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
    html = client.post(page("publish", pack), {"change_summary": "x" * 1001}).content.decode()
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
