"""Reporting-lines diagrams as accessible inline SVG, generated from data.

`render_svg` is shared by the national explainer and the trust induction packs. The SVG is
built with ElementTree, so every label is escaped and the output is always well-formed XML.
It uses presentation attributes only (`stroke`, `fill`, `stroke-dasharray`): the site's
Content-Security-Policy forbids `style=` attributes.

Layout, from the point of view of the `centre` node:
- above: nodes the centre reports to (edges centre → node);
- below: nodes that report to the centre (edges node → centre);
- beside: every other node, split left and right of the centre.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify


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

NODE_WIDTH = 190
NODE_HEIGHT = 64
COLUMN_GAP = 50
ROW_GAP = 90
MARGIN = 20
LINE_HEIGHT = 17
CHARS_PER_LINE = 24
LEGEND_ROW_HEIGHT = 26
TEXT_COLOUR = "#212b32"
NODE_STROKE = "#005eb8"
CENTRE_FILL = "#005eb8"
# Parallel edges between the same two boxes are spread apart by this many units.
PARALLEL_OFFSET = 10


def edge_style(kind: str) -> EdgeStyle:
    """The stroke for an edge kind; unknown kinds get a plain grey line named after the kind."""
    return EDGE_STYLES.get(kind) or EdgeStyle(kind.replace("_", " ").capitalize(), FALLBACK_STROKE)


def _wrap(text: str, width: int = CHARS_PER_LINE, max_lines: int = 2) -> list[str]:
    """Split text into at most `max_lines` lines of about `width` characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def _rows(nodes: Sequence[Node], edges: Sequence[Edge], centre: str) -> list[list[str]]:
    """Place node keys in three rows: above, middle (with the centre in it) and below."""
    above = [e.target for e in edges if e.source == centre and e.target != centre]
    below = [
        e.source for e in edges if e.target == centre and e.source not in (centre, *above)
    ]
    placed = {centre, *above, *below}
    beside = [n.key for n in nodes if n.key not in placed]
    half = math.ceil(len(beside) / 2)
    middle = beside[:half] + [centre] + beside[half:]
    ordered = {n.key: i for i, n in enumerate(nodes)}

    def unique_in_node_order(keys):
        return sorted(dict.fromkeys(k for k in keys if k in ordered), key=ordered.__getitem__)

    rows = [unique_in_node_order(above), middle, unique_in_node_order(below)]
    return [row for row in rows if row]


def _positions(rows: list[list[str]]) -> tuple[dict[str, tuple[float, float]], float]:
    """Top-left corner of every node, each row centred; returns positions and content width."""
    widest = max(len(row) for row in rows)
    width = widest * NODE_WIDTH + (widest - 1) * COLUMN_GAP
    positions = {}
    for row_index, row in enumerate(rows):
        row_width = len(row) * NODE_WIDTH + (len(row) - 1) * COLUMN_GAP
        x = MARGIN + (width - row_width) / 2
        y = MARGIN + row_index * (NODE_HEIGHT + ROW_GAP)
        for key in row:
            positions[key] = (x, y)
            x += NODE_WIDTH + COLUMN_GAP
    return positions, width


def _box_exit(centre_x, centre_y, towards_x, towards_y):
    """Where a line from the middle of a box towards a point leaves the box's border."""
    dx, dy = towards_x - centre_x, towards_y - centre_y
    if dx == 0 and dy == 0:
        return centre_x, centre_y
    scale_x = (NODE_WIDTH / 2) / abs(dx) if dx else math.inf
    scale_y = (NODE_HEIGHT / 2) / abs(dy) if dy else math.inf
    scale = min(scale_x, scale_y)
    return centre_x + dx * scale, centre_y + dy * scale


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _sub(parent, tag, text=None, **attributes):
    """Add a child element; `stroke_width` becomes `stroke-width`, `class_` becomes `class`."""
    names = {k: k.rstrip("_").replace("_", "-") for k in attributes}
    element = ET.SubElement(parent, tag, {names[k]: str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _draw_node(parent, node: Node, x: float, y: float, is_centre: bool) -> None:
    group = _sub(parent, "g", class_="app-diagram__node")
    _sub(
        group,
        "rect",
        x=_fmt(x),
        y=_fmt(y),
        width=NODE_WIDTH,
        height=NODE_HEIGHT,
        rx=4,
        fill=CENTRE_FILL if is_centre else "#ffffff",
        stroke=NODE_STROKE,
        stroke_width=2,
    )
    colour = "#ffffff" if is_centre else TEXT_COLOUR
    lines = _wrap(node.label)
    detail_lines = _wrap(node.detail, max_lines=1) if node.detail else []
    total = len(lines) + len(detail_lines)
    first_baseline = y + NODE_HEIGHT / 2 - (total - 1) * LINE_HEIGHT / 2 + 5
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


def _draw_edges(parent, edges, positions, labels, id_prefix) -> None:
    seen_pairs: dict[frozenset, int] = {}
    for edge in edges:
        if edge.source not in positions or edge.target not in positions:
            continue
        style = edge_style(edge.kind)
        pair = frozenset((edge.source, edge.target))
        nth = seen_pairs.get(pair, 0)
        seen_pairs[pair] = nth + 1
        (sx, sy), (tx, ty) = positions[edge.source], positions[edge.target]
        scx, scy = sx + NODE_WIDTH / 2, sy + NODE_HEIGHT / 2
        tcx, tcy = tx + NODE_WIDTH / 2, ty + NODE_HEIGHT / 2
        # Spread parallel edges sideways so each stays visible: 0, +1, -1, +2, -2 … offsets.
        shift = ((nth + 1) // 2) * PARALLEL_OFFSET * (1 if nth % 2 else -1)
        length = math.hypot(tcx - scx, tcy - scy) or 1
        ox, oy = -(tcy - scy) / length * shift, (tcx - scx) / length * shift
        x1, y1 = _box_exit(scx, scy, tcx, tcy)
        x2, y2 = _box_exit(tcx, tcy, scx, scy)
        kind_class = f"app-diagram__edge--{slugify(edge.kind)}"
        group = _sub(parent, "g", class_=f"app-diagram__edge {kind_class}")
        description = f"{labels[edge.source]} to {labels[edge.target]}: {style.label}"
        if edge.label:
            description += f". {edge.label}"
        _sub(group, "title", description)
        attributes = {
            "x1": _fmt(x1 + ox),
            "y1": _fmt(y1 + oy),
            "x2": _fmt(x2 + ox),
            "y2": _fmt(y2 + oy),
            "stroke": style.stroke,
            "stroke_width": 3,
            "marker_end": f"url(#{id_prefix}-arrow-{slugify(edge.kind) or 'edge'})",
        }
        if style.dasharray:
            attributes["stroke_dasharray"] = style.dasharray
        _sub(group, "line", **attributes)


def _draw_markers(svg, kinds: list[str], id_prefix: str) -> None:
    defs = _sub(svg, "defs")
    for kind in kinds:
        marker = _sub(
            defs,
            "marker",
            id=f"{id_prefix}-arrow-{slugify(kind) or 'edge'}",
            viewBox="0 0 10 10",
            refX=9,
            refY=5,
            markerWidth=4,
            markerHeight=4,
            orient="auto-start-reverse",
        )
        _sub(marker, "path", d="M 0 0 L 10 5 L 0 10 z", fill=edge_style(kind).stroke)


def _draw_legend(parent, kinds: list[str], top: float, id_prefix: str) -> None:
    group = _sub(parent, "g", class_="app-diagram__legend")
    _sub(group, "text", "Key", x=MARGIN, y=_fmt(top + 14), fill=TEXT_COLOUR, font_weight="bold")
    for index, kind in enumerate(kinds):
        style = edge_style(kind)
        y = top + 24 + index * LEGEND_ROW_HEIGHT + LEGEND_ROW_HEIGHT / 2
        attributes = {
            "x1": MARGIN,
            "y1": _fmt(y),
            "x2": MARGIN + 60,
            "y2": _fmt(y),
            "stroke": style.stroke,
            "stroke_width": 3,
            "marker_end": f"url(#{id_prefix}-arrow-{slugify(kind) or 'edge'})",
        }
        if style.dasharray:
            attributes["stroke_dasharray"] = style.dasharray
        _sub(group, "line", **attributes)
        _sub(group, "text", style.label, x=MARGIN + 75, y=_fmt(y + 5), fill=TEXT_COLOUR)


def render_svg(
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    *,
    title: str,
    description: str,
    centre: str,
    id_prefix: str = "",
) -> SafeString:
    """Draw `nodes` and `edges` around `centre` as inline SVG that is safe to put in a page.

    Edges whose ends are not among `nodes` are left out. `id_prefix` keeps the ids of the
    title, description and arrow markers unique when a page holds more than one diagram; it
    defaults to one derived from `centre`. Pair the diagram with a text equivalent of the same
    lines (`edge_rows`): the SVG is an image for sighted readers, not the only account.
    """
    keys = [n.key for n in nodes]
    if centre not in keys:
        raise ValueError(f"The centre {centre!r} is not one of the nodes.")
    id_prefix = slugify(id_prefix or f"diagram-{centre}") or "diagram"
    labels = {n.key: n.label for n in nodes}
    drawn_edges = [e for e in edges if e.source in labels and e.target in labels]
    kinds = list(dict.fromkeys(e.kind for e in drawn_edges))

    rows = _rows(nodes, drawn_edges, centre)
    positions, content_width = _positions(rows)
    diagram_height = len(rows) * NODE_HEIGHT + (len(rows) - 1) * ROW_GAP
    legend_top = MARGIN + diagram_height + 30
    legend_height = (24 + len(kinds) * LEGEND_ROW_HEIGHT) if kinds else 0
    width = max(content_width, 320) + 2 * MARGIN
    height = legend_top + legend_height + MARGIN

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "app-diagram",
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
    _draw_edges(svg, drawn_edges, positions, labels, id_prefix)
    for node in nodes:
        x, y = positions[node.key]
        _draw_node(svg, node, x, y, node.key == centre)
    if kinds:
        _draw_legend(svg, kinds, legend_top, id_prefix)
    # ElementTree escapes every text node and attribute value, so the markup is safe.
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308


@dataclass(frozen=True)
class EdgeRow:
    """One line of a diagram's text equivalent."""

    source: str
    target: str
    kind: str
    kind_label: str
    label: str


def edge_rows(nodes: Sequence[Node], edges: Sequence[Edge]) -> list[EdgeRow]:
    """The diagram's lines as rows for a table beside it, in the same order as `edges`."""
    labels = {n.key: n.label for n in nodes}
    return [
        EdgeRow(labels[e.source], labels[e.target], e.kind, edge_style(e.kind).label, e.label)
        for e in edges
        if e.source in labels and e.target in labels
    ]
