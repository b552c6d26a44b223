"""Noticing pasted markup in a submitted section text, for the edit page without JavaScript
(with JavaScript, the paste handler converts it as it is pasted): whether a text
`looks_pasted`, the conversion offered for it, and `pasted_body`, the form data the edit page
shows to check instead of saving.
"""

import hashlib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .conversion import Conversion, checked
from .from_html import convert_html
from .from_text import convert_text

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
# Markers no one types in prose: Word's classes and conditional comments, its <o:p> tags,
# Google Docs' wrapper, and tags with attributes that only a copied page carries.
_HTML_MARKERS = re.compile(
    r"class=[\"']?Mso|<!--\[if|<!\[if|<o:p>|docs-internal-guid|<(?:html|body|meta|style)\b"
    r"|<[a-z][a-z0-9]*\s[^<>]*\b(?:style|class|align|width|lang)=",
    re.IGNORECASE,
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|span|table|tbody|thead|tr|td|th|ul|ol|li|br|font|h[1-6]|b|i|strong|em|a|u)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_CLOSING_BLOCK = re.compile(r"</(?:p|div|span|td|li|tr|table)>", re.IGNORECASE)
# Tags a writer may mention in prose ("use <b> for bold"); a copied page has many more.
_TAGS_IN_PROSE = 3


def looks_like_html(text: str) -> bool:
    """Whether text holds copied HTML markup rather than prose that mentions a tag or uses
    "<": a Word or Google Docs marker, or more tags than prose has, closing ones included."""
    prose = _CODE.sub("", text)
    if _HTML_MARKERS.search(prose):
        return True
    return len(_BLOCK_TAG.findall(prose)) > _TAGS_IN_PROSE and bool(_CLOSING_BLOCK.search(prose))


def looks_pasted(text: str) -> bool:
    """Whether a submitted text needs converting before it is kept: copied HTML, Word bullet
    lines or tab-separated rows (what the paste handler converts when JavaScript runs)."""
    if not text:
        return False
    if looks_like_html(text):
        return True
    try:
        return convert_text(_CODE.sub("", text)).changed
    except ValidationError:
        return True  # converting it again says what is wrong


def convert_submitted(text: str) -> Conversion:
    """The conversion the edit page offers for a text that `looks_pasted`: the part from the
    first to the last paragraph holding markup is read as HTML, the rest as plain text, so
    Markdown typed before or after a pasted block keeps its own formatting."""
    if not looks_like_html(text):
        return convert_text(text)
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))
    marked = [index for index, block in enumerate(blocks) if _BLOCK_TAG.search(block)]
    first, last = (marked[0], marked[-1]) if marked else (0, len(blocks) - 1)
    before = convert_text("\n\n".join(blocks[:first])) if first else Conversion("")
    html = convert_html("\n\n".join(blocks[first : last + 1]))
    after = convert_text("\n\n".join(blocks[last + 1 :])) if last + 1 < len(blocks) else None
    parts = [before.markdown, html.markdown, after.markdown if after else ""]
    markdown = "\n\n".join(part for part in parts if part.strip())
    converted = before.converted + html.converted + (after.converted if after else ())
    return checked(Conversion(markdown, converted, html.dropped))


@dataclass(frozen=True)
class PastedBody:
    """A submitted body that held pasted markup: the form data with the body converted (or
    as it was, with `error`, if it could not be), and what the conversion did."""

    data: object
    conversion: Conversion | None = None
    error: list[str] | None = None

    @property
    def check(self) -> str:
        """What the page sends back with the converted text (`pasted_check`), so that the
        same text, saved as shown, is not taken for pasted markup a second time."""
        return _digest(self.data.get("body", ""))


def _digest(text: str) -> str:
    # Browsers send a textarea's line breaks as CRLF.
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def pasted_body(data):
    """PastedBody if the `body` of submitted form data `looks_pasted`, else None: what the
    edit page uses without JavaScript to show the converted text instead of saving. Text the
    editor already saw converted (its `pasted_check`), or that conversion leaves as it is
    (prose that only mentions markup), is None: it must be possible to save it."""
    body = data.get("body", "")
    if not looks_pasted(body) or data.get("pasted_check") == _digest(body):
        return None
    try:
        conversion = convert_submitted(body)
    except ValidationError as error:
        return PastedBody(data=data, error=error.messages)
    if conversion.markdown == body.replace("\r\n", "\n"):
        return None
    converted = data.copy()
    converted["body"] = conversion.markdown
    return PastedBody(data=converted, conversion=conversion)
