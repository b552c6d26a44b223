"""Invitations in a real browser: an editor invites someone from the dashboard, the invited
person opens the e-mailed link, makes an account and lands as a member; the same with
JavaScript off; revoking; and the link's other states and the member pages. Every new page
passes axe-core.

The e-mail is read from the `send_email` task as it is queued (the browser tests' task backend
queues without running): the live server queues it in its own thread, and the signal reaches
the test's receiver there.
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks.signals import task_enqueued
from playwright.sync_api import expect

from induction.baseline import create_pack_from_baseline
from induction.models import AuditEvent, Membership, Trust
from journey.models import Invitation
from tests.browser.axe import assert_accessible

TRUST_NAME = "Inviteshire Hospitals NHS Trust"
DASHBOARD = "/trusts/inviteshire/induction/dashboard/"
INVITATIONS = "/trusts/inviteshire/induction/dashboard/invitations/"
PASSWORD = "Board-induction-2027!"
LINK = re.compile(r"https?://[^/\s]+(/invitations/[\w-]+/)")


@pytest.fixture(scope="module")
def trust(roles_site):
    trust = Trust.objects.create(name=TRUST_NAME, slug="inviteshire", ods_code="RI1", kind="acute")
    create_pack_from_baseline(trust=trust)
    editor = get_user_model().objects.create_user(
        "invite-hr", email="hr@inviteshire.example", first_name="Priya", last_name="Shah"
    )
    Membership.objects.create(user=editor, trust=trust, role=Membership.Role.EDITOR)
    return trust


@pytest.fixture
def emails():
    """The e-mails queued while the test runs, as the `send_email` task's arguments."""
    queued = []

    def receive(sender, task_result, **kwargs):
        if task_result.task.name == "send_email":
            queued.append(task_result.kwargs)

    task_enqueued.connect(receive, weak=False, dispatch_uid="test-invitation-emails")
    yield queued
    task_enqueued.disconnect(dispatch_uid="test-invitation-emails")


def link_sent_to(emails, address) -> str:
    [message] = [message for message in emails if message["to"] == [address]]
    return LINK.search(message["body"]).group(1)


def invite(page, email, *, board_role=True):
    """Fill in and send the invite form, from the dashboard."""
    page.goto(DASHBOARD)
    page.get_by_role("link", name="Invite someone").click()
    main = page.locator("#maincontent")
    main.get_by_label("What is their e-mail address?").fill(email)
    main.get_by_label(re.compile("^Reader: can read")).check()
    if board_role:
        start = timezone.localdate() + datetime.timedelta(days=21)
        main.get_by_label("Medical Director").check()
        main.get_by_label("Day").fill(str(start.day))
        main.get_by_label("Month").fill(str(start.month))
        main.get_by_label("Year").fill(str(start.year))
    else:
        main.get_by_label("None: they are not being inducted").check()
    main.get_by_role("button", name="Send the invitation").click()


def test_an_editor_invites_and_the_invited_person_makes_an_account_and_joins(
    trust, page, new_context, sign_in, emails
):
    editor = new_context(bypass_csp=True).new_page()
    sign_in(editor, "invite-hr")
    editor.goto(DASHBOARD)
    editor.get_by_role("link", name="Invite someone").click()
    heading = editor.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"Invite someone to join {TRUST_NAME}")
    assert_accessible(editor)

    # A mistake first: the error summary says what to do.
    editor.locator("#maincontent").get_by_label("What is their e-mail address?").fill("robin")
    editor.get_by_role("button", name="Send the invitation").click()
    summary = editor.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter an e-mail address in the correct format")
    expect(summary).to_contain_text("Choose what they will be able to do")
    assert_accessible(editor)

    invite(editor, "Robin.Ng@example.nhs.uk")
    expect(editor).to_have_url(re.compile(f"{INVITATIONS}$"))
    expect(editor.locator("#maincontent")).to_contain_text(
        "Sent an invitation to robin.ng@example.nhs.uk"
    )
    row = editor.locator("tr", has_text="robin.ng@example.nhs.uk")
    expect(row).to_contain_text("Waiting")
    expect(row.get_by_role("button", name=re.compile("^Revoke"))).to_be_visible()
    assert_accessible(editor)

    # The invited person opens the e-mail's link, signed out.
    path = link_sent_to(emails, "robin.ng@example.nhs.uk")
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join {TRUST_NAME}")
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Medical Director, starting on")
    assert_accessible(page)

    form = page.locator("#maincontent form")
    form.get_by_label("First name").fill("Robin")
    form.get_by_label("Last name").fill("Ng")
    form.get_by_label("Create a password").fill(PASSWORD)
    form.get_by_label("Type the password again").fill("Something else")
    form.get_by_role("button", name="Create your account and accept").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The passwords do not match")
    assert_accessible(page)

    form = page.locator("#maincontent form")
    form.get_by_label("Create a password").fill(PASSWORD)
    form.get_by_label("Type the password again").fill(PASSWORD)
    form.get_by_role("button", name="Create your account and accept").click()
    expect(page).to_have_url(re.compile(r"/trusts/inviteshire/induction/$"))
    expect(page.locator("#maincontent")).to_contain_text(
        f"You have joined {TRUST_NAME} as a reader."
    )
    robin = get_user_model().objects.get(username="robin.ng@example.nhs.uk")
    membership = Membership.objects.get(user=robin, trust=trust)
    assert membership.role == Membership.Role.READER
    assert membership.board_role.name == "Medical Director" and membership.start_date is not None

    # The link works once.
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation has been used")
    assert_accessible(page)

    # The editor sees it accepted, and the audit trail has both steps.
    editor.goto(INVITATIONS)
    expect(editor.locator("tr", has_text="robin.ng@example.nhs.uk")).to_contain_text("Accepted")
    actions = set(AuditEvent.objects.filter(trust=trust).values_list("action", flat=True))
    assert {AuditEvent.Action.INVITATION_SENT, AuditEvent.Action.INVITATION_ACCEPTED} <= actions


def test_inviting_and_joining_work_without_javascript(trust, new_context, sign_in, emails):
    editor = new_context(java_script_enabled=False).new_page()
    sign_in(editor, "invite-hr")
    invite(editor, "nojs@example.nhs.uk", board_role=False)
    expect(editor.locator("tr", has_text="nojs@example.nhs.uk")).to_contain_text("Waiting")

    invited = new_context(java_script_enabled=False).new_page()
    invited.goto(link_sent_to(emails, "nojs@example.nhs.uk"))
    form = invited.locator("#maincontent form")
    form.get_by_label("First name").fill("Nia")
    form.get_by_label("Last name").fill("Edwards")
    form.get_by_label("Create a password").fill(PASSWORD)
    form.get_by_label("Type the password again").fill(PASSWORD)
    form.get_by_role("button", name="Create your account and accept").click()
    expect(invited.locator("#maincontent")).to_contain_text(f"You have joined {TRUST_NAME}")
    assert Membership.objects.filter(
        user__username="nojs@example.nhs.uk", trust=trust, role="reader"
    ).exists()


def test_revoking_without_javascript_and_the_link_then_reads_as_unknown(
    trust, page, new_context, sign_in, emails
):
    editor = new_context(java_script_enabled=False).new_page()
    sign_in(editor, "invite-hr")
    invite(editor, "revoke-me@example.nhs.uk", board_role=False)
    row = editor.locator("tr", has_text="revoke-me@example.nhs.uk")
    row.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(editor.locator("#maincontent")).to_contain_text(
        "Revoked the invitation of revoke-me@example.nhs.uk"
    )
    expect(editor.locator("tr", has_text="revoke-me@example.nhs.uk")).to_contain_text("Revoked")

    response = page.goto(link_sent_to(emails, "revoke-me@example.nhs.uk"))
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation link does not work")
    assert_accessible(page)


def test_an_expired_link_says_whom_to_ask(trust, page, new_context, sign_in, emails):
    editor = new_context().new_page()
    sign_in(editor, "invite-hr")
    invite(editor, "late@example.nhs.uk", board_role=False)
    Invitation.objects.filter(email="late@example.nhs.uk").update(expires_at=timezone.now())
    response = page.goto(link_sent_to(emails, "late@example.nhs.uk"))
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation has expired")
    expect(page.locator("#maincontent")).to_contain_text("Ask Priya Shah, who invited you")
    assert_accessible(page)


def test_the_member_pages_are_accessible(trust, page, sign_in):
    member = get_user_model().objects.create_user("member-to-manage", first_name="Tom",
                                                  last_name="Reid")  # fmt: skip
    Membership.objects.create(user=member, trust=trust, role=Membership.Role.READER)
    sign_in(page, "invite-hr")
    page.goto(DASHBOARD)
    page.get_by_role("link", name="Change the induction or roles of Tom Reid").click()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Reader")
    assert_accessible(page)

    page.get_by_role("link", name="Change the roles of Tom Reid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roles of Tom Reid")
    assert_accessible(page)
    page.get_by_label(re.compile("^Approver: can")).check()
    page.get_by_role("button", name="Save their roles").click()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Reader and approver")

    page.get_by_role("link", name=f"Remove Tom Reid from {TRUST_NAME}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Remove Tom Reid from {TRUST_NAME}?")
    assert_accessible(page)
    page.get_by_role("button", name="Remove Tom Reid").click()
    expect(page.locator("#maincontent")).to_contain_text(f"Removed Tom Reid from {TRUST_NAME}.")
    assert not Membership.objects.filter(user=member).exists()
