"""The section editor's writing aids: the live preview and the conversion of pasted text.

Both are enhancements the page's JavaScript (static/js/markdown-editor.mjs) calls; the page
works without them. The live preview renders what the editor typed by the same code path as
the page's own Preview button (`SectionEditor.preview`, sanitised on the server, never a
Markdown renderer in the browser). Pasted Word or web-page HTML is converted by
induction/pasting/; without JavaScript the edit page itself notices such text in a
submitted body (`pasting.submitted.pasted_body`) and shows the converted text to check,
unsaved.
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from page_cache.policy import NOT_STORED

from ..pasting.from_html import convert_html
from ..pasting.from_text import convert_text
from .access import Access, pack_view, section_or_404
from .section_editor import SectionEditor


def _not_stored(response):
    response["Cache-Control"] = NOT_STORED
    return response


def _editor_errors(editor):
    """Every message the edit form would show, in the order the page shows them."""
    messages = [error for errors in editor.form.errors.values() for error in errors]
    if editor.formset is not None:
        messages += list(editor.formset.non_form_errors())
        for form_errors in editor.formset.errors:
            messages += [error for errors in form_errors.values() for error in errors]
    return messages


@require_POST
@pack_view(Access.EDIT)
def section_live_preview(request, pack, section_id):
    """The section as it would read, from the edit form's data, as an HTML fragment for the
    preview panel; the form's errors instead (status 422) if it could not be previewed."""
    section = section_or_404(pack, section_id)
    editor = SectionEditor(section, pack.board_role.name, request.POST)
    preview, errors = "", []
    if editor.is_valid():
        try:
            preview = editor.preview(anchor="live-preview")
        except ValidationError as error:
            errors = error.messages
    else:
        errors = _editor_errors(editor)
    response = render(
        request,
        "induction/edit/_live_preview.html",
        {"preview": preview, "errors": errors},
        status=422 if errors else 200,
    )
    return _not_stored(response)


@require_POST
@pack_view(Access.EDIT)
def paste_convert(request, pack):
    """Markdown for what the editor pasted: `html` (the clipboard's text/html) if there is
    any, else `text`; with what was converted and what was left out, as JSON."""
    html, text = request.POST.get("html", ""), request.POST.get("text", "")
    try:
        conversion = convert_html(html) if html.strip() else convert_text(text)
    except ValidationError as error:
        return _not_stored(JsonResponse({"error": " ".join(error.messages)}, status=400))
    return _not_stored(
        JsonResponse(
            {
                "markdown": conversion.markdown,
                "changed": conversion.changed,
                "converted": list(conversion.converted),
                "dropped": list(conversion.dropped),
            }
        )
    )
