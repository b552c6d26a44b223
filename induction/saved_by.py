"""Who saved something and when, in words for an editor whose own change was refused because
of it (the conflict pages and the section-removal refusal).

When the other save was the editor's own, from another tab or window, the words say so:
naming them as "the other editor" would send them looking for a colleague who does not exist.
"""

from django.utils import timezone
from django.utils.dateformat import format as format_date


def local_time_words(moment) -> str:
    """A moment in the portal's time zone: "14:02", with the date when that is not today
    ("14:02 on 4 March 2026")."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return format_date(local, "H:i")
    return format_date(local, "H:i \\o\\n j F Y")


def person_words(person) -> str:
    """A person's name as the pages show it (see templates/induction/_user.html)."""
    if person is None:
        return "Someone whose account was removed"
    return person.get_full_name() or person.get_username()


def saved_by_words(*, viewer, saved_by, saved_at, what: str, pronoun: str = "it") -> str:
    """ "You saved `what` in another tab or window at 14:02" when `saved_by` is the `viewer`,
    else "Alex Smith saved `pronoun` at 14:02". Without a time (nothing recorded who
    changed it), "Someone else saved `pronoun`"."""
    if saved_at is None:
        return f"Someone else saved {pronoun}"
    time = local_time_words(saved_at)
    if saved_by is not None and viewer is not None and saved_by.pk == viewer.pk:
        return f"You saved {what} in another tab or window at {time}"
    return f"{person_words(saved_by)} saved {pronoun} at {time}"


def section_saved_by_words(*, viewer, section) -> str:
    """Who saved `section` last and when, in words for the `viewer` whose change to it was
    refused (the section editor's conflict, a refused removal)."""
    return saved_by_words(
        viewer=viewer,
        saved_by=section.updated_by,
        saved_at=section.updated_at,
        what="this section",
    )
