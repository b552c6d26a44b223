"""`{% pack_status pack version newest %}`: the reader's panel on a pack's reading page.

It says whether they have said they read this version (and asks, with a button, if not); when
a newer version came out since the one they acknowledged, it links to what changed between the
two and asks again; for the inductee it shows their checklist progress. The reading view only
places the tag: everything it shows is worked out here, in at most four queries (two for a
member who is not being inducted, none for anyone else).

The panel a member was last shown is kept in the cache for the same page on the same day, until
anyone's acknowledgements, ticks or memberships change or anything is published
(`READING_PANELS`, advanced by journey/receivers.py): a member reading the pack again costs no
query here. What is kept holds a stand-in for the form's secret, put in for each request.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from induction.models import MEMBER_ROLES
from page_cache import generation

from ..progress import READING_PANELS, acknowledgement_of, record_for

register = template.Library()

PANEL_TEMPLATE = "journey/_pack_status.html"
PANEL_SECONDS = 24 * 60 * 60
SECRET_STAND_IN = "mdportal-form-secret-stand-in"


@register.simple_tag(takes_context=True)
def pack_status(context, pack, version, newest=None):
    """`version` is the one on the page; `newest` the pack's newest (defaults to `version`)."""
    user = context["request"].user
    newest = newest or version
    if not (getattr(user, "is_authenticated", False) and pack.is_member(user)):
        return ""
    key = f"reading-panel:{user.pk}:{pack.pk}:{version.pk}:{newest.pk}:{timezone.localdate()}"
    panel = READING_PANELS.kept(
        key,
        lambda: render_to_string(PANEL_TEMPLATE, _panel(user, pack, version, newest)),
        PANEL_SECONDS,
        also=(MEMBER_ROLES, generation.CONTENT),
    )
    return mark_safe(panel.replace(SECRET_STAND_IN, str(context.get("csrf_token", ""))))


def _panel(user, pack, version, newest) -> dict:
    """What the panel shows a member of the pack's trust."""
    acknowledgement = acknowledgement_of(user, pack)
    read = acknowledgement.version if acknowledgement else None
    # The newest version with its checklist: the page's own version when that is the newest.
    newest_with_content = version if version.number == newest.number else None
    record = record_for(user, pack, newest=newest_with_content)
    slug = pack.trust.slug
    compare_url = None
    if read is not None and read.number < newest.number:
        compare_url = (
            f"{reverse('induction:compare', kwargs={'slug': slug})}"
            f"?from={read.number}&to={newest.number}"
        )
    return {
        "show": True,
        "pack": pack,
        "version": version,
        "newest": newest,
        "is_newest": version.number == newest.number,
        "acknowledgement": acknowledgement,
        "read": read,
        "read_this": read is not None and read.number >= version.number,
        "read_newest": read is not None and read.number >= newest.number,
        "compare_url": compare_url,
        "record": record,
        "acknowledge_url": reverse("journey:acknowledge", kwargs={"slug": slug}),
        "my_induction_url": reverse("journey:my_induction", kwargs={"slug": slug}),
        "dashboard_url": (
            reverse("journey:dashboard", kwargs={"slug": slug})
            if pack.can_view_draft(user)
            else None
        ),
        "csrf_token": SECRET_STAND_IN,
    }
