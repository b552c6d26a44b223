"""What every conversion of pasted text shares: its result (`Conversion`), the size of text
it accepts, what it kept said in words, and the limits its Markdown is brought within and
checked against before an editor sees it.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ..safe_markdown import MAX_BLOCK_LINES, validate_markdown

# Word's HTML for a page of text runs to tens of kilobytes; this is far beyond any section.
MAX_PASTE_LENGTH = 1_000_000


@dataclass(frozen=True)
class Conversion:
    """Markdown made from pasted text, with what was kept and what was left out, in words."""

    markdown: str
    converted: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.converted or self.dropped)


def in_words(number: int, one: str, many: str | None = None) -> str:
    """ "1 picture", "3 pictures": a number of things, as the notes about a conversion say it."""
    return f"{number} {one if number == 1 else (many or one + 's')}"


def counts_in_words(*counts: tuple[int, str]) -> tuple[str, ...]:
    """("2 headings", "1 list"…) for each (number, name) whose number is not 0."""
    return tuple(in_words(number, one) for number, one in counts if number)


def pasted_text(text: str) -> str:
    """Pasted text with every line break a newline (not Windows' CRLF or a lone CR);
    ValidationError if it is too large to convert."""
    if len(text) > MAX_PASTE_LENGTH:
        raise ValidationError(
            f"The pasted text is too large to convert ({len(text):,} characters with its "
            f"formatting; the most is {MAX_PASTE_LENGTH:,}). Copy a smaller part at a time.",
            code="too_long",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def within_limits(markdown: str) -> str:
    """Converted Markdown with at most one blank line in a row, none at either end, and no
    block longer than a section may have (`_within_block_limit`)."""
    return _within_block_limit(re.sub(r"\n{3,}", "\n\n", markdown).strip("\n"))


def _within_block_limit(markdown: str) -> str:
    """Split blocks longer than MAX_BLOCK_LINES: a long table into tables that repeat its
    header, any other block (a long list) by blank lines, which Markdown reads as one list."""
    blocks = markdown.split("\n\n")
    result = []
    for block in blocks:
        lines = block.split("\n")
        if len(lines) <= MAX_BLOCK_LINES:
            result.append(block)
        elif all(line.startswith("|") for line in lines) and len(lines) > 2:
            header, rows = lines[:2], lines[2:]
            size = MAX_BLOCK_LINES - 2
            result.extend(
                "\n".join(header + rows[start : start + size])
                for start in range(0, len(rows), size)
            )
        else:
            result.extend(
                "\n".join(lines[start : start + MAX_BLOCK_LINES])
                for start in range(0, len(lines), MAX_BLOCK_LINES)
            )
    return "\n\n".join(result)


def checked(conversion: Conversion) -> Conversion:
    """The conversion if a section can store its Markdown; else ValidationError saying why."""
    try:
        validate_markdown(conversion.markdown)
    except ValidationError as error:
        raise ValidationError(
            "The pasted text could not be converted into text a section can keep: "
            + " ".join(error.messages),
            code=error.error_list[0].code,
        ) from None
    return conversion
