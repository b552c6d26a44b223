"""Forms of the pack editor, publishing and history pages, drawn by the NHS.UK crispy pack.

The forms only validate and shape input; saving goes through induction/services.py (and
`pack.publish`), which check permissions, guard against concurrent edits and write the audit
trail. Labels are questions or plain names; every error says what to do.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import (
    DELETION_FIELD_NAME,
    INITIAL_FORM_COUNT,
    ORDERING_FIELD_NAME,
    TOTAL_FORM_COUNT,
)

from nhsuk_forms.layout import SecondarySubmit, Submit

from .approvals import COMMENTS_REQUIRED, COMMENTS_TOO_LONG, MESSAGE_TOO_LONG
from .models import (
    ApprovalRequest,
    ChecklistItem,
    InductionPack,
    ResponsibilityOverlay,
    Section,
    StaffAccess,
    holding_choices,
    relation_choices,
)
from .safe_markdown import validate_markdown
from .staff_access import REASON_REQUIRED, REASON_TOO_LONG, duration_words

MARKDOWN_HINT = (
    "Write in Markdown: start a line with # for a heading (## for a smaller one) or * for a "
    "bullet point, "
    "write [link text](https://example.nhs.uk) for a link, and | between table cells."
)


def markdown_text(value):
    """Validate trust-written Markdown with the sanitiser's own rules (ValidationError)."""
    validate_markdown(value)
    return value


def helper(*fields, submit=None, form_tag=False):
    """A FormHelper with the given layout; the pages draw the <form> and buttons themselves
    when a form shares them with formsets."""
    form_helper = FormHelper()
    form_helper.form_tag = form_tag
    # Without its own <form> tag the page's form carries the CSRF token, once.
    form_helper.disable_csrf = not form_tag
    form_helper.layout = Layout(*fields)
    if submit:
        form_helper.add_input(Submit("submit", submit))
    return form_helper


def attach_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else the form."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


class WarnsOfUnsavedChanges:
    """A form the browser asks about before the page is left with its changes not saved
    (static/js/unsaved-changes.mjs): its <form> carries `data-unsaved-changes`, which a form
    drawn by crispy gets from its helper and a page drawing its own <form> writes itself."""

    @property
    def unsaved_changes(self) -> str:
        # A bound form shown again (an error, a preview, changes kept over a sign-in) holds
        # what was typed, not saved yet.
        return "unsaved" if self.is_bound else "saved"

    def warn_of_unsaved_changes(self):
        """Put the attribute on the <form> that crispy draws from this form's helper."""
        self.helper.attrs = {**self.helper.attrs, "data-unsaved-changes": self.unsaved_changes}


class SectionAddForm(WarnsOfUnsavedChanges, forms.Form):
    title = forms.CharField(
        label="What is the section called?",
        max_length=200,
        error_messages={
            "required": "Enter a title for the section",
            "max_length": "Shorten the title to 200 characters or fewer",
        },
        widget=forms.TextInput(attrs={"class": "nhsuk-u-width-two-thirds"}),
    )
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

    title = forms.CharField(
        label="Section title",
        max_length=200,
        error_messages={
            "required": "Enter a title for the section",
            "max_length": "Shorten the title to 200 characters or fewer",
        },
        widget=forms.TextInput(attrs={"class": "nhsuk-u-width-two-thirds"}),
    )
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


class OverlayForm(forms.Form):
    """How one national responsibility is held in this trust."""

    overlay = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label="Who holds this responsibility here?",
        choices=ResponsibilityOverlay.Status.choices,  # worded for the board role in __init__
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who holds this responsibility"},
    )
    delegated_to = forms.CharField(
        label="If delegated, to which post?",
        help_text="For example, Director of Nursing",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "nhsuk-u-width-two-thirds"}),
    )
    note = forms.CharField(
        label="Local note (optional)",
        required=False,
        strip=False,
        validators=[markdown_text],
        widget=forms.Textarea(attrs={"rows": 3, "data-markdown": "short"}),
    )

    def __init__(self, *args, legend="", hint="", board_role_name="", **kwargs):
        super().__init__(*args, **kwargs)
        self.formset_legend = legend
        self.formset_hint = hint
        self.fields["status"].choices = holding_choices(board_role_name)
        self.helper = helper("overlay", "status", "delegated_to", "note")

    def clean(self):
        """The model's own rule: a delegated responsibility names its post."""
        cleaned = super().clean()
        overlay = ResponsibilityOverlay(
            status=cleaned.get("status", ""), delegated_to=cleaned.get("delegated_to", "")
        )
        try:
            overlay.clean()
        except ValidationError as error:
            self.add_error(None, error)
        else:
            cleaned["delegated_to"] = overlay.delegated_to
        return cleaned


class OverlayFormSet(forms.BaseFormSet):
    """One OverlayForm per national responsibility; `overlays` gives legend and hint."""

    def __init__(self, *args, overlays=(), **kwargs):
        self.overlays = list(overlays)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.overlays):
            responsibility = self.overlays[index].responsibility
            kwargs.update(legend=responsibility.title, hint=responsibility.description)
        return kwargs

    def is_tampered(self) -> bool:
        """Whether what came back is not one row per responsibility, in the order the page
        drew them: the page itself never sends anything else."""
        if not self.is_bound:
            return False
        if not self.management_form.is_valid():
            return True
        posted = [form.data.get(form.add_prefix("overlay")) for form in self.forms]
        return posted != [str(overlay.pk) for overlay in self.overlays]


# How many blank rows a list of people or steps offers at its end, and how many more the
# "Add more blank rows" button (the way to add several without JavaScript) brings.
BLANK_ROWS = 3
MORE_BLANK_ROWS = 5


class RowForm(forms.Form):
    """One row of an ItemFormSet."""

    def has_changed(self):
        """Whether the editor filled anything in: a blank row keeps being blank (ignored on
        saving, never checked) when the page numbers its position or it is ticked for removal."""
        ignored = {ORDERING_FIELD_NAME, DELETION_FIELD_NAME}
        return any(name not in ignored for name in self.changed_data)


class ItemFormSet(forms.BaseFormSet):
    """A list the editor can add to (blank rows at the end), reorder (a position box per row,
    which the page's script fills in as rows are dragged or moved) and remove from (a tick box
    per row)."""

    delete_label = "Remove this item"

    def is_tampered(self) -> bool:
        """Whether the counts that come back with the list are not what a page can send: rows
        are only ever added to the ones the page was drawn with, never taken away, and never
        past the list's limit (the page's script stops there)."""
        if not self.is_bound:
            return False
        if not self.management_form.is_valid():
            return True
        initial = self.management_form.cleaned_data[INITIAL_FORM_COUNT]
        total = self.management_form.cleaned_data[TOTAL_FORM_COUNT]
        return not 0 <= initial <= total <= max(self.max_num, initial)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = self.delete_label
        if ORDERING_FIELD_NAME in form.fields:
            position = form.fields[ORDERING_FIELD_NAME]
            position.label = "Position in the list"
            position.widget = forms.TextInput(
                attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}
            )
            position.error_messages["invalid"] = (
                "Enter the position as a whole number, for example 3"
            )

    @staticmethod
    def _position_key(position, index):
        """Where a row goes: by the position typed in its box, rows without one last. A row
        given the position another row already has goes before that row if it was moved up,
        after it if moved down, so typing 3 in row 7 makes it the third row."""
        if position is None:
            return (1, 0, 0, index)
        shown_at = index + 1
        return (0, position, (position > shown_at) - (position < shown_at), index)

    def _kept(self):
        for index, form in enumerate(self.forms):
            blank_new_row = index >= self.initial_form_count() and not form.has_changed()
            if not blank_new_row and not form.cleaned_data.get(DELETION_FIELD_NAME):
                yield index, form

    def rows(self):
        """The rows to keep, in the order of their positions, as dicts for
        `services.save_section`: every existing row not marked for removal (changed or not),
        and every new row with something in it."""
        kept = sorted(
            self._kept(),
            key=lambda pair: self._position_key(
                pair[1].cleaned_data.get(ORDERING_FIELD_NAME), pair[0]
            ),
        )
        ignored = {ORDERING_FIELD_NAME, DELETION_FIELD_NAME}
        return [
            {name: value for name, value in form.cleaned_data.items() if name not in ignored}
            for _, form in kept
        ]

    def typed_rows(self) -> list[dict]:
        """What the editor typed in each row that is not blank, unchecked, in the order of the
        position boxes: the initial values of the same list shown again ("Add more blank
        rows") without saving. A row ticked for removal stays ticked."""
        typed = []
        for index, form in enumerate(self.forms):
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            values = {name: form[name].data for name in form.fields}
            position = str(values.pop(ORDERING_FIELD_NAME, "") or "").strip()
            readable = position.isascii() and position.isdigit() and len(position) <= 9
            number = int(position) if readable else None
            typed.append((self._position_key(number, index), values))
        return [values for _, values in sorted(typed, key=lambda pair: pair[0])]


class PostHolderForm(RowForm):
    # The list's hints (an example of each field) are said once, above the rows.
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Enter the person's name"},
    )
    title = forms.CharField(
        label="Job title",
        max_length=200,
        error_messages={"required": "Enter the person's job title"},
    )
    relation = forms.ChoiceField(
        label="How do they work with the role-holder?",  # worded for the role in __init__
        error_messages={"required": "Choose how they work with the role-holder"},
    )
    contact = forms.CharField(
        label="E-mail address or telephone number (optional)",
        max_length=200,
        required=False,
    )

    def __init__(self, *args, board_role_name="", **kwargs):
        super().__init__(*args, **kwargs)
        relation = self.fields["relation"]
        relation.choices = [("", "Choose one"), *relation_choices(board_role_name)]
        relation.label = f"How do they work with the {board_role_name}?"
        relation.error_messages["required"] = f"Choose how they work with the {board_role_name}"
        self.helper = helper("name", "title", "relation", "contact")


class PostHolderFormSet(ItemFormSet):
    delete_label = "Remove this person"


class ChecklistItemForm(RowForm):
    # The list's hints (an example step, what the timings mean) are said once, above the rows.
    text = forms.CharField(
        label="What should the role-holder do?",  # worded for the board role in __init__
        max_length=300,
        error_messages={
            "required": "Enter what the role-holder should do",
            "max_length": "Shorten this step to 300 characters or fewer",
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ChoiceField(
        label="What kind of step is it?",
        choices=[("", "Choose one"), *ChecklistItem.Category.choices],
        error_messages={"required": "Choose what kind of step it is"},
    )
    due_by_day = forms.TypedChoiceField(
        label="By when?",
        choices=ChecklistItem.Timing.choices,
        coerce=int,
        initial=ChecklistItem.Timing.DAY_30,
        error_messages={"required": "Choose when this step should be done by"},
    )
    # The step's stable key (see ChecklistFormSet); empty for a new step.
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def __init__(self, *args, board_role_name="", **kwargs):
        super().__init__(*args, **kwargs)
        text = self.fields["text"]
        text.label = f"What should the {board_role_name} do?"
        text.error_messages["required"] = f"Enter what the {board_role_name} should do"
        # Tall enough to show the whole step, never less than three lines: a long step must
        # not hide behind a scroll bar (reorder.mjs grows the box as the editor types).
        typed = str(self["text"].value() or "")
        text.widget.attrs["rows"] = max(3, len(typed) // 60 + 1 + typed.count("\n"))
        self.helper = helper("text", "category", "due_by_day", "key")


class ChecklistFormSet(ItemFormSet):
    """The checklist's steps. Each row carries its step's key, so that a step keeps its key
    (and an inductee's tick stays with it) however often the section is saved; a key that is
    not one of the section's own, or comes back twice, is dropped and the step gets a new one."""

    delete_label = "Remove this step"

    def __init__(self, *args, keys=(), **kwargs):
        self.keys = frozenset(keys)
        super().__init__(*args, **kwargs)

    def rows(self):
        kept, seen = [], set()
        for row in super().rows():
            key = row.pop("key", "")
            if key in self.keys and key not in seen:
                row["key"] = key
                seen.add(key)
            kept.append(row)
        return kept


def formset_helper(legend):
    """How the pages draw a formset: inside their own <form>, each row a fieldset headed
    "<legend> 1", "<legend> 2"… (or the row's own legend, as the responsibilities have)."""
    form_helper = FormHelper()
    form_helper.form_tag = False
    form_helper.disable_csrf = True
    form_helper.formset_legend = legend
    return form_helper


def overlay_formset(*, overlays, board_role_name, data=None):
    factory = forms.formset_factory(OverlayForm, formset=OverlayFormSet, extra=0)
    initial = [
        {"overlay": o.pk, "status": o.status, "delegated_to": o.delegated_to, "note": o.note}
        for o in overlays
    ]
    return factory(
        data,
        initial=initial,
        overlays=overlays,
        prefix="overlays",
        form_kwargs={"board_role_name": board_role_name},
    )


def _item_factory(form, formset, max_num, blank_rows):
    return forms.formset_factory(
        form, formset=formset, extra=blank_rows, can_delete=True, can_order=True, max_num=max_num
    )


def post_holder_formset(*, section, board_role_name, data=None, typed=None, blank_rows=BLANK_ROWS):
    """The section's people as a list of rows, with `blank_rows` blank ones at the end: bound to
    `data` (a posted form), or unbound showing the section's people or the `typed` rows."""
    factory = _item_factory(PostHolderForm, PostHolderFormSet, 100, blank_rows)
    if typed is None:
        typed = [
            {"name": h.name, "title": h.title, "relation": h.relation, "contact": h.contact}
            for h in section.post_holders.all()
        ]
    return factory(
        data, initial=typed, prefix="people", form_kwargs={"board_role_name": board_role_name}
    )


def checklist_formset(*, section, board_role_name, data=None, typed=None, blank_rows=BLANK_ROWS):
    """The section's steps as a list of rows, as `post_holder_formset`; each row carries its
    step's key, and only the section's own keys are kept (ChecklistFormSet)."""
    factory = _item_factory(ChecklistItemForm, ChecklistFormSet, 200, blank_rows)
    items = list(section.checklist.all())
    if typed is None:
        typed = [
            {"text": i.text, "category": i.category, "due_by_day": i.due_by_day, "key": i.key}
            for i in items
        ]
    return factory(
        data,
        initial=typed,
        prefix="checklist",
        keys=[item.key for item in items],
        form_kwargs={"board_role_name": board_role_name},
    )


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
    """Only the revision a confirmation page was loaded with (removing a section)."""

    revision = forms.IntegerField(widget=forms.HiddenInput)


class PublishForm(forms.Form):
    # The draft revision the publisher was shown: publishing a newer draft is refused.
    revision = forms.IntegerField(widget=forms.HiddenInput)
    change_summary = forms.CharField(
        label="What has changed in this version? (optional)",
        help_text="Readers see this beside the version, for example: New Chief Executive's "
        "contact details.",
        max_length=1000,
        required=False,
        error_messages={"max_length": "Shorten the summary to 1,000 characters or fewer"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            "change_summary", "revision", submit="Publish this version", form_tag=True
        )


class ApprovalRequestForm(forms.Form):
    """An editor asking the trust's approvers to publish the draft."""

    message = forms.CharField(
        label="What should the approver know? (optional)",
        help_text="For example: what you changed and why, or anything you want them to check.",
        max_length=ApprovalRequest.MESSAGE_LENGTH,
        required=False,
        error_messages={"max_length": MESSAGE_TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("message", submit="Ask for approval", form_tag=True)


class ReturnForm(forms.Form):
    """An approver sending the draft back to the editor who asked, with comments. Posts to
    `action`, the return address, from the publish page or its own page."""

    comments = forms.CharField(
        label="What needs to change before it can be published?",
        help_text="The editor who asked for approval reads this on the editor's page and by "
        "e-mail.",
        max_length=ApprovalRequest.COMMENTS_LENGTH,
        error_messages={"required": COMMENTS_REQUIRED, "max_length": COMMENTS_TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("comments", form_tag=True)
        self.helper.add_input(SecondarySubmit("submit", "Return with comments"))
        self.helper.form_action = action


class StaffAccessForm(forms.Form):
    """Platform staff starting to act as an editor of a trust: why, in words its editors read.
    Posts to `action`, the act-as-editor address, from whichever page offers it."""

    reason = forms.CharField(
        label="Why do you need to change this trust's pack?",
        help_text="For example: the trust asked us to correct the Chief Executive's name while "
        "their editor is away. The trust's editors will read this in their audit trail.",
        max_length=StaffAccess.REASON_LENGTH,
        error_messages={"required": REASON_REQUIRED, "max_length": REASON_TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("reason", submit="Act as an editor", form_tag=True)
        self.helper.form_action = action
        # How long the access will last, for the page that offers it ("4 hours").
        self.duration = duration_words()


class CompareForm(forms.Form):
    """Choose two published versions to compare: a GET form, `?from=1&to=2`."""

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(number, f"Version {number}") for number in numbers]
        messages = {
            "invalid_choice": "Choose one of the published versions",
            "required": "Choose a version to compare",
        }
        # "from" is a Python keyword, so these fields are added by name rather than declared.
        self.fields["from"] = forms.TypedChoiceField(
            label="Compare version", choices=choices, coerce=int, error_messages=messages
        )
        self.fields["to"] = forms.TypedChoiceField(
            label="with version", choices=choices, coerce=int, error_messages=messages
        )
        self.helper = helper("from", "to", form_tag=True)
        self.helper.form_method = "get"
        # No name on the button, so the address stays ?from=1&to=2.
        self.helper.add_input(Submit("", "Compare", css_id="compare-button"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from") is not None and cleaned.get("from") == cleaned.get("to"):
            raise ValidationError("Choose two different versions to compare")
        return cleaned


class PictureUploadForm(forms.Form):
    """A picture for the trust's library and its description. The file's bytes are checked by
    induction/pictures.py, not here: its name and stated type are never trusted."""

    file = forms.FileField(
        label="Choose a picture",
        help_text="PNG, JPEG or SVG, up to 5 MB and 25 million pixels. Photographs are stored "
        "without their hidden details (such as where they were taken).",
        error_messages={
            "required": "Choose a picture to upload",
            "empty": "The file is empty. Choose the picture again",
        },
        widget=forms.FileInput(attrs={"accept": ".png,.jpg,.jpeg,.svg"}),
    )
    alt_text = forms.CharField(
        label="Describe what the picture shows",
        max_length=250,
        help_text="For people who cannot see it, for example “Map of the hospital site, with "
        "the main entrance on Park Road”. Up to 250 characters.",
        error_messages={
            "required": "Describe what the picture shows, for people who cannot see it",
            "max_length": "Shorten the description to 250 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("file", "alt_text", submit="Upload the picture", form_tag=True)
