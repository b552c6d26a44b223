"""Uploaded pictures are hostile until proven otherwise (induction/pictures.py).

The type comes from the bytes; PNG and JPEG are re-encoded from their pixels (no EXIF, no GPS,
nothing appended); SVG is checked against an allow-list and refused, naming what it had, when
anything active or external is in it."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from induction import pictures
from induction.models import TrustPicture
from induction.pictures import MAX_PICTURE_BYTES, prepare_picture


def png_bytes(size=(40, 20), mode="RGB", colour=(0, 94, 184), **save) -> bytes:
    output = io.BytesIO()
    Image.new(mode, size, colour).save(output, format="PNG", **save)
    return output.getvalue()


def jpeg_bytes(size=(40, 20), **save) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (0, 94, 184)).save(output, format="JPEG", **save)
    return output.getvalue()


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
    exif[0x8825] = gps  # GPSInfo
    if orientation:
        exif[0x0112] = orientation
    return exif


def opened(prepared) -> Image.Image:
    return Image.open(io.BytesIO(prepared.content))


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="120" height="60" viewBox="0 0 120 60">{}</svg>'
)


def svg(inner: str = '<rect width="120" height="60" fill="#005eb8"/>', **attributes) -> bytes:
    return SVG.format(inner).encode()


# --- what is accepted ----------------------------------------------------------------------


def test_a_png_is_re_encoded_and_measured():
    prepared = prepare_picture(png_bytes())
    assert prepared.content_type == TrustPicture.Format.PNG
    assert (prepared.width, prepared.height) == (40, 20)
    assert prepared.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert opened(prepared).getpixel((0, 0)) == (0, 94, 184)


def test_a_png_s_palette_transparency_is_kept():
    image = Image.new("P", (4, 4), 0)
    image.putpalette([255, 255, 255, 0, 94, 184])
    output = io.BytesIO()
    image.save(output, format="PNG", transparency=0)
    result = opened(prepare_picture(output.getvalue()))
    assert result.convert("RGBA").getpixel((0, 0))[3] == 0


def test_a_jpeg_is_re_encoded_as_jpeg():
    prepared = prepare_picture(jpeg_bytes())
    assert prepared.content_type == TrustPicture.Format.JPEG
    assert opened(prepared).format == "JPEG"
    assert (prepared.width, prepared.height) == (40, 20)


def test_a_cmyk_jpeg_becomes_rgb():
    output = io.BytesIO()
    Image.new("CMYK", (8, 8), (0, 0, 0, 0)).save(output, format="JPEG")
    assert opened(prepare_picture(output.getvalue())).mode == "RGB"


def test_a_jpeg_with_gps_comes_back_without_any_exif():
    original = jpeg_bytes(exif=exif_with_gps())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    prepared = prepare_picture(original)
    result = opened(prepared)
    assert not result.getexif()
    assert "exif" not in result.info
    assert b"PhoneMaker" not in prepared.content and b"Exif" not in prepared.content


def test_a_png_with_exif_and_text_comes_back_without_them():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address: 1 Secret Lane")
    prepared = prepare_picture(png_bytes(pnginfo=info, exif=exif_with_gps()))
    assert b"Secret Lane" not in prepared.content and b"PhoneMaker" not in prepared.content
    assert not opened(prepared).getexif()


def test_the_exif_orientation_is_applied_before_it_is_dropped():
    # Orientation 6: the camera was turned, so the stored 40 × 20 shows as 20 × 40.
    prepared = prepare_picture(jpeg_bytes(exif=exif_with_gps(orientation=6)))
    assert (prepared.width, prepared.height) == (20, 40)
    assert opened(prepared).size == (20, 40)


def test_anything_appended_to_a_png_is_not_kept():
    polyglot = png_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    prepared = prepare_picture(polyglot)
    assert b"<script>" not in prepared.content
    assert prepared.content_type == TrustPicture.Format.PNG


def test_a_plain_svg_is_accepted_and_written_out_again():
    data = b'<?xml version="1.0"?>\n<?xml-stylesheet href="https://evil.example/x.css"?>\n'
    data += b"<!-- made by hand -->" + svg(
        '<title>Logo</title><g transform="scale(2)"><path d="M0 0L10 10" stroke="#000"/>'
        '<use href="#a"/><use xlink:href="#a"/><rect id="a" style="fill:url(#grad)"/></g>'
    )
    prepared = prepare_picture(data)
    assert prepared.content_type == TrustPicture.Format.SVG
    assert (prepared.width, prepared.height) == (120, 60)
    text = prepared.content.decode()
    assert "xml-stylesheet" not in text and "made by hand" not in text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text
    assert "<title>Logo</title>" in text


def test_an_svg_s_size_comes_from_its_view_box_when_it_has_no_width():
    data = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0,0,300.4,150"></svg>'
    prepared = prepare_picture(data)
    assert (prepared.width, prepared.height) == (300, 150)


@pytest.mark.parametrize(
    "root",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" width="50%" height="20"></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10"></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 0 10"></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 -1"></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ten 10"></svg>',
    ],
)
def test_an_svg_that_does_not_say_how_big_it_is_is_refused(root):
    with pytest.raises(ValidationError) as error:
        prepare_picture(root.encode())
    assert error.value.code == "svg_without_size"


# --- what is refused -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"This is a text file, named logo.png.\n",
        b"<html><body><h1>Not a picture</h1><script>alert(1)</script></body></html>",
        b'<html><body><svg xmlns="http://www.w3.org/2000/svg"></svg></body></html>',
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"%PDF-1.7\n",
        b"<?xml version='1.0'?><note>hello</note>",
    ],
    ids=["text", "html", "html with an svg inside", "gif", "pdf", "other xml"],
)
def test_files_that_are_not_png_jpeg_or_svg_are_refused_saying_what_is_accepted(data):
    with pytest.raises(ValidationError) as error:
        prepare_picture(data)
    assert error.value.code == "not_a_picture"
    assert "PNG, JPEG or SVG" in error.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        prepare_picture(b"")
    assert error.value.code == "empty"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    data = png_bytes()
    data += b"\0" * (MAX_PICTURE_BYTES + 1 - len(data))
    with pytest.raises(ValidationError) as error:
        prepare_picture(data)
    assert error.value.code == "too_large"
    assert "the most is 5 MB" in error.value.messages[0]


def test_a_file_at_the_size_limit_is_read():
    data = png_bytes()
    data += b"\0" * (MAX_PICTURE_BYTES - len(data))
    assert prepare_picture(data).content_type == TrustPicture.Format.PNG


def test_a_png_that_only_begins_like_one_is_refused():
    with pytest.raises(ValidationError) as error:
        prepare_picture(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    assert error.value.code == "unreadable"


def test_a_jpeg_cut_short_is_refused():
    with pytest.raises(ValidationError) as error:
        prepare_picture(jpeg_bytes()[:200])
    assert error.value.code == "unreadable"


def test_a_decompression_bomb_is_refused_by_pillow_s_guard():
    # 6,000 × 5,000 = 30 million pixels, a few kilobytes compressed.
    bomb = png_bytes(size=(6000, 5000), mode="1", colour=0)
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError) as error:
        prepare_picture(bomb)
    assert error.value.code == "too_many_pixels"


def test_the_pixel_limit_holds_even_if_pillow_s_guard_is_loosened(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    with pytest.raises(ValidationError) as error:
        prepare_picture(png_bytes(size=(5001, 5000), mode="1", colour=0))
    assert error.value.code == "too_many_pixels"
    assert "5,001 × 5,000" in error.value.messages[0]


def test_a_picture_at_the_pixel_limit_is_accepted(monkeypatch):
    monkeypatch.setattr(pictures, "MAX_PICTURE_PIXELS", 200)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    assert prepare_picture(png_bytes(size=(20, 10))).width == 20
    with pytest.raises(ValidationError):
        prepare_picture(png_bytes(size=(20, 11)))


HOSTILE_SVGS = {
    "script": ("<script>alert(1)</script>", "a <script> element"),
    "onload": None,
    "foreignObject": (
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
        "a <foreignObject> element",
    ),
    "external href": ('<use href="https://evil.example/x.svg#a"/>', "a link to something outside"),
    "xlink javascript": (
        '<a xlink:href="javascript:alert(1)"><rect width="1" height="1"/></a>',
        "a <a> element",
    ),
    "use xlink javascript": ('<use xlink:href="javascript:alert(1)"/>', "a link to something"),
    "image": ('<image href="https://evil.example/pixel.png"/>', "a <image> element"),
    "style element": ("<style>@import url(https://evil.example/x.css);</style>", "<style>"),
    "url in style": (
        '<rect style="fill:url(https://evil.example/track)"/>',
        "a reference to something outside the picture (the attribute style)",
    ),
    "url in fill": ("<rect fill=\"url('https://evil.example/x#a')\"/>", "outside the picture"),
    "import in style": ("<rect style=\"@import 'x.css'\"/>", "active content"),
    "javascript in style": ('<rect style="background:javascript:alert(1)"/>', "active content"),
    "expression in style": ('<rect style="width:expression(alert(1))"/>', "active content"),
    "event handler on a shape": ('<rect onclick="alert(1)"/>', "an event handler (onclick)"),
    "unknown attribute": ('<rect data-x="1"/>', "an attribute data-x"),
    "other namespace attribute": (
        '<rect xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="click"/>',
        "an attribute event",
    ),
    "xlink attribute other than href": ('<rect xlink:title="x"/>', "an attribute title"),
    "element in another namespace": (
        '<h:p xmlns:h="http://www.w3.org/1999/xhtml">x</h:p>',
        "a <p> element",
    ),
}


@pytest.mark.parametrize(
    "inner, named",
    [value for value in HOSTILE_SVGS.values() if value],
    ids=[key for key, value in HOSTILE_SVGS.items() if value],
)
def test_hostile_svgs_are_refused_naming_what_they_contain(inner, named):
    with pytest.raises(ValidationError) as error:
        prepare_picture(svg(inner))
    assert error.value.code == "unsafe_svg"
    assert named in error.value.messages[0]
    assert "upload it as PNG" in error.value.messages[0]


def test_an_svg_with_an_onload_handler_on_its_root_is_refused():
    data = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1" onload="alert(1)"/>'
    with pytest.raises(ValidationError) as error:
        prepare_picture(data)
    assert "an event handler (onload)" in error.value.messages[0]


def test_an_svg_with_entity_expansion_is_refused_without_expanding_it():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&b;</text></svg>'
    )
    with pytest.raises(ValidationError) as error:
        prepare_picture(laughs)
    assert error.value.code == "unsafe_svg"
    assert "DOCTYPE" in error.value.messages[0]


def test_an_svg_with_an_external_entity_is_refused():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&x;</text></svg>'
    )
    with pytest.raises(ValidationError) as error:
        prepare_picture(data)
    assert error.value.code == "unsafe_svg"


def test_broken_svg_is_refused_as_unreadable():
    with pytest.raises(ValidationError) as error:
        prepare_picture(b'<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')
    assert error.value.code == "unreadable"


def test_an_svg_with_too_many_elements_is_refused(monkeypatch):
    monkeypatch.setattr(pictures, "MAX_SVG_ELEMENTS", 3)
    assert prepare_picture(svg("<g/><g/>")).content_type == TrustPicture.Format.SVG
    with pytest.raises(ValidationError) as error:
        prepare_picture(svg("<g/><g/><g/>"))
    assert error.value.code == "too_complex"


def test_xml_space_and_lang_are_the_only_xml_attributes_allowed():
    prepare_picture(svg('<text xml:space="preserve" xml:lang="en">Board</text>'))
    with pytest.raises(ValidationError):
        prepare_picture(svg('<text xml:base="https://evil.example/">Board</text>'))
