// Form helpers: messages, and marking the fields a problem answer names (parameter / errors[].field).
import { t } from './i18n.js';

/** A readable, translated sentence for any failed request. */
export function describeError(err) {
  if (!err) return t('error.unknown');
  if (err.network) return t('error.network');
  if (err.status === 403 && /csrf/i.test(err.type || '')) return t('error.csrf');
  if (err.status === 403) return err.detail ? t('error.forbiddenDetail', { detail: err.detail }) : t('error.forbidden');
  if (err.detail) return err.detail;
  if (err.title) return err.title;
  if (err.status) return t('error.http', { status: err.status });
  return err.message || t('error.unknown');
}

/** Show text in a message element; kind = error | success | info (styled through data-kind). */
export function setMessage(node, text, kind = 'error') {
  if (!node) return;
  node.textContent = text || '';
  node.dataset.kind = kind;
  node.hidden = !text;
}

export function clearMessage(node) {
  setMessage(node, '');
}

/** "roles[0]" → "roles", "address.street" → "address". */
export function baseField(name) {
  return String(name || '').replace(/[[.].*$/, '');
}

function wrapperFor(form, name) {
  return form.querySelector(`[data-field="${CSS.escape(name)}"]`);
}

function controlsFor(form, name) {
  const item = form.elements.namedItem(name);
  if (!item) return [];
  return item instanceof RadioNodeList ? Array.from(item) : [item];
}

export function clearFieldErrors(form) {
  for (const node of form.querySelectorAll('[aria-invalid="true"]')) node.removeAttribute('aria-invalid');
  for (const node of form.querySelectorAll('.field.is-invalid')) node.classList.remove('is-invalid');
  for (const node of form.querySelectorAll('.field-error')) {
    node.textContent = '';
    node.hidden = true;
  }
}

/** Mark one field invalid with an optional message; returns true if the form has such a field. */
export function markField(form, name, message) {
  const field = baseField(name);
  const wrapper = wrapperFor(form, field);
  const controls = controlsFor(form, field);
  if (!wrapper && controls.length === 0) return false;
  if (wrapper) {
    wrapper.classList.add('is-invalid');
    if (wrapper.tagName === 'FIELDSET') wrapper.setAttribute('aria-invalid', 'true');
    const slot = wrapper.querySelector('.field-error');
    if (slot && message) {
      slot.textContent = slot.textContent ? `${slot.textContent}; ${message}` : message;
      slot.hidden = false;
    }
  }
  for (const c of controls) if (c.type !== 'checkbox' && c.type !== 'radio') c.setAttribute('aria-invalid', 'true');
  return true;
}

/** Fields named by a problem answer: [{field, message}], `parameter` included. */
export function problemFields(err) {
  const list = [];
  if (err && Array.isArray(err.errors)) {
    for (const e of err.errors) if (e.field) list.push({ field: baseField(e.field), message: e.message });
  }
  if (err && err.parameter && !list.some((e) => e.field === baseField(err.parameter))) {
    // "Parameter 'newPassword': must contain letters and digits" → the part after the name.
    const message = String(err.detail || '').replace(/^Parameter '[^']*':\s*/, '');
    list.push({ field: baseField(err.parameter), message });
  }
  return list;
}

/**
 * Show a failed request on a form: the detail in messageNode, the named fields marked.
 * Returns the names of the fields that were marked; focuses the first one.
 */
export function showProblem(form, messageNode, err) {
  clearFieldErrors(form);
  setMessage(messageNode, describeError(err), 'error');
  const marked = [];
  for (const { field, message } of problemFields(err)) {
    if (markField(form, field, message)) marked.push(field);
  }
  if (marked.length) focusField(form, marked[0]);
  else if (messageNode && messageNode.scrollIntoView) messageNode.scrollIntoView({ block: 'nearest' });
  return marked;
}

export function focusField(form, name) {
  const [first] = controlsFor(form, name);
  if (first && typeof first.focus === 'function') first.focus();
}

/** Once the user edits a marked field, its mark and message go away. */
export function clearMarksOnEdit(form) {
  const handler = (event) => {
    const wrapper = event.target.closest && event.target.closest('[data-field]');
    if (!wrapper || !form.contains(wrapper)) return;
    wrapper.classList.remove('is-invalid');
    wrapper.removeAttribute('aria-invalid');
    for (const node of wrapper.querySelectorAll('[aria-invalid="true"]')) node.removeAttribute('aria-invalid');
    const slot = wrapper.querySelector('.field-error');
    if (slot) {
      slot.textContent = '';
      slot.hidden = true;
    }
  };
  form.addEventListener('input', handler);
  form.addEventListener('change', handler);
}

/** Disable a form's buttons while a request runs. */
export async function busy(form, task) {
  const buttons = Array.from(form.querySelectorAll('button'));
  const before = buttons.map((b) => b.disabled);
  buttons.forEach((b) => { b.disabled = true; });
  form.setAttribute('aria-busy', 'true');
  try {
    return await task();
  } finally {
    buttons.forEach((b, i) => { b.disabled = before[i]; });
    form.removeAttribute('aria-busy');
  }
}

/** The client-side half of the password rule (the server checks it again). Returns an i18n key or null. */
export function passwordRuleViolation(password, username) {
  if (!password || password.length < 10) return 'password.rule.length';
  if (password.length > 128) return 'password.rule.tooLong';
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) return 'password.rule.mix';
  if (username && password.toLowerCase().includes(String(username).toLowerCase())) return 'password.rule.username';
  return null;
}
