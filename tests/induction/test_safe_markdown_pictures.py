"""Pictures in trust-written Markdown: only a trust's picture library, always described.

Each part of `PICTURE_URL` and each refusal of `validate_markdown` has a test that fails if it
is changed: the sanitiser is one of the portal's mutation-tested rule modules."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from induction.safe_markdown import PICTURE_URL, is_picture_url, render_markdown, validate_markdown

KEY = "0123456789abcdef0123456789abcdef"
PICTURE = f"/trusts/testshire/induction/pictures/{KEY}.png"


def test_the_picture_address_is_the_one_the_picture_view_answers_at():
    for extension in ("png", "jpg", "svg"):
        url = reverse(
            "induction:picture",
            kwargs={"slug": "north_shire-2", "key": KEY, "extension": extension},
        )
        assert PICTURE_URL.fullmatch(url), url


@pytest.mark.parametrize(
    "url",
    [
        PICTURE,
        f"/trusts/testshire/induction/pictures/{KEY}.jpg",
        f"/trusts/testshire/induction/pictures/{KEY}.svg",
        f"/trusts/North_shire-2/induction/pictures/{KEY}.png",
    ],
)
def test_library_pictures_of_each_type_are_shown(url):
    assert is_picture_url(url)
    assert f'<img alt="Site map" src="{url}">' in render_markdown(f"![Site map]({url})")


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.com/logo.png",
        f"https://portal.example/trusts/testshire/induction/pictures/{KEY}.png",
        f"//evil.example/trusts/testshire/induction/pictures/{KEY}.png",
        f"trusts/testshire/induction/pictures/{KEY}.png",
        f"/x/trusts/testshire/induction/pictures/{KEY}.png",
        f"/trusts/testshire/induction/pictures/{KEY}.png/x",
        f"/trusts/testshire/induction/pictures/{KEY}.pngx",
        f"/trusts/testshire/induction/pictures/{KEY}.gif",
        f"/trusts/testshire/induction/pictures/{KEY}.html",
        f"/trusts/testshire/induction/pictures/{KEY}",
        f"/trusts/testshire/induction/pictures/{KEY[:-1]}.png",
        f"/trusts/testshire/induction/pictures/{KEY}0.png",
        f"/trusts/testshire/induction/pictures/{KEY.upper()}.png",
        f"/trusts/testshire/induction/pictures/{KEY[:-1]}g.png",
        f"/trusts/testshire/induction/pictures/{KEY}%2Epng",
        f"/trusts/testshire/induction/pictures/{KEY}.png?x=1",
        f"/trusts/testshire/induction/pictures/{KEY}.png#x",
        f"/trusts//induction/pictures/{KEY}.png",
        f"/trusts/../induction/pictures/{KEY}.png",
        f"/trusts/%2e%2e/induction/pictures/{KEY}.png",
        f"/trusts/a/b/induction/pictures/{KEY}.png",
        f"/trusts/test.shire/induction/pictures/{KEY}.png",
        f"/trusts/testshire/induction/edit/pictures/{KEY}.png",
        f"/trusts/testshire/induction/pictures/../pictures/{KEY}.png",
        f"/media/pictures/1/{KEY}.png",
        f"/static/{KEY}.png",
        f"/trusts/test\\shire/induction/pictures/{KEY}.png",
        f"/trusts/testshire/induction/pictures/{KEY}.png\n",
    ],
)
def test_anything_but_a_library_picture_address_is_refused(url):
    assert not is_picture_url(url)


@pytest.mark.parametrize(
    "text",
    [
        f"![x](/trusts/testshire/induction/pictures/{KEY}%2Epng)",
        f"![x](/trusts/%74estshire/induction/pictures/{KEY}.png)",
        f"![x](/trusts/testshire/induction/pictures/%2e%2e/{KEY}.png)",
        f"![x](/trusts/testshire/induction/pictures/{KEY}.png%00)",
        "![x](https://evil.example.com/x.png)",
        "![x](/media/logo.png)",
    ],
)
def test_encoded_traversal_and_remote_pictures_keep_their_description_only(text):
    html = render_markdown(text)
    assert "src=" not in html and 'alt="x"' in html


def test_a_remote_picture_is_refused_with_what_to_do_instead():
    with pytest.raises(ValidationError) as error:
        validate_markdown("Intro.\n\n![Trust logo](https://cdn.example.com/logo.png)")
    assert error.value.code == "picture_not_in_library"
    message = error.value.messages[0]
    assert "“Trust logo” (https://cdn.example.com/logo.png)" in message
    assert "Upload it to the picture library" in message
    assert "insert it from there" in message


def test_a_refused_picture_without_a_description_is_named_by_its_address():
    with pytest.raises(ValidationError) as error:
        validate_markdown("![](/media/logo.png)")
    assert error.value.code == "picture_not_in_library"
    assert "“/media/logo.png” (/media/logo.png)" in error.value.messages[0]


def test_a_reference_style_remote_picture_is_refused_too():
    with pytest.raises(ValidationError) as error:
        validate_markdown("![Logo][logo]\n\n[logo]: https://cdn.example.com/logo.png")
    assert error.value.code == "picture_not_in_library"


@pytest.mark.parametrize("alt", ["", " ", "  \t "])
def test_a_library_picture_without_a_description_is_refused(alt):
    with pytest.raises(ValidationError) as error:
        validate_markdown(f"![{alt}]({PICTURE})")
    assert error.value.code == "picture_without_description"
    assert PICTURE in error.value.messages[0]
    assert "Write what it shows between the square brackets" in error.value.messages[0]


def test_every_picture_is_checked_not_only_the_first():
    with pytest.raises(ValidationError) as error:
        validate_markdown(f"![Site map]({PICTURE})\n\n![]({PICTURE})")
    assert error.value.code == "picture_without_description"


def test_a_described_library_picture_and_text_that_only_looks_like_one_are_accepted():
    validate_markdown(f"![Site map]({PICTURE})\n\nTyped `<img src=x>` and ![not closed(")
    validate_markdown("Text with no pictures at all.")


def test_an_escaped_bracket_in_a_description_stays_in_it():
    html = render_markdown(f"![Map \\[new\\] site]({PICTURE})")
    assert f'<img alt="Map [new] site" src="{PICTURE}">' in html
    validate_markdown(f"![Map \\[new\\] site]({PICTURE})")
