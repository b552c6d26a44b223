"""The lists a section holds beside its title and text, each a formset of rows: how the
responsibilities section says who holds each national responsibility here, and the people and
checklist sections' rows, which the editor adds to, reorders and removes from.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import (
    DELETION_FIELD_NAME,
    INITIAL_FORM_COUNT,
    ORDERING_FIELD_NAME,
    TOTAL_FORM_COUNT,
)

from ..models import ChecklistItem, ResponsibilityOverlay, holding_choices, relation_choices
from .base import helper, markdown_text

# How many blank rows a list of people or steps offers at its end, and how many more the
# "Add more blank rows" button (the way to add several without JavaScript) brings.
BLANK_ROWS = 3
MORE_BLANK_ROWS = 5

# The boxes a row of a list has for reordering and removing it, which are not its content.
_LIST_CONTROLS = frozenset({ORDERING_FIELD_NAME, DELETION_FIELD_NAME})


def formset_helper(legend):
    """How the pages draw a formset: inside their own <form>, each row a fieldset headed
    "<legend> 1", "<legend> 2"… (or the row's own legend, as the responsibilities have)."""
    form_helper = FormHelper()
    form_helper.form_tag = False
    form_helper.disable_csrf = True
    form_helper.formset_legend = legend
    return form_helper


class _ShapeCheckedFormSet(forms.BaseFormSet):
    """A formset that knows the shapes its page can send back."""

    def is_tampered(self) -> bool:
        """Whether what came back is not what the page can send: a broken management form, or
        rows the page never draws (`_rows_altered`). Never for a formset not posted."""
        if not self.is_bound:
            return False
        if not self.management_form.is_valid():
            return True
        return self._rows_altered()

    def _rows_altered(self) -> bool:
        raise NotImplementedError


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


class OverlayFormSet(_ShapeCheckedFormSet):
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

    def _rows_altered(self) -> bool:
        """Not one row per responsibility, in the order the page drew them."""
        posted = [form.data.get(form.add_prefix("overlay")) for form in self.forms]
        return posted != [str(overlay.pk) for overlay in self.overlays]


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


class RowForm(forms.Form):
    """One row of an ItemFormSet."""

    def has_changed(self):
        """Whether the editor filled anything in: a blank row keeps being blank (ignored on
        saving, never checked) when the page numbers its position or it is ticked for removal."""
        return any(name not in _LIST_CONTROLS for name in self.changed_data)


class ItemFormSet(_ShapeCheckedFormSet):
    """A list the editor can add to (blank rows at the end), reorder (a position box per row,
    which the page's script fills in as rows are dragged or moved) and remove from (a tick box
    per row)."""

    delete_label = "Remove this item"

    def _rows_altered(self) -> bool:
        """Counts a page cannot send: rows are only ever added to the ones the page was drawn
        with, never taken away, and never past the list's limit (the page's script stops
        there)."""
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

    def _is_blank_new_row(self, index, form):
        """A row the page added at the end that the editor left blank: never kept or shown."""
        return index >= self.initial_form_count() and not form.has_changed()

    def _kept(self):
        for index, form in enumerate(self.forms):
            removed = form.cleaned_data.get(DELETION_FIELD_NAME)
            if not self._is_blank_new_row(index, form) and not removed:
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
        return [
            {name: value for name, value in form.cleaned_data.items() if name not in _LIST_CONTROLS}
            for _, form in kept
        ]

    def typed_rows(self) -> list[dict]:
        """What the editor typed in each row that is not blank, unchecked, in the order of the
        position boxes: the initial values of the same list shown again ("Add more blank
        rows") without saving. A row ticked for removal stays ticked."""
        typed = []
        for index, form in enumerate(self.forms):
            if self._is_blank_new_row(index, form):
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

