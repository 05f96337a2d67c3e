// Ctrl+Enter (or Cmd+Enter) takes the call from anywhere in the intake form.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  const form = document.querySelector("form[data-submit-shortcut]");
  if (form) {
    event.preventDefault();
    form.requestSubmit();
  }
});
