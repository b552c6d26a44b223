"""Template helpers of the NHS.UK template pack (templates/nhsuk/ in this app).

``nhsuk_widget`` draws a field's input with the NHS.UK classes and the ``aria-describedby``
that ties it to its hint and error message; ``nhsuk_error_summary`` draws the error summary
that opens a page whose form failed, each error linking to the box that needs fixing, and
``nhsuk_problem_summary`` the same component for a problem that is no field's (a conflict, a
refused step): both draw templates/nhsuk/error_summary.html, the component's one copy.
"""

from django import forms, template
from django.forms.formsets import BaseFormSet
from django.template.loader import render_to_string

register = template.Library()

# NHS.UK class of each kind of input, and the class that marks it as in error.
WIDGET_CLASSES = {
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
    "select": ("nhsuk-select", "nhsuk-select--error"),
    "checkbox": ("nhsuk-checkboxes__input", ""),
    "input": ("nhsuk-input", "nhsuk-input--error"),
}


def field_kind(bound_field):
    """What the template pack draws for a field: radios, checkboxes, checkbox, date, select…"""
    widget = bound_field.field.widget
    # CheckboxSelectMultiple is a RadioSelect subclass, so ask about it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.MultiWidget):
        return "date"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


def hint_id(bound_field):
    return f"{bound_field.auto_id}-hint"


def error_id(bound_field):
    return f"{bound_field.auto_id}-error"


def described_by(bound_field):
    ids = []
    if bound_field.help_text:
        ids.append(hint_id(bound_field))
    if bound_field.errors:
        ids.append(error_id(bound_field))
    return " ".join(ids)


def error_target(bound_field):
    """The id an error summary link jumps to: the first box or option of the field."""
    widget = bound_field.field.widget
    # Django numbers the boxes of option lists and multi-part widgets from _0.
    if isinstance(widget, forms.RadioSelect | forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


@register.filter
def nhsuk_kind(bound_field):
    return field_kind(bound_field)


@register.filter
def nhsuk_hint_id(bound_field):
    return hint_id(bound_field)


@register.filter
def nhsuk_error_id(bound_field):
    return error_id(bound_field)


@register.filter
def nhsuk_described_by(bound_field):
    return described_by(bound_field)


@register.filter
def nhsuk_date_parts(bound_field):
    """Day, month and year boxes of a date field: label, id, name and value of each."""
    widget = bound_field.field.widget
    attrs = {"id": bound_field.auto_id}
    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)
    labels = ["Day", "Month", "Year"]
    return [
        {
            "label": label,
            "id": part["attrs"]["id"],
            "name": part["name"],
            "value": part["value"],
            "width": 4 if label == "Year" else 2,
        }
        for label, part in zip(labels, context["widget"]["subwidgets"], strict=True)
    ]


@register.simple_tag
def nhsuk_widget(bound_field):
    """The field's input with NHS.UK classes, keeping any class the form gave the widget."""
    kind = field_kind(bound_field)
    base, error = WIDGET_CLASSES.get(kind, WIDGET_CLASSES["input"])
    classes = [base, bound_field.field.widget.attrs.get("class", "")]
    if bound_field.errors and error:
        classes.append(error)
    attrs = {"class": " ".join(c for c in classes if c)}
    if described_by(bound_field):
        attrs["aria-describedby"] = described_by(bound_field)
    return bound_field.as_widget(attrs=attrs)


def error_items(forms_and_formsets):
    """(link target or None, message) for every error, in page order."""
    items = []
    for form in forms_and_formsets:
        if form is None:
            continue
        if isinstance(form, BaseFormSet):
            items.extend((None, error) for error in form.non_form_errors())
            items.extend(error_items(form.forms))
            continue
        items.extend((None, error) for error in form.non_field_errors())
        for bound_field in form:
            for error in bound_field.errors:
                items.append((error_target(bound_field), error))
    return items


@register.simple_tag
def nhsuk_error_summary(*forms_and_formsets):
    """The NHS.UK error summary for these forms and formsets; nothing when all are valid."""
    items = error_items(forms_and_formsets)
    if not items:
        return ""
    return render_to_string("nhsuk/error_summary.html", {"items": items})


@register.simple_tag
def nhsuk_problem_summary(target, instruction, *description):
    """The NHS.UK error summary for a problem that is not a form field's: `description` (its
    parts joined by spaces) says what happened, and one link to `#target` says what to do."""
    words = " ".join(str(part) for part in description if part)
    return render_to_string(
        "nhsuk/error_summary.html", {"description": words, "items": [(target, instruction)]}
    )


@register.simple_tag
def nhsuk_has_errors(*forms_and_formsets):
    """True when any of the forms failed: pages prefix their title with "Error: "."""
    return bool(error_items(forms_and_formsets))
