// Administration page, tab 测评标准 (ADMIN): edit the inspection checklist of each point type.
// Every table row saves on its own (PUT api/admin/checklist-items/{code}); the form below the table adds an item.
import { t, getLang } from './i18n.js';
import { api, request } from './api.js';
import { el, clear } from './dom.js';
import {
  describeError, setMessage, clearMessage, clearFieldErrors, markField, showProblem, busy, focusField,
  clearMarksOnEdit, problemFields,
} from './forms.js';

const CODE_PATTERN = /^[A-Z0-9_-]{3,60}$/;
const TEXT_MAX = 500;
const ROW_FIELDS = ['sortOrder', 'textZh', 'textEn', 'categoryCode', 'active'];

const enc = encodeURIComponent;
const checklistApi = {
  items: (pointType, signal) => request('GET', 'api/admin/checklist-items', { params: { pointType }, signal }),
  update: (code, body) => request('PUT', `api/admin/checklist-items/${enc(code)}`, { body }),
  create: (body) => request('POST', 'api/admin/checklist-items', { body }),
};

const $ = (id) => document.getElementById(id);

const state = {
  pointTypes: [],
  categories: [],
  categoriesByCode: new Map(),
  directoriesLoaded: null, // promise
  pointType: '',
  items: [],
  loaded: false,
  loading: null, // AbortController of the running list request
};

function localName(item) {
  if (!item) return '';
  return (getLang() === 'en' ? item.nameEn || item.nameZh : item.nameZh || item.nameEn) || item.code;
}

function actionName(category) {
  return (getLang() === 'en' ? category.actionNameEn || category.actionNameZh : category.actionNameZh || category.actionNameEn)
    || category.actionCode || t('checklists.otherAction');
}

// ---------------------------------------------------------------- directories

function loadDirectories() {
  if (!state.directoriesLoaded) {
    state.directoriesLoaded = Promise.all([api.pointTypes(), api.categories()]).then(([types, categories]) => {
      state.pointTypes = Array.isArray(types) ? types : [];
      state.categories = Array.isArray(categories) ? categories : [];
      state.categoriesByCode = new Map(state.categories.map((c) => [c.code, c]));
      fillPointTypeSelect();
      fillCategorySelect($('cn-category'), $('cn-category').value);
    }).catch((err) => {
      state.directoriesLoaded = null; // try again next time
      throw err;
    });
  }
  return state.directoriesLoaded;
}

function fillPointTypeSelect() {
  const select = $('checklist-point-type');
  const value = select.value || state.pointType;
  clear(select);
  for (const type of state.pointTypes) {
    select.append(el('option', { attrs: { value: type.code }, text: `${localName(type)}（${type.code}）` }));
  }
  if (value && state.pointTypes.some((p) => p.code === value)) select.value = value;
}

/** Options grouped by rectification action (专项行动); a stored code the list lacks is kept as an option. */
function fillCategorySelect(select, value) {
  clear(select);
  select.append(el('option', { attrs: { value: '' }, text: t('checklists.chooseCategory') }));
  const groups = new Map();
  for (const category of state.categories) {
    const key = category.actionCode || '';
    if (!groups.has(key)) groups.set(key, { label: actionName(category), items: [] });
    groups.get(key).items.push(category);
  }
  for (const { label, items } of groups.values()) {
    select.append(el('optgroup', { attrs: { label } }, items.map((c) => el('option', {
      attrs: { value: c.code, title: c.code },
      text: localName(c),
    }))));
  }
  if (value && !state.categoriesByCode.has(value)) select.append(el('option', { attrs: { value }, text: value }));
  select.value = value || '';
}

// ---------------------------------------------------------------- list

/** Loads the selected type's items; resolves false when that failed (the tab may try again). */
export async function loadChecklists() {
  const panel = $('panel-checklists');
  const message = $('checklists-message');
  panel.dataset.state = 'loading';
  try {
    await loadDirectories();
  } catch (err) {
    panel.dataset.state = 'error';
    setMessage(message, t('error.load', { detail: describeError(err) }), 'error');
    return false;
  }
  const select = $('checklist-point-type');
  if (!select.value && state.pointTypes.length) select.value = state.pointTypes[0].code;
  state.pointType = select.value;
  if (!state.pointType) {
    panel.dataset.state = 'ready';
    state.items = [];
    renderItems();
    return true;
  }
  if (state.loading) state.loading.abort();
  const controller = new AbortController();
  state.loading = controller;
  try {
    const rows = await checklistApi.items(state.pointType, controller.signal);
    if (controller.signal.aborted) return true;
    state.items = Array.isArray(rows) ? rows : [];
    state.loaded = true;
    renderItems();
    prepareNewForm(false);
    panel.dataset.state = 'ready';
    return true;
  } catch (err) {
    if (err && err.name === 'AbortError') return true;
    panel.dataset.state = 'error';
    setMessage(message, describeError(err), 'error');
    return false;
  } finally {
    if (state.loading === controller) state.loading = null;
  }
}

function cellError() {
  const node = el('p', { className: 'field-error' });
  node.hidden = true;
  return node;
}

function fieldCell(field, control, className) {
  return el('td', { className: `ck-cell ${className || ''}`, attrs: { 'data-field': field } }, [control, cellError()]);
}

function rowControls(tr) {
  const get = (field) => tr.querySelector(`[name="${field}"]`);
  return Object.fromEntries(ROW_FIELDS.map((f) => [f, get(f)]));
}

function fillRow(tr, item) {
  const c = rowControls(tr);
  c.sortOrder.value = item.sortOrder == null ? '' : String(item.sortOrder);
  c.textZh.value = item.textZh || '';
  c.textEn.value = item.textEn || '';
  fillCategorySelect(c.categoryCode, item.categoryCode || '');
  c.active.checked = !!item.active;
  fitRows(c.textZh, 18);
  fitRows(c.textEn, 34);
  tr.classList.toggle('is-inactive', !item.active);
}

/** Enough rows for the text (roughly, by characters per line), 2 to 5. */
function fitRows(textarea, perLine) {
  textarea.rows = Math.min(5, Math.max(2, Math.ceil(textarea.value.length / perLine)));
}

function itemRow(item) {
  const code = item.code;
  const label = (key) => t(key);
  const sort = el('input', {
    className: 'ck-sort',
    attrs: { type: 'number', name: 'sortOrder', step: '1', min: '0', max: '1000000', inputmode: 'numeric', 'aria-label': label('checklists.sortOrder') },
  });
  const textZh = el('textarea', { attrs: { name: 'textZh', rows: 2, maxlength: TEXT_MAX, lang: 'zh-CN', 'aria-label': label('checklists.textZh') } });
  const textEn = el('textarea', { attrs: { name: 'textEn', rows: 2, maxlength: TEXT_MAX, lang: 'en', 'aria-label': label('checklists.textEn') } });
  const category = el('select', { attrs: { name: 'categoryCode', 'aria-label': label('checklists.category') } });
  const active = el('input', { attrs: { type: 'checkbox', name: 'active', 'aria-label': label('checklists.active') } });
  const save = el('button', {
    className: 'btn btn-small btn-primary ck-save',
    text: t('common.save'),
    attrs: { type: 'button', 'data-code': code, 'aria-label': t('checklists.saveNamed', { code }) },
  });
  const status = el('span', { className: 'ck-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const tr = el('tr', { className: 'ck-row', attrs: { 'data-code': code } }, [
    el('td', {}, [el('span', { className: 'cg-code', text: code })]),
    fieldCell('sortOrder', sort, 'ck-cell-sort'),
    fieldCell('textZh', textZh, 'wrap ck-cell-text'),
    fieldCell('textEn', textEn, 'wrap ck-cell-text'),
    fieldCell('categoryCode', category, 'ck-cell-category'),
    // aria-label names the box; a visually-hidden span would escape the scrolling table (position: absolute).
    fieldCell('active', el('label', { className: 'check ck-active' }, [active]), 'ck-cell-active'),
    el('td', { className: 'actions' }, [save, el('br'), status]),
  ]);
  fillRow(tr, item);
  return tr;
}

function renderItems() {
  const body = $('checklist-list');
  clear(body);
  for (const item of state.items) body.append(itemRow(item));
  $('checklist-empty').hidden = state.items.length > 0 || !state.pointType;
  $('checklist-count').textContent = state.pointType
    ? t('checklists.count', { count: state.items.length, active: state.items.filter((i) => i.active).length })
    : '';
}

function dirtyRows() {
  return Array.from($('checklist-list').querySelectorAll('tr.ck-row[data-dirty="true"]'));
}

/**
 * kind: saved | dirty | saving | error. The text is the i18n key `key` (translated again on a language switch)
 * unless `literal` is given (a server message, shown as it is).
 */
function setRowStatus(tr, kind, key, literal) {
  const status = tr.querySelector('.ck-status');
  status.dataset.kind = kind || '';
  status.dataset.key = literal == null && key ? key : '';
  status.textContent = literal != null ? literal : (key ? t(key) : '');
  tr.dataset.state = kind || '';
}

function clearRowErrors(tr) {
  for (const cell of tr.querySelectorAll('td.is-invalid')) cell.classList.remove('is-invalid');
  for (const node of tr.querySelectorAll('[aria-invalid="true"]')) node.removeAttribute('aria-invalid');
  for (const node of tr.querySelectorAll('.field-error')) {
    node.textContent = '';
    node.hidden = true;
  }
}

function markRowField(tr, field, message) {
  const cell = tr.querySelector(`td[data-field="${CSS.escape(field)}"]`);
  if (!cell) return false;
  cell.classList.add('is-invalid');
  const control = cell.querySelector('[name]');
  if (control && control.type !== 'checkbox') control.setAttribute('aria-invalid', 'true');
  const slot = cell.querySelector('.field-error');
  if (slot && message) {
    slot.textContent = slot.textContent ? `${slot.textContent}; ${message}` : message;
    slot.hidden = false;
  }
  return true;
}

function readRow(tr) {
  const c = rowControls(tr);
  const sortText = c.sortOrder.value.trim();
  return {
    sortOrder: sortText === '' ? null : Number(sortText),
    textZh: c.textZh.value.trim(),
    textEn: c.textEn.value.trim(),
    categoryCode: c.categoryCode.value,
    active: c.active.checked,
  };
}

/** The client-side half of the rules (the server checks them again): [[field, message]]. */
function checkItem(body) {
  const problems = [];
  if (body.sortOrder == null || !Number.isInteger(body.sortOrder)) problems.push(['sortOrder', t('checklists.sortOrderRule')]);
  if (!body.textZh) problems.push(['textZh', t('form.required')]);
  else if (body.textZh.length > TEXT_MAX) problems.push(['textZh', t('checklists.textTooLong', { max: TEXT_MAX })]);
  if (!body.textEn) problems.push(['textEn', t('form.required')]);
  else if (body.textEn.length > TEXT_MAX) problems.push(['textEn', t('checklists.textTooLong', { max: TEXT_MAX })]);
  if (!body.categoryCode) problems.push(['categoryCode', t('form.required')]);
  return problems;
}

async function saveRow(tr) {
  const code = tr.dataset.code;
  clearRowErrors(tr);
  const body = readRow(tr);
  const problems = checkItem(body);
  if (problems.length) {
    for (const [field, msg] of problems) markRowField(tr, field, msg);
    setRowStatus(tr, 'error', 'form.fixFields');
    const first = tr.querySelector(`[name="${problems[0][0]}"]`);
    if (first) first.focus();
    return;
  }
  const button = tr.querySelector('button.ck-save');
  button.disabled = true;
  setRowStatus(tr, 'saving', 'checklists.saving');
  let saved;
  try {
    saved = await checklistApi.update(code, body);
  } catch (err) {
    button.disabled = false;
    if (err && err.status === 404) {
      setRowStatus(tr, 'error', null, t('checklists.notFound', { code }));
      return;
    }
    const marked = problemFields(err).filter(({ field, message }) => markRowField(tr, field, message));
    if (marked.length) setRowStatus(tr, 'error', 'form.fixFields');
    else setRowStatus(tr, 'error', null, describeError(err));
    if (marked.length) {
      const first = tr.querySelector(`[name="${marked[0].field}"]`);
      if (first) first.focus();
    }
    return;
  }
  button.disabled = false;
  const item = saved && saved.code ? saved : { ...body, code, pointTypeCode: state.pointType };
  const index = state.items.findIndex((i) => i.code === code);
  if (index >= 0) state.items[index] = item;
  fillRow(tr, item);
  delete tr.dataset.dirty;
  setRowStatus(tr, 'saved', 'checklists.saved');
  renderCount();
}

function renderCount() {
  $('checklist-count').textContent = t('checklists.count', {
    count: state.items.length, active: state.items.filter((i) => i.active).length,
  });
}

function bindList() {
  const body = $('checklist-list');
  body.addEventListener('click', (e) => {
    const button = e.target.closest('button.ck-save');
    if (!button) return;
    saveRow(button.closest('tr')).catch(console.error);
  });
  const onEdit = (e) => {
    const tr = e.target.closest('tr.ck-row');
    if (!tr) return;
    tr.dataset.dirty = 'true';
    setRowStatus(tr, 'dirty', 'checklists.unsaved');
    const cell = e.target.closest('td[data-field]');
    if (cell && cell.classList.contains('is-invalid')) {
      cell.classList.remove('is-invalid');
      for (const node of cell.querySelectorAll('[aria-invalid="true"]')) node.removeAttribute('aria-invalid');
      const slot = cell.querySelector('.field-error');
      slot.textContent = '';
      slot.hidden = true;
    }
  };
  body.addEventListener('input', onEdit);
  body.addEventListener('change', onEdit);
  // Enter in the sort-order box saves the row (textareas keep Enter for themselves).
  body.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.target.name !== 'sortOrder') return;
    e.preventDefault();
    const tr = e.target.closest('tr.ck-row');
    if (tr) saveRow(tr).catch(console.error);
  });

  const select = $('checklist-point-type');
  select.addEventListener('change', () => {
    if (dirtyRows().length && !window.confirm(t('checklists.discardConfirm'))) {
      select.value = state.pointType;
      return;
    }
    clearMessage($('checklists-message'));
    clearMessage($('checklist-new-message'));
    clearFieldErrors($('checklist-new-form'));
    loadChecklists();
  });
  $('checklist-filter').addEventListener('submit', (e) => {
    e.preventDefault();
    loadChecklists();
  });
  window.addEventListener('beforeunload', (e) => {
    if (dirtyRows().length) e.preventDefault();
  });
}

// ---------------------------------------------------------------- new item

/** TYPE-NN with NN one past the highest number this type's codes end in. */
function proposeCode() {
  const prefix = `${state.pointType}-`;
  let max = 0;
  for (const item of state.items) {
    if (!item.code || !item.code.startsWith(prefix)) continue;
    const n = Number(item.code.slice(prefix.length));
    if (Number.isInteger(n) && n > max) max = n;
  }
  const taken = new Set(state.items.map((i) => i.code));
  let n = max + 1;
  while (taken.has(`${prefix}${String(n).padStart(2, '0')}`)) n += 1;
  return `${prefix}${String(n).padStart(2, '0')}`;
}

function proposeSortOrder() {
  const orders = state.items.map((i) => Number(i.sortOrder)).filter(Number.isFinite);
  return orders.length ? Math.floor(Math.max(...orders) / 10) * 10 + 10 : 10;
}

/** Point type, proposed code and sort order follow the selected type; typed texts stay unless `reset`. */
function prepareNewForm(reset) {
  const form = $('checklist-new-form');
  const f = form.elements;
  const type = state.pointTypes.find((p) => p.code === state.pointType);
  $('cn-point-type').value = type ? `${localName(type)}（${type.code}）` : state.pointType;
  form.hidden = !state.pointType;
  if (reset) {
    f.namedItem('textZh').value = '';
    f.namedItem('textEn').value = '';
    fillCategorySelect(f.namedItem('categoryCode'), '');
  }
  f.namedItem('code').value = state.pointType ? proposeCode() : '';
  f.namedItem('sortOrder').value = String(proposeSortOrder());
}

async function onNewSubmit(event) {
  event.preventDefault();
  const form = $('checklist-new-form');
  const message = $('checklist-new-message');
  clearFieldErrors(form);
  clearMessage(message);
  const f = form.elements;
  const sortText = f.namedItem('sortOrder').value.trim();
  const body = {
    code: f.namedItem('code').value.trim().toUpperCase(),
    pointTypeCode: state.pointType,
    sortOrder: sortText === '' ? null : Number(sortText),
    textZh: f.namedItem('textZh').value.trim(),
    textEn: f.namedItem('textEn').value.trim(),
    categoryCode: f.namedItem('categoryCode').value,
  };
  f.namedItem('code').value = body.code;
  const problems = [];
  if (!CODE_PATTERN.test(body.code)) problems.push(['code', t('checklists.codeRule')]);
  else if (state.items.some((i) => i.code === body.code)) problems.push(['code', t('checklists.codeTaken', { code: body.code })]);
  problems.push(...checkItem({ ...body, active: true }));
  if (problems.length) {
    for (const [name, msg] of problems) markField(form, name, msg);
    setMessage(message, t('form.fixFields'), 'error');
    focusField(form, problems[0][0]);
    return;
  }
  let created;
  try {
    created = await busy(form, () => checklistApi.create(body));
  } catch (err) {
    if (err && err.status === 409) {
      markField(form, 'code', t('checklists.codeTaken', { code: body.code }));
      setMessage(message, describeError(err), 'error');
      focusField(form, 'code');
      return;
    }
    showProblem(form, message, err);
    return;
  }
  const code = (created && created.code) || body.code;
  const keep = new Map(dirtyRows().map((tr) => [tr.dataset.code, readRow(tr)]));
  await loadChecklists();
  // Rows being edited keep their unsaved input across the reload.
  for (const [rowCode, values] of keep) {
    const tr = $('checklist-list').querySelector(`tr[data-code="${CSS.escape(rowCode)}"]`);
    if (!tr) continue;
    fillRow(tr, { ...values, code: rowCode });
    tr.dataset.dirty = 'true';
    setRowStatus(tr, 'dirty', 'checklists.unsaved');
  }
  prepareNewForm(true);
  setMessage(message, t('checklists.created', { code }), 'success');
  const row = $('checklist-list').querySelector(`tr[data-code="${CSS.escape(code)}"]`);
  if (row) {
    setRowStatus(row, 'saved', 'checklists.added');
    row.classList.add('is-new');
  }
}

function bindNewForm() {
  const form = $('checklist-new-form');
  clearMarksOnEdit(form);
  form.addEventListener('submit', (e) => { onNewSubmit(e).catch(console.error); });
  $('cn-code').addEventListener('blur', () => {
    const input = $('cn-code');
    input.value = input.value.trim().toUpperCase();
  });
}

// ---------------------------------------------------------------- page

export function initChecklists() {
  bindList();
  bindNewForm();
}

/** After a language switch: names in the selects and per-row labels; typed input is kept. */
export function rerenderChecklists() {
  if (!state.directoriesLoaded) return;
  fillPointTypeSelect();
  fillCategorySelect($('cn-category'), $('cn-category').value);
  for (const tr of $('checklist-list').querySelectorAll('tr.ck-row')) {
    const c = rowControls(tr);
    fillCategorySelect(c.categoryCode, c.categoryCode.value);
    c.sortOrder.setAttribute('aria-label', t('checklists.sortOrder'));
    c.textZh.setAttribute('aria-label', t('checklists.textZh'));
    c.textEn.setAttribute('aria-label', t('checklists.textEn'));
    c.categoryCode.setAttribute('aria-label', t('checklists.category'));
    c.active.setAttribute('aria-label', t('checklists.active'));
    const button = tr.querySelector('button.ck-save');
    button.textContent = t('common.save');
    button.setAttribute('aria-label', t('checklists.saveNamed', { code: tr.dataset.code }));
    const status = tr.querySelector('.ck-status');
    if (status.dataset.key) status.textContent = t(status.dataset.key);
  }
  if (state.loaded) {
    renderCount();
    const type = state.pointTypes.find((p) => p.code === state.pointType);
    if (type) $('cn-point-type').value = `${localName(type)}（${type.code}）`;
  }
}
