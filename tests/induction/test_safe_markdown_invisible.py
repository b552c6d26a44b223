"""Links whose address holds an invisible character (a bidi control or a zero-width
character, written or percent-encoded) are refused on the way in with a message, and lose
their address if one is ever rendered: such an address can display as another."""

import pytest
from django.core.exceptions import ValidationError

from induction.safe_markdown import render_markdown, validate_markdown


@pytest.mark.parametrize(
    "address",
    [
        "https://nhs.example/\u202egnp.exe",  # right-to-left override
        "https://nhs\u200b.example/",  # zero-width space
        "https://nhs.example/%E2%80%AE",  # the override, percent-encoded
        "/trusts/\u2066northshire\u2069/",  # isolates in a site path
        "mailto:hr\u200d@example.nhs.uk",  # zero-width joiner
    ],
)
def test_a_link_address_with_an_invisible_character_is_dropped(address):
    html = render_markdown(f"[Open the policy]({address})")
    assert "href" not in html
    assert "Open the policy" in html


def test_an_ordinary_link_keeps_its_address():
    html = render_markdown("[Board papers](https://northshire.example.nhs.uk/board)")
    assert 'href="https://northshire.example.nhs.uk/board"' in html


@pytest.mark.parametrize(
    ("address", "character"),
    [
        ("https://nhs.example/\u202egnp.exe", "RIGHT-TO-LEFT OVERRIDE"),
        ("https://nhs\u200b.example/", "ZERO WIDTH SPACE"),
        ("https://nhs.example/%E2%80%AE", "RIGHT-TO-LEFT OVERRIDE"),
        ("/trusts/\u2066northshire\u2069/", "LEFT-TO-RIGHT ISOLATE"),
        ("mailto:hr\u200d@example.nhs.uk", "ZERO WIDTH JOINER"),
    ],
)
def test_a_link_address_with_an_invisible_character_is_refused_on_the_way_in(address, character):
    with pytest.raises(ValidationError) as refused:
        validate_markdown(f"Read [Open the policy]({address}) first.")
    (message,) = refused.value.messages
    assert "“Open the policy”" in message
    assert f"({character})" in message
    assert "Type the address again" in message


def test_a_reference_link_or_an_autolink_with_an_invisible_character_is_refused_too():
    for text in ("[policy][p]\n\n[p]: https://nhs\u200b.example/", "<https://nhs\u200b.example/>"):
        with pytest.raises(ValidationError, match="ZERO WIDTH SPACE"):
            validate_markdown(text)


def test_invisible_characters_in_the_words_of_a_link_are_left_alone():
    """Zero-width joiners belong in some scripts and emoji; only addresses must be plain."""
    validate_markdown("[Read the policy \u200d](https://nhs.example/policy)")
