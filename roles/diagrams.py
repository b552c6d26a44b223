"""Reporting-lines diagrams as accessible inline SVG, generated from data.

`render_svg` is shared by the national explainer and the trust induction packs. The SVG is
built with ElementTree, so every label is escaped and the output is always well-formed XML.
It uses presentation attributes only (`stroke`, `fill`, `stroke-dasharray`): the site's
Content-Security-Policy forbids `style=` attributes.

Where the boxes and lines go is worked out in roles/diagram_layout.py; this module draws
them, with a key. A box that no line joins (a close colleague with no reporting line) has a
dashed border, and the key says what that means.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from .diagram_layout import (
    LINE_HEIGHT,
    MARGIN,
    NODE_WIDTH,
    Layout,
    edge_routes,
    label_lines,
    lay_out,
)


@dataclass(frozen=True)
class Node:
    """A box in the diagram: a role or a named post."""

    key: str
    label: str
    detail: str = ""


@dataclass(frozen=True)
class Edge:
    """A line: `source` reports to, or is accountable to, `target`, in the sense `kind`."""

    source: str
    target: str
    kind: str
    label: str = ""


@dataclass(frozen=True)
class EdgeStyle:
    label: str
    stroke: str
    dasharray: str = ""


# NHS.UK palette colours, each at least 3:1 against white (WCAG 1.4.11, non-text contrast).
EDGE_STYLES = {
    "line": EdgeStyle("Line management", "#005eb8"),
    "board": EdgeStyle("Board membership", "#330072", "10 5"),
    "professional": EdgeStyle("Professional leadership", "#007f3b", "3 4"),
    "statutory": EdgeStyle("Statutory duty", "#d5281b", "12 4 3 4"),
}
FALLBACK_STROKE = "#4c6272"

# Diagrams wider than this (in user units) are marked "app-diagram--wide".
WIDE = 640
LEGEND_ROW_HEIGHT = 26
# A box that no line joins: dashed, in NHS.UK's secondary text grey (6:1 against white).
UNJOINED_STROKE = "#4c6272"
UNJOINED_DASHARRAY = "6 4"
TEXT_COLOUR = "#212b32"
NODE_STROKE = "#005eb8"
CENTRE_FILL = "#005eb8"


def edge_style(kind: str) -> EdgeStyle:
    """The stroke for an edge kind; unknown kinds get a plain grey line named after the kind."""
    return EDGE_STYLES.get(kind) or EdgeStyle(kind.replace("_", " ").capitalize(), FALLBACK_STROKE)


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _sub(parent, tag, text=None, **attributes):
    """Add a child element; `stroke_width` becomes `stroke-width`, `class_` becomes `class`."""
    names = {k: k.rstrip("_").replace("_", "-") for k in attributes}
    element = ET.SubElement(parent, tag, {names[k]: str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _draw_node(
    parent, node: Node, x: float, y: float, height: float, *, is_centre: bool, joined: bool
) -> None:
    group = _sub(parent, "g", class_="app-diagram__node")
    border = {"stroke": NODE_STROKE}
    if not joined:
        border = {"stroke": UNJOINED_STROKE, "stroke_dasharray": UNJOINED_DASHARRAY}
    _sub(
        group,
        "rect",
        x=_fmt(x),
        y=_fmt(y),
        width=NODE_WIDTH,
        height=_fmt(height),
        rx=4,
        fill=CENTRE_FILL if is_centre else "#ffffff",
        stroke_width=2,
        **border,
    )
    colour = "#ffffff" if is_centre else TEXT_COLOUR
    lines, detail_lines = label_lines(node)
    total = len(lines) + len(detail_lines)
    first_baseline = y + height / 2 - (total - 1) * LINE_HEIGHT / 2 + 5
    text = _sub(
        group,
        "text",
        x=_fmt(x + NODE_WIDTH / 2),
        y=_fmt(first_baseline),
        text_anchor="middle",
        fill=colour,
        font_weight="bold",
    )
    for index, line in enumerate(lines):
        _sub(text, "tspan", line, x=_fmt(x + NODE_WIDTH / 2), dy="0" if index == 0 else LINE_HEIGHT)
    for line in detail_lines:
        _sub(
            text,
            "tspan",
            line,
            x=_fmt(x + NODE_WIDTH / 2),
            dy=LINE_HEIGHT,
            font_weight="normal",
        )


def _marker_id(id_prefix: str, kind: str) -> str:
    """The id of the arrowhead drawn at the end of lines of `kind`."""
    return f"{id_prefix}-arrow-{slugify(kind) or 'edge'}"


def _line_attributes(kind: str, id_prefix: str, **extra) -> dict:
    """How a line of `kind` is drawn, in the diagram and in its key: colour, width, dashes
    and arrowhead (`extra` goes before the arrowhead)."""
    style = edge_style(kind)
    attributes = {
        "stroke": style.stroke,
        "stroke_width": 3,
        **extra,
        "marker_end": f"url(#{_marker_id(id_prefix, kind)})",
    }
    if style.dasharray:
        attributes["stroke_dasharray"] = style.dasharray
    return attributes


def _draw_edges(parent, edges, layout: Layout, labels, id_prefix, centre) -> None:
    for edge, points in zip(edges, edge_routes(edges, layout, centre), strict=True):
        style = edge_style(edge.kind)
        kind_class = f"app-diagram__edge--{slugify(edge.kind)}"
        group = _sub(parent, "g", class_=f"app-diagram__edge {kind_class}")
        description = f"{labels[edge.source]} to {labels[edge.target]}: {style.label}"
        if edge.label:
            description += f". {edge.label}"
        _sub(group, "title", description)
        _sub(
            group,
            "polyline",
            points=" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points),
            fill="none",
            **_line_attributes(edge.kind, id_prefix, stroke_linejoin="round"),
        )


def _draw_markers(svg, kinds: list[str], id_prefix: str) -> None:
    defs = _sub(svg, "defs")
    for kind in kinds:
        marker = _sub(
            defs,
            "marker",
            id=_marker_id(id_prefix, kind),
            viewBox="0 0 10 10",
            refX=9,
            refY=5,
            markerWidth=4,
            markerHeight=4,
            orient="auto-start-reverse",
        )
        _sub(marker, "path", d="M 0 0 L 10 5 L 0 10 z", fill=edge_style(kind).stroke)


def _draw_legend(
    parent, kinds: list[str], top: float, id_prefix: str, unjoined_label: str | None
) -> None:
    """The key: one row per kind of line, then, if some box has no line, what that means."""
    group = _sub(parent, "g", class_="app-diagram__legend")
    _sub(group, "text", "Key", x=MARGIN, y=_fmt(top + 14), fill=TEXT_COLOUR, font_weight="bold")
    for index, kind in enumerate(kinds):
        style = edge_style(kind)
        y = top + 24 + index * LEGEND_ROW_HEIGHT + LEGEND_ROW_HEIGHT / 2
        _sub(
            group,
            "line",
            x1=MARGIN,
            y1=_fmt(y),
            x2=MARGIN + 60,
            y2=_fmt(y),
            **_line_attributes(kind, id_prefix),
        )
        _sub(group, "text", style.label, x=MARGIN + 75, y=_fmt(y + 5), fill=TEXT_COLOUR)
    if unjoined_label:
        y = top + 24 + len(kinds) * LEGEND_ROW_HEIGHT + LEGEND_ROW_HEIGHT / 2
        _sub(
            group,
            "rect",
            x=MARGIN + 8,
            y=_fmt(y - 9),
            width=44,
            height=18,
            rx=3,
            fill="#ffffff",
            stroke=UNJOINED_STROKE,
            stroke_width=2,
            stroke_dasharray=UNJOINED_DASHARRAY,
        )
        _sub(group, "text", unjoined_label, x=MARGIN + 75, y=_fmt(y + 5), fill=TEXT_COLOUR)


def render_svg(
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    *,
    title: str,
    description: str,
    centre: str,
    id_prefix: str = "",
    unjoined_label: str = "",
) -> SafeString:
    """Draw `nodes` and `edges` around `centre` as inline SVG that is safe to put in a page.

    Edges whose ends are not among `nodes` are left out. `id_prefix` keeps the ids of the
    title, description and arrow markers unique when a page holds more than one diagram; it
    defaults to one derived from `centre`. Boxes that no line joins get a dashed border and a
    row in the key worded by `unjoined_label` (by default: works closely with the centre, no
    reporting line). Always pair the diagram with a text equivalent of
    the same lines (a table or list): the SVG is an image for sighted readers, not the only
    account.
    """
    keys = [n.key for n in nodes]
    if centre not in keys:
        raise ValueError(f"The centre {centre!r} is not one of the nodes.")
    id_prefix = slugify(id_prefix or f"diagram-{centre}") or "diagram"
    labels = {n.key: n.label for n in nodes}
    drawn_edges = [e for e in edges if e.source in labels and e.target in labels]
    kinds = list(dict.fromkeys(e.kind for e in drawn_edges))
    joined = {centre} | {end for edge in drawn_edges for end in (edge.source, edge.target)}
    if any(key not in joined for key in keys):
        unjoined_label = unjoined_label or (
            f"Works closely with the {labels[centre]}, no reporting line"
        )
    else:
        unjoined_label = ""
    key_rows = len(kinds) + (1 if unjoined_label else 0)

    layout = lay_out(nodes, drawn_edges, centre)
    content_width, diagram_height = layout.width, layout.height
    legend_top = MARGIN + diagram_height + 30
    legend_height = (24 + key_rows * LEGEND_ROW_HEIGHT) if key_rows else 0
    width = max(content_width, 320) + 2 * MARGIN
    height = legend_top + legend_height + MARGIN

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            # Wide diagrams may be given a minimum width (and scroll) rather than tiny text.
            "class": "app-diagram app-diagram--wide" if width > WIDE else "app-diagram",
            "viewBox": f"0 0 {_fmt(width)} {_fmt(height)}",
            "width": _fmt(width),
            "height": _fmt(height),
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "focusable": "false",
            "font-family": "Frutiger W01, Arial, sans-serif",
            "font-size": "14",
        },
    )
    _sub(svg, "title", title, id=title_id)
    _sub(svg, "desc", description, id=desc_id)
    _draw_markers(svg, kinds, id_prefix)
    _draw_edges(svg, drawn_edges, layout, labels, id_prefix, centre)
    for node in nodes:
        x, y = layout.positions[node.key]
        _draw_node(
            svg,
            node,
            x,
            y,
            layout.box_height,
            is_centre=node.key == centre,
            joined=node.key in joined,
        )
    if key_rows:
        _draw_legend(svg, kinds, legend_top, id_prefix, unjoined_label)
    # ElementTree escapes every text node and attribute value, so the markup is safe.
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308
