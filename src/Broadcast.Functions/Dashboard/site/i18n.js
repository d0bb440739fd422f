// The page's words (words/{language}.json: English and Bahasa Indonesia), and numbers and dates formatted for the
// chosen language.
import en from './words/en.json' with { type: 'json' };
import id from './words/id.json' with { type: 'json' };

const words = { en, id };

const locales = { en: 'en-US', id: 'id-ID' };
export const languages = Object.keys(words);

let current = languages.includes(localStorage.getItem('broadcast.lang')) ? localStorage.getItem('broadcast.lang')
  : (navigator.language || '').toLowerCase().startsWith('id') ? 'id' : 'en';

export const lang = () => current;

export function setLang(value) {
  current = languages.includes(value) ? value : 'en';
  localStorage.setItem('broadcast.lang', current);
  document.documentElement.lang = current;
}

/** A word in the current language, with {placeholders} filled. */
export function t(key, params = {}) {
  const text = words[current][key] ?? words.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** A status word; a status this page does not know yet (the API grows) is shown as it is. */
export const statusWord = (status) => words[current]['st_' + status] ?? String(status ?? '');

export const number = (n, digits = 0) =>
  new Intl.NumberFormat(locales[current], { maximumFractionDigits: digits }).format(n ?? 0);

export function dateTime(value) {
  if (!value) return '';
  const d = value instanceof Date ? value : new Date(value);
  return new Intl.DateTimeFormat(locales[current], { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
}

export const time = (d) => new Intl.DateTimeFormat(locales[current], { hour: '2-digit', minute: '2-digit' }).format(d);

/** "1 h 5 min", "42 s": a duration as a person reads it. */
export function duration(seconds) {
  if (!Number.isFinite(seconds)) return '';
  const unit = (value, u) => new Intl.NumberFormat(locales[current], { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return unit(s, 'second');
  const m = Math.round(s / 60);
  if (m < 60) return unit(m, 'minute');
  return `${unit(Math.floor(m / 60), 'hour')} ${unit(m % 60, 'minute')}`;
}
