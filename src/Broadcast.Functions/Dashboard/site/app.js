// The shell: language, API key, and a hash router that mounts one view at a time (each view stops its own polling).
import { t, lang, setLang } from './i18n.js';
import { apiKey } from './api.js';
import * as broadcasts from './views/broadcasts.js';
import * as broadcast from './views/broadcast.js';
import * as newBroadcast from './views/new-broadcast.js';
import * as templates from './views/templates.js';
import * as template from './views/template.js';
import * as message from './views/message.js';
import * as suppressions from './views/suppressions.js';
import * as health from './views/health.js';

const routes = [
  [/^#\/broadcasts\/([^/]+)$/, broadcast, '#/broadcasts'],
  [/^#\/broadcasts$/, broadcasts, '#/broadcasts'],
  [/^#\/new$/, newBroadcast, '#/new'],
  [/^#\/new-template$/, template, '#/templates'],
  [/^#\/templates\/([^/]+)$/, template, '#/templates'],
  [/^#\/templates$/, templates, '#/templates'],
  [/^#\/message$/, message, '#/message'],
  [/^#\/suppressions$/, suppressions, '#/suppressions'],
  [/^#\/health$/, health, '#/health'],
];

const main = document.getElementById('main');
let unmount = null;

function translateShell() {
  document.title = t('appTitle');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  document.getElementById('nav').setAttribute('aria-label', t('appTitle'));
  document.getElementById('lang').value = lang();
  document.getElementById('forget-key').hidden = !apiKey.get();
}

function render({ focus = true } = {}) {
  unmount?.();
  unmount = null;
  const hash = location.hash;
  const match = routes.map(([re, view, nav]) => ({ m: hash.match(re), view, nav })).find((r) => r.m);
  if (!match) { location.replace('#/broadcasts'); return; }
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === match.nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  main.replaceChildren();
  unmount = match.view.mount(main, { params: match.m.slice(1).map(decodeURIComponent), navigate: (to) => { location.hash = to; } }) ?? null;
  if (focus) (main.querySelector('h1') ?? main).focus?.();
}

// The hash also carries the skip link's "#main": only "#/..." is a route.
window.addEventListener('hashchange', () => { if (location.hash.startsWith('#/') || location.hash === '') render(); });

document.getElementById('skip').addEventListener('click', (e) => { e.preventDefault(); main.focus(); });

document.getElementById('lang').addEventListener('change', (e) => {
  setLang(e.target.value);
  translateShell();
  render({ focus: false });
});

document.getElementById('forget-key').addEventListener('click', () => {
  apiKey.clear();
  translateShell();
  render();
});

const dialog = document.getElementById('key-dialog');
window.addEventListener('api-key-needed', (e) => {
  if (dialog.open) return;
  document.getElementById('key-message').textContent = e.detail.hadKey ? t('keyWrong') : t('keyExplain');
  if (e.detail.hadKey) apiKey.clear();
  document.getElementById('key-input').value = '';
  translateShell();
  dialog.showModal();
});

document.getElementById('key-form').addEventListener('submit', () => {
  const value = document.getElementById('key-input').value.trim();
  if (!value) return;
  apiKey.set(value);
  translateShell();
  render();
});

setLang(lang());
translateShell();
render({ focus: false });
