"""The approval pages (ask, return with comments, withdraw), the approval panel of the editor's
overview and the publish page, the home page's "Waiting for your approval", and the audit page.
"""

from html import unescape

import pytest
from django.urls import reverse

from induction import approvals
from induction.models import ApprovalRequest, Membership

from .conftest import edit_draft
from .ui_helpers import page


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(pack, published, editor):
    """`pack` published once, then edited by `editor`."""
    edit_draft(pack, editor, text="A new paragraph for approval.")
    pack.refresh_from_db()
    return pack


@pytest.fixture
def asked(draft, editor, approver):
    return approvals.submit_for_approval(
        pack=draft, user=editor, message="New paragraph on the board."
    )


@pytest.fixture
def foreign_request(other_pack, outsider, make_user, other_trust):
    """A waiting request of the other trust's pack."""
    make_user("other-approver", trust=other_trust, roles=[Membership.Role.APPROVER])
    return approvals.submit_for_approval(pack=other_pack, user=outsider)


def ask_url(pack):
    return page("approval_ask", pack)


def return_url(approval):
    return page("approval_return", approval.pack, approval_id=approval.pk)


def withdraw_url(approval):
    return page("approval_withdraw", approval.pack, approval_id=approval.pk)


def text(response):
    return unescape(response.content.decode())


# --- who may see each page --------------------------------------------------------------------

# (page, user, status): the same for GET and POST. The POST data are valid, so an allowed
# user's POST does what the page is for (tested below); refusals change nothing.
MATRIX = [
    ("ask", "editor", 200),
    ("ask", "approver", 403),
    ("ask", "reader", 403),
    ("ask", "outsider", 404),
    ("ask", "staff", 403),
    ("ask", "staff_acting", 200),
    ("return", "approver", 200),
    ("return", "editor_approver", 200),
    ("return", "editor", 403),  # asked for it, and not an approver
    ("return", "second_editor", 403),
    ("return", "reader", 403),
    ("return", "outsider", 404),
    ("return", "staff", 403),
    ("return", "staff_acting", 403),
    ("withdraw", "editor", 200),
    ("withdraw", "second_editor", 200),
    ("withdraw", "approver", 403),
    ("withdraw", "reader", 403),
    ("withdraw", "outsider", 404),
    ("withdraw", "staff", 403),
]


def url_of(name, asked):
    return {
        "ask": ask_url(asked.pack),
        "return": return_url(asked),
        "withdraw": withdraw_url(asked),
    }[name]


@pytest.mark.parametrize("name, who, status", MATRIX)
def test_each_approval_page_answers_by_role(request, client, asked, name, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url_of(name, asked)).status_code == status


@pytest.mark.parametrize(
    "name, who", [(name, who) for name, who, status in MATRIX if status != 200]
)
def test_a_refused_post_changes_nothing(request, client, asked, name, who):
    client.force_login(request.getfixturevalue(who))
    data = {"message": "Again", "comments": "Not from you."}
    assert client.post(url_of(name, asked), data).status_code in (403, 404)
    assert list(ApprovalRequest.objects.values_list("status", flat=True)) == ["waiting"]


@pytest.mark.parametrize("name", ["ask", "return", "withdraw"])
def test_anonymous_visitors_are_sent_to_sign_in(client, asked, name):
    url = url_of(name, asked)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_platform_staff_not_acting_are_offered_to_act_as_an_editor(client, asked, staff):
    client.force_login(staff)
    html = text(client.get(ask_url(asked.pack)))
    assert "Act as an editor of" in html


def test_the_submitter_is_told_another_approver_must_answer(
    client, draft, editor_approver, approver
):
    approval = approvals.submit_for_approval(pack=draft, user=editor_approver)
    client.force_login(editor_approver)
    response = client.get(return_url(approval))
    assert response.status_code == 403
    assert "another approver must answer it" in text(response)


def test_another_trust_s_request_is_a_404_under_this_trust(client, asked, foreign_request, editor):
    client.force_login(editor)
    foreign_under_ours = page("approval_withdraw", asked.pack, approval_id=foreign_request.pk)
    assert client.get(foreign_under_ours).status_code == 404
    assert client.post(foreign_under_ours).status_code == 404
    foreign_request.refresh_from_db()
    assert foreign_request.is_waiting


@pytest.mark.parametrize("name", ["ask", "return", "withdraw"])
def test_approval_pages_are_never_stored(client, asked, editor, approver, name):
    client.force_login(approver if name == "return" else editor)
    assert client.get(url_of(name, asked))["Cache-Control"] == "no-store"


# --- asking ------------------------------------------------------------------------------------


def test_asking_for_approval_from_the_page(client, draft, editor, approver):
    client.force_login(editor)
    html = text(client.get(ask_url(draft)))
    assert "These people will be asked:" in html
    assert "approver" in html

    response = client.post(ask_url(draft), {"message": "Please check the new paragraph."})

    assert response.status_code == 302
    assert response["Location"] == page("pack_edit", draft)
    approval = ApprovalRequest.objects.get()
    assert approval.message == "Please check the new paragraph."
    assert approval.submitted_by == editor


def test_an_overlong_message_is_a_form_error(client, draft, editor, approver):
    client.force_login(editor)
    response = client.post(ask_url(draft), {"message": "x" * 1001})
    html = text(response)
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert "Shorten your message to 1,000 characters or fewer" in html
    assert html.count("<title>Error: ") == 1
    assert not ApprovalRequest.objects.exists()


def test_an_unchanged_draft_offers_no_form_and_a_post_is_refused(
    client, pack, published, editor, approver
):
    client.force_login(editor)
    html = text(client.get(ask_url(pack)))
    assert "there is nothing to approve" in html
    assert 'name="message"' not in html
    response = client.post(ask_url(pack), {"message": "Anyway"})
    assert "there is nothing to approve" in text(response)
    assert not ApprovalRequest.objects.exists()


def test_the_ask_page_says_a_new_request_replaces_the_waiting_one(client, asked, second_editor):
    client.force_login(second_editor)
    html = text(client.get(ask_url(asked.pack)))
    assert "Asking again replaces that request" in html


# --- returning ---------------------------------------------------------------------------------


def test_returning_from_the_page(client, asked, approver):
    client.force_login(approver)
    response = client.post(return_url(asked), {"comments": "Please name the new Chair."})
    assert response.status_code == 302
    assert response["Location"] == page("publish", asked.pack)
    asked.refresh_from_db()
    assert asked.status == ApprovalRequest.Status.RETURNED
    assert asked.comments == "Please name the new Chair."


@pytest.mark.parametrize("comments", ["", "   "])
def test_empty_comments_are_a_form_error(client, asked, approver, comments):
    client.force_login(approver)
    response = client.post(return_url(asked), {"comments": comments})
    html = text(response)
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert approvals.COMMENTS_REQUIRED in html
    asked.refresh_from_db()
    assert asked.is_waiting


def test_overlong_comments_are_a_form_error(client, asked, approver):
    client.force_login(approver)
    response = client.post(return_url(asked), {"comments": "x" * 4001})
    assert approvals.COMMENTS_TOO_LONG in text(response)
    asked.refresh_from_db()
    assert asked.is_waiting


def test_returning_a_request_answered_meanwhile_says_who_answered(
    client, asked, approver, editor_approver
):
    approvals.return_with_comments(approval=asked, user=editor_approver, comments="First")
    client.force_login(approver)
    response = client.post(return_url(asked), {"comments": "Second"}, follow=True)
    assert "hr-admin already returned this draft with comments" in text(response)
    asked.refresh_from_db()
    assert asked.comments == "First"


# --- withdrawing -------------------------------------------------------------------------------


def test_withdrawing_from_the_page(client, asked, editor):
    client.force_login(editor)
    assert "Withdraw the request for approval?" in text(client.get(withdraw_url(asked)))
    response = client.post(withdraw_url(asked), follow=True)
    assert "Withdrew the request for approval." in text(response)
    asked.refresh_from_db()
    assert asked.status == ApprovalRequest.Status.WITHDRAWN


def test_withdrawing_an_answered_request_says_so(client, asked, editor, approver):
    approvals.return_with_comments(approval=asked, user=approver, comments="No")
    client.force_login(editor)
    response = client.get(withdraw_url(asked), follow=True)
    assert "approver already returned this draft with comments" in text(response)


# --- the editor's overview ---------------------------------------------------------------------


def test_the_overview_offers_to_ask_for_approval(client, draft, editor):
    client.force_login(editor)
    html = text(client.get(page("pack_edit", draft)))
    assert f'href="{ask_url(draft)}">Ask for approval</a>' in html


def test_the_overview_shows_a_waiting_request_with_its_message(client, asked, editor):
    client.force_login(editor)
    html = text(client.get(page("pack_edit", asked.pack)))
    assert "Waiting for approval" in html
    assert "You asked for approval on" in html
    assert "New paragraph on the board." in html
    assert withdraw_url(asked) in html


def test_the_overview_tells_an_approver_who_can_answer(client, asked, editor_approver):
    client.force_login(editor_approver)
    html = text(client.get(page("pack_edit", asked.pack)))
    assert "editor asked you to approve the draft" in html
    assert "Review the draft, then publish it or return it with comments" in html


def test_the_overview_shows_returned_comments_until_the_next_request(
    client, asked, editor, approver
):
    approvals.return_with_comments(approval=asked, user=approver, comments="Name the Chair.")
    client.force_login(editor)
    html = text(client.get(page("pack_edit", asked.pack)))
    assert "Returned with comments" in html
    assert "Name the Chair." in html
    assert "Ask for approval again" in html

    edit_draft(asked.pack, editor, text="The Chair is Dr Jones.")
    approvals.submit_for_approval(pack=asked.pack, user=editor, message="Chair named.")
    html = text(client.get(page("pack_edit", asked.pack)))
    assert "Name the Chair." not in html
    assert "Chair named." in html


def test_the_overview_says_when_the_draft_changed_after_asking(client, asked, editor):
    edit_draft(asked.pack, editor, text="Changed after asking.")
    client.force_login(editor)
    html = text(client.get(page("pack_edit", asked.pack)))
    assert "The draft changed after you asked for approval." in html


# --- the publish page --------------------------------------------------------------------------


def test_the_publish_page_shows_the_request_and_a_return_form_to_an_approver(
    client, asked, approver
):
    client.force_login(approver)
    html = text(client.get(page("publish", asked.pack)))
    assert "Approval asked for" in html
    assert "New paragraph on the board." in html
    assert "Publish this version" in html
    assert f'action="{return_url(asked)}"' in html
    assert "Return with comments" in html
    assert "The draft changed after" not in html


def test_the_publish_page_offers_no_return_form_to_the_person_who_asked(
    client, draft, editor_approver, approver
):
    approvals.submit_for_approval(pack=draft, user=editor_approver, message="Mine")
    client.force_login(editor_approver)
    html = text(client.get(page("publish", draft)))
    assert "Mine" in html
    assert "Return with comments" not in html


def test_the_approver_sees_clearly_that_the_draft_changed_after_asking(
    client, asked, editor, approver
):
    section = asked.pack.sections.order_by("order").first()
    edit_draft(asked.pack, editor, text="Changed after asking.")
    client.force_login(approver)
    html = text(client.get(page("publish", asked.pack)))
    assert "The draft changed after editor asked for approval" in html
    assert f"Edited “{section.title}”, by editor on" in html


def test_publishing_from_the_page_answers_the_request(client, asked, approver):
    client.force_login(approver)
    client.post(
        page("publish", asked.pack),
        {"revision": asked.pack.draft_revision, "change_summary": "Approved"},
    )
    asked.refresh_from_db()
    assert asked.status == ApprovalRequest.Status.PUBLISHED
    assert asked.responded_by == approver


def test_the_audit_page_shows_the_conversation(client, asked, editor, approver):
    approvals.return_with_comments(approval=asked, user=approver, comments="Name the Chair.")
    edit_draft(asked.pack, editor, text="The Chair is Dr Jones.")
    again = approvals.submit_for_approval(pack=asked.pack, user=editor, message="Chair named.")
    approvals.withdraw(approval=again, user=editor)
    approvals.submit_for_approval(pack=asked.pack, user=editor, message="Once more.")
    asked.pack.publish(user=approver)
    client.force_login(editor)
    html = text(client.get(page("audit", asked.pack)))
    for words in (
        "Asked for approval",
        "New paragraph on the board.",
        "Returned the draft with comments",
        "Name the Chair.",
        "Withdrew the request for approval",
        "Approved and published the draft asked for",
        "Version 2, asked for by editor on",
    ):
        assert words in html


# --- the home page -----------------------------------------------------------------------------


def test_approvers_are_told_on_the_home_page(client, asked, approver):
    client.force_login(approver)
    html = text(client.get(reverse("home")))
    assert "Waiting for your approval" in html
    assert page("publish", asked.pack) in html
    assert "editor asked on" in html


@pytest.mark.parametrize("who", ["editor", "reader", "outsider", "second_editor"])
def test_nobody_else_is_told_on_the_home_page(request, client, asked, who):
    client.force_login(request.getfixturevalue(who))
    assert "Waiting for your approval" not in text(client.get(reverse("home")))


def test_the_submitter_is_not_told_on_the_home_page(client, draft, editor_approver, approver):
    approvals.submit_for_approval(pack=draft, user=editor_approver)
    client.force_login(editor_approver)
    assert "Waiting for your approval" not in text(client.get(reverse("home")))


# --- query budgets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, who, budget",
    [
        ("ask", "editor", 15),
        ("return", "approver", 9),
        ("withdraw", "editor", 9),
    ],
)
def test_approval_pages_keep_to_a_query_budget(
    request, client, asked, name, who, budget, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(who))
    with django_assert_max_num_queries(budget):
        assert client.get(url_of(name, asked)).status_code == 200


def test_the_overview_with_a_request_keeps_its_budget(
    client, asked, editor_approver, django_assert_max_num_queries
):
    # The editor pages' budget (test_views_editing.py), plus the newest version of a pack that
    # has one: the panel itself costs the one query it has there.
    client.force_login(editor_approver)
    with django_assert_max_num_queries(19):
        assert client.get(page("pack_edit", asked.pack)).status_code == 200


def test_the_publish_page_with_a_changed_request_keeps_a_budget(
    client, asked, editor, approver, django_assert_max_num_queries
):
    edit_draft(asked.pack, editor, text="Changed after asking.")
    client.force_login(approver)
    with django_assert_max_num_queries(25):
        assert client.get(page("publish", asked.pack)).status_code == 200


def test_the_home_page_costs_one_query_more_for_approvals(
    client, asked, approver, django_assert_max_num_queries
):
    client.force_login(approver)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("home")).status_code == 200
