"""Trust-written Markdown to safe HTML, and the checks every Markdown input must pass.

Two layers, so that a mistake in one is caught by the other:

1. Python-Markdown with tables, footnotes and toc only, and its raw-HTML handling removed, so
   any HTML typed by an author comes out as visible, escaped text.
2. nh3 with an explicit allow-list of tags, attributes and classes. URLs are then checked by
   `_allow_attribute`: links may only be https, mailto, site paths (`/…`, never `//host`) or
   in-page fragments; images only from a trust's picture library (`PICTURE_URL`: the
   address of induction.views.pictures, which checks who may see each picture). Site paths are
   checked once percent-decoding is undone, so `%2e%2e` and `%5C` cannot smuggle in `..` or a
   backslash; a picture address allows no `%` at all.

`render_markdown` never raises: input it cannot render (for example nesting too deep for the
parser) is shown as escaped plain text. `validate_markdown` is what forms, the import and the
services call before storing anything, so bad input gets a clear message and changes nothing:
it also refuses a picture from anywhere but the library, a picture without a description,
and a link whose address hides an invisible character. Footnote ids and back-links come from
induction/markdown_footnotes.py.
"""

import re
import unicodedata
from html import escape
from html.parser import HTMLParser
from urllib.parse import unquote

import markdown
import nh3
from django.core.exceptions import ValidationError
from markdown.extensions import Extension
from markdown.inlinepatterns import LinkInlineProcessor

from .markdown_footnotes import FootnoteIdsExtension

MAX_MARKDOWN_LENGTH = 50_000
# Python-Markdown's link and footnote patterns take time that grows with the square of the
# number of "[" in a paragraph; real prose has a few dozen (each link or footnote uses one).
MAX_SQUARE_BRACKETS = 1_000
# Python-Markdown re-reads a whole block (lines with no blank line between them) for each
# construct it finds in it, so a block of many short headings, list items or rows costs the
# square of its length: 50,000 characters of "a\n-\n" took 7.5 s. Real paragraphs, lists and
# tables fit in far fewer lines; past this a blank line must split the block.
MAX_BLOCK_LINES = 100
# Python-Markdown places each emphasis among its siblings by searching them, so a block of
# thousands of "*b*" costs the square of their number: 16,666 of them took over a second.
# A hundred-row table with bold in every cell uses under 2,000.
MAX_ASTERISKS_IN_A_BLOCK = 5_000
# Each heading gets an id, and Python-Markdown makes ids unique by trying "a", "a_1", "a_2"…
# until one is free, so many headings of one text cost the square of their number: 12,500
# setext headings took 0.6 s a section, and forty such sections 33 s to publish. A long real
# section has a few dozen.
MAX_HEADINGS = 200
# Python-Markdown reads a link's text from its "[" to the matching "]", and its address from
# "(" to the matching ")", to the end of the paragraph if there is none: 1,000 unclosed "["
# before 49,000 letters took 14 s to render. Its link, image and reference patterns read at
# most this far (a longer text or address is left as it was typed), so each "[" costs a
# bounded amount whatever follows it.
MAX_LINK_TEXT = 1_000
MAX_LINK_ADDRESS = 2_048

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

# Characters that have no business in prose and that browsers or parsers treat specially.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Invisible characters that change how text reads without showing themselves: the bidi
# controls (text can display reversed, "Trojan Source" style) and zero-width characters (two
# names or addresses that look alike but differ). Titles refuse them (induction/models.py).
INVISIBLE_CHARACTERS = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# In a URL even tabs and line breaks are suspect (browsers silently drop them), and invisible
# characters can make an address display as another.
_URL_CONTROL_CHARACTERS = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{INVISIBLE_CHARACTERS}]")


class _NoRawHtml(Extension):
    """Remove Python-Markdown's raw-HTML support: HTML in the input stays literal text."""

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def _within(scan, limit: int):
    """`scan(data, index)` (a link pattern's getText or getLink) reading at most `limit`
    characters from `index`: it is given only that window, and its end index is moved back
    into `data`."""

    def bounded(data: str, index: int):
        *found, end, handled = scan(data[index : index + limit], 0)
        return (*found, end + index, handled)

    return bounded


class _BoundedLinks(Extension):
    """Link, image and reference patterns that read at most MAX_LINK_TEXT characters of a
    link's text and MAX_LINK_ADDRESS of its address (see MAX_LINK_TEXT)."""

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API name
        for pattern in md.inlinePatterns:
            if isinstance(pattern, LinkInlineProcessor):
                pattern.getText = _within(pattern.getText, MAX_LINK_TEXT)
                pattern.getLink = _within(pattern.getLink, MAX_LINK_ADDRESS)


# Percent-encoding is undone this many times at most; anything still changing after that is
# encoded over and over only to hide something, so it is refused.
_MAX_DECODE_ROUNDS = 5


def _fully_decoded(url: str) -> str | None:
    """The URL with percent-encoding undone until it stops changing, or None if it never does.

    Checks run on this form because browsers and servers decode too: `%2e%2e` is resolved as
    `..`, and `%5C` may reach a server as a backslash."""
    for _ in range(_MAX_DECODE_ROUNDS):
        decoded = unquote(url, errors="replace")
        if decoded == url:
            return url
        url = decoded
    return None


def _is_clean_site_path(url: str) -> bool:
    """True for a path on this site (`/…`) that cannot be turned into another host or climb out
    of its directory: after decoding, no leading `//`, no backslash (some browsers read `/\\host`
    as `//host`) and no `.` or `..` segment. (`is_allowed_link` has refused control characters,
    encoded or not, before it asks.)"""
    decoded = _fully_decoded(url)
    if decoded is None or not decoded.startswith("/") or decoded.startswith("//"):
        return False
    if "\\" in decoded:
        return False
    return not any(segment in {".", ".."} for segment in decoded.split("/"))


def is_allowed_link(url: str) -> bool:
    """True for https and mailto links, in-page fragments and clean site paths."""
    url = url.strip()
    if "\\" in url or _URL_CONTROL_CHARACTERS.search(url):
        return False
    decoded = _fully_decoded(url)
    if decoded is None or _URL_CONTROL_CHARACTERS.search(decoded):
        return False
    if any(character.isspace() for character in url):
        return False
    lowered = url.lower()
    if lowered.startswith("https://"):
        return len(url) > len("https://")
    if lowered.startswith("mailto:"):
        return True
    if url.startswith("#"):
        return True
    return url.startswith("/") and _is_clean_site_path(url)


# The address of a picture in a trust's library, exactly as induction/urls.py makes it: a
# trust slug, a 32-hex-digit key and the picture's type. Nothing else may be an image: no
# percent-encoding, no dots but the one before the extension, no other host or path.
PICTURE_URL = re.compile(r"/trusts/[A-Za-z0-9_-]+/induction/pictures/[0-9a-f]{32}\.(?:png|jpg|svg)")


def is_picture_url(url: str) -> bool:
    """True only for the address of a picture in a trust's picture library."""
    return PICTURE_URL.fullmatch(url) is not None


def _allow_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: keep a value, or drop the attribute by returning None."""
    if tag == "a" and attribute == "href":
        return value if is_allowed_link(value) else None
    if tag == "img" and attribute == "src":
        return value if is_picture_url(value) else None
    if attribute == "align":
        return value if value in ALIGNMENTS else None
    if attribute == "start":
        return value if value.isdigit() and len(value) < 6 else None
    return value


def _markdown_to_html(text: str, *, base_level: int) -> str:
    converter = markdown.Markdown(
        extensions=[
            _NoRawHtml(),
            _BoundedLinks(),
            "markdown.extensions.tables",
            "markdown.extensions.footnotes",
            "markdown.extensions.toc",
            "markdown.extensions.sane_lists",
            FootnoteIdsExtension(),
        ],
        extension_configs={
            "markdown.extensions.tables": {"use_align_attribute": True},
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


def _longest_block(text: str) -> int:
    """The most lines in a row without a blank line between them."""
    longest = current = 0
    for line in text.splitlines():
        current = current + 1 if line.strip() else 0
        longest = max(longest, current)
    return longest


def _most_asterisks_in_a_block(text: str) -> int:
    """The most asterisks in one paragraph, list or table (lines without a blank between)."""
    return max((block.count("*") for block in re.split(r"\n\s*\n", text)), default=0)


_ATX_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r" {0,3}(?:=+|-+)[ \t]*")


def _heading_count(text: str) -> int:
    """How many headings the text may make: `#` lines, and lines of = or - under a line of
    text. One pass over the lines, whatever they hold."""
    count, after_text = 0, False
    for line in text.splitlines():
        if _ATX_HEADING.match(line) or (after_text and _SETEXT_UNDERLINE.fullmatch(line)):
            count += 1
        after_text = bool(line.strip())
    return count


def render_markdown(text: str, *, base_level: int = 3, id_prefix: str = "") -> str:
    """Sanitised HTML for trust-written Markdown. Never raises.

    `base_level` is the HTML level of a Markdown `#` heading: 3 by default, because a pack
    section's own title is the `<h2>`. `id_prefix` namespaces the ids the Markdown makes
    (headings, footnotes) and the fragment links to them.
    """
    text = _CONTROL_CHARACTERS.sub("", text or "")
    try:
        if (
            len(text) > MAX_MARKDOWN_LENGTH
            or text.count("[") > MAX_SQUARE_BRACKETS
            or _longest_block(text) > MAX_BLOCK_LINES
            or _most_asterisks_in_a_block(text) > MAX_ASTERISKS_IN_A_BLOCK
            or _heading_count(text) > MAX_HEADINGS
        ):
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
    too long, containing control characters or invalid Unicode, too deeply nested to render,
    showing a picture from outside a trust's picture library or without a description, or
    linking to an address with an invisible character in it."""
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
    block_lines = _longest_block(text)
    if block_lines > MAX_BLOCK_LINES:
        raise ValidationError(
            f"A paragraph, list or table in the text runs to {block_lines:,} lines with no "
            f"blank line between them; the most is {MAX_BLOCK_LINES}. Add blank lines between "
            "paragraphs, or split a long list or table in two.",
            code="too_complex",
        )
    asterisks = _most_asterisks_in_a_block(text)
    if asterisks > MAX_ASTERISKS_IN_A_BLOCK:
        raise ValidationError(
            f"A paragraph, list or table in the text has {asterisks:,} asterisks (*); the most "
            f"is {MAX_ASTERISKS_IN_A_BLOCK:,}. Bold and italics use two or four each: add blank "
            "lines between paragraphs, or use less emphasis.",
            code="too_complex",
        )
    headings = _heading_count(text)
    if headings > MAX_HEADINGS:
        raise ValidationError(
            f"The text has {headings:,} headings; a section may have up to {MAX_HEADINGS}. "
            "Split it into more than one section. (A line of = or - under a line of text "
            "makes a heading too.)",
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
        html = _markdown_to_html(text, base_level=3)
    except (RecursionError, ValueError, IndexError, KeyError):
        raise ValidationError(
            "The text is nested too deeply (for example quotes or lists inside each other "
            "many times over). Simplify its structure.",
            code="too_nested",
        ) from None
    found = _ImagesAndLinks.of(html)
    _validate_images(found.images)
    _validate_links(found.links)


class _ImagesAndLinks(HTMLParser):
    """Collects the `src` and `alt` of every image, and the `href` and text of every link, in
    Python-Markdown's output."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images: list[tuple[str, str]] = []
        self.links: list[tuple[str, str]] = []
        self._link_text: list[str] | None = None

    @classmethod
    def of(cls, html: str) -> "_ImagesAndLinks":
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            values = dict(attrs)
            self.images.append((values.get("src") or "", values.get("alt") or ""))
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", ""))
            self._link_text = []

    def handle_data(self, data):
        if self._link_text is not None:
            self._link_text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._link_text is not None:
            self.links[-1] = (self.links[-1][0], "".join(self._link_text).strip())
            self._link_text = None


def _validate_images(images: list[tuple[str, str]]) -> None:
    """Refuse a picture that is not from a trust's picture library, or has no description."""
    for src, alt in images:
        if not is_picture_url(src):
            raise ValidationError(
                f"The picture “{alt or src}” ({src}) is not from the trust's picture library, "
                "so it would not be shown. Upload it to the picture library (Pictures, in the "
                "pack editor), then insert it from there.",
                code="picture_not_in_library",
            )
        if not alt.strip():
            raise ValidationError(
                f"The picture {src} has no description. Write what it shows between the "
                "square brackets, for example ![Map of the hospital site](…), so that people "
                "who cannot see it know what it shows.",
                code="picture_without_description",
            )


_INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTERS}]")


def _validate_links(links: list[tuple[str, str]]) -> None:
    """Refuse a link whose address holds an invisible character (a bidi control or a
    zero-width character, typed or percent-encoded): such an address can display as another,
    and rendering would drop it without a word."""
    for href, text in links:
        found = _INVISIBLE.search(href) or _INVISIBLE.search(_fully_decoded(href) or "")
        if found:
            name = unicodedata.name(found.group(0), f"U+{ord(found.group(0)):04X}")
            raise ValidationError(
                f"The address of the link “{text or href}” contains an invisible character "
                f"({name}), which can make it show as a different address. Type the address "
                "again by hand rather than pasting it.",
                code="invisible_character_in_link",
            )
