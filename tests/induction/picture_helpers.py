"""Pictures for tests: small PNGs, a picture added to a trust's library through the service
the library page uses, and the draft edited to show it."""

import io

from PIL import Image

from induction import services
from induction.models import Section
from induction.pictures import add_picture, markdown_for


def png_bytes(size=(40, 20), colour=(0, 94, 184)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format="PNG")
    return output.getvalue()


def add_test_picture(pack, user, *, alt_text="Map of the hospital site", data=None):
    """A picture in `pack`'s trust's library, added by `user` (an editor of it)."""
    return add_picture(pack=pack, user=user, data=data or png_bytes(), alt_text=alt_text)


def show_in_draft(pack, user, picture):
    """Put the picture's Markdown at the end of the draft's first free-text section."""
    section = pack.sections.filter(kind=Section.Kind.MARKDOWN).order_by("order").first()
    services.save_section(
        section=section,
        user=user,
        expected_revision=section.revision,
        body=f"{section.body}\n\n{markdown_for(picture)}\n",
    )
    return section
