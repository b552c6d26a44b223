"""The reporting-lines diagram: well-formed, escaped, complete and accessible SVG."""

import xml.etree.ElementTree as ET

import pytest

from roles.diagrams import Edge, Node, render_svg

SVG = "{http://www.w3.org/2000/svg}"

NODES = [
    Node("md", "Medical Director"),
    Node("ceo", "Chief Executive", "Dr A Example"),
    Node("board", "Trust board"),
    Node("cd", "Clinical directors"),
    Node("chair", "Chair"),
]
EDGES = [
    Edge("md", "ceo", "line", "Day-to-day management"),
    Edge("md", "board", "board"),
    Edge("cd", "md", "professional"),
    Edge("md", "ceo", "statutory", "Responsible Officer"),
]


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def draw(nodes=NODES, edges=EDGES, **overrides):
    arguments = {"title": "Reporting lines", "description": "Who answers to whom.", "centre": "md"}
    return render_svg(nodes, edges, **{**arguments, **overrides})


def texts(root):
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def node_box(root, label):
    """The rect of the node whose text is `label`."""
    for group in root.iter(f"{SVG}g"):
        text = group.find(f"{SVG}text")
        if group.get("class") == "app-diagram__node" and label in "".join(text.itertext()):
            return group.find(f"{SVG}rect")
    raise AssertionError(f"No node labelled {label}")


def test_render_svg_is_well_formed_xml_with_a_scalable_viewbox():
    root = parse(draw())
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox").startswith("0 0 ")


def test_render_svg_is_an_image_labelled_by_its_title_and_description():
    root = parse(draw())
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Reporting lines"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text == "Who answers to whom."


def test_render_svg_draws_every_node_with_its_label_and_detail():
    all_text = " ".join(texts(parse(draw())))
    for node in NODES:
        assert node.label in all_text
    assert "Dr A Example" in all_text


def test_render_svg_draws_every_edge_with_a_described_line():
    root = parse(draw())
    edges = [g for g in root.iter(f"{SVG}g") if "app-diagram__edge" in g.get("class", "")]
    assert len(edges) == len(EDGES)
    titles = [g.find(f"{SVG}title").text for g in edges]
    assert "Medical Director to Chief Executive: Line management. Day-to-day management" in titles
    assert "Clinical directors to Medical Director: Professional leadership" in titles
    assert all(g.find(f"{SVG}polyline") is not None for g in edges)


def test_render_svg_styles_edges_by_kind_and_explains_them_in_a_key():
    root = parse(draw())
    lines = {
        g.get("class").split("--")[-1]: g.find(f"{SVG}polyline")
        for g in root.iter(f"{SVG}g")
        if "app-diagram__edge" in g.get("class", "")
    }
    assert lines["line"].get("stroke-dasharray") is None
    assert lines["board"].get("stroke-dasharray")
    assert lines["professional"].get("stroke-dasharray")
    assert lines["statutory"].get("stroke-dasharray")
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "app-diagram__legend")
    legend_text = " ".join(texts(legend))
    for label in ("Line management", "Board membership", "Professional leadership"):
        assert label in legend_text


def test_render_svg_puts_superiors_above_and_reports_below_the_centre():
    root = parse(draw())
    y = {label: float(node_box(root, label).get("y")) for label in
         ("Medical Director", "Chief Executive", "Clinical directors", "Chair")}
    assert y["Chief Executive"] < y["Medical Director"] < y["Clinical directors"]
    assert y["Chair"] == y["Medical Director"]


def test_render_svg_escapes_labels_titles_and_descriptions():
    hostile = '<script>alert("x")</script> & <b>'
    svg = draw(
        nodes=[Node("md", hostile, detail=hostile), Node("x", "X")],
        edges=[Edge("md", "x", "line", hostile)],
        title=hostile,
        description=hostile,
    )
    assert "<script>" not in svg
    assert "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == hostile
    assert texts(root)[0].startswith('<script>alert("x")</script>')
    edge = next(g for g in root.iter(f"{SVG}g") if "app-diagram__edge" in g.get("class", ""))
    assert edge.find(f"{SVG}title").text.endswith(hostile)


def test_render_svg_never_uses_style_attributes():
    svg = str(draw())
    assert "style=" not in svg
    assert all(element.get("style") is None for element in parse(svg).iter())


def test_render_svg_ids_are_unique_and_can_be_prefixed_for_several_diagrams_on_a_page():
    first, second = parse(draw()), parse(draw(id_prefix="local"))
    first_ids = [e.get("id") for e in first.iter() if e.get("id")]
    second_ids = [e.get("id") for e in second.iter() if e.get("id")]
    assert len(first_ids) == len(set(first_ids))
    assert not set(first_ids) & set(second_ids)
    assert second.get("aria-labelledby") == "local-title local-desc"


def test_render_svg_leaves_out_edges_to_unknown_nodes():
    root = parse(draw(edges=[*EDGES, Edge("md", "nobody", "line")]))
    edges = [g for g in root.iter(f"{SVG}g") if "app-diagram__edge" in g.get("class", "")]
    assert len(edges) == len(EDGES)


def test_render_svg_draws_a_lone_centre_without_a_key():
    root = parse(draw(nodes=[Node("md", "Medical Director")], edges=[]))
    assert "Medical Director" in " ".join(texts(root))
    assert not [g for g in root.iter(f"{SVG}g") if g.get("class") == "app-diagram__legend"]


def test_render_svg_refuses_a_centre_that_is_not_a_node():
    with pytest.raises(ValueError, match="centre"):
        draw(centre="nobody")


def test_render_svg_never_cuts_a_label_short_and_grows_every_box_to_fit_the_fullest():
    long_title = "Non-executive director, chair of the Quality and Safety Committee"
    long_name = "Professor Alexandra Montgomery-Fairweather"
    nodes = [
        Node("md", "Medical Director"),
        Node("ned", long_title, long_name),
        Node("ceo", "Chief Executive"),
    ]
    root = parse(draw(nodes=nodes, edges=[Edge("md", "ceo", "line")]))

    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "app-diagram__node"]
    spans = {
        "".join(g.find(f"{SVG}text").itertext()): [t.text for t in g.iter(f"{SVG}tspan")]
        for g in groups
    }
    ned_lines = next(lines for text, lines in spans.items() if text.startswith("Non-executive"))
    assert " ".join(ned_lines) == f"{long_title} {long_name}"
    assert not any("…" in line for lines in spans.values() for line in lines)
    heights = {float(g.find(f"{SVG}rect").get("height")) for g in groups}
    assert len(heights) == 1, "every box of a diagram is as tall as the fullest one"
    (height,) = heights
    assert height >= 24 + len(ned_lines) * 17, (height, ned_lines)
    # The lines still meet the boxes they join, now taller.
    assert _lines_crossing_other_boxes(draw(nodes=nodes, edges=[Edge("md", "ceo", "line")])) == []


def test_boxes_no_line_joins_are_dashed_and_explained_in_the_key():
    nodes = [*NODES, Node("nurse", "Chief Nurse", "Catherine Doyle")]
    root = parse(draw(nodes=nodes))

    dashed = {
        "".join(g.find(f"{SVG}text").itertext())
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "app-diagram__node" and g.find(f"{SVG}rect").get("stroke-dasharray")
    }
    assert dashed == {"Chair", "Chief NurseCatherine Doyle"}
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "app-diagram__legend")
    legend_texts = texts(legend)
    assert "Works closely with the Medical Director, no reporting line" in legend_texts
    assert legend.find(f"{SVG}rect").get("stroke-dasharray")


def test_the_key_explains_unjoined_boxes_in_the_callers_words_even_without_lines():
    nodes = [Node("md", "Medical Director"), Node("chair", "Chair")]
    root = parse(draw(nodes=nodes, edges=[], unjoined_label="Close colleague"))

    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "app-diagram__legend")
    assert texts(legend) == ["Key", "Close colleague"]
    view_box_height = float(root.get("viewBox").split()[3])
    legend_bottom = max(float(t.get("y")) for t in legend.iter(f"{SVG}text"))
    assert legend_bottom < view_box_height


def test_a_diagram_where_every_box_is_joined_has_no_unjoined_row_in_its_key():
    root = parse(draw(nodes=[node for node in NODES if node.key != "chair"]))
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "app-diagram__legend")
    assert not any("no reporting line" in text for text in texts(legend))
    assert legend.find(f"{SVG}rect") is None


def _segment_hits_box(x1, y1, x2, y2, box, inset=2.0):
    """Whether a line segment passes through the inside of a box (Liang–Barsky clipping)."""
    left, top = float(box.get("x")) + inset, float(box.get("y")) + inset
    right = float(box.get("x")) + float(box.get("width")) - inset
    bottom = float(box.get("y")) + float(box.get("height")) - inset
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _lines_crossing_other_boxes(svg):
    root = parse(svg)
    boxes = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "app-diagram__node":
            boxes["".join(group.find(f"{SVG}text").itertext())] = group.find(f"{SVG}rect")
    crossings = []
    for group in root.iter(f"{SVG}g"):
        if "app-diagram__edge" not in group.get("class", ""):
            continue
        title = group.find(f"{SVG}title").text
        ends = title.split(":")[0].split(" to ")
        points = [
            tuple(map(float, pair.split(",")))
            for pair in group.find(f"{SVG}polyline").get("points").split()
        ]
        for label, box in boxes.items():
            if any(label.startswith(end) for end in ends):
                continue
            for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
                if _segment_hits_box(x1, y1, x2, y2, box):
                    crossings.append((title, label))
    return crossings


def test_lines_never_run_behind_other_boxes_in_a_crowded_diagram():
    nodes = [Node("md", "Medical Director")]
    nodes += [Node(f"up{i}", f"Above {i}") for i in range(6)]
    nodes += [Node(f"down{i}", f"Below {i}") for i in range(9)]
    nodes += [Node(f"side{i}", f"Beside {i}", "Dr Someone") for i in range(5)]
    edges = [Edge("md", f"up{i}", "line") for i in range(6)]
    edges += [Edge(f"down{i}", "md", "professional") for i in range(9)]
    edges += [Edge("md", "up0", "statutory")]
    svg = draw(nodes=nodes, edges=edges)
    assert _lines_crossing_other_boxes(svg) == []
    root = parse(svg)
    ys = {float(r.get("y")) for r in root.iter(f"{SVG}rect")}
    assert len(ys) >= 5, "long rows wrap into a second row instead of one very wide row"


def test_lines_never_run_behind_other_boxes_in_the_sample_diagram():
    assert _lines_crossing_other_boxes(draw()) == []


def test_two_lines_between_the_same_boxes_stay_apart():
    root = parse(draw())
    polylines = [
        g.find(f"{SVG}polyline").get("points")
        for g in root.iter(f"{SVG}g")
        if "app-diagram__edge" in g.get("class", "")
        and g.find(f"{SVG}title").text.startswith("Medical Director to Chief Executive")
    ]
    assert len(polylines) == 2
    assert polylines[0] != polylines[1]
    first_x = {pair.split(",")[0] for pair in polylines[0].split()}
    second_x = {pair.split(",")[0] for pair in polylines[1].split()}
    assert not first_x & second_x


def test_only_wide_diagrams_are_marked_wide():
    bosses = [Node(f"boss{i}", f"Boss {i}") for i in range(4)]
    wide = draw(
        nodes=[Node("md", "Medical Director"), *bosses],
        edges=[Edge("md", boss.key, "line") for boss in bosses],
    )
    assert parse(wide).get("class") == "app-diagram app-diagram--wide"
    lone = parse(draw(nodes=[Node("md", "Medical Director")], edges=[]))
    assert lone.get("class") == "app-diagram"
