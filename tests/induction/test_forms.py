"""The NHS.UK crispy-forms template pack, and the validation of the editor's forms."""

import datetime

import pytest
from crispy_forms.helper import FormHelper
from django import forms
from django.template import Context, Template

from induction import forms as induction_forms
from mdportal.crispy_nhsuk import DateField, SecondarySubmit, Submit


class ExampleForm(forms.Form):
    name = forms.CharField(
        label="What is your name?",
        help_text="As it appears on your badge",
        error_messages={"required": "Enter your name"},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("email", "E-mail"), ("phone", "Phone")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how we should contact you"},
    )
    team = forms.ChoiceField(label="Team", choices=[("hr", "HR"), ("board", "Board")])
    topics = forms.MultipleChoiceField(
        label="Topics",
        choices=[("a", "Governance"), ("b", "Quality")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agree = forms.BooleanField(label="I agree", help_text="Tick to agree", required=False)
    start = DateField(label="When do you start?", required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save"))
        self.helper.add_input(SecondarySubmit("preview", "Preview"))


def render(form, template="{% crispy form %}"):
    source = "{% load crispy_forms_tags nhsuk_forms %}" + template
    return Template(source).render(Context({"form": form}))


def test_fields_render_as_nhs_components_with_labels_and_hints():
    html = render(ExampleForm())
    assert '<label class="nhsuk-label" for="id_name">What is your name?</label>' in html
    assert '<div class="nhsuk-hint" id="id_name-hint">As it appears on your badge</div>' in html
    assert 'class="nhsuk-input" aria-describedby="id_name-hint"' in html
    assert 'class="nhsuk-textarea"' in html
    assert 'class="nhsuk-select"' in html
    assert 'class="nhsuk-radios__input" id="id_contact_0" name="contact" type="radio"' in html
    assert '<legend class="nhsuk-fieldset__legend">How should we contact you?</legend>' in html
    assert 'class="nhsuk-checkboxes__input" id="id_topics_0"' in html
    assert 'class="nhsuk-checkboxes__input" aria-describedby="id_agree-hint"' in html
    assert '<input type="hidden" name="revision"' in html
    assert 'class="nhsuk-button" data-module="nhsuk-button" type="submit" name="save"' in html
    assert 'class="nhsuk-button nhsuk-button--secondary"' in html


def test_date_input_has_day_month_and_year_boxes():
    html = render(ExampleForm(initial={"start": datetime.date(2027, 3, 1)}))
    assert 'class="nhsuk-date-input" id="id_start"' in html
    for part, label, value in (("0", "Day", "1"), ("1", "Month", "3"), ("2", "Year", "2027")):
        assert f'for="id_start_{part}">{label}</label>' in html
        assert f'id="id_start_{part}"' in html
        assert f'value="{value}"' in html
    assert 'name="start_day"' in html and 'name="start_year"' in html


def test_errors_use_nhs_error_markup_and_describe_the_input():
    form = ExampleForm({"name": "", "team": "hr"})
    assert not form.is_valid()
    html = render(form)
    assert 'class="nhsuk-form-group nhsuk-form-group--error"' in html
    assert (
        '<span class="nhsuk-error-message" id="id_name-error">'
        '<span class="nhsuk-u-visually-hidden">Error: </span>Enter your name</span>'
    ) in html
    assert 'class="nhsuk-input nhsuk-input--error"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert '<fieldset class="nhsuk-fieldset" aria-describedby="id_contact-error">' in html


def test_error_summary_links_each_error_to_its_first_box():
    form = ExampleForm(
        {"name": "", "team": "hr", "start_day": "31", "start_month": "2", "start_year": "2027"}
    )
    assert not form.is_valid()
    html = render(form, "{% nhsuk_error_summary form %}")
    assert 'class="nhsuk-error-summary"' in html
    assert '<h2 class="nhsuk-error-summary__heading">There is a problem</h2>' in html
    assert '<a href="#id_name">Enter your name</a>' in html
    assert '<a href="#id_contact_0">Choose how we should contact you</a>' in html
    assert '<a href="#id_start_0">Enter a real date, for example 27 3 2027</a>' in html


def test_error_summary_is_empty_for_a_valid_or_unbound_form():
    assert render(ExampleForm(), "{% nhsuk_error_summary form %}") == ""


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("", "3", "2027", "Enter the day, month and year"),
        ("31", "2", "2027", "Enter a real date, for example 27 3 2027"),
        ("x", "2", "2027", "Enter the date using numbers"),
        ("1", "13", "2027", "Enter a real date, for example 27 3 2027"),
    ],
)
def test_date_field_errors_say_what_to_do(day, month, year, message):
    form = ExampleForm(
        {"name": "A", "contact": "email", "team": "hr",
         "start_day": day, "start_month": month, "start_year": year}
    )  # fmt: skip
    assert not form.is_valid()
    assert message in form.errors["start"]


def test_date_field_accepts_a_real_date():
    form = ExampleForm(
        {"name": "A", "contact": "email", "team": "hr",
         "start_day": "29", "start_month": "2", "start_year": "2028"}
    )  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == datetime.date(2028, 2, 29)


def test_section_form_refuses_oversized_markdown_with_a_clear_message():
    form = induction_forms.SectionForm({"title": "Welcome", "body": "a" * 50_001, "revision": 1})
    assert not form.is_valid()
    assert "Shorten it to 50,000 characters" in " ".join(form.errors["body"])


def test_section_form_needs_a_title():
    form = induction_forms.SectionForm({"title": "", "body": "", "revision": 1})
    assert form.errors["title"] == ["Enter a title for the section"]


def test_overlay_form_needs_the_post_when_delegated():
    form = induction_forms.OverlayForm({"overlay": 1, "status": "delegated", "delegated_to": " "})
    assert not form.is_valid()
    assert form.errors["delegated_to"][0].startswith("Enter the post this responsibility is")


def test_overlay_form_accepts_held_without_a_post():
    form = induction_forms.OverlayForm({"overlay": 1, "status": "held"})
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
    form = induction_forms.PackSettingsForm(
        {"title": "Pack", "visibility": "public", "review_interval_months": months}
    )
    assert form.errors["review_interval_months"] == [message]


def test_compare_form_needs_two_different_published_versions():
    form = induction_forms.CompareForm({"from": "2", "to": "2"}, numbers=[2, 1])
    assert form.errors["__all__"] == ["Choose two different versions to compare"]
    form = induction_forms.CompareForm({"from": "1", "to": "5"}, numbers=[2, 1])
    assert form.errors["to"] == ["Choose one of the published versions"]
    form = induction_forms.CompareForm({"from": "1", "to": "2"}, numbers=[2, 1])
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
    formset = induction_forms.post_holder_formset(section=section, data=data)
    assert formset.is_valid(), formset.errors
    assert formset.rows() == [
        {"name": "Dr A", "title": "Chief Executive", "relation": "reports_to", "contact": ""}
    ]
