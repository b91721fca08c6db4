// The access rules form: the drivers and groups lists matter only for mode "limited"; hide them otherwise.
// Without JavaScript they are always shown (and the server ignores them for other modes).
const form = document.getElementById('access-form');
if (form) {
  const limited = form.querySelector('[data-when-limited]');
  const update = () => {
    const mode = form.querySelector('input[name=mode]:checked');
    if (limited) limited.hidden = !mode || mode.value !== 'limited';
  };
  form.querySelectorAll('input[name=mode]').forEach((r) => r.addEventListener('change', update));
  update();
}
