"""What each e-mail says: its subject, plain text and HTML alternative, rendered from
templates/notifications/email/. Every e-mail names the trust and the pack, says why it was
sent and links to the page where the reader can turn that kind off. None carries anything
about another member."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateformat import format as format_date


@dataclass(frozen=True)
class Email:
    subject: str
    body: str
    html_body: str


def absolute_url(path: str) -> str:
    """The portal's public address for a site path. DJANGO_SITE_URL (read into PDF_SITE_URL)
    is the one setting that knows it, for PDFs and e-mail alike."""
    return urljoin(settings.PDF_SITE_URL, path)


def pack_url(trust) -> str:
    return absolute_url(reverse("induction:pack_read", kwargs={"slug": trust.slug}))


def compare_url(trust, old_number: int, new_number: int) -> str:
    path = reverse("induction:compare", kwargs={"slug": trust.slug})
    return absolute_url(f"{path}?{urlencode({'from': old_number, 'to': new_number})}")


def _render(template: str, subject: str, context: dict) -> Email:
    context = {
        **context,
        "subject": subject,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "site_url": absolute_url("/"),
    }
    return Email(
        subject=subject,
        body=render_to_string(f"notifications/email/{template}.txt", context),
        html_body=render_to_string(f"notifications/email/{template}.html", context),
    )


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def version_published(*, version, recipient, last_acknowledged) -> Email:
    """A new version is out: its change summary, and a link to compare it with the version
    the reader last acknowledged (the pack itself if they acknowledged none)."""
    pack, trust = version.pack, version.pack.trust
    compare_from = (
        last_acknowledged.number
        if last_acknowledged is not None and last_acknowledged.number < version.number
        else None
    )
    return _render(
        "version_published",
        f"Version {version.number} published: {pack.title}, {trust.name}",
        {
            "name": _name(recipient),
            "trust": trust,
            "pack": pack,
            "version": version,
            "compare_from": compare_from,
            "link": (
                compare_url(trust, compare_from, version.number)
                if compare_from is not None
                else pack_url(trust)
            ),
        },
    )


def welcome(*, recipient, trust, pack, start_date: datetime.date) -> Email:
    """A new member with a start date: where their induction pack is."""
    return _render(
        "welcome",
        f"Welcome to your board induction at {trust.name}",
        {
            "name": _name(recipient),
            "trust": trust,
            "pack": pack,
            "published": pack is not None and pack.latest_version is not None,
            "start_date": start_date,
            "link": pack_url(trust) if pack is not None else absolute_url("/"),
        },
    )


def review_reminder(*, version, recipient, today: datetime.date) -> Email:
    """The pack's review date is within 30 days, or has passed."""
    pack, trust = version.pack, version.pack.trust
    overdue = version.next_review_date < today
    due = format_date(version.next_review_date, "j F Y")
    subject = (
        f"Review overdue since {due}: {pack.title}, {trust.name}"
        if overdue
        else f"Review due by {due}: {pack.title}, {trust.name}"
    )
    return _render(
        "review_reminder",
        subject,
        {
            "name": _name(recipient),
            "trust": trust,
            "pack": pack,
            "version": version,
            "overdue": overdue,
            "days_left": (version.next_review_date - today).days,
            "link": absolute_url(reverse("induction:pack_edit", kwargs={"slug": trust.slug})),
        },
    )


def checklist_digest(
    *, recipient, pack, overdue_steps, due_steps, progress, today: datetime.date
) -> Email:
    """The inductee's own checklist steps: overdue, and due in the coming week."""
    count = len(overdue_steps) + len(due_steps)
    return _render(
        "checklist_digest",
        f"Your induction checklist this week: {count} step{'s' if count != 1 else ''} to do",
        {
            "name": _name(recipient),
            "trust": pack.trust,
            "pack": pack,
            "overdue_steps": overdue_steps,
            "due_steps": due_steps,
            "progress": progress,
            "today": today,
            "link": pack_url(pack.trust),
        },
    )


def _approval_context(approval, recipient) -> dict:
    pack = approval.pack
    return {
        "name": _name(recipient),
        "trust": pack.trust,
        "pack": pack,
        "approval": approval,
        "submitter": _name(approval.submitted_by) if approval.submitted_by else "An editor",
        "responder": _name(approval.responded_by) if approval.responded_by else "An approver",
    }


def approval_requested(*, approval, recipient) -> Email:
    """An editor asks the trust's approvers to publish the draft: their message, and the link
    to the publish page where the approver publishes it or returns it with comments."""
    pack, trust = approval.pack, approval.pack.trust
    context = _approval_context(approval, recipient)
    return _render(
        "approval_requested",
        f"Approval asked for: {pack.title}, {trust.name}",
        {
            **context,
            "link": absolute_url(reverse("induction:publish", kwargs={"slug": trust.slug})),
        },
    )


def approval_answered(*, approval, recipient) -> Email:
    """The person who asked for approval hears the answer: the approver's comments, or the
    version their draft was published as."""
    pack, trust = approval.pack, approval.pack.trust
    context = _approval_context(approval, recipient)
    if approval.version is not None:
        subject = f"Published as version {approval.version.number}: {pack.title}, {trust.name}"
        link = absolute_url(approval.version.get_absolute_url())
    else:
        subject = f"Returned with comments: {pack.title}, {trust.name}"
        link = absolute_url(reverse("induction:pack_edit", kwargs={"slug": trust.slug}))
    return _render("approval_answered", subject, {**context, "link": link})


def invitation(*, invitation, link: str) -> Email:
    """An editor invites someone, by e-mail address, to join their trust: who invited them,
    as what, and the link, which works once until it expires. Sent to an address rather than to
    an account, so it carries no link to e-mail preferences."""
    trust = invitation.trust
    inviter = invitation.invited_by
    return _render(
        "invitation",
        f"Invitation to the board induction portal of {trust.name}",
        {
            "invitation": invitation,
            "trust": trust,
            "inviter": _name(inviter) if inviter is not None else "An editor",
            "expires_at": invitation.expires_at,
            "link": link,
        },
    )
