"""Form fields the NHS.UK template pack draws as NHS.UK components.

``DateField`` is a date typed as day, month and year, drawn as the NHS.UK date input
(templates/nhsuk/layout/date_input.html in this app), with errors that say what to do.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.MultiWidget):
    """Three text boxes named ``<name>_day``, ``<name>_month`` and ``<name>_year``."""

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A date typed as day, month and year, with errors that say what to do."""

    widget = DateInput
    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "Enter the day, month and year",
        "invalid": "Enter a real date, for example 27 3 2027",
    }

    def __init__(self, **kwargs):
        real = "Enter a real date, for example 27 3 2027"
        messages = {"invalid": "Enter the date using numbers", "min_value": real, "max_value": real}
        fields = (
            forms.IntegerField(min_value=1, max_value=31, error_messages=messages),
            forms.IntegerField(min_value=1, max_value=12, error_messages=messages),
            forms.IntegerField(min_value=1900, max_value=2999, error_messages=messages),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        if any(part in (None, "") for part in data_list):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        day, month, year = data_list
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
