"""The template pack draws each field, error and button as its NHS.UK component."""

import datetime
from pathlib import Path

from django.template import Context, Template
from django.template.loader import get_template

import nhsuk_forms

from .example import ExampleForm


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


def test_the_pack_templates_come_from_the_form_kit_app():
    origin = Path(get_template("nhsuk/field.html").origin.name)
    assert origin.is_relative_to(Path(nhsuk_forms.__file__).parent / "templates")


def test_a_problem_that_is_no_field_s_gets_the_same_error_summary_component():
    template = Template(
        "{% load nhsuk_forms %}"
        '{% nhsuk_problem_summary "yours" "Compare your changes" "It changed." who|add:"." %}'
    )
    html = template.render(Context({"who": "<b>Alex</b> saved it"}))
    assert '<div class="nhsuk-error-summary" data-module="nhsuk-error-summary">' in html
    assert '<h2 class="nhsuk-error-summary__heading">There is a problem</h2>' in html
    assert "<p>It changed. &lt;b&gt;Alex&lt;/b&gt; saved it.</p>" in html
    assert '<li><a href="#yours">Compare your changes</a></li>' in html


def test_every_error_summary_on_the_site_is_drawn_by_the_one_template():
    """NHS.UK component markup is written once: pages use the form kit's tags for it."""
    root = Path(__file__).resolve().parents[2]
    written = [
        path.relative_to(root).as_posix()
        for folder in ("templates", "nhsuk_forms")
        for path in (root / folder).rglob("*.html")
        if 'class="nhsuk-error-summary"' in path.read_text(encoding="utf-8")
    ]
    assert written == ["nhsuk_forms/templates/nhsuk/error_summary.html"]
