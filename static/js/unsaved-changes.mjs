// Asks before leaving a page whose form holds changes that are not saved, with the browser's
// own "Leave site?" prompt. Only forms that opt in are watched:
//   <form data-unsaved-changes="saved">    nothing unsaved until a field changes
//   <form data-unsaved-changes="unsaved">  shown again with changes not saved yet (an error,
//                                          a preview, changes kept over a sign-in)
// Submitting the form itself is not leaving it. Without JavaScript nothing warns, and the
// server still keeps changes posted after a sign-out (induction/kept_edits.py).

const unsaved = new Set();

for (const form of document.querySelectorAll("form[data-unsaved-changes]")) {
  if (form.dataset.unsavedChanges === "unsaved") {
    unsaved.add(form);
  }
  const changed = () => unsaved.add(form);
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", () => unsaved.delete(form));
}

window.addEventListener("beforeunload", (event) => {
  if (unsaved.size > 0) {
    event.preventDefault();
    // Older browsers show the prompt only when returnValue is set.
    event.returnValue = "";
  }
});
