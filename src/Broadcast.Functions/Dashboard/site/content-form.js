// The provider, what to send (text, event, or a registered template by name) and the fallback providers, shared by
// the broadcast and single-message forms.
import { api } from './api.js';
import { t } from './i18n.js';
import { h } from './ui.js';

// Khoros sends a registered template through its variant's text or event.
const kinds = { qiscus: ['template'], khoros: ['text', 'event', 'template'], omnichat: ['text', 'template'] };
export const providers = Object.keys(kinds);
const fallbackSlots = 2;

export const providerLabel = (p) => p[0].toUpperCase() + p.slice(1);
const bare = (name) => name.trim().replace(/^\{/, '').replace(/\}$/, '').toLowerCase();

/** The variables a variant takes: its names ("{name}"), or its count as "{{1}}".."{{n}}"; for a Khoros text that
 * declares none, the placeholders its text holds. */
export function variablesOf(variant) {
  if (!variant) return { named: false, names: [] };
  if (Array.isArray(variant.variables)) return { named: true, names: variant.variables };
  if (Number.isInteger(variant.variables)) return { named: false, names: Array.from({ length: variant.variables }, (_, i) => `{{${i + 1}}}`) };
  const text = variant.text ?? '';
  const positional = [...text.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1]));
  if (positional.length) return { named: false, names: Array.from({ length: Math.max(...positional) }, (_, i) => `{{${i + 1}}}`) };
  const named = [...new Set([...text.matchAll(/\{([^{}]+)\}/g)].map((m) => `{${m[1]}}`))];
  return { named: true, names: named };
}

/** The columns of an upload that feed each of the variant's variables (null where the upload has none). */
export function columnsFor(variant, uploadVariables) {
  const { named, names } = variablesOf(variant);
  return names.map((name, i) => ({
    variable: name,
    column: named ? uploadVariables.find((c) => bare(c) === bare(name)) ?? null : uploadVariables[i] ?? null,
  }));
}

/**
 * @param prefix the ids' prefix ("nb", "msg")
 * @param options onChange: called on every change; variables: ask for the template's variables (a single message)
 */
export function contentForm(prefix, { onChange = () => {}, variables = false } = {}) {
  let templates = [];
  const field = (name, label, input) => h('div', { class: 'field', 'data-field': name },
    h('label', { for: `${prefix}-${name}` }, label), input);
  const input = (name, attrs = {}) => h('input', { id: `${prefix}-${name}`, name, oninput: onChange, ...attrs });
  const changed = () => { update(); onChange(); };

  const provider = h('select', { id: `${prefix}-provider`, name: 'provider', onchange: () => { update(true); onChange(); } },
    providers.map((p) => h('option', { value: p }, providerLabel(p))));
  const kind = h('select', { id: `${prefix}-kind`, name: 'kind', onchange: changed });
  const text = h('textarea', { id: `${prefix}-text`, name: 'text', rows: 3, oninput: onChange, 'aria-describedby': `${prefix}-text-help` });
  const template = h('select', { id: `${prefix}-template`, name: 'template', onchange: changed, 'aria-describedby': `${prefix}-template-help` });
  const templateHelp = h('p', { id: `${prefix}-template-help`, class: 'muted small' });
  const event = input('event', { autocomplete: 'off' });
  const variableInputs = h('div', { class: 'variables', id: `${prefix}-variables` });
  const fallback = Array.from({ length: fallbackSlots }, (_, i) =>
    h('select', { id: `${prefix}-fallback-${i + 1}`, name: `fallback-${i + 1}`, onchange: changed }));

  const textBlock = h('div', {}, field('text', t('text'), text), h('p', { id: `${prefix}-text-help`, class: 'muted small' }, t('textHelp')));
  const templateBlock = h('div', {}, field('template', t('templateByName'), template), templateHelp, variables ? variableInputs : '');
  const eventBlock = field('event', t('eventName'), event);
  const fallbackBlock = h('fieldset', { class: 'fallback' }, h('legend', {}, t('fallback')),
    h('p', { class: 'muted small', id: `${prefix}-fallback-help` }, t('fallbackHelp')),
    fallback.map((select, i) => h('div', { class: 'field' }, h('label', { for: select.id }, t('fallbackThen', { n: i + 1 })), select)));

  const chosenTemplate = () => templates.find((x) => x.name === template.value) ?? null;

  /** Providers the fallback may list: those that can send what the primary sends. */
  function capable() {
    const others = providers.filter((p) => p !== provider.value);
    if (kind.value === 'template') return others.filter((p) => chosenTemplate()?.variants?.[p]);
    return others.filter((p) => kinds[p].includes(kind.value));
  }

  function updateTemplates() {
    const usable = templates.filter((x) => x.variants?.[provider.value]);
    const previous = template.value;
    template.replaceChildren(...usable.map((x) => h('option', { value: x.name }, x.name)));
    if (usable.some((x) => x.name === previous)) template.value = previous;
    templateHelp.replaceChildren(usable.length ? t('templateHelp')
      : h('span', {}, t('noTemplateFor', { provider: providerLabel(provider.value) }), ' ', h('a', { href: '#/new-template' }, t('registerTemplate'))));
  }

  function updateVariables() {
    const variant = chosenTemplate()?.variants?.[provider.value];
    const { names } = variablesOf(variant);
    const kept = new Map([...variableInputs.querySelectorAll('input')].map((i) => [i.dataset.variable, i.value]));
    variableInputs.replaceChildren(...names.map((name, i) => field(`var-${i + 1}`, t('variable', { name }),
      input(`var-${i + 1}`, { 'data-variable': name, value: kept.get(name) ?? '', autocomplete: 'off' }))));
  }

  function updateFallback() {
    const allowed = capable();
    fallbackBlock.hidden = allowed.length === 0;
    const taken = [];
    fallback.forEach((select, i) => {
      const previous = select.value;
      const options = allowed.filter((p) => !taken.includes(p));
      select.replaceChildren(h('option', { value: '' }, t('fallbackNone')), ...options.map((p) => h('option', { value: p }, providerLabel(p))));
      select.disabled = i > 0 && !fallback[i - 1].value;
      select.value = !select.disabled && options.includes(previous) ? previous : '';
      if (select.value) taken.push(select.value);
    });
  }

  function update(providerChanged = false) {
    const allowed = kinds[provider.value];
    const chosen = !providerChanged && allowed.includes(kind.value) ? kind.value : allowed[0];
    kind.replaceChildren(...allowed.map((k) => h('option', { value: k }, t('kind' + k[0].toUpperCase() + k.slice(1)))));
    kind.value = chosen;
    textBlock.hidden = chosen !== 'text';
    eventBlock.hidden = chosen !== 'event';
    templateBlock.hidden = chosen !== 'template';
    updateTemplates();
    updateVariables();
    updateFallback();
  }
  update();

  // Every registered template the page can offer (a registry of more than a thousand is not a dashboard's case).
  const loaded = api.templates(undefined, 1000).then((page) => { templates = page.items; update(); onChange(); }, () => {});

  const element = h('div', { class: 'content-form' },
    field('provider', t('provider'), provider), field('kind', t('contentKind'), kind),
    textBlock, templateBlock, eventBlock, fallbackBlock);

  /** The values typed for the template's variables: a list for positional ones, an object for named ones. */
  function readVariables() {
    const inputs = [...variableInputs.querySelectorAll('input')];
    if (inputs.length === 0) return undefined;
    const { named } = variablesOf(chosenTemplate()?.variants?.[provider.value]);
    return named ? Object.fromEntries(inputs.map((i) => [i.dataset.variable, i.value])) : inputs.map((i) => i.value);
  }

  /** The request's provider, content and fallback fields, as the API takes them. */
  function read() {
    const request = { provider: provider.value };
    if (kind.value === 'text') request.text = text.value;
    else if (kind.value === 'event') request.event = event.value;
    else {
      request.template = template.value;
      if (variables) request.variables = readVariables();
    }
    const chosenFallback = fallback.map((s) => s.value).filter(Boolean);
    if (!fallbackBlock.hidden && chosenFallback.length) request.fallback = chosenFallback;
    return request;
  }

  return {
    element, read, provider, loaded,
    kind: () => kind.value,
    template: chosenTemplate,
    setProvider: (p) => { provider.value = p; update(true); },
  };
}
