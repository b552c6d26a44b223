"""Getting a draft published: the publish form, an editor asking the trust's approvers to
publish, and an approver returning the draft with comments.
"""

from django import forms

from nhsuk_forms.layout import SecondarySubmit

from ..approvals import COMMENTS_REQUIRED, COMMENTS_TOO_LONG, MESSAGE_TOO_LONG
from ..models import ApprovalRequest
from .base import helper


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
