"""Links whose address holds an invisible character (a bidi control or a zero-width
character, written or percent-encoded) lose their address: such an address can display as
another."""

import pytest

from induction.safe_markdown import render_markdown


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
