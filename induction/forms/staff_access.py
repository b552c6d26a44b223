"""The form with which platform staff start to act as an editor of a trust, saying why."""

from django import forms

from ..models import StaffAccess
from ..staff_access import REASON_REQUIRED, REASON_TOO_LONG, duration_words
from .base import helper


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
