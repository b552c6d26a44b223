"""Trust-written Markdown to safe HTML, and the checks every Markdown input must pass.

Two layers, so that a mistake in one is caught by the other:

1. Python-Markdown with tables, footnotes and toc only, and its raw-HTML handling removed, so
   any HTML typed by an author comes out as visible, escaped text.
2. nh3 with an explicit allow-list of tags, attributes and classes. URLs are then checked by
   `_allow_attribute`: links may only be https, mailto, site paths (`/…`, never `//host`) or
   in-page fragments; images only from MEDIA_URL.

`render_markdown` never raises: input it cannot render (for example nesting too deep for the
parser) is shown as escaped plain text. `validate_markdown` is what forms, the import and the
services call before storing anything, so bad input gets a clear message and changes nothing.
"""

import re
import unicodedata
from html import escape

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from markdown.extensions import Extension

MAX_MARKDOWN_LENGTH = 50_000
# Python-Markdown's link and footnote patterns take time that grows with the square of the
# number of "[" in a paragraph; real prose has a few dozen (each link or footnote uses one).
MAX_SQUARE_BRACKETS = 1_000

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
    "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "sup", "div",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}  # fmt: skip
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
}
ALIGNMENTS = {"left", "right", "center"}
# Python-Markdown's footnote back-link is a "↩" symbol, which screen readers read out oddly or
# not at all; plain words say where the link goes.
FOOTNOTE_BACKLINK_TEXT = "Back to text"

# Characters that have no business in prose and that browsers or parsers treat specially.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _NoRawHtml(Extension):
    """Remove Python-Markdown's raw-HTML support: HTML in the input stays literal text."""

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def _is_allowed_link(url: str) -> bool:
    url = url.strip()
    if "\\" in url or any(character.isspace() for character in url):
        return False
    lowered = url.lower()
    if lowered.startswith("https://"):
        return len(url) > len("https://")
    if lowered.startswith("mailto:"):
        return True
    if url.startswith("#"):
        return True
    return url.startswith("/") and not url.startswith("//")


def _is_clean_path(url: str) -> bool:
    return (
        "\\" not in url
        and ".." not in url
        and "//" not in url
        and not any(character.isspace() for character in url)
    )


def _allow_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: keep a value, or drop the attribute by returning None."""
    if tag == "a" and attribute == "href":
        return value if _is_allowed_link(value) else None
    if tag == "img" and attribute == "src":
        media_url = settings.MEDIA_URL
        ok = media_url.startswith("/") and value.startswith(media_url) and _is_clean_path(value)
        return value if ok else None
    if attribute == "align":
        return value if value in ALIGNMENTS else None
    if attribute == "start":
        return value if value.isdigit() and len(value) < 6 else None
    return value


def _markdown_to_html(text: str, *, base_level: int) -> str:
    converter = markdown.Markdown(
        extensions=[
            _NoRawHtml(),
            "markdown.extensions.tables",
            "markdown.extensions.footnotes",
            "markdown.extensions.toc",
            "markdown.extensions.sane_lists",
        ],
        extension_configs={
            "markdown.extensions.tables": {"use_align_attribute": True},
            "markdown.extensions.footnotes": {"BACKLINK_TEXT": FOOTNOTE_BACKLINK_TEXT},
            "markdown.extensions.toc": {"baselevel": base_level, "permalink": False},
        },
        output_format="html",
    )
    return converter.convert(text)


def _sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_allow_attribute,
        strip_comments=True,
        link_rel=None,
        url_schemes={"https", "mailto"},
        allowed_classes=ALLOWED_CLASSES,
    )


_EXTERNAL_LINK = re.compile(r'<a href="(https://[^"]*)"')
_ID = re.compile(r' id="([^"]+)"')
_FRAGMENT_HREF = re.compile(r' href="#([^"]+)"')


def _mark_external_links(html: str) -> str:
    return _EXTERNAL_LINK.sub(r'<a href="\1" rel="noopener noreferrer"', html)


def _prefix_ids(html: str, prefix: str) -> str:
    """Give the fragment's ids a prefix, and the in-page links to them, so that two sections
    of one page each with a footnote 1 or a heading "Overview" do not collide."""
    own_ids = set(_ID.findall(html))
    html = _ID.sub(lambda match: f' id="{prefix}{match.group(1)}"', html)

    def relink(match):
        target = match.group(1)
        return f' href="#{prefix}{target}"' if target in own_ids else match.group(0)

    return _FRAGMENT_HREF.sub(relink, html)


_TABLE_START = re.compile(r"<table>")
_TABLE_END = re.compile(r"</table>")
TABLE_CONTAINER = (
    '<div class="nhsuk-table-container" role="region" tabindex="0" '
    'aria-label="Table (scrolls sideways on small screens)">'
)


def _contain_tables(html: str) -> str:
    """Put each table in NHS.UK's scrolling container, so a wide one scrolls on its own on a
    small screen rather than making the whole page scroll sideways (WCAG 1.4.10). Done after
    sanitising: the wrapper is ours, and the allow-list keeps refusing `div` from authors."""
    return _TABLE_END.sub("</table></div>", _TABLE_START.sub(TABLE_CONTAINER + "<table>", html))


def _plain_text_html(text: str) -> str:
    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "".join(
        "<p>" + escape(part.strip()).replace("\n", "<br>") + "</p>" for part in paragraphs
    )


def render_markdown(text: str, *, base_level: int = 3, id_prefix: str = "") -> str:
    """Sanitised HTML for trust-written Markdown. Never raises.

    `base_level` is the HTML level of a Markdown `#` heading: 3 by default, because a pack
    section's own title is the `<h2>`. `id_prefix` namespaces the ids the Markdown makes
    (headings, footnotes) and the fragment links to them.
    """
    text = _CONTROL_CHARACTERS.sub("", text or "")
    try:
        if len(text) > MAX_MARKDOWN_LENGTH or text.count("[") > MAX_SQUARE_BRACKETS:
            raise ValueError("too large to render as Markdown in reasonable time")
        html = _markdown_to_html(text, base_level=base_level)
    except (RecursionError, ValueError, IndexError, KeyError):
        # Pathological input (such as thousands of nested quotes) beats the parser; show it
        # as text rather than breaking the page. validate_markdown refuses it on the way in.
        html = _plain_text_html(text)
    html = _contain_tables(_mark_external_links(_sanitise(html)))
    if id_prefix:
        html = _prefix_ids(html, id_prefix)
    return html


def validate_markdown(text: str, *, max_length: int = MAX_MARKDOWN_LENGTH) -> None:
    """Raise ValidationError, with a message saying what to fix, for input we will not store:
    too long, containing control characters or invalid Unicode, or too deeply nested to
    render."""
    if not isinstance(text, str):
        raise ValidationError("Enter the text as plain text.", code="invalid")
    if len(text) > max_length:
        raise ValidationError(
            f"The text is {len(text):,} characters long. Shorten it to {max_length:,} "
            "characters or fewer, or split it into more than one section.",
            code="too_long",
        )
    if text.count("[") > MAX_SQUARE_BRACKETS:
        raise ValidationError(
            f"The text has {text.count('['):,} square brackets ([). Links and footnotes use one "
            f"each, and a section may have up to {MAX_SQUARE_BRACKETS:,}: split it into more "
            "than one section.",
            code="too_complex",
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            "The text contains characters that are not valid Unicode. Retype or paste it "
            "again as plain text.",
            code="invalid_unicode",
        ) from None
    found = _CONTROL_CHARACTERS.search(text)
    if found:
        name = unicodedata.name(found.group(0), f"U+{ord(found.group(0)):04X}")
        raise ValidationError(
            f"The text contains an invisible control character ({name}) at position "
            f"{found.start() + 1:,}. Remove it, or paste the text again as plain text.",
            code="control_character",
        )
    try:
        _markdown_to_html(text, base_level=3)
    except (RecursionError, ValueError, IndexError, KeyError):
        raise ValidationError(
            "The text is nested too deeply (for example quotes or lists inside each other "
            "many times over). Simplify its structure.",
            code="too_nested",
        ) from None
