"""The trust list's filter: find a trust by words of its name, by its region and by its kind."""

from crispy_forms.layout import Div
from django import forms

from ..models import Trust
from .base import helper

# Longer names are cut rather than refused: the list then simply finds nothing.
MAX_NAME_SEARCH = 100


class TrustFilterForm(forms.Form):
    """The filter of /trusts/, a GET form (`?q=…&region=…&kind=…`) whose every part is optional.

    A region or kind that is not one of the choices (an address edited by hand, or kept from
    before a choice was renamed) is reported on its field and left out of the filter, so the
    list still shows. The page draws the <form> and its buttons itself.
    """

    q = forms.CharField(
        label="Trust name",
        required=False,
        widget=forms.SearchInput(attrs={"maxlength": MAX_NAME_SEARCH, "autocomplete": "off"}),
    )
    region = forms.ChoiceField(
        label="Region",
        required=False,
        choices=[("", "Any region"), *Trust.Region.choices],
        error_messages={"invalid_choice": "Choose a region from the list, or Any region"},
    )
    kind = forms.ChoiceField(
        label="Kind of trust",
        required=False,
        choices=[("", "Any kind"), *Trust.Kind.choices],
        error_messages={"invalid_choice": "Choose a kind of trust from the list, or Any kind"},
    )

    def __init__(self, data):
        # The name is tidied before the form sees it, so that the box shows what was searched.
        data = data.copy()
        data["q"] = " ".join(str(data.get("q", "")).split())[:MAX_NAME_SEARCH]
        super().__init__(data, auto_id="trust-filter-%s")
        self.helper = helper(
            Div("q", css_class="app-trust-filter__name"),
            Div("region", "kind", css_class="app-trust-filter__choices"),
        )

    @property
    def is_filtered(self) -> bool:
        """Whether any part of the filter was filled in, valid or not."""
        return any(str(self.data.get(name, "")).strip() for name in self.fields)

    @property
    def criteria(self) -> dict[str, str]:
        """The valid parts of the filter as the arguments of
        `InductionPack.objects.of_trusts_matching`; a part left empty or not valid is ""."""
        self.is_valid()
        cleaned = self.cleaned_data
        return {
            "name": cleaned.get("q", ""),
            "region": cleaned.get("region", ""),
            "kind": cleaned.get("kind", ""),
        }

    @property
    def query(self) -> dict[str, str]:
        """The valid parts that are filled in, by field name, for the page links' addresses."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
