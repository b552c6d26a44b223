"""Where a reporting-lines diagram's boxes and lines go (drawn by roles/diagrams.py).

From the point of view of the `centre` node:
- above: nodes the centre reports to (edges centre → node);
- below: nodes that report to the centre (edges node → centre);
- beside: every other node, stacked in a column left and right of the centre.
A row of more than MAX_PER_ROW nodes is split in two, the far row's nodes in the near row's
gaps. Lines to and from the centre run org-chart style, each in a lane of its own, so no line
runs behind a box it does not join; other lines are straight.

Labels are never cut short: they wrap onto as many lines as they need, and every box of a
diagram grows to the height of the fullest one. All sizes are in SVG user units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .diagrams import Edge, Node

Point = tuple[float, float]

NODE_WIDTH = 190
# The least height of a box; boxes grow past it when a label needs more lines.
NODE_HEIGHT = 64
NODE_PADDING = 12
COLUMN_GAP = 50
ROW_GAP = 90
MARGIN = 20
# Three boxes a row keeps a diagram about 700 units wide, so that its 14-unit text is still
# about 9pt when the diagram is scaled to the width of an A4 page or a two-thirds column.
MAX_PER_ROW = 3
# Lines between the centre and a row each run along a lane of their own in the gap.
LANE_GAP = 12
LANE_MARGIN = 14
LINE_HEIGHT = 17
CHARS_PER_LINE = 24
# Parallel edges between the same two boxes are spread apart by this many units.
PARALLEL_OFFSET = 14


def _wrap(text: str, width: int = CHARS_PER_LINE) -> list[str]:
    """Split text into lines of about `width` characters, as many as it needs; a word longer
    than a line keeps a line of its own, whole."""
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
    return lines


def label_lines(node: Node) -> tuple[list[str], list[str]]:
    """A box's label lines (bold) and detail lines (a post-holder's name, plain)."""
    return _wrap(node.label), _wrap(node.detail) if node.detail else []


def _box_height(nodes: Sequence[Node]) -> float:
    """The height every box of a diagram gets: enough for the fullest label, never less than
    NODE_HEIGHT, so that rows stay aligned and lines run straight."""
    most_lines = max(sum(map(len, label_lines(node))) for node in nodes)
    return max(NODE_HEIGHT, 2 * NODE_PADDING + most_lines * LINE_HEIGHT)


def _groups(nodes: Sequence[Node], edges: Sequence[Edge], centre: str):
    """Split node keys into those above the centre, below it, and beside it (in node order)."""
    order = {n.key: i for i, n in enumerate(nodes)}
    above = {e.target for e in edges if e.source == centre and e.target != centre}
    below = {e.source for e in edges if e.target == centre and e.source not in above}
    below.discard(centre)
    beside = [n.key for n in nodes if n.key not in above | below | {centre}]
    return sorted(above, key=order.get), sorted(below, key=order.get), beside


@dataclass
class Layout:
    """Where every node sits, and the lanes that lines to and from the centre run along."""

    positions: dict[str, tuple[float, float]]
    width: float
    height: float
    # The height of every box (see `_box_height`).
    box_height: float
    # Which side of the centre each node in a row above or below sits on.
    sides: dict[str, str]
    # Per side, the y of the lane closest to the centre and the direction lanes go from it.
    lane_start: dict[str, float]
    lane_step: dict[str, float]


def _split_rows(keys: list[str]) -> tuple[list[str], list[str]]:
    """A near row and, past MAX_PER_ROW nodes, a far row holding the rest (never a third).

    The two rows are balanced, the near one holding the odd node out.
    """
    if len(keys) <= MAX_PER_ROW:
        return keys, []
    near_size = math.ceil(len(keys) / 2)
    return keys[:near_size], keys[near_size:]


def _far_row_slots(near_count: int, far_count: int) -> list[float]:
    """Column positions (in steps from the near row's first node) for a far row's nodes.

    They sit in the gaps between near-row nodes, so their lines run down a gap rather than
    behind a box: interior gaps first, then the two outside ones. The slots chosen are
    centred under the near row wherever the counts allow it: two far nodes under two near
    ones take the two outside gaps, not one outside and the middle.
    """
    slots = [i + 0.5 for i in range(near_count - 1)]
    if far_count > len(slots):
        slots = [-0.5, *slots, near_count - 0.5]
    spare = len(slots) - far_count
    if spare % 2 and far_count % 2 == 0:
        # One slot too many for a centred run: take one more and leave out its middle one.
        first = (spare - 1) // 2
        run = slots[first : first + far_count + 1]
        return run[: far_count // 2] + run[far_count // 2 + 1 :]
    first = spare // 2
    return slots[first : first + far_count]


def lay_out(nodes: Sequence[Node], edges: Sequence[Edge], centre: str) -> Layout:
    """Place the centre, the rows above and below it, and the columns beside it.

    A long row above or below is split in two rather than shrinking the whole diagram; nodes
    beside the centre are stacked in a column on either side. The gap between the centre and
    each row grows with the number of lines that cross it, one lane per line.
    """
    above, below, beside = _groups(nodes, edges, centre)
    box_height = _box_height(nodes)
    half = math.ceil(len(beside) / 2)
    left, right = beside[:half], beside[half:]
    above_near, above_far = _split_rows(above)
    below_near, below_far = _split_rows(below)
    step_x = NODE_WIDTH + COLUMN_GAP
    sides = {key: "above" for key in above} | {key: "below" for key in below}
    lines_per_side = {"above": 0, "below": 0}
    for edge in edges:
        other = edge.target if edge.source == centre else edge.source
        if centre in (edge.source, edge.target) and other in sides:
            lines_per_side[sides[other]] += 1
    gap = {side: max(ROW_GAP, 2 * LANE_MARGIN + count * LANE_GAP)
           for side, count in lines_per_side.items()}

    def span(near, far):
        """Columns a near row and its far row need, counting half-steps outside the row."""
        if not far:
            return len(near)
        return len(near) + (1 if len(far) > len(near) - 1 else 0)

    middle_columns = 1 + (1 if left else 0) + (1 if right else 0)
    middle_height = max(len(left), len(right), 1)
    widest = max(middle_columns, span(above_near, above_far), span(below_near, below_far))
    width = widest * step_x - COLUMN_GAP
    positions: dict[str, tuple[float, float]] = {}

    def place(near, far, near_y, far_y):
        x0 = MARGIN + (width - (len(near) * step_x - COLUMN_GAP)) / 2
        for index, key in enumerate(near):
            positions[key] = (x0 + index * step_x, near_y)
        for slot, key in zip(_far_row_slots(len(near), len(far)), far, strict=True):
            positions[key] = (x0 + slot * step_x, far_y)

    y = MARGIN
    if above_far:
        y += box_height + ROW_GAP
    if above_near:
        place(above_near, above_far, y, MARGIN)
        y += box_height + gap["above"]
    band_top = y
    centre_x = MARGIN + (width - NODE_WIDTH) / 2
    centre_y = band_top + (middle_height - 1) * (box_height + ROW_GAP) / 2
    positions[centre] = (centre_x, centre_y)
    for index, key in enumerate(left):
        positions[key] = (centre_x - step_x, band_top + index * (box_height + ROW_GAP))
    for index, key in enumerate(right):
        positions[key] = (centre_x + step_x, band_top + index * (box_height + ROW_GAP))
    y = band_bottom = band_top + middle_height * box_height + (middle_height - 1) * ROW_GAP
    bottom = y
    if below_near:
        y += gap["below"]
        place(below_near, below_far, y, y + box_height + ROW_GAP)
        bottom = y + box_height + (box_height + ROW_GAP if below_far else 0)
    return Layout(
        positions=positions,
        width=width,
        height=bottom - MARGIN,
        box_height=box_height,
        sides=sides,
        # Lanes run in the gaps outside the middle band, clear of the nodes beside the centre.
        lane_start={"above": band_top - LANE_MARGIN, "below": band_bottom + LANE_MARGIN},
        lane_step={"above": -LANE_GAP, "below": LANE_GAP},
    )




def _box_exit(centre_x, centre_y, towards_x, towards_y, box_height):
    """Where a line from the middle of a box towards a point leaves the box's border."""
    dx, dy = towards_x - centre_x, towards_y - centre_y
    if dx == 0 and dy == 0:
        return centre_x, centre_y
    scale_x = (NODE_WIDTH / 2) / abs(dx) if dx else math.inf
    scale_y = (box_height / 2) / abs(dy) if dy else math.inf
    scale = min(scale_x, scale_y)
    return centre_x + dx * scale, centre_y + dy * scale


def _centre_routes(edges, layout: Layout, centre: str) -> dict[int, list[Point]]:
    """Org-chart routes for the lines between the centre and the rows above and below it.

    Each line leaves its node vertically, runs along a lane of its own to an entry point of
    its own on the centre, and goes into the centre vertically. Lines from nodes far to the
    side take the lanes nearest the centre, so lines on one side never cross each other.
    """
    positions = layout.positions
    centre_x, centre_y = positions[centre]
    routes: dict[int, list[Point]] = {}
    for side in ("above", "below"):
        members = []
        for index, edge in enumerate(edges):
            other = edge.target if edge.source == centre else edge.source
            if centre in (edge.source, edge.target) and layout.sides.get(other) == side:
                members.append((index, edge, other))
        if not members:
            continue
        # Where each line leaves its node: several lines from one node are spread apart.
        per_node: dict[str, list[int]] = {}
        for index, _, other in members:
            per_node.setdefault(other, []).append(index)
        attach_x = {}
        for other, indexes in per_node.items():
            middle = positions[other][0] + NODE_WIDTH / 2
            for n, index in enumerate(indexes):
                attach_x[index] = middle + (n - (len(indexes) - 1) / 2) * PARALLEL_OFFSET
        members.sort(key=lambda member: (attach_x[member[0]], member[0]))
        entries = {
            index: centre_x + NODE_WIDTH * (rank + 1) / (len(members) + 1)
            for rank, (index, _, _) in enumerate(members)
        }
        by_distance = sorted(members, key=lambda m: -abs(attach_x[m[0]] - entries[m[0]]))
        for lane, (index, edge, other) in enumerate(by_distance):
            lane_y = layout.lane_start[side] + lane * layout.lane_step[side]
            node_y = positions[other][1] + (layout.box_height if side == "above" else 0)
            centre_edge_y = centre_y if side == "above" else centre_y + layout.box_height
            x, entry = attach_x[index], entries[index]
            points = [(x, node_y), (x, lane_y), (entry, lane_y), (entry, centre_edge_y)]
            routes[index] = points if edge.target == centre else points[::-1]
    return routes


def _straight(edge: Edge, layout: Layout, shift: float) -> list[Point]:
    """A straight line between two boxes' borders, moved sideways by `shift`."""
    (sx, sy), (tx, ty) = layout.positions[edge.source], layout.positions[edge.target]
    height = layout.box_height
    start = (sx + NODE_WIDTH / 2, sy + height / 2)
    end = (tx + NODE_WIDTH / 2, ty + height / 2)
    points = [_box_exit(*start, *end, height), _box_exit(*end, *start, height)]
    (x1, y1), (x2, y2) = points
    length = math.hypot(x2 - x1, y2 - y1) or 1
    ox, oy = -(y2 - y1) / length * shift, (x2 - x1) / length * shift
    return [(x + ox, y + oy) for x, y in points]


def edge_routes(edges: Sequence[Edge], layout: Layout, centre: str) -> list[list[Point]]:
    """The points each edge's line runs through, in the order of `edges`: org-chart routes
    between the centre and the rows above and below it, straight lines elsewhere, with
    parallel lines between the same two boxes spread sideways so each stays visible."""
    routes = _centre_routes(edges, layout, centre)
    seen_pairs: dict[frozenset, int] = {}
    points = []
    for index, edge in enumerate(edges):
        route = routes.get(index)
        if route is None:
            pair = frozenset((edge.source, edge.target))
            nth = seen_pairs.get(pair, 0)
            seen_pairs[pair] = nth + 1
            # Offsets 0, +1, -1, +2 … times PARALLEL_OFFSET.
            shift = ((nth + 1) // 2) * PARALLEL_OFFSET * (1 if nth % 2 else -1)
            route = _straight(edge, layout, shift)
        points.append(route)
    return points
