// The section editor's writing aids, added only when JavaScript runs (the page works without):
// - a formatting toolbar above each Markdown field (GitHub's <markdown-toolbar> element, plus
//   our own table and footnote buttons), inserting only Markdown the portal's renderer reads;
// - a live preview of the section as the editor types, rendered and sanitised on the server
//   by the same code as the page's Preview button (never a Markdown renderer in the browser);
// - pasting from Word, Google Docs or a web page: the clipboard's HTML is converted to Markdown
//   on the server, and what was left out is said beside the field.
// The addresses come from the page's [data-markdown-editor] element (edit/_markdown_editor.html).
import "../vendor/markdown-toolbar-element/index.js";

const PREVIEW_DELAY_MS = 600;

// Toolbar buttons: the text each shows (its accessible name) and the Markdown style it applies.
// "heading" is our own (see insertHeading); the others are the toolbar element's.
const TOOLBAR_BUTTONS = [
  ["Bold", "bold"],
  ["Italic", "italic"],
  ["Heading", "heading"],
  ["Bullets", "unordered-list"],
  ["Numbers", "ordered-list"],
  ["Link", "link"],
  ["Quote", "quote"],
];

// A short note (a responsibility's local note) gets only the inline styles and lists.
const SHORT_TOOLBAR = new Set(["bold", "italic", "unordered-list", "link"]);

const TABLE_SKELETON = "| Heading | Heading |\n| --- | --- |\n| Text | Text |\n";

// Plain text the server may turn into Markdown: Word bullet glyphs, numbers before a tab, and
// tab-separated rows. Anything else is pasted as it is, with no request.
const CONVERTIBLE_TEXT = /^[ \t]*(?:[•·▪◦§o–][ \t]|\d{1,3}[.)]\t)|\t/m;

function csrfToken(form) {
  const input = form.querySelector("input[name='csrfmiddlewaretoken']");
  return input ? input.value : "";
}

// Replace the field's selection with text, keeping the browser's undo history where it can.
function insertText(field, text, start = field.selectionStart, end = field.selectionEnd) {
  field.focus();
  field.setSelectionRange(start, end);
  let inserted = false;
  try {
    inserted = document.execCommand("insertText", false, text);
  } catch {
    inserted = false;
  }
  if (!inserted || field.value.slice(start, start + text.length) !== text) {
    field.setRangeText(text, start, end, "end");
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
}

function blockPrefix(before) {
  if (before === "" || before.endsWith("\n\n")) return "";
  return before.endsWith("\n") ? "\n" : "\n\n";
}

function blockSuffix(after) {
  if (after === "" || after.startsWith("\n\n")) return "";
  return after.startsWith("\n") ? "\n" : "\n\n";
}

// Insert Markdown blocks (a table, a list, pasted paragraphs) with the blank lines around them
// that Markdown needs to read them as blocks of their own. Returns where the blocks start.
function insertBlocks(field, text, start = field.selectionStart, end = field.selectionEnd) {
  const prefix = blockPrefix(field.value.slice(0, start));
  const suffix = blockSuffix(field.value.slice(end));
  insertText(field, prefix + text.replace(/\n+$/, "") + suffix, start, end);
  return start + prefix.length;
}

function insertTable(field) {
  const first = insertBlocks(field, TABLE_SKELETON) + 2;
  // Select the first heading, ready to be typed over.
  field.setSelectionRange(first, first + "Heading".length);
}

// A Markdown "#" heading is the section's first level under its title (safe_markdown.py
// shifts it to <h3>), and only counts at the start of a line: so the "# " goes there, at the
// start of the line the cursor is in (Python-Markdown needs no blank line around it).
function insertHeading(field) {
  const lineStart = field.value.lastIndexOf("\n", field.selectionStart - 1) + 1;
  const lineEnd = field.value.indexOf("\n", lineStart);
  const line = field.value.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  if (/^#{1,4} /.test(line)) {
    field.focus();
    return;
  }
  insertText(field, "# ", lineStart, lineStart);
  const at = lineStart + 2 + line.length;
  field.setSelectionRange(at, at);
}

// The next footnote number not used yet in the text.
function nextFootnoteNumber(text) {
  const used = [...text.matchAll(/\[\^(\d+)\]/g)].map((match) => Number(match[1]));
  return used.length ? Math.max(...used) + 1 : 1;
}

function insertFootnote(field) {
  const number = nextFootnoteNumber(field.value);
  const reference = `[^${number}]`;
  insertText(field, reference);
  const text = field.value.replace(/\s+$/, "");
  const lastLine = text.slice(text.lastIndexOf("\n") + 1);
  const joiner = /^\[\^[^\]]+\]:/.test(lastLine) ? "\n" : "\n\n";
  const definition = `${joiner}${reference}: `;
  // The note itself goes at the end of the text, where the cursor waits for it.
  insertText(field, definition, text.length, field.value.length);
  field.setSelectionRange(field.value.length, field.value.length);
}

function button(label, options = {}) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "nhsuk-button nhsuk-button--secondary nhsuk-button--small app-markdown-toolbar__button";
  element.textContent = label;
  if (options.style) element.dataset.mdButton = options.style;
  if (options.onClick) element.addEventListener("click", options.onClick);
  return element;
}

function fieldLabel(field) {
  const label = field.id ? document.querySelector(`label[for='${field.id}']`) : null;
  return label ? label.textContent.trim() : "the text";
}

function addToolbar(field) {
  if (!field.id) return;
  const toolbar = document.createElement("markdown-toolbar");
  toolbar.setAttribute("for", field.id);
  toolbar.setAttribute("aria-label", `Formatting for ${fieldLabel(field)}`);
  toolbar.setAttribute("aria-controls", field.id);
  toolbar.className = "app-markdown-toolbar";
  const short = field.dataset.markdown === "short";
  for (const [label, style] of TOOLBAR_BUTTONS) {
    if (short && !SHORT_TOOLBAR.has(style)) continue;
    if (style === "heading") toolbar.append(button(label, { onClick: () => insertHeading(field) }));
    else toolbar.append(button(label, { style }));
  }
  if (!short) {
    toolbar.append(
      button("Table", { onClick: () => insertTable(field) }),
      button("Footnote", { onClick: () => insertFootnote(field) }),
    );
  }
  // Our own buttons take part in the toolbar's arrow-key movement too.
  for (const own of toolbar.querySelectorAll("button:not([data-md-button])")) {
    own.setAttribute("data-md-button", "");
  }
  field.before(toolbar);
}

// A live region beside a field, saying what a paste converted and left out.
function pasteNotice(field) {
  const notice = document.createElement("div");
  notice.className = "app-paste-notice";
  notice.setAttribute("aria-live", "polite");
  field.after(notice);
  return (paragraphs, items = [], closing = "") => {
    notice.replaceChildren();
    if (!paragraphs.length) return;
    const inset = document.createElement("div");
    inset.className = "nhsuk-inset-text nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-4";
    for (const text of paragraphs) {
      const paragraph = document.createElement("p");
      paragraph.textContent = text;
      inset.append(paragraph);
    }
    if (items.length) {
      const list = document.createElement("ul");
      list.className = "nhsuk-list nhsuk-list--bullet";
      for (const text of items) {
        const item = document.createElement("li");
        item.textContent = text;
        list.append(item);
      }
      inset.append(list);
    }
    if (closing) {
      const paragraph = document.createElement("p");
      paragraph.textContent = closing;
      inset.append(paragraph);
    }
    inset.lastElementChild.classList.add("nhsuk-u-margin-bottom-0");
    notice.append(inset);
  };
}

function enablePaste(field, form, pasteUrl) {
  const say = pasteNotice(field);
  field.addEventListener("paste", async (event) => {
    const clipboard = event.clipboardData;
    if (!clipboard) return;
    const html = clipboard.getData("text/html");
    const text = clipboard.getData("text/plain");
    if (!html && !CONVERTIBLE_TEXT.test(text)) return; // plain text: the browser pastes it
    event.preventDefault();
    const start = field.selectionStart;
    const end = field.selectionEnd;
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken(form));
    body.append("html", html);
    body.append("text", text);
    let result = null;
    try {
      const response = await fetch(pasteUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      result = await response.json().catch(() => null);
      if (!response.ok && !(result && result.error)) result = null;
    } catch {
      result = null;
    }
    if (result && !result.error) {
      if (result.changed) insertBlocks(field, result.markdown, start, end);
      else insertText(field, result.markdown, start, end);
      if (!result.changed) {
        say([]);
        return;
      }
      const converted = `Converted the pasted text: ${result.converted.join(", ") || "its formatting"}.`;
      const check = "Check the text before you save it.";
      if (result.dropped.length) say([converted, "Left out:"], result.dropped, check);
      else say([converted, check]);
    } else {
      insertText(field, text, start, end);
      say([
        result && result.error
          ? `The pasted text was pasted without its formatting: ${result.error}`
          : "The pasted text could not be converted, so it was pasted without its formatting.",
      ]);
    }
  });
}

// The live preview: one request at a time, the newest text always shown last.
function addLivePreview(form, previewUrl) {
  const panel = document.createElement("div");
  panel.className = "app-live-preview";
  // Not a live region: a screen reader would read the whole section out after every pause
  // in typing. Its content is a labelled region to visit when wanted.
  const heading = document.createElement("h2");
  heading.className = "nhsuk-heading-s";
  heading.id = "app-live-preview-title";
  heading.textContent = "Preview as you type (not saved yet)";
  const content = document.createElement("div");
  content.className = "app-live-preview__content";
  // It scrolls within a bounded height, so Save stays near the text; focusable so that it
  // scrolls from the keyboard too.
  content.tabIndex = 0;
  content.setAttribute("aria-labelledby", "app-live-preview-title");
  content.setAttribute("role", "region");
  panel.append(heading, content);
  const buttons = form.querySelector(".nhsuk-button-group");
  (buttons || form.lastElementChild).before(panel);

  let edits = 0; // how many changes the form has had
  let timer = null;
  let inFlight = false;

  async function refresh() {
    timer = null;
    if (inFlight) return; // sent again when the answer in flight arrives
    inFlight = true;
    const sentAt = edits;
    panel.setAttribute("aria-busy", "true");
    let html = null;
    try {
      const response = await fetch(previewUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
      });
      if (response.ok || response.status === 422) html = await response.text();
    } catch {
      html = null;
    }
    inFlight = false;
    if (sentAt !== edits) {
      // The text changed while this answer was on its way: it is stale, ask again.
      if (!timer) refresh();
      return;
    }
    panel.removeAttribute("aria-busy");
    if (html === null) {
      const message = document.createElement("p");
      message.className = "nhsuk-error-message";
      message.textContent = "The preview could not be updated. Use the Preview button below instead.";
      content.replaceChildren(message);
    } else {
      content.innerHTML = html; // rendered and sanitised by the server
    }
  }

  function changed() {
    edits += 1;
    clearTimeout(timer);
    timer = setTimeout(refresh, PREVIEW_DELAY_MS);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  refresh();
}

function start(config) {
  const form = config.closest("form");
  if (!form) return;
  for (const field of form.querySelectorAll("textarea[data-markdown]")) {
    addToolbar(field);
    if (config.dataset.pasteUrl) enablePaste(field, form, config.dataset.pasteUrl);
  }
  if (config.dataset.previewUrl) addLivePreview(form, config.dataset.previewUrl);
}

const config = document.querySelector("[data-markdown-editor]");
if (config) start(config);
