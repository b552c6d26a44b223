"""The public explainer of the Medical Director role: no sign-in, read-only.

Each view asks `roles.queries` for its data (a fixed number of queries) and renders an NHS.UK
styled page. Unknown roles and sources raise Http404, which the site's styled 404 handles.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from page_cache.frames import public_page_framed

from . import queries
from .developments import Developments, latest_review
from .diagrams import Edge, Node, render_svg
from .evidence import PARTS, PARTS_BY_SLUG
from .glossary import Glossary
from .models import MEDICAL_DIRECTOR_SLUG, ReportingLine, Responsibility, Role, Source

MD_GUIDE_LABEL = "The Medical Director role"


def _home_crumb():
    return {"label": "Home", "url": reverse("home")}


def _guide_crumb():
    return {
        "label": MD_GUIDE_LABEL,
        "url": reverse("roles:role_detail", kwargs={"slug": MEDICAL_DIRECTOR_SLUG}),
    }


def _guide_pages(current: str):
    """The pages of the Medical Director guide, in reading order, for the contents list."""
    pages = [
        ("role", "About the role", _guide_crumb()["url"]),
        ("relationships", "Working with others", reverse("roles:relationships")),
        ("evidence", "What the research found", reverse("roles:evidence")),
        *((f"evidence:{part.slug}", part.title, part.get_absolute_url()) for part in PARTS),
        ("for_neds", "For non-executive directors", reverse("roles:for_neds")),
    ]
    return [{"label": label, "url": url, "current": key == current} for key, label, url in pages]


def _render(request, template, context, *, crumbs, guide_page=None, cites=True):
    context = {
        "breadcrumbs": crumbs,
        "glossary": Glossary.for_request(request),
        "developments": Developments.for_request(request),
        "review": latest_review(),
        **context,
    }
    if guide_page:
        pages = _guide_pages(guide_page)
        index = next(i for i, page in enumerate(pages) if page["current"])
        context["guide_pages"] = pages
        context["guide_previous"] = pages[index - 1] if index > 0 else None
        context["guide_next"] = pages[index + 1] if index + 1 < len(pages) else None
    if cites:
        context["primary_source"] = queries.primary_source()
    return render(request, template, context)


def _kind_phrase(line: ReportingLine) -> str:
    return line.get_kind_display().lower()


def _diagram_description(role: Role, lines) -> str:
    """The diagram's lines in one or two plain sentences, for its `<desc>`."""
    upward = [
        f"{line.to_role.name} ({_kind_phrase(line)})" for line in lines if line.from_role == role
    ]
    downward = [
        f"{line.from_role.name} ({_kind_phrase(line)})" for line in lines if line.to_role == role
    ]
    sentences = []
    if upward:
        sentences.append(f"The {role.name} is accountable to: {'; '.join(upward)}.")
    if downward:
        sentences.append(f"Accountable to the {role.name}: {'; '.join(downward)}.")
    sentences.append("The table after the diagram lists the same lines.")
    return " ".join(sentences)


def role_diagram(role: Role, lines):
    """The SVG of a role's reporting lines; the page's table is its text equivalent."""
    nodes = {role.slug: Node(role.slug, role.name)}
    edges = []
    for line in lines:
        for end in (line.from_role, line.to_role):
            nodes.setdefault(end.slug, Node(end.slug, end.name))
        edges.append(Edge(line.from_role.slug, line.to_role.slug, line.kind, line.description))
    return render_svg(
        list(nodes.values()),
        edges,
        title=f"Reporting lines of the {role.name}",
        description=_diagram_description(role, lines),
        centre=role.slug,
        id_prefix=f"diagram-{role.slug}",
    )


@public_page_framed
def role_detail(request, slug):
    """A role's page. The Medical Director's is the entry point of the guide."""
    try:
        page = queries.role_page(slug)
    except Role.DoesNotExist:
        raise Http404("No such role.") from None
    svg = role_diagram(page.role, page.lines) if page.lines else None
    if page.is_medical_director:
        crumbs, guide_page = [_home_crumb()], "role"
    else:
        crumbs, guide_page = [_home_crumb(), _guide_crumb()], None
    return _render(
        request,
        "roles/role_detail.html",
        {
            "page": page,
            "role": page.role,
            "responsibility_groups": [
                {"kind": kind.value, "label": kind.label, "items": items}
                for kind, items in (
                    (Responsibility.Kind.CORE, page.core),
                    (Responsibility.Kind.DELEGATED, page.delegated),
                    (Responsibility.Kind.STATUTORY, page.statutory),
                    (Responsibility.Kind.BOARD_REPORT, page.board_reports),
                )
            ],
            "responsibility_groups_present": bool(
                page.core or page.delegated or page.statutory or page.board_reports
            ),
            "diagram": svg,
        },
        crumbs=crumbs,
        guide_page=guide_page,
    )


@public_page_framed
def relationships(request):
    """How the Medical Director works with each other role, and what good looks like."""
    return _render(
        request,
        "roles/relationships.html",
        {"relationships": queries.medical_director_relationships()},
        crumbs=[_home_crumb(), _guide_crumb()],
        guide_page="relationships",
    )


@public_page_framed
def evidence(request):
    """What the research found: how it was done, and the parts of the guide it fills."""
    return _render(
        request,
        "roles/evidence.html",
        {"parts": PARTS, "sections": queries.overview_sections()},
        crumbs=[_home_crumb(), _guide_crumb()],
        guide_page="evidence",
    )


@public_page_framed
def evidence_part(request, part):
    """One part of the findings, grouped by theme."""
    if part not in PARTS_BY_SLUG:
        raise Http404("No such part of the guide.")
    evidence_part = PARTS_BY_SLUG[part]
    return _render(
        request,
        "roles/evidence_part.html",
        {"part": evidence_part, "sections": queries.part_sections(evidence_part)},
        crumbs=[
            _home_crumb(),
            _guide_crumb(),
            {"label": "What the research found", "url": reverse("roles:evidence")},
        ],
        guide_page=f"evidence:{part}",
    )


@public_page_framed
def for_neds(request):
    """The part of the guide written for non-executive directors."""
    return _render(
        request,
        "roles/for_neds.html",
        {"page": queries.ned_page()},
        crumbs=[_home_crumb(), _guide_crumb()],
        guide_page="for_neds",
    )


@public_page_framed
def source_list(request):
    """The bibliography: the GGI paper and every work it cites."""
    return _render(
        request,
        "roles/sources.html",
        {"sources": queries.bibliography()},
        crumbs=[_home_crumb(), _guide_crumb()],
        cites=False,
    )


@public_page_framed
def source_detail(request, key):
    """One source and every statement in the explainer that cites it."""
    source = get_object_or_404(Source, key=key)
    return _render(
        request,
        "roles/source_detail.html",
        {"source": source, "statement_groups": queries.statements_citing(source)},
        crumbs=[
            _home_crumb(),
            _guide_crumb(),
            {"label": "Sources", "url": reverse("roles:sources")},
        ],
        cites=False,
    )


@public_page_framed
def glossary(request):
    """Every acronym the explainer uses, with an anchor per term for the links to it."""
    return _render(
        request,
        "roles/glossary.html",
        {"terms": queries.glossary_terms()},
        crumbs=[_home_crumb(), _guide_crumb()],
    )


@public_page_framed
def changes(request):
    """Every later development since the paper, dated and sourced, with what it affects."""
    return _render(
        request,
        "roles/changes.html",
        {"changes": queries.changes_since_the_paper()},
        crumbs=[_home_crumb(), _guide_crumb()],
        cites=False,
    )
