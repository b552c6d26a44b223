"""`{% pack_status pack version newest %}`: the reader's panel on a pack's reading page.

It says whether they have said they read this version (and asks, with a button, if not); when
a newer version came out since the one they acknowledged, it links to what changed between the
two and asks again; for the inductee it shows their checklist progress. The reading view only
places the tag: everything it shows is worked out here, in at most four queries (two for a
member who is not being inducted, none for anyone else).
"""

from django import template
from django.urls import reverse

from ..progress import acknowledgement_of, record_for

register = template.Library()


@register.inclusion_tag("journey/_pack_status.html", takes_context=True)
def pack_status(context, pack, version, newest=None):
    """`version` is the one on the page; `newest` the pack's newest (defaults to `version`)."""
    user = context["request"].user
    newest = newest or version
    if not (getattr(user, "is_authenticated", False) and pack.is_member(user)):
        return {"show": False}
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
        "csrf_token": context.get("csrf_token"),
    }
