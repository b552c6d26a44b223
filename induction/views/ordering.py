"""Putting the draft's sections in a new order in one step: what the editor overview's drag and
drop (static/js/reorder.mjs) posts after a drop, or after a "Move up"/"Move down" press.

The post carries every section id in the new order and the order the page was loaded with, so
a page that is out of date is refused rather than undoing a colleague's change. Scripts ask for
JSON (`Accept: application/json`) and are answered with the words to announce, or the refusal;
on a refusal the same words are also kept as a message for the page the script reloads. Any
other post is answered like the overview's own forms: a redirect, with the outcome as a message.
"""

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .. import services
from ..importing import MAX_SECTIONS
from .access import Access, pack_view
from .navigation import edit_url


def _number(value: str) -> int | None:
    """A section id as the overview posts it (plain digits), else None."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _ids(request, name) -> list[int]:
    """The section ids posted under `name`; SuspiciousOperation (a 400 page) for anything the
    overview never sends: none, a word, a sign, or more ids than a pack can have sections."""
    numbers = [_number(value) for value in request.POST.getlist(name)]
    if not numbers or len(numbers) > MAX_SECTIONS or None in numbers:
        raise SuspiciousOperation(f"The section order came back altered ({name}).")
    return numbers


def _moved(request) -> int | None:
    """The id of the section the editor moved, if the post names one (the audit names it)."""
    if "moved" not in request.POST:
        return None
    moved = _number(request.POST["moved"])
    if moved is None:
        raise SuspiciousOperation("The section order came back altered (moved).")
    return moved


@require_POST
@pack_view(Access.EDIT)
def sections_order(request, pack):
    """Save a new order of the draft's sections (`order`: every section id, in the new order;
    `expected_order`: the ids in the order the page showed; `moved`: the id the editor moved)."""
    wants_json = request.get_preferred_type(["text/html", "application/json"]) == (
        "application/json"
    )
    try:
        order, expected_order = _ids(request, "order"), _ids(request, "expected_order")
        moved = _moved(request)
    except SuspiciousOperation as altered:
        if wants_json:
            return JsonResponse({"error": "The new order could not be read."}, status=400)
        raise altered
    status, outcome = 200, {}
    try:
        words = services.reorder_sections(
            pack=pack,
            user=request.user,
            order=order,
            expected_order=expected_order,
            moved=moved,
        )
    except services.OrderConflict as conflict:
        status, outcome["error"] = 409, str(conflict)
    except ValidationError as error:
        status, outcome["error"] = 400, " ".join(error.messages)
    else:
        outcome["message"] = f"{words}." if words else "The order has not changed."
    if "error" in outcome:
        # Kept for the next page: the script reloads the overview to show the order as it is.
        messages.error(request, outcome["error"])
    if wants_json:
        return JsonResponse(outcome, status=status)
    if "message" in outcome:
        messages.success(request, outcome["message"])
    return redirect(edit_url(pack) + "#sections")
