// The provider and what to send (text, template or event), shared by the broadcast and single-message forms.
import { t } from './i18n.js';
import { h } from './ui.js';

const kinds = { qiscus: ['template'], khoros: ['text', 'event'], omnichat: ['text', 'template'] };
// Qiscus sends WhatsApp templates by name, id, namespace and language; Omnichat's templates only need the id.
const templateFields = { qiscus: ['name', 'id', 'namespace', 'language'], omnichat: ['id'] };

export function contentForm(prefix, onChange = () => {}) {
  const field = (name, label, input) => h('div', { class: 'field', 'data-field': name },
    h('label', { for: `${prefix}-${name}` }, label), input);
  const input = (name, attrs = {}) => h('input', { id: `${prefix}-${name}`, name, oninput: onChange, ...attrs });

  const provider = h('select', { id: `${prefix}-provider`, name: 'provider', onchange: () => { update(true); onChange(); } },
    Object.keys(kinds).map((p) => h('option', { value: p }, p[0].toUpperCase() + p.slice(1))));
  const kind = h('select', { id: `${prefix}-kind`, name: 'kind', onchange: () => { update(); onChange(); } });
  const text = h('textarea', { id: `${prefix}-text`, name: 'text', rows: 3, oninput: onChange, 'aria-describedby': `${prefix}-text-help` });
  const template = {
    name: input('template-name', { autocomplete: 'off' }), id: input('template-id', { autocomplete: 'off' }),
    namespace: input('template-namespace', { autocomplete: 'off' }), language: input('template-language', { value: 'id', autocomplete: 'off' }),
  };
  const event = input('event', { autocomplete: 'off' });

  const textBlock = h('div', {}, field('text', t('text'), text), h('p', { id: `${prefix}-text-help`, class: 'muted small' }, t('textHelp')));
  const templateBlocks = {
    name: field('template-name', t('templateName'), template.name), id: field('template-id', t('templateId'), template.id),
    namespace: field('template-namespace', t('templateNamespace'), template.namespace),
    language: field('template-language', t('templateLanguage'), template.language),
  };
  const eventBlock = field('event', t('eventName'), event);

  function update(providerChanged = false) {
    const allowed = kinds[provider.value];
    const chosen = !providerChanged && allowed.includes(kind.value) ? kind.value : allowed[0];
    kind.replaceChildren(...allowed.map((k) => h('option', { value: k }, t('kind' + k[0].toUpperCase() + k.slice(1)))));
    kind.value = chosen;
    textBlock.hidden = chosen !== 'text';
    eventBlock.hidden = chosen !== 'event';
    for (const [name, block] of Object.entries(templateBlocks)) block.hidden = chosen !== 'template' || !templateFields[provider.value]?.includes(name);
  }
  update();

  const element = h('div', { class: 'content-form' },
    field('provider', t('provider'), provider), field('kind', t('contentKind'), kind),
    textBlock, Object.values(templateBlocks), eventBlock);

  /** The request's provider and content fields, as the API takes them. */
  function read() {
    const request = { provider: provider.value };
    if (kind.value === 'text') request.text = text.value;
    else if (kind.value === 'event') request.event = event.value;
    else {
      const tpl = {};
      for (const name of templateFields[provider.value]) if (template[name].value.trim()) tpl[name] = template[name].value.trim();
      request.template = tpl;
    }
    return request;
  }

  return { element, read, provider, setProvider: (p) => { provider.value = p; update(true); } };
}
