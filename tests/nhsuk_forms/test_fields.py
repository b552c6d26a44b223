"""The date field takes day, month and year boxes, and its errors say what to do."""

import datetime

import pytest

from .example import ExampleForm


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
