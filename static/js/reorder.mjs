// Reordering in the pack editor, by drag and drop (SortableJS, loaded before this module as
// static/vendor/sortablejs/Sortable.min.js) and by "Move up" / "Move down" buttons, the
// keyboard's way. Only an enhancement: without JavaScript the overview's move buttons are
// ordinary forms, and a section's list of steps or people has a position box per row and a
// button that brings more blank rows.
//
// The overview (induction/edit/pack_edit.html, `tbody[data-app-reorder]`): each move is saved
// at once by one POST of every section id in the new order and the order last saved
// (induction/views/ordering.py); the answer is announced, and a refusal reloads the page,
// which shows why. A section's list (induction/edit/_rows.html, `ol[data-app-rows]`): moves
// renumber the rows' position boxes, saved with the section; "Add another" adds a blank row
// from the formset's empty form.

const Sortable = window.Sortable;

const SVG = "http://www.w3.org/2000/svg";

// Six dots, the usual sign of something that can be picked up and dragged.
// Move `row` one place up or down among its siblings; false if it is already at that end.
function moveRow(row, up) {
  const neighbour = up ? row.previousElementSibling : row.nextElementSibling;
  if (!neighbour) return false;
  if (up) neighbour.before(row);
  else neighbour.after(row);
  return true;
}

// The move control to keep the focus on once the row is renumbered: the one pressed, to move
// on; at the top or bottom, where it is hidden, the other one.
function controlAfterMove(row, up) {
  const same = row.querySelector(`[data-app-move="${up ? "up" : "down"}"]`);
  const other = row.querySelector(`[data-app-move="${up ? "down" : "up"}"]`);
  return same.hidden ? other : same;
}

function gripIcon() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 12 20");
  svg.setAttribute("width", "12");
  svg.setAttribute("height", "20");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", "app-drag-handle__icon");
  for (const cx of [3, 9]) {
    for (const cy of [4, 10, 16]) {
      const dot = document.createElementNS(SVG, "circle");
      dot.setAttribute("cx", cx);
      dot.setAttribute("cy", cy);
      dot.setAttribute("r", "2");
      svg.append(dot);
    }
  }
  return svg;
}

function showHandle(handle, name) {
  if (!handle.firstChild) handle.append(gripIcon());
  handle.title = `Drag to move ${name}`;
  handle.hidden = false;
}

function sortable(list, draggable, onMoved) {
  if (!Sortable) return;
  Sortable.create(list, {
    handle: ".app-drag-handle",
    draggable,
    animation: 150,
    ghostClass: "app-drag-ghost",
    chosenClass: "app-drag-chosen",
    onEnd(event) {
      if (event.oldIndex !== event.newIndex) onMoved(event.item);
    },
  });
}

// --- the overview's sections, saved at each move -----------------------------------------

function enhanceSections(tbody) {
  const url = tbody.dataset.appReorder;
  const status = document.getElementById(tbody.dataset.appReorderStatus);
  const token = document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
  const rows = () => [...tbody.querySelectorAll("tr[data-app-section]")];
  const ids = () => rows().map((row) => row.dataset.appSection);
  let saved = ids();
  let queue = Promise.resolve();

  function renumber() {
    const all = rows();
    all.forEach((row, index) => {
      row.querySelector(".app-section-list__number").textContent = `${index + 1}.`;
      row.querySelector('[data-app-move="up"]').hidden = index === 0;
      row.querySelector('[data-app-move="down"]').hidden = index === all.length - 1;
    });
  }

  async function save(row) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    for (const id of ids()) body.append("order", id);
    for (const id of saved) body.append("expected_order", id);
    body.append("moved", row.dataset.appSection);
    const order = ids();
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const json = (response.headers.get("Content-Type") || "").includes("application/json");
      const answer = json ? await response.json() : {};
      if (!response.ok || !answer.message) throw new Error(answer.error || response.statusText);
      saved = order;
      status.textContent = answer.message;
    } catch {
      // The server kept the reason as a message: the page shows it, and the order as it is.
      window.location.reload();
    }
  }

  // One save at a time, each from the order the one before it saved.
  const moved = (row) => {
    renumber();
    status.textContent = "";
    queue = queue.then(() => save(row));
  };

  tbody.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-app-move]");
    if (!form) return;
    event.preventDefault();
    const row = form.closest("tr");
    const up = form.dataset.appMove === "up";
    if (!moveRow(row, up)) return;
    moved(row);
    controlAfterMove(row, up).querySelector("button").focus();
  });

  for (const row of rows()) {
    const handle = document.createElement("span");
    handle.className = "app-drag-handle";
    handle.setAttribute("aria-hidden", "true");
    row.querySelector("th").prepend(handle);
    showHandle(handle, row.dataset.appTitle);
  }
  document.querySelectorAll(".app-js-only").forEach((element) => (element.hidden = false));
  sortable(tbody, "tr[data-app-section]", moved);
}

// --- a section's list of steps or people, saved with the section ---------------------------

function enhanceRows(list) {
  const prefix = list.dataset.appRows;
  const name = list.dataset.appRowName;
  const status = document.getElementById(list.dataset.appRowsStatus);
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const maximum = Number(document.getElementById(`id_${prefix}-MAX_NUM_FORMS`)?.value || 1000);
  const template = document.getElementById(`${prefix}-empty-row`);
  const add = document.querySelector(`[data-app-add-row="${prefix}"]`);
  const rows = () => [...list.querySelectorAll(":scope > [data-app-row]")];

  // `quietly` at the start, when the boxes of blank rows are first numbered: not an edit.
  function renumber(quietly = false) {
    const all = rows();
    all.forEach((row, index) => {
      const number = index + 1;
      row.querySelector("[data-app-row-label]").textContent = `${name} ${number}`;
      for (const suffix of row.querySelectorAll("[data-app-row-suffix]")) {
        suffix.textContent = `: ${name.toLowerCase()} ${number}`;
      }
      const position = row.querySelector('input[name$="-ORDER"]');
      if (position.value !== String(number)) {
        position.value = number;
        // Announced like a typed change, for whatever watches the form for unsaved edits.
        if (!quietly) position.dispatchEvent(new Event("change", { bubbles: true }));
      }
      row.querySelector('[data-app-move="up"]').hidden = index === 0;
      row.querySelector('[data-app-move="down"]').hidden = index === all.length - 1;
    });
    if (add) add.disabled = all.length >= maximum;
  }

  function moved(row) {
    renumber();
    const place = rows().indexOf(row) + 1;
    status.textContent = `Moved to position ${place} of ${rows().length}. Save the section to keep the new order.`;
  }

  function enhance(row) {
    showHandle(row.querySelector("[data-app-drag-handle]"), name.toLowerCase());
    row.querySelector("[data-app-row-moves]").hidden = false;
    // The script keeps the position boxes in step with the rows, so they are not shown.
    row.querySelector(".app-row__position").hidden = true;
  }

  // A step's box grows with what is typed, so none of it hides behind a scroll bar.
  list.addEventListener("input", (event) => {
    const box = event.target;
    if (box.tagName !== "TEXTAREA" || box.scrollHeight <= box.clientHeight) return;
    box.style.height = `${box.scrollHeight + box.offsetHeight - box.clientHeight}px`;
  });

  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-app-move]");
    if (!button) return;
    const row = button.closest("[data-app-row]");
    const up = button.dataset.appMove === "up";
    if (!moveRow(row, up)) return;
    moved(row);
    controlAfterMove(row, up).focus();
  });

  if (add && template && total) {
    add.hidden = false;
    document.querySelector(`[data-app-add-rows-fallback]`)?.setAttribute("hidden", "");
    add.addEventListener("click", () => {
      const index = Number(total.value);
      list.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", index));
      total.value = index + 1;
      total.dispatchEvent(new Event("change", { bubbles: true }));
      const row = rows().at(-1);
      enhance(row);
      renumber();
      status.textContent = `Added ${name.toLowerCase()} ${rows().length}.`;
      row.querySelector("textarea, input:not([type=hidden]), select").focus();
    });
  }

  rows().forEach(enhance);
  renumber(true);
  document.querySelectorAll(".app-js-only").forEach((element) => (element.hidden = false));
  document.querySelectorAll("[data-app-without-script]").forEach((element) => (element.hidden = true));
  sortable(list, "[data-app-row]", moved);
}

document.querySelectorAll("tbody[data-app-reorder]").forEach(enhanceSections);
document.querySelectorAll("ol[data-app-rows]").forEach(enhanceRows);
