"""Pasted plain text made into Markdown: Word's bullet lines as they come without HTML
(`•`, `o`, `§`…), numbered lines with a tab, and tab-separated rows (a table copied from a
spreadsheet): `convert_text`. Text with none of these is left as it is.
"""

import re

from .conversion import Conversion, checked, counts_in_words, pasted_text, within_limits

# Word's bullet glyphs as they come in plain text; "o" (Word's second level) and "–" only
# before a tab, or after another bullet line, because in prose they start ordinary lines.
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<glyph>[•·▪◦§o–])(?P<gap>[ \t]+)(?P<text>\S.*)$")
_ALWAYS_BULLETS = "•·▪◦"
_NUMBERED = re.compile(r"^[ \t]*(?P<number>\d{1,3})[.)]\t+(?P<text>\S.*)$")


def _bullet_line(line: str, in_list: bool):
    match = _BULLET.match(line)
    if not match:
        return None
    glyph, gap = match.group("glyph"), match.group("gap")
    if glyph not in _ALWAYS_BULLETS and "\t" not in gap and not in_list:
        return None
    indent = match.group("indent")
    level = indent.count("\t") + (len(indent.replace("\t", "")) // 4)
    if glyph in "o◦" and level == 0 and in_list:
        level = 1
    return level, match.group("text").strip()


def _cells(line: str) -> list[str]:
    return [cell.strip().replace("|", "\\|") for cell in line.split("\t")]


def _table_run(lines: list[str], start: int) -> int:
    """How many lines from `start` form a tab-separated table (0 if they do not)."""

    def is_row(line):
        return (
            "\t" in line
            and not line.startswith(("\t", " "))
            and not _bullet_line(line, False)
            and not _NUMBERED.match(line)
        )

    first = lines[start]
    if not is_row(first) or not first.split("\t")[0].strip():
        return 0
    columns = first.count("\t")
    end = start
    while end < len(lines) and lines[end].count("\t") == columns and is_row(lines[end]):
        end += 1
    return end - start if end - start >= 2 else 0


def _table(rows: list[str]) -> list[str]:
    header, *body = (_cells(row) for row in rows)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---"] * len(header)) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return lines


def convert_text(text: str) -> Conversion:
    """Markdown for pasted plain text: Word bullet lines made `- ` items, numbered lines with
    a tab made `1. ` items, tab-separated rows made a table. Unchanged if there is none."""
    lines = pasted_text(text).split("\n")
    out: list[str] = []
    lists = tables = 0
    index = 0
    in_list = False

    def open_block():
        if out and out[-1].strip():
            out.append("")

    while index < len(lines):
        line = lines[index]
        rows = _table_run(lines, index)
        if rows:
            open_block()
            out.extend(_table(lines[index : index + rows]))
            out.append("")
            tables += 1
            index += rows
            in_list = False
            continue
        bullet = _bullet_line(line, in_list)
        numbered = _NUMBERED.match(line)
        if bullet or numbered:
            if not in_list:
                open_block()
                lists += 1
            if bullet:
                level, item = bullet
                out.append("    " * level + "- " + item)
            else:
                out.append(f"{numbered.group('number')}. {numbered.group('text').strip()}")
            in_list = True
        else:
            if in_list and line.strip():
                out.append("")
            out.append(line)
            in_list = False
        index += 1
    if not (lists or tables):
        return Conversion(text)
    converted = counts_in_words((lists, "list"), (tables, "table"))
    return checked(Conversion(within_limits("\n".join(out)), converted))

