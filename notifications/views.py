"""The e-mail preferences page: each signed-in person sees and changes only their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .forms import PreferencesForm
from .models import EmailOptOut


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Tick the kinds of e-mail to get. Nothing is saved unless the whole form is valid."""
    turned_off = EmailOptOut.objects.turned_off(request.user)
    # Bound on every POST, even an empty one: with every box unticked a browser sends no
    # field at all (at most the button), and that means "turn everything off".
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, turned_off=turned_off)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            EmailOptOut.objects.filter(user=request.user).exclude(kind__in=form.turned_off).delete()
            EmailOptOut.objects.bulk_create(
                [
                    EmailOptOut(user=request.user, kind=kind)
                    for kind in sorted(form.turned_off - turned_off)
                ],
                ignore_conflicts=True,
            )
        messages.success(request, "Your e-mail choices have been saved.")
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "breadcrumbs": [{"label": "Home", "url": reverse("home")}]},
    )
