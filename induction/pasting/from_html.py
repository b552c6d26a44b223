"""Pasted HTML (from Word, Google Docs or a web page) made into the Markdown a section stores,
with what it kept and what it left out in words: `convert_html`.

Everything a pack cannot keep is removed — scripts, pictures, frames, forms, styling, and
links the sanitiser would refuse — and counted, so the editor is told; Word's and Google
Docs' own markup is first made into the plain HTML it stands for (`word_markup`); what is left
becomes Markdown through markdownify.
"""

import re

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, Tag
from django.core.exceptions import ValidationError
from markdownify import MarkdownConverter

from ..safe_markdown import is_allowed_link
from .conversion import (
    Conversion,
    checked,
    counts_in_words,
    in_words,
    pasted_text,
    within_limits,
)
from .word_markup import footnotes, inline_style, keep_emphasis, rebuild_word_lists

# Deeper than this is not a document but an attack on the converter's recursion.
MAX_NESTING = 100
# A section's own title is the page's <h2>, so its Markdown has four heading levels (# to
# ####, shown as <h3> to <h6>); deeper headings in a pasted document become the smallest.
DEEPEST_HEADING = 4

PICTURES_NOTE = "pictures must be uploaded to the trust's picture library"

# Removed with everything in them: they are not text a reader should see.
_REMOVED_WITH_CONTENT = {
    "script", "noscript", "style", "head", "title", "meta", "link", "template", "xml",
    "iframe", "frame", "object", "embed", "applet", "svg", "math", "canvas", "video",
    "audio", "picture", "img", "form", "input", "button", "select", "textarea",
}  # fmt: skip
_EMBEDDED = {"iframe", "frame", "object", "embed", "applet", "video", "audio", "canvas"}
_FORM_PARTS = {"form", "input", "button", "select", "textarea"}
_STYLING = re.compile(
    r"(?:^|;)(?:color|background|background-color|font|font-family|font-size|mso-highlight):"
)
_KEPT_ATTRIBUTES = {"a": {"href"}, "td": {"colspan"}, "th": {"colspan"}, "ol": {"start"}}


def _link_kind(url: str) -> str:
    """How the dropped-links note describes a link the sanitiser would refuse."""
    lowered = url.strip().lower()
    if lowered.startswith("file:"):
        return "link to a file on your computer (file:///…)"
    if lowered.startswith("http://"):
        return "link to an address that is not secure (http://…)"
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", lowered)
    if scheme:
        return f"link of a kind that cannot be used here ({scheme.group(1)}:…)"
    return "link to a page address that is not complete"


class _Tally:
    """What the cleaning found, to be reported in words."""

    def __init__(self):
        self.pictures = 0
        self.scripts = 0
        self.embedded = 0
        self.forms = 0
        self.styling = False
        self.links: dict[str, int] = {}

    def removed(self, name: str, tag: Tag) -> None:
        """Count an element removed with its content, by what the editor would call it."""
        if name == "picture":
            self.pictures += max(1, len(tag.find_all("img")))
        elif name in {"img", "svg", "v:imagedata"} or (
            name.startswith("v:") and tag.find("v:imagedata")
        ):
            self.pictures += 1
        elif name == "script":
            self.scripts += 1
        elif name in _EMBEDDED:
            self.embedded += 1
        elif name in _FORM_PARTS:
            self.forms += 1
        elif name == "style":
            self.styling = True

    def dropped_link(self, kind: str) -> None:
        """Count a link left out, by the kind `_link_kind` names."""
        self.links[kind] = self.links.get(kind, 0) + 1

    def dropped(self) -> tuple[str, ...]:
        notes = []
        if self.pictures:
            notes.append(f"{in_words(self.pictures, 'picture')} ({PICTURES_NOTE})")
        if self.styling:
            notes.append("colours and fonts")
        if self.scripts:
            notes.append(in_words(self.scripts, "script"))
        if self.embedded:
            notes.append(
                in_words(self.embedded, "embedded video or frame", "embedded videos or frames")
            )
        if self.forms:
            notes.append(in_words(self.forms, "form"))
        for kind, number in self.links.items():
            notes.append(f"{number} {kind.replace('link', 'links', 1) if number > 1 else kind}")
        return tuple(notes)


def _check_nesting(soup: BeautifulSoup) -> None:
    stack = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise ValidationError(
                "The pasted text is nested too deeply to convert. Paste it as plain text "
                "instead, or copy a smaller part at a time.",
                code="too_nested",
            )
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tag))


def _remove_hidden_parts(soup: BeautifulSoup, tally: _Tally) -> None:
    # Comments hold Word's conditional blocks (VML pictures and the like) and its fragment
    # markers; <![if …]> declarations only wrap text that is shown, so that text stays.
    for node in soup.find_all(
        string=lambda text: isinstance(text, (Comment, Declaration, Doctype))
    ):
        node.extract()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        name = tag.name.lower()
        if name in _REMOVED_WITH_CONTENT or name.startswith("v:"):
            tally.removed(name, tag)
            tag.decompose()


def _headings(soup: BeautifulSoup) -> int:
    """Shift the pasted headings so the highest becomes a section's first level (`#`), keeping
    the steps between them, and any deeper than a section has become its smallest."""
    for paragraph in soup.find_all("p", class_="MsoTitle"):
        paragraph.name = "h1"
    headings = soup.find_all(re.compile(r"^h[1-6]$"))
    if headings:
        top = min(int(heading.name[1]) for heading in headings)
        for heading in headings:
            heading.name = f"h{min(int(heading.name[1]) - top + 1, DEEPEST_HEADING)}"
    return len(headings)


def _links(soup: BeautifulSoup, tally: _Tally) -> int:
    kept = 0
    for link in soup.find_all("a"):
        href = link.get("href", "").strip()
        if not href or not link.get_text(strip=True):
            link.unwrap()  # bookmarks (<a name=…>) and empty links
        elif href.startswith("#"):
            # Ids are not kept, so a link to a place in the copied page would lead nowhere.
            tally.dropped_link("link to a place within the copied page")
            link.unwrap()
        elif is_allowed_link(href):
            kept += 1
        else:
            tally.dropped_link(_link_kind(href))
            link.unwrap()
    return kept


def _strip_attributes(soup: BeautifulSoup, tally: _Tally) -> None:
    for tag in soup.find_all(True):
        if tag.name == "font" or _STYLING.search(inline_style(tag)):
            tally.styling = True
        keep = _KEPT_ATTRIBUTES.get(tag.name, set())
        tag.attrs = {key: value for key, value in tag.attrs.items() if key in keep}


_SPACES = re.compile(r"\s+")


def _plain_header_rows(soup: BeautifulSoup) -> None:
    """The first row of a table becomes its header, which is bold already: Word's own bold
    in it would only add asterisks."""
    for table in soup.find_all("table"):
        first_row = table.find("tr")
        if first_row is not None:
            for bold in first_row.find_all(["b", "strong"]):
                bold.unwrap()


class _PackMarkdown(MarkdownConverter):
    """markdownify, writing the Markdown induction/safe_markdown.py reads: nested lists
    indented by four spaces (Python-Markdown's rule) and `|` escaped inside table cells."""

    def convert_li(self, el, text, parent_tags):
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = int(parent["start"]) if str(parent.get("start", "")).isdigit() else 1
            bullet = f"{start + len(el.find_previous_siblings('li'))}. "
        else:
            bullet = "- "
        lines = text.split("\n")
        rest = [("    " + line) if line.strip() else "" for line in lines[1:]]
        return "\n".join([bullet + lines[0], *rest]) + "\n"

    def convert_td(self, el, text, parent_tags):
        return super().convert_td(el, text.replace("|", "\\|"), parent_tags)

    def convert_th(self, el, text, parent_tags):
        return super().convert_th(el, text.replace("|", "\\|"), parent_tags)


def _to_markdown(soup: BeautifulSoup) -> str:
    converter = _PackMarkdown(
        heading_style="ATX",
        bullets="-",
        table_infer_header=True,
        strong_em_symbol="*",
        newline_style="spaces",
    )
    try:
        return converter.convert_soup(soup)
    except RecursionError:
        raise ValidationError(
            "The pasted text is nested too deeply to convert. Paste it as plain text instead.",
            code="too_nested",
        ) from None


def convert_html(html: str) -> Conversion:
    """Markdown for pasted HTML, what it kept and what it dropped; ValidationError for input
    too large or too deeply nested to convert, or whose result a section could not store."""
    soup = BeautifulSoup(pasted_text(html), "html.parser")
    _check_nesting(soup)
    tally = _Tally()
    _remove_hidden_parts(soup, tally)
    rebuild_word_lists(soup)
    keep_emphasis(soup)
    headings = _headings(soup)
    notes = footnotes(soup)
    links = _links(soup, tally)
    _strip_attributes(soup, tally)
    lists = len([tag for tag in soup.find_all(["ul", "ol"]) if not tag.find_parent(["ul", "ol"])])
    tables = len([tag for tag in soup.find_all("table") if not tag.find_parent("table")])
    _plain_header_rows(soup)
    for text in soup.find_all(string=True):
        if not text.find_parent("pre"):
            # Word wraps its HTML source mid-sentence; a line break there is just a space.
            text.replace_with(_SPACES.sub(" ", text.replace("\xa0", " ")))
    converted = counts_in_words(
        (headings, "heading"),
        (lists, "list"),
        (tables, "table"),
        (links, "link"),
        (notes, "footnote"),
    )
    return checked(Conversion(_tidy(_to_markdown(soup)), converted, tally.dropped()))


def _tidy(markdown: str) -> str:
    lines = [line if line.strip() else "" for line in markdown.split("\n")]
    lines = [
        line.rstrip() if not line.endswith("  ") or not line.strip() else line for line in lines
    ]
    return within_limits("\n".join(lines))
