// The token import form: a chosen CSV file is read here into the form's text area, so the form stays a plain
// POST (that also works by pasting, without JavaScript).
document.querySelectorAll('input[type=file][data-fills]').forEach((input) => {
  input.addEventListener('change', async () => {
    const target = document.getElementById(input.dataset.fills);
    const file = input.files && input.files[0];
    if (!target || !file) return;
    target.value = await file.text();
  });
});
