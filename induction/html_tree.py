"""Sanitised HTML parsed into a tree holding only what a comparison may write out.

A second check after the sanitiser's (induction/safe_markdown.py): only tags it allows are
kept, each with only the attributes listed here (others are left out and their content
kept); script and style are dropped with their content; ids are dropped, and links within
the page unwrapped, because two versions' text share one page and their ids would collide
with each other and with the page's own. Whatever the fragment left open is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from .safe_markdown import ALLOWED_TAGS, is_picture_url

# Elements with no content and no end tag.
VOID_TAGS = {"br", "hr", "img"}
# Elements that stand within a line of text; the others are blocks.
INLINE_TAGS = {"a", "em", "strong", "code", "img", "sup", "br"}
# Dropped with everything inside them. The sanitiser removes script and style already; a
# footnote's back-link points at an id this page does not have, and its words are not text.
_DROPPED_WITH_CONTENT = {"script", "style"}
_DROPPED_CLASSES = {"footnote-backref"}
_KEPT_CLASSES = {"footnote", "nhsuk-table-container"}
# NHS.UK's scrolling table container (added after sanitising, see safe_markdown): a region
# that keyboard users can focus to scroll it.
_TABLE_CONTAINER_ATTRIBUTES = {"role", "tabindex", "aria-label"}
_ALIGNMENTS = {"left", "right", "center"}


@dataclass(eq=False)
class Element:
    """An element of a parsed fragment, with only the attributes kept by `_kept_attributes`."""

    tag: str
    attributes: tuple[tuple[str, str], ...]
    children: list  # of Element and str
    fragment: object = None  # the root of the fragment it was parsed from

    @property
    def key(self) -> tuple:
        """What the element is, whichever version it comes from: its tag and attributes."""
        return (self.tag, self.attributes)

    def start_tag(self) -> str:
        written = "".join(f' {name}="{escape(value)}"' for name, value in self.attributes)
        return f"<{self.tag}{written}>"

    def end_tag(self) -> str:
        return "" if self.tag in VOID_TAGS else f"</{self.tag}>"


def _is_site_link(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def _kept_attributes(tag: str, attributes: list[tuple[str, str | None]]) -> tuple | None:
    """The attributes written out for an element, or None to leave the element out and keep
    its content (a link within the page, whose target this page does not have). A second
    check after the sanitiser's, so the comparison never writes more than it allows."""
    given = {name: value or "" for name, value in attributes}
    classes = set(given.get("class", "").split())
    kept: list[tuple[str, str]] = []
    if tag == "a":
        href = given.get("href", "").strip()
        lowered = href.lower()
        if not (lowered.startswith(("https://", "mailto:")) or _is_site_link(href)):
            return None
        kept.append(("href", href))
        if lowered.startswith("https://"):
            kept.append(("rel", "noopener noreferrer"))
    elif tag == "img":
        src = given.get("src", "")
        if not is_picture_url(src):
            return None
        kept.append(("src", src))
        kept.append(("alt", given.get("alt", "")))
    elif tag in {"th", "td"} and given.get("align") in _ALIGNMENTS:
        kept.append(("align", given["align"]))
    elif tag == "ol" and given.get("start", "").isdigit() and len(given["start"]) < 6:
        kept.append(("start", given["start"]))
    elif tag == "div" and classes & _KEPT_CLASSES:
        kept.append(("class", " ".join(sorted(classes & _KEPT_CLASSES))))
        if "nhsuk-table-container" in classes:
            kept += [
                (name, given[name])
                for name in sorted(_TABLE_CONTAINER_ATTRIBUTES)
                if name in given and name != "tabindex"
            ]
            kept.append(("tabindex", "0"))
    if tag in {"a", "img"} and given.get("title"):
        kept.append(("title", given["title"]))
    return tuple(kept)


class _TreeBuilder(HTMLParser):
    """Parses a fragment into `Element`s, keeping only allowed tags (others are left out
    and their content kept) and closing whatever the fragment left open."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("root", (), [])
        self.open: list[Element] = [self.root]
        # Elements whose own tag is not written; their end tags are ignored.
        self.unwrapped: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if self.dropping:
            if tag not in VOID_TAGS:
                self.dropping += 1
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in _DROPPED_WITH_CONTENT or (tag == "a" and classes & _DROPPED_CLASSES):
            self.dropping = 0 if tag in VOID_TAGS else 1
            return
        attributes = _kept_attributes(tag, attrs) if tag in ALLOWED_TAGS else None
        if attributes is None:
            if tag not in VOID_TAGS:
                self.unwrapped.append(tag)
            return
        element = Element(tag, attributes, [], self.root)
        self.open[-1].children.append(element)
        if tag not in VOID_TAGS:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.dropping:
            self.dropping -= 1
            return
        if self.unwrapped and self.unwrapped[-1] == tag:
            self.unwrapped.pop()
            return
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        if not self.dropping and data:
            self.open[-1].children.append(data)


def parse(html: str) -> Element:
    """The fragment as a tree under a root element (whose own tag is never written)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
