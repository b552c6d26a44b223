"""Validation of the editor's forms: each error says what to do."""

import pytest

from induction.forms.editing import PackSettingsForm, SectionForm
from induction.forms.history import CompareForm
from induction.forms.section_lists import OverlayForm, post_holder_formset


def test_section_form_refuses_oversized_markdown_with_a_clear_message():
    form = SectionForm({"title": "Welcome", "body": "a" * 50_001, "revision": 1})
    assert not form.is_valid()
    assert "Shorten it to 50,000 characters" in " ".join(form.errors["body"])


def test_section_form_needs_a_title():
    form = SectionForm({"title": "", "body": "", "revision": 1})
    assert form.errors["title"] == ["Enter a title for the section"]


def test_overlay_form_needs_the_post_when_delegated():
    form = OverlayForm({"overlay": 1, "status": "delegated", "delegated_to": " "})
    assert not form.is_valid()
    assert form.errors["delegated_to"][0].startswith("Enter the post this responsibility is")


def test_overlay_form_accepts_held_without_a_post():
    form = OverlayForm({"overlay": 1, "status": "held"})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "months, message",
    [
        ("0", "Enter a review interval of at least 1 month"),
        ("37", "Enter a review interval of 36 months or fewer"),
        ("twelve", "Enter the number of months as a whole number, for example 12"),
        ("", "Enter how many months there should be between reviews"),
    ],
)
def test_settings_form_review_interval_errors_say_what_to_do(months, message):
    form = PackSettingsForm(
        {"title": "Pack", "visibility": "public", "review_interval_months": months}
    )
    assert form.errors["review_interval_months"] == [message]


def test_compare_form_needs_two_different_published_versions():
    form = CompareForm({"from": "2", "to": "2"}, numbers=[2, 1])
    assert form.errors["__all__"] == ["Choose two different versions to compare"]
    form = CompareForm({"from": "1", "to": "5"}, numbers=[2, 1])
    assert form.errors["to"] == ["Choose one of the published versions"]
    form = CompareForm({"from": "1", "to": "2"}, numbers=[2, 1])
    assert form.is_valid()
    assert (form.cleaned_data["from"], form.cleaned_data["to"]) == (1, 2)


def test_post_holder_rows_skip_blank_and_removed_rows(pack):
    section = pack.sections.get(kind="people")
    section.post_holders.all().delete()
    data = {
        "people-TOTAL_FORMS": "3", "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0", "people-MAX_NUM_FORMS": "1000",
        "people-0-name": "Dr A", "people-0-title": "Chief Executive",
        "people-0-relation": "reports_to",
        "people-1-name": "Dr B", "people-1-title": "Chair", "people-1-relation": "works_with",
        "people-1-DELETE": "on",
    }  # fmt: skip
    formset = post_holder_formset(
        section=section, data=data, board_role_name="Medical Director"
    )
    assert formset.is_valid(), formset.errors
    assert formset.rows() == [
        {"name": "Dr A", "title": "Chief Executive", "relation": "reports_to", "contact": ""}
    ]
