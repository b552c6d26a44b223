"""Footnotes as the portal shows them: the Python-Markdown extension that `render_markdown`
(induction/safe_markdown.py) adds after Python-Markdown's own footnotes extension.

Python-Markdown puts a footnote's label into its ids as typed, and gives each note a "↩"
back-link per reference; this extension makes the ids slugs and words each back-link.
"""

import re
import unicodedata
import xml.etree.ElementTree as ElementTree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_FOOTNOTE_ID = re.compile(r"(fn|fnref\d*):(.*)", re.DOTALL)
_NOT_ID_SAFE = re.compile(r"[^a-z0-9_-]+")
_MAX_FOOTNOTE_SLUG_LENGTH = 50


class _SafeFootnoteIds(Treeprocessor):
    """Rewrite footnote ids and the links to them so each label becomes a slug.

    Python-Markdown puts the author's label into the id as typed, so `[^board note]` gives
    `id="fn:board note"`: ids with spaces, and links the URL check then refuses. This runs
    after the footnotes extension has finished (duplicates and reordering included), so it
    only renames and never changes which note links where. Distinct labels that slug alike
    get `-2`, `-3`… so they stay distinct."""

    def run(self, root):
        slugs: dict[str, str] = {}

        def safe(value: str) -> str:
            match = _FOOTNOTE_ID.fullmatch(value)
            if not match:
                return value
            kind, label = match.groups()
            if label not in slugs:
                slugs[label] = self._unique_slug(label, set(slugs.values()))
            return f"{kind}:{slugs[label]}"

        for element in root.iter():
            css_class = element.get("class", "")
            if element.tag in {"li", "sup"} and element.get("id"):
                element.set("id", safe(element.get("id")))
            elif (
                css_class in {"footnote-ref", "footnote-backref"}
                and element.get("href", "")[:1] == "#"
            ):
                element.set("href", "#" + safe(element.get("href")[1:]))

    @staticmethod
    def _unique_slug(label: str, taken: set[str]) -> str:
        ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
        slug = _NOT_ID_SAFE.sub("-", ascii_label.lower()).strip("-")
        slug = slug[:_MAX_FOOTNOTE_SLUG_LENGTH].strip("-") or "note"
        candidate, number = slug, 1
        while candidate in taken:
            number += 1
            candidate = f"{slug}-{number}"
        return candidate


_ORDINALS = (
    "first", "second", "third", "fourth", "fifth",
    "sixth", "seventh", "eighth", "ninth", "tenth",
)  # fmt: skip


def footnote_backlink_text(number: int, use: int, uses: int) -> str:
    """The words of the link from note `number` back to its `use`-th reference in the text.

    Python-Markdown's own back-link is a "↩" symbol (read out oddly or not at all) repeated
    once per reference with the same title: a note cited three times got three links that
    ran together and said the same. Each now says which reference it returns to, and which
    use of it when the note is cited more than once."""
    if uses == 1:
        return f"Back to reference {number}"
    which = f"{_ORDINALS[use - 1]} use" if use <= len(_ORDINALS) else f"use {use}"
    return f"Back to reference {number}, {which}"


class _FootnoteBacklinks(Treeprocessor):
    """Word each footnote's back-links with `footnote_backlink_text` and keep them apart.

    Runs after the footnotes extension has numbered, reordered and de-duplicated the notes,
    so the number is the one the reader sees beside the reference. The links' `title` is
    dropped: it repeated the old link text, and now the link text says it all. Several
    back-links go one to a line: a line break, unlike a separator in the text, leaves nothing
    behind where print hides the links (static/css/pdf.css)."""

    def run(self, root):
        for notes in root.iter("div"):
            if notes.get("class") != "footnote":
                continue
            ordered_list = notes.find("ol")
            notes_in_order = [] if ordered_list is None else ordered_list.findall("li")
            # findall, not iter: a list inside a note has items of its own.
            for number, note in enumerate(notes_in_order, start=1):
                backlinks = [
                    link for link in note.iter("a") if link.get("class") == "footnote-backref"
                ]
                parents = {child: parent for parent in note.iter() for child in parent}
                for use, link in enumerate(backlinks, start=1):
                    link.text = footnote_backlink_text(number, use, len(backlinks))
                    link.attrib.pop("title", None)
                    if use < len(backlinks):
                        parent = parents[link]
                        line_break = ElementTree.Element("br")
                        line_break.tail, link.tail = link.tail, None
                        parent.insert(list(parent).index(link) + 1, line_break)


class FootnoteIdsExtension(Extension):
    """Footnote ids made from their labels, and back-links that say where they go."""

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API name
        # Priority 1: after every footnotes tree-processor (the lowest of them is 15).
        md.treeprocessors.register(_SafeFootnoteIds(md), "safe_footnote_ids", 1)
        md.treeprocessors.register(_FootnoteBacklinks(md), "footnote_backlinks", 0)
