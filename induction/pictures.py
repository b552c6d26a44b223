"""A trust's picture library: what an uploaded file must be, and adding or removing one.

Uploads are hostile until proven otherwise. The type is sniffed from the bytes, never taken
from the file's name or the browser's word for it, and only three are accepted:

- PNG and JPEG are opened by Pillow under a size and pixel limit (with Pillow's own
  decompression-bomb guard set to the same limit), turned upright by their EXIF orientation,
  and re-encoded from the pixels alone: EXIF (GPS position included), text chunks, comments
  and anything appended after the image (a polyglot's second life) are not carried over.
- SVG is parsed with defusedxml (no DOCTYPE, so no entities) and then checked against an
  allow-list of elements and attributes. An SVG with anything outside it (a script, an event
  handler, foreignObject, a style sheet, a link or `url()` to anything but a fragment of
  itself) is refused with a message naming what was found, not silently cleaned: a picture
  that changed on upload would surprise the editor, and a refusal is easier to reason about.
  What is stored is the parsed tree written out again, which drops comments and processing
  instructions (such as `<?xml-stylesheet?>`).

Pictures are shown through `induction.views.pictures`, which checks access on every request;
the sanitiser (induction/safe_markdown.py) lets Markdown show only the addresses of that view.
"""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError, Q
from PIL import Image, ImageOps

from .models import (
    AuditEvent,
    InductionPack,
    ResponsibilityOverlay,
    Section,
    TrustPicture,
    VersionPicture,
    no_invisible_characters,
)
from .safe_markdown import render_markdown

MAX_PICTURE_BYTES = 5 * 1024 * 1024
MAX_PICTURE_PIXELS = 25_000_000
# An SVG's drawing cost grows with its elements; real logos and charts have a few thousand.
MAX_SVG_ELEMENTS = 10_000

# Pillow warns past MAX_IMAGE_PIXELS and refuses past twice that; `_open_bitmap` turns the
# warning into a refusal too, so the limit is exactly MAX_PICTURE_PIXELS.
Image.MAX_IMAGE_PIXELS = MAX_PICTURE_PIXELS

ACCEPTED_TYPES = "PNG, JPEG or SVG"
NOT_A_PICTURE = (
    f"The file is not a picture the library accepts. Upload a {ACCEPTED_TYPES} file (save or "
    "export it as one of those from the program that made it)."
)
UNREADABLE = (
    "The file could not be read as a picture: it may be damaged or only partly saved. Save "
    f"it again as {ACCEPTED_TYPES} and upload it again."
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"


@dataclass(frozen=True)
class PreparedPicture:
    """An upload that passed every check, as it will be stored."""

    content: bytes
    content_type: str
    width: int
    height: int


def prepare_picture(data: bytes) -> PreparedPicture:
    """Check the uploaded bytes and return what to store; ValidationError saying why not."""
    if not data:
        raise ValidationError("The file is empty. Choose the picture again.", code="empty")
    if len(data) > MAX_PICTURE_BYTES:
        raise ValidationError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the most is "
            f"{MAX_PICTURE_BYTES // 1024 // 1024} MB. Make the picture smaller (fewer pixels, "
            "or JPEG for a photograph) and upload it again.",
            code="too_large",
        )
    if data.startswith(PNG_SIGNATURE):
        return _prepare_bitmap(data, "PNG")
    if data.startswith(JPEG_SIGNATURE):
        return _prepare_bitmap(data, "JPEG")
    if _looks_like_svg(data):
        return _prepare_svg(data)
    raise ValidationError(NOT_A_PICTURE, code="not_a_picture")


# --- PNG and JPEG ----------------------------------------------------------------------------


def _too_many_pixels(size: str = "too many") -> ValidationError:
    return ValidationError(
        f"The picture has {size} pixels; the most is {MAX_PICTURE_PIXELS // 1_000_000} "
        "million. Make it smaller and upload it again.",
        code="too_many_pixels",
    )


def _open_bitmap(data: bytes, expected_format: str) -> Image.Image:
    """The decoded image, or ValidationError: not the format its bytes begin as, over the pixel
    limit (checked from the header before any pixel is decoded), or broken."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[expected_format])
            width, height = image.size
            # Pillow's guard (set above) already stops these at `open`; this check keeps the
            # limit should anything else in the process change Pillow's global setting.
            if width * height > MAX_PICTURE_PIXELS:
                raise _too_many_pixels(f"{width:,} × {height:,}")
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ValidationError(UNREADABLE, code="unreadable") from None
    return image


def _prepare_bitmap(data: bytes, image_format: str) -> PreparedPicture:
    image = _open_bitmap(data, image_format)
    # The orientation is applied to the pixels first, since the EXIF that says it is dropped.
    upright = ImageOps.exif_transpose(image)
    if upright.mode in {"P", "PA"}:
        # A palette keeps its transparency outside the pixels: make it part of them.
        upright = upright.convert("RGBA")
    # Only the pixels go into the new file: no EXIF, text, comments or trailing bytes.
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    output = io.BytesIO()
    if image_format == "JPEG":
        if clean.mode not in {"RGB", "L"}:
            clean = clean.convert("RGB")
        clean.save(output, format="JPEG", quality=90, optimize=True)
        content_type = TrustPicture.Format.JPEG
    else:
        clean.save(output, format="PNG", optimize=True)
        content_type = TrustPicture.Format.PNG
    return PreparedPicture(output.getvalue(), content_type, clean.width, clean.height)


# --- SVG -------------------------------------------------------------------------------------

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"

SVG_ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "symbol", "use", "title", "desc",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "textPath",
        "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "marker",
    }
)  # fmt: skip
SVG_ATTRIBUTES = frozenset(
    {
        "id", "class", "style", "transform", "viewBox", "preserveAspectRatio", "version",
        "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
        "fx", "fy", "d", "points", "pathLength", "dx", "dy", "rotate", "textLength",
        "lengthAdjust", "startOffset",
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
        "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
        "stroke-dashoffset", "opacity", "color", "display", "visibility", "overflow",
        "clip-path", "clip-rule", "mask", "marker-start", "marker-mid", "marker-end",
        "stop-color", "stop-opacity", "offset", "gradientUnits", "gradientTransform",
        "spreadMethod", "patternUnits", "patternContentUnits", "patternTransform",
        "clipPathUnits", "maskUnits", "maskContentUnits", "markerWidth", "markerHeight",
        "markerUnits", "refX", "refY", "orient",
        "font-family", "font-size", "font-weight", "font-style", "text-anchor",
        "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing",
        "word-spacing", "text-decoration", "writing-mode",
        "href",
    }
)  # fmt: skip
# References are allowed only to a fragment of the same picture: `#id` or `url(#id)`.
_FRAGMENT = re.compile(r"#[A-Za-z_][\w.-]*")
_URL_REFERENCE = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_LENGTH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(px)?\s*")


def _looks_like_svg(data: bytes) -> bool:
    start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"<?xml") or start.startswith(b"<svg") or b"<svg" in data[:1024]


def _refuse_svg(what: str) -> ValidationError:
    return ValidationError(
        f"The SVG contains {what}, which pictures may not have. Export it again as a plain "
        "drawing (for example “plain SVG”, without scripts, links or embedded content), or "
        "upload it as PNG.",
        code="unsafe_svg",
    )


def _local_name(name: str) -> tuple[str, str]:
    """(namespace, name) of an ElementTree tag or attribute name such as `{ns}name`."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _check_references(value: str, what: str) -> None:
    for _, target in _URL_REFERENCE.findall(value):
        if not _FRAGMENT.fullmatch(target.strip()):
            raise _refuse_svg(f"a reference to something outside the picture ({what})")
    lowered = value.lower()
    if "@import" in lowered or "expression(" in lowered or "javascript:" in lowered:
        raise _refuse_svg(f"active content in {what}")


def _check_svg_element(element: ElementTree.Element) -> None:
    namespace, tag = _local_name(element.tag)
    if namespace != SVG_NAMESPACE or tag not in SVG_ELEMENTS:
        raise _refuse_svg(f"a <{tag}> element")
    for name, value in element.attrib.items():
        attribute_namespace, attribute = _local_name(name)
        if attribute.lower().startswith("on"):
            raise _refuse_svg(f"an event handler ({attribute})")
        if attribute_namespace == XML_NAMESPACE and attribute in {"space", "lang"}:
            continue
        if attribute_namespace not in {"", XLINK_NAMESPACE} or (
            attribute_namespace == XLINK_NAMESPACE and attribute != "href"
        ):
            raise _refuse_svg(f"an attribute {attribute} that is not allowed")
        if attribute not in SVG_ATTRIBUTES:
            raise _refuse_svg(f"an attribute {attribute} that is not allowed")
        if attribute == "href" and not _FRAGMENT.fullmatch(value.strip()):
            raise _refuse_svg("a link to something outside the picture")
        _check_references(value, f"the attribute {attribute}")


def _svg_size(root: ElementTree.Element) -> tuple[int, int]:
    """The picture's size in CSS pixels, from its width and height or else its viewBox."""
    width, height = (_LENGTH.fullmatch(root.get(name, "")) for name in ("width", "height"))
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    parts = root.get("viewBox", "").replace(",", " ").split()
    try:
        view_width, view_height = float(parts[2]), float(parts[3])
    except (IndexError, ValueError):
        view_width = view_height = 0
    if len(parts) != 4 or view_width <= 0 or view_height <= 0:
        raise ValidationError(
            "The SVG does not say how big it is. Give it a viewBox (or a width and height in "
            "pixels) when you export it, and upload it again.",
            code="svg_without_size",
        )
    return round(view_width), round(view_height)


def _prepare_svg(data: bytes) -> PreparedPicture:
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise _refuse_svg("a DOCTYPE or entity declarations") from None
    except ElementTree.ParseError:
        raise ValidationError(UNREADABLE, code="unreadable") from None
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise ValidationError(NOT_A_PICTURE, code="not_a_picture")
    for count, element in enumerate(root.iter(), start=1):
        if count > MAX_SVG_ELEMENTS:
            raise ValidationError(
                f"The SVG has more than {MAX_SVG_ELEMENTS:,} shapes and groups; simplify it "
                "or upload it as PNG.",
                code="too_complex",
            )
        _check_svg_element(element)
    width, height = _svg_size(root)
    # The prefix map is global to the process and other code may change it, so the prefixes
    # are set here, as the file is written: SVG the default namespace, xlink its usual name.
    ElementTree.register_namespace("", SVG_NAMESPACE)
    ElementTree.register_namespace("xlink", XLINK_NAMESPACE)
    content = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return PreparedPicture(content, TrustPicture.Format.SVG, width, height)


# --- The library: adding and removing pictures -----------------------------------------------


def clean_alt_text(alt_text) -> str:
    """The description as stored, or ValidationError naming the field `alt_text`."""
    alt_text = " ".join(str(alt_text or "").split())
    if not alt_text:
        raise ValidationError(
            {"alt_text": "Describe what the picture shows, for people who cannot see it."}
        )
    if len(alt_text) > TrustPicture.ALT_TEXT_LENGTH:
        raise ValidationError(
            {
                "alt_text": f"Shorten the description to {TrustPicture.ALT_TEXT_LENGTH} "
                "characters or fewer. A longer explanation belongs in the text beside it."
            }
        )
    try:
        no_invisible_characters(alt_text)
    except ValidationError as error:
        raise ValidationError({"alt_text": error.messages}) from None
    return alt_text


def add_picture(*, pack: InductionPack, user, data: bytes, alt_text: str) -> TrustPicture:
    """Check and store an uploaded picture in the pack's trust's library, and record it in
    the pack's audit trail. PermissionDenied unless the user may edit the pack;
    ValidationError naming `file` or `alt_text` for what must change."""
    pack.check_can_edit(user)
    alt_text = clean_alt_text(alt_text)
    try:
        prepared = prepare_picture(data)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    picture = TrustPicture(
        trust=pack.trust,
        content_type=prepared.content_type,
        width=prepared.width,
        height=prepared.height,
        byte_size=len(prepared.content),
        alt_text=alt_text,
        uploaded_by=user,
    )
    with transaction.atomic():
        picture.file.save(picture.filename, ContentFile(prepared.content), save=False)
        try:
            picture.save()
            pack.record(user, AuditEvent.Action.PICTURE_ADDED, f"“{alt_text}” ({picture.key})")
        except BaseException:
            picture.file.delete(save=False)
            raise
    return picture


class PictureInUse(ValidationError):
    """A picture that cannot be removed: a published version or the draft shows it."""


def draft_sections_showing(picture: TrustPicture) -> list[Section]:
    """The sections of the trust's drafts whose text or notes show the picture."""
    return list(
        Section.objects.filter(pack__trust=picture.trust_id)
        .filter(
            Q(body__contains=picture.key)
            | Q(
                pk__in=ResponsibilityOverlay.objects.filter(note__contains=picture.key).values(
                    "section"
                )
            )
        )
        .order_by("order")
    )


def remove_picture(*, pack: InductionPack, user, picture: TrustPicture) -> None:
    """Remove a picture that no published version and no draft section shows, and record it.
    PermissionDenied unless the user may edit the pack; PictureInUse saying where it shows."""
    pack.check_can_edit(user)
    if picture.trust_id != pack.trust_id:
        raise PermissionDenied("That picture belongs to another trust.")
    numbers = sorted(picture.versions.values_list("number", flat=True))
    if numbers:
        raise PictureInUse(
            f"“{picture.alt_text}” cannot be removed: published version "
            f"{', '.join(map(str, numbers))} show{'s' if len(numbers) == 1 else ''} it, and "
            "published versions never change."
        )
    sections = draft_sections_showing(picture)
    if sections:
        titles = ", ".join(f"“{section.title}”" for section in sections)
        raise PictureInUse(
            f"“{picture.alt_text}” is in the draft ({titles}). Take it out of the text first, "
            "then remove it here."
        )
    with transaction.atomic():
        try:
            picture.delete()
        except ProtectedError:
            # Published between the check and the delete: the database keeps the rule.
            raise PictureInUse(
                f"“{picture.alt_text}” cannot be removed: a published version shows it."
            ) from None
        pack.record(
            user, AuditEvent.Action.PICTURE_REMOVED, f"“{picture.alt_text}” ({picture.key})"
        )
    transaction.on_commit(lambda: picture.file.delete(save=False))


def markdown_for(picture: TrustPicture) -> str:
    """The Markdown that shows the picture: `![description](address)`, with the characters
    that would end the description early escaped."""
    alt = re.sub(r"([\\\[\]])", r"\\\1", picture.alt_text)
    return f"![{alt}]({picture.get_absolute_url()})"


def library_entries(trust):
    """The trust's pictures, newest first, each with the Markdown that shows it and
    `in_published` (whether a published version shows it, so it can never be removed)."""
    pictures = (
        TrustPicture.objects.filter(trust=trust)
        .select_related("trust")
        .annotate(in_published=Exists(VersionPicture.objects.filter(picture=OuterRef("pk"))))
    )
    return [(picture, markdown_for(picture)) for picture in pictures]


def pictures_shown_in(html: str, trust) -> list[TrustPicture]:
    """The trust's pictures that sanitised HTML shows (other trusts' are not recorded)."""
    keys = {key for _, key in _shown_pictures(html)}
    if not keys:
        return []
    return list(TrustPicture.objects.filter(trust=trust, key__in=keys))


# A picture shown in sanitised HTML: (trust slug, key) of its address.
_SHOWN_PICTURE = re.compile(r'<img [^>]*src="/trusts/([^/"]+)/induction/pictures/([0-9a-f]{32})\.')


def _shown_pictures(html: str) -> set[tuple[str, str]]:
    return {match.groups() for match in _SHOWN_PICTURE.finditer(html)}


def check_pictures_are_the_trust_s(texts, trust) -> None:
    """Refuse Markdown `texts` that show a picture not in `trust`'s library (another trust's,
    or one removed since): publishing would not record it, the PDF would not print it and
    readers could not see it. One query, and only when a text shows a picture at all."""
    shown = set()
    for text in texts:
        if "/induction/pictures/" in text:
            shown |= _shown_pictures(render_markdown(text))
    if not shown:
        return
    own = set(
        TrustPicture.objects.filter(trust=trust, key__in={key for _, key in shown}).values_list(
            "key", flat=True
        )
    )
    for slug, key in sorted(shown):
        if slug != trust.slug or key not in own:
            raise ValidationError(
                f"A picture in the text (/trusts/{slug}/induction/pictures/{key}) is not in "
                f"{trust.name}'s picture library. Upload it to this trust's library "
                "(Pictures, in the pack editor) and insert it from there.",
                code="picture_not_the_trust_s",
            )
