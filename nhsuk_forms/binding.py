"""Binding a form to a request the NHS.UK way: a POST that sent nothing is still a submission."""


def posted(request):
    """What a POST sent, even nothing at all (so that an empty form is bound and says what is
    missing, where `request.POST or None` would show it afresh); None for a GET."""
    return request.POST if request.method == "POST" else None
