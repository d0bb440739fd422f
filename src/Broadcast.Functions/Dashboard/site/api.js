// The app's public API, nothing else: every call the page makes is one any API client could make.
// The API key (when the app has keys) lives in sessionStorage: this tab only, gone when it closes.
const keyName = 'broadcast.apiKey';
// The page is served at <base>/api/dashboard/, so the API is one level up, wherever the app is mounted.
const base = new URL('../', document.baseURI);

export const apiKey = {
  get: () => sessionStorage.getItem(keyName),
  set: (value) => sessionStorage.setItem(keyName, value),
  clear: () => sessionStorage.removeItem(keyName),
};

/** An answer that is not 2xx, with the problem+json the API sent (title, detail, field, row, column, errors). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

export const url = (path) => new URL(path.replace(/^\//, ''), base).toString();

export async function call(path, { method = 'GET', json, body, headers = {}, raw = false } = {}) {
  const h = new Headers(headers);
  const key = apiKey.get();
  if (key) h.set('x-functions-key', key);
  if (json !== undefined) {
    h.set('content-type', 'application/json');
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(url(path), { method, headers: h, body });
  } catch {
    throw new ApiError(0, null);
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    // Only an answer to the key in use now asks for a key: a late answer to a replaced key says nothing about the new one.
    if (response.status === 401 && key === apiKey.get()) {
      window.dispatchEvent(new CustomEvent('api-key-needed', { detail: { hadKey: !!key } }));
    }
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
  return response.status === 204 ? null : response.json();
}

const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
};

const seg = encodeURIComponent;

export const api = {
  health: () => call('health'),
  broadcasts: (continuation, limit = 20) => call('broadcasts' + query({ limit, continuation })),
  broadcast: (id) => call(`broadcasts/${seg(id)}`),
  recipients: (id, { status, continuation, limit = 50 } = {}) =>
    call(`broadcasts/${seg(id)}/recipients` + query({ status, continuation, limit })),
  recipientsCsv: (id) => call(`broadcasts/${seg(id)}/recipients.csv`, { raw: true }),
  cancel: (id) => call(`broadcasts/${seg(id)}/cancel`, { method: 'POST' }),
  resend: (id, request = {}) => call(`broadcasts/${seg(id)}/resend`, { method: 'POST', json: request }),
  createBroadcast: (request, idempotencyKey) =>
    call('broadcasts', { method: 'POST', json: request, headers: { 'Idempotency-Key': idempotencyKey } }),
  upload: (file, provider) => {
    const form = new FormData();
    if (provider) form.append('provider', provider);
    form.append('file', file, file.name);
    return call('uploads', { method: 'POST', body: form });
  },
  uploadErrors: (id, continuation, limit = 100) => call(`uploads/${seg(id)}/errors` + query({ continuation, limit })),
  uploadPreview: (id, template, provider, rows) => call(`uploads/${seg(id)}/preview` + query({ template, provider, rows })),
  templates: (continuation, limit = 100) => call('templates' + query({ limit, continuation })),
  template: (name) => call(`templates/${seg(name)}`),
  createTemplate: (template) => call('templates', { method: 'POST', json: template }),
  replaceTemplate: (name, template) => call(`templates/${seg(name)}`, { method: 'PUT', json: template }),
  deleteTemplate: (name) => call(`templates/${seg(name)}`, { method: 'DELETE' }),
  previewTemplate: (name, variables) => call(`templates/${seg(name)}/preview`, { method: 'POST', json: { variables } }),
  // wait=10: most single sends finish in that time, so the answer is already the outcome.
  sendMessage: (request) => call('messages?wait=10', { method: 'POST', json: request }),
  suppressions: (continuation, limit = 50) => call('suppressions' + query({ limit, continuation })),
  addSuppression: (phone_number, reason) => call('suppressions', { method: 'POST', json: { phone_number, reason } }),
  removeSuppression: (phone) => call(`suppressions/${seg(phone)}`, { method: 'DELETE' }),
};
