"""The draft editor's own forms: adding a section, a section's title and text, the pack's
settings, and the revision a confirmation page was loaded with.
"""

from django import forms

from ..models import InductionPack, Section
from .base import MARKDOWN_HINT, WarnsOfUnsavedChanges, helper, markdown_text


def section_title(label):
    """The title field of a section, asked for by `label`: on the page that adds one and on
    the page that edits one."""
    return forms.CharField(
        label=label,
        max_length=200,
        error_messages={
            "required": "Enter a title for the section",
            "max_length": "Shorten the title to 200 characters or fewer",
        },
        widget=forms.TextInput(attrs={"class": "nhsuk-u-width-two-thirds"}),
    )


class SectionAddForm(WarnsOfUnsavedChanges, forms.Form):
    title = section_title("What is the section called?")
    kind = forms.ChoiceField(
        label="What kind of section is it?",
        choices=Section.Kind.choices,
        initial=Section.Kind.MARKDOWN,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of section to add"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("title", "kind", submit="Add the section", form_tag=True)
        self.warn_of_unsaved_changes()


class SectionForm(WarnsOfUnsavedChanges, forms.Form):
    """Title and text of any section, with the revision the editor started from."""

    title = section_title("Section title")
    body = forms.CharField(
        label="Text of the section",
        required=False,
        strip=False,
        help_text=MARKDOWN_HINT,
        validators=[markdown_text],
        # data-markdown: static/js/markdown-editor.mjs adds its toolbar ("full" or "short")
        # and paste handling.
        widget=forms.Textarea(attrs={"rows": 16, "data-markdown": "full"}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, kind=Section.Kind.MARKDOWN, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != Section.Kind.MARKDOWN:
            self.fields["body"].label = "Introduction (optional)"
            self.fields["body"].widget.attrs["rows"] = 6
        self.helper = helper("title", "body", "revision")


class PackSettingsForm(WarnsOfUnsavedChanges, forms.Form):
    title = forms.CharField(
        label="Title of the pack",
        max_length=200,
        error_messages={
            "required": "Enter a title for the pack",
            "max_length": "Shorten the title to 200 characters or fewer",
        },
    )
    visibility = forms.ChoiceField(
        label="Who can read the published pack?",
        choices=InductionPack.Visibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who can read the published pack"},
    )
    requires_approval = forms.BooleanField(
        label="Require approval by a second person before publishing",
        help_text="An approver who has not edited the draft since the last version must "
        "publish each version.",
        required=False,
    )
    review_interval_months = forms.IntegerField(
        label="How often should the pack be reviewed?",
        help_text="In months, from 1 to 36. Each version shows its next review date.",
        # The model's validators: the range is defined once, on InductionPack.
        validators=InductionPack._meta.get_field("review_interval_months").validators,
        error_messages={
            "required": "Enter how many months there should be between reviews",
            "invalid": "Enter the number of months as a whole number, for example 12",
        },
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-2", "inputmode": "numeric"}),
    )
    # The settings revision the form was loaded with: a stale form is a conflict.
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            "title",
            "visibility",
            "requires_approval",
            "review_interval_months",
            "revision",
            submit="Save the settings",
            form_tag=True,
        )
        self.warn_of_unsaved_changes()

    def changed_settings_display(self) -> list[tuple[str, str]]:
        """The settings the user changed, as (label, value in words) for a conflict page."""
        shown = []
        for field, value in self.changed_settings().items():
            choices = dict(getattr(self.fields[field], "choices", []))
            if isinstance(value, bool):
                words = "Yes" if value else "No"
            else:
                words = str(choices.get(value, value))
            shown.append((str(self.fields[field].label), words))
        return shown

    def changed_settings(self) -> dict:
        """Only the settings the user changed on this form, for `services.update_pack_settings`:
        a setting someone else changed meanwhile is never written back."""
        return {
            field: self.cleaned_data[field] for field in self.changed_data if field != "revision"
        }


class RevisionForm(forms.Form):
    """Only the revision a confirmation page was loaded with (removing a section; restoring a
    version, which carries the draft's revision)."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

