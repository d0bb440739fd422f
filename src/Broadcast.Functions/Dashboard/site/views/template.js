// One template: register it (#/new-template) or edit it, with the variant of each provider; preview its body with
// sample variables; delete it.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, notice, problemText, confirmDialog } from '../ui.js';

// A notice to show once the page the user is sent to has mounted ("saved" after creating one).
let pendingNotice = null;

/** The placeholders of a body: "{{1}}".."{{n}}" (as many as the highest), or its distinct "{name}"s. */
export function placeholders(body) {
  const positional = [...(body ?? '').matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1]));
  if (positional.length) return { named: false, names: Array.from({ length: Math.max(...positional) }, (_, i) => `{{${i + 1}}}`) };
  return { named: true, names: [...new Set([...(body ?? '').matchAll(/\{([^{}]+)\}/g)].map((m) => `{${m[1]}}`))] };
}

export function mount(main, { params: [name], navigate }) {
  const editing = name !== undefined;
  let saved = null; // the template as the API last answered it
  const message = h('div', { 'aria-live': 'polite' });
  const field = (id, label, input, help) => h('div', { class: 'field' }, h('label', { for: id }, label), input,
    help ? h('p', { class: 'muted small', id: `${id}-help` }, help) : '');
  const input = (id, attrs = {}) => h('input', { id, name: id, autocomplete: 'off', ...attrs });

  const nameInput = input('tpl-name', { value: name ?? '', disabled: editing, 'aria-describedby': 'tpl-name-help', required: true });
  const body = h('textarea', { id: 'tpl-body', name: 'body', rows: 3, 'aria-describedby': 'tpl-body-help' });

  const qiscus = {
    on: input('tpl-qiscus', { type: 'checkbox', onchange: () => toggle() }),
    id: input('tpl-qiscus-id'), name: input('tpl-qiscus-name'), namespace: input('tpl-qiscus-namespace'),
    language: input('tpl-qiscus-language', { value: 'id' }), variables: input('tpl-qiscus-variables', { type: 'number', min: 0, max: 15, value: 0 }),
  };
  const omnichat = {
    on: input('tpl-omnichat', { type: 'checkbox', onchange: () => toggle() }),
    id: input('tpl-omnichat-id'), variables: input('tpl-omnichat-variables', { 'aria-describedby': 'tpl-omnichat-variables-help' }),
  };
  const khorosKind = h('select', { id: 'tpl-khoros-kind', name: 'tpl-khoros-kind', onchange: () => toggle() },
    h('option', { value: 'text' }, t('kindText')), h('option', { value: 'event' }, t('kindEvent')));
  const khoros = {
    on: input('tpl-khoros', { type: 'checkbox', onchange: () => toggle() }),
    text: h('textarea', { id: 'tpl-khoros-text', name: 'tpl-khoros-text', rows: 2 }), event: input('tpl-khoros-event'),
  };

  const variantBox = (provider, on, ...fields) => {
    const inner = h('div', { class: 'variant-fields' }, fields);
    return { box: h('fieldset', { class: 'variant', 'data-provider': provider },
      h('legend', {}, h('label', {}, on, ' ', t('variantOf', { provider }))), inner), inner };
  };
  const qiscusBox = variantBox('Qiscus', qiscus.on,
    field('tpl-qiscus-id', t('templateId'), qiscus.id), field('tpl-qiscus-name', t('templateName'), qiscus.name),
    field('tpl-qiscus-namespace', t('templateNamespace'), qiscus.namespace), field('tpl-qiscus-language', t('templateLanguage'), qiscus.language),
    field('tpl-qiscus-variables', t('variableCount'), qiscus.variables));
  const omnichatBox = variantBox('Omnichat', omnichat.on,
    field('tpl-omnichat-id', t('templateId'), omnichat.id),
    field('tpl-omnichat-variables', t('variableNames'), omnichat.variables, t('variableNamesHelp')));
  const khorosText = field('tpl-khoros-text', t('text'), khoros.text);
  const khorosEvent = field('tpl-khoros-event', t('eventName'), khoros.event);
  const khorosBox = variantBox('Khoros', khoros.on, field('tpl-khoros-kind', t('contentKind'), khorosKind), khorosText, khorosEvent);

  function toggle() {
    qiscusBox.inner.hidden = !qiscus.on.checked;
    omnichatBox.inner.hidden = !omnichat.on.checked;
    khorosBox.inner.hidden = !khoros.on.checked;
    khorosText.hidden = khorosKind.value !== 'text';
    khorosEvent.hidden = khorosKind.value !== 'event';
  }

  const optional = (value) => (value.trim() ? value.trim() : undefined);

  /** The form as the API's template body. */
  function read() {
    const variants = {};
    if (qiscus.on.checked) {
      variants.qiscus = {
        id: optional(qiscus.id.value), name: optional(qiscus.name.value), namespace: optional(qiscus.namespace.value),
        language: optional(qiscus.language.value), variables: Number(qiscus.variables.value || 0),
        // The form has no button editor: the buttons a template was registered with are kept as they are.
        buttons: saved?.variants?.qiscus?.buttons ?? undefined,
      };
    }
    if (omnichat.on.checked) {
      variants.omnichat = {
        id: optional(omnichat.id.value),
        variables: omnichat.variables.value.split(',').map((v) => v.trim()).filter(Boolean),
      };
    }
    if (khoros.on.checked) variants.khoros = khorosKind.value === 'text' ? { text: khoros.text.value } : { event: khoros.event.value };
    return { name: editing ? undefined : nameInput.value.trim(), body: optional(body.value), variants };
  }

  function fill(x) {
    saved = x;
    body.value = x.body ?? '';
    const q = x.variants.qiscus, o = x.variants.omnichat, k = x.variants.khoros;
    qiscus.on.checked = !!q;
    if (q) {
      qiscus.id.value = q.id ?? ''; qiscus.name.value = q.name ?? ''; qiscus.namespace.value = q.namespace ?? '';
      qiscus.language.value = q.language ?? ''; qiscus.variables.value = Number.isInteger(q.variables) ? q.variables : 0;
    }
    omnichat.on.checked = !!o;
    if (o) { omnichat.id.value = o.id ?? ''; omnichat.variables.value = Array.isArray(o.variables) ? o.variables.join(', ') : ''; }
    khoros.on.checked = !!k;
    if (k) {
      khorosKind.value = k.event ? 'event' : 'text';
      khoros.text.value = k.text ?? ''; khoros.event.value = k.event ?? '';
    }
    toggle();
    drawSampleInputs();
    previewBlock.hidden = false;
  }

  async function save(e) {
    e.preventDefault();
    submit.disabled = true;
    try {
      if (editing) {
        fill(await api.replaceTemplate(name, read()));
        notice(message, t('templateSaved', { name: saved.name }));
      } else {
        const created = await api.createTemplate(read());
        pendingNotice = t('templateSaved', { name: created.name });
        navigate(`#/templates/${encodeURIComponent(created.name)}`);
      }
    } catch (err) {
      notice(message, problemText(err), 'error');
    } finally {
      submit.disabled = false;
    }
  }

  async function remove() {
    if (!(await confirmDialog(t('deleteTemplateConfirm', { name: saved.name })))) return;
    try {
      await api.deleteTemplate(saved.name);
      navigate('#/templates');
    } catch (err) {
      notice(message, problemText(err), 'error');
    }
  }

  // Preview: sample values for the saved body's placeholders, filled in by the app.
  const samples = h('div', { id: 'tpl-samples' });
  const previewText = h('p', { id: 'tpl-preview-text', class: 'preview-text', 'aria-live': 'polite' });
  function drawSampleInputs() {
    const { names } = placeholders(saved?.body);
    const kept = new Map([...samples.querySelectorAll('input')].map((i) => [i.dataset.variable, i.value]));
    samples.replaceChildren(...names.map((v, i) => field(`tpl-sample-${i + 1}`, t('sampleValue', { name: v }),
      input(`tpl-sample-${i + 1}`, { 'data-variable': v, value: kept.get(v) ?? '' }))));
  }
  async function preview() {
    const { named } = placeholders(saved?.body);
    const inputs = [...samples.querySelectorAll('input')];
    const variables = named ? Object.fromEntries(inputs.map((i) => [i.dataset.variable, i.value])) : inputs.map((i) => i.value);
    try {
      previewText.textContent = (await api.previewTemplate(saved.name, variables)).text;
    } catch (err) {
      previewText.replaceChildren(h('span', { class: 'notice notice-error', role: 'alert' }, problemText(err)));
    }
  }
  const previewBlock = h('section', { 'aria-labelledby': 'tpl-preview-h', hidden: true },
    h('h2', { id: 'tpl-preview-h' }, t('previewTemplate')), h('p', { class: 'muted small' }, t('previewTemplateHelp')), samples,
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'tpl-preview', class: 'secondary', onclick: preview }, t('showPreview'))),
    previewText);

  const submit = h('button', { type: 'submit', id: 'tpl-save' }, editing ? t('save') : t('registerTemplate'));
  const deleteButton = editing ? h('button', { type: 'button', class: 'danger', id: 'tpl-delete', onclick: remove }, t('delete')) : '';

  main.append(
    h('p', {}, h('a', { href: '#/templates' }, `← ${t('allTemplates')}`)),
    h('h1', { tabindex: -1 }, editing ? name : t('newTemplate')),
    h('form', { id: 'template-form', onsubmit: save, novalidate: true },
      h('section', { 'aria-label': t('templateBody') },
        field('tpl-name', t('templateRegisteredName'), nameInput, t('templateNameHelp')),
        field('tpl-body', t('templateBody'), body, t('templateBodyHelp'))),
      h('section', { 'aria-label': t('variants') }, h('h2', {}, t('variants')), h('p', { class: 'muted small' }, t('variantsHelp')),
        qiscusBox.box, omnichatBox.box, khorosBox.box),
      message,
      h('div', { class: 'actions' }, submit, deleteButton)),
    previewBlock);
  toggle();
  if (pendingNotice) { notice(message, pendingNotice); pendingNotice = null; }
  if (editing) {
    api.template(name).then(fill, (err) => notice(message, problemText(err), 'error'));
  }
}
