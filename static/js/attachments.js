// "Add photo" on a phone: once the camera's photo is chosen, send it straight away.
document.addEventListener("change", (event) => {
  const input = event.target.closest("input[type=file][data-autosubmit]");
  if (input && input.files.length) input.form.requestSubmit();
});
