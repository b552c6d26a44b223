"""The picture library's form: a picture to upload and its description."""

from django import forms

from .base import helper


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
