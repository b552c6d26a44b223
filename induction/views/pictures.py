"""The trust's picture library (for its editors) and the address every picture is shown at.

The library page lists the trust's pictures with the Markdown that shows each, takes uploads
and removes pictures no published version shows; every change goes through
induction/pictures.py, which checks the file and writes the audit trail.

Pictures are served by `picture`, never straight from MEDIA_URL, so access is checked on every
request (`TrustPicture.can_be_seen_by`): the trust's editors and approvers see all of their
trust's pictures, anyone else only those a published version they may read shows. Any other
answer is a 404, the same as for a picture that does not exist, so a key says nothing.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import parse_etags
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from page_cache.policy import NOT_STORED, PRIVATE_REVALIDATED, PUBLIC_REVALIDATED

from ..forms.base import attach_error
from ..forms.pictures import PictureUploadForm
from ..models import TrustPicture
from ..pictures import MAX_PICTURE_BYTES, PictureInUse, add_picture, library_entries, remove_picture
from .access import Access, pack_view
from .navigation import editor_crumbs

# A picture never changes, but who may see it can (a pack made members-only): a shared cache
# may keep a public version's picture but must ask again each time, a cheap 304.
# An SVG is a document: opened on its own, it may run nothing and load nothing.
SVG_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@require_http_methods(["GET", "POST"])
@pack_view(Access.EDIT)
def picture_library(request, pack):
    """The trust's pictures, and the form that uploads one."""
    form = PictureUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Read one byte past the limit, never the whole of a huge upload, to say it is too big.
        data = upload.read(MAX_PICTURE_BYTES + 1)
        try:
            picture = add_picture(
                pack=pack, user=request.user, data=data, alt_text=form.cleaned_data["alt_text"]
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request,
                f"Uploaded “{picture.alt_text}”. Copy its Markdown below into a section to "
                "show it.",
            )
            return redirect("induction:picture_library", slug=pack.trust.slug)
    return render(
        request,
        "induction/edit/pictures.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "form": form,
            "entries": library_entries(pack.trust),
            "breadcrumbs": editor_crumbs(pack),
        },
    )


@require_POST
@pack_view(Access.EDIT)
def picture_remove(request, pack, key):
    """Remove a picture from the library, unless a published version or the draft shows it."""
    picture = get_object_or_404(TrustPicture, trust=pack.trust, key=key)
    try:
        remove_picture(pack=pack, user=request.user, picture=picture)
    except PictureInUse as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"Removed “{picture.alt_text}” from the picture library.")
    return redirect("induction:picture_library", slug=pack.trust.slug)


@require_safe
def picture(request, slug, key, extension):
    """One picture, to whoever may see it (see the module docstring); 404 for anyone else."""
    found = TrustPicture.objects.filter(trust__slug=slug, key=key).select_related("trust").first()
    if found is None or found.extension != extension or not found.can_be_seen_by(request.user):
        raise Http404("No picture here.")
    etag = f'"{found.key}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(found.file.open("rb"), content_type=found.content_type)
        response["Content-Disposition"] = f'inline; filename="{found.filename}"'
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    if found.content_type == TrustPicture.Format.SVG:
        response["Content-Security-Policy"] = SVG_CONTENT_SECURITY_POLICY
    response["Cache-Control"] = _cache_control(found)
    return response


def _cache_control(found: TrustPicture) -> str:
    if found.is_in_a_public_version():
        return PUBLIC_REVALIDATED
    if found.versions.exists():
        return PRIVATE_REVALIDATED
    # Seen only by the trust's editors and approvers: kept out of caches like the editor.
    return NOT_STORED
