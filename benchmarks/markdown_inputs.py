"""Markdown on its worst inputs: how long saving (validating) and rendering one section takes.

    .venv/bin/python benchmarks/markdown_inputs.py [--repeat N]

Times `validate_markdown` (every save and import runs it) and `render_markdown` (previews,
publishing, comparisons) on inputs at the length limit that once made Python-Markdown take
seconds, each within every other limit (square brackets, lines in a block), plus ordinary text
for scale. Each input is timed as the portal runs it, and again with the link patterns reading
to the end of the paragraph as Python-Markdown does by itself (safe_markdown.MAX_LINK_TEXT), to
show what that bound buys. CPU time, best of N (the machine may be busy with other work).
Inputs the validator refuses are marked: they are only ever rendered if stored before a limit
existed. Target: every input that may be saved validates and renders in under 1 s.
Results go in benchmarks/README.md. No database is needed. (Not called `markdown.py`: run as
a file, that name would hide the Markdown package itself.)
"""

import argparse
import sys
import time

import throwaway  # noqa: E402 - benchmarks/ is the script's folder

sys.path.insert(0, str(throwaway.ROOT))

from django.core.exceptions import ValidationError  # noqa: E402

from induction import safe_markdown  # noqa: E402
from induction.safe_markdown import (  # noqa: E402
    MAX_ASTERISKS_IN_A_BLOCK,
    MAX_BLOCK_LINES,
    MAX_MARKDOWN_LENGTH,
    MAX_SQUARE_BRACKETS,
    render_markdown,
    validate_markdown,
)

LIMIT = MAX_MARKDOWN_LENGTH
_SETEXT_BLOCKS = LIMIT // (4 * (MAX_BLOCK_LINES // 2) + 2)
WORST_INPUTS = {
    "ordinary prose": (
        "The board meets monthly; the Medical Director reports on quality and safety. " * 700
    )[:LIMIT],
    # The issue's own finding: one block of setext headings (now refused), and the same in
    # blocks of the longest allowed.
    'one block of "a\\n-\\n"': "a\n-\n" * (LIMIT // 4),
    'blocks of "a\\n-\\n"': "\n\n".join(["a\n-\n" * (MAX_BLOCK_LINES // 2)] * _SETEXT_BLOCKS),
    # Every "[" or "](" read to the end of the paragraph, before the bound.
    "unclosed brackets": ("[" * MAX_SQUARE_BRACKETS + "a" * LIMIT)[:LIMIT],
    "unclosed addresses": ("[a](" * 999 + "b" * LIMIT)[:LIMIT],
    "unclosed picture addresses": ("![a](" * 999 + "b" * LIMIT)[:LIMIT],
    "unclosed footnote references": ("[^" * 999 + "b" * LIMIT)[:LIMIT],
    # The slowest shapes a search over repeated constructs found once links were bounded.
    "emphasis runs": "*b*" * (LIMIT // 3),
    "emphasis runs at the limit": "*b*" * (MAX_ASTERISKS_IN_A_BLOCK // 2),
    "nested quotes": ">" * LIMIT,
    "quote markers before emphasis": (">" * 999 + "b*" * LIMIT)[:LIMIT],
}


def _best(function, text, repeat):
    best = None
    for _ in range(repeat):
        started = time.process_time()
        function(text)
        elapsed = time.process_time() - started
        best = elapsed if best is None else min(best, elapsed)
    return best


def _validate(text):
    try:
        validate_markdown(text)
    except ValidationError:
        return False
    return True


def _unbounded():
    """Python-Markdown's own link patterns, reading to the end of the paragraph."""
    bounded = safe_markdown._BoundedLinks.extendMarkdown
    safe_markdown._BoundedLinks.extendMarkdown = lambda self, md: None
    return bounded


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per input (best is kept)")
    parser.add_argument(
        "--skip-unbounded", action="store_true", help="do not time the inputs without the bound"
    )
    args = parser.parse_args()
    print(
        f"{'input':<32} {'chars':>6} {'saved?':>7} {'validate':>9} {'render':>8} "
        f"{'render, unbounded links':>24}"
    )
    for name, text in WORST_INPUTS.items():
        accepted = _validate(text)
        validating = _best(_validate, text, args.repeat)
        rendering = _best(render_markdown, text, args.repeat)
        unbounded = ""
        if not args.skip_unbounded:
            bounded = _unbounded()
            try:
                unbounded = f"{_best(render_markdown, text, 1):.2f} s"
            finally:
                safe_markdown._BoundedLinks.extendMarkdown = bounded
        print(
            f"{name:<32} {len(text):>6} {'yes' if accepted else 'refused':>7} "
            f"{validating:>7.2f} s {rendering:>6.2f} s {unbounded:>24}",
            flush=True,
        )


if __name__ == "__main__":
    main()
