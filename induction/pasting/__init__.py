"""Text pasted from Word, Google Docs or a web page, made into the Markdown a section stores.

Pasted HTML is full of what a pack cannot keep: Word's classes, styles and list markup, fonts
and colours, pictures, scripts. Published as it came, it showed as literal tags, because the
renderer escapes raw HTML (induction/safe_markdown.py). `from_html.convert_html` keeps the
structure a section can hold — headings at the levels a section uses, bulleted and numbered
lists (Word's list paragraphs included, see `word_markup`), tables, the links the sanitiser
allows, bold and italic — as Markdown, through markdownify, and says in plain words what it
left out, so the editor can check before saving. `from_text.convert_text` does the same for
plain text with Word's bullet glyphs or tab-separated rows (a table copied from a
spreadsheet).

The edit page calls these from the paste endpoint (with JavaScript) and, without JavaScript,
when a submitted text `submitted.looks_pasted`. Every result passes `validate_markdown`, or
the conversion raises its ValidationError (`conversion.checked`).
"""
