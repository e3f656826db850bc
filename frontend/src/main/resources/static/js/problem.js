// 问题详情: one problem of the rectification loop — header, before/after photos side by side, the
// events so far, and exactly the moves the server allows this user now (with the fields each needs).
import { t } from './i18n.js';
import { api } from './api.js';
import { el, clear } from './dom.js';
import { formatDateTime, departmentName } from './format.js';
import { describeError, setMessage, clearMessage, clearFieldErrors, showProblem, busy } from './forms.js';
import { bootPage, pageFailed } from './page.js';
import { createPhotoPicker, photoThumb, exifCaptions } from './photos.js';
import {
  statusPill, lightDot, deadlineNode, actionLabel, label, localName, newIdempotencyKey, queryId, problemHref,
} from './loop.js';

const page = document.getElementById('problem-page');
const actionForm = document.getElementById('action-form');
const actionFormMessage = document.getElementById('action-form-message');
const actionMessage = document.getElementById('action-message');

/** Forward moves look primary, moves that send work back look like warnings. */
const PRIMARY = new Set(['accept', 'dispatch', 'start', 'submit', 'close', 'approve-extension', 'resume']);
const DANGER = new Set(['reject', 'return', 'deny-extension']);
/** The order in which moves are offered. */
const ORDER = ['accept', 'dispatch', 'start', 'submit', 'close', 'return', 'reject', 'request-extension', 'approve-extension',
  'deny-extension', 'urge', 'supervise', 'suspend', 'resume', 'reopen'];

const state = {
  id: queryId('id'),
  problem: null,
  departments: [],
  departmentsByCode: new Map(),
  categoriesByCode: new Map(),
  photoInfo: new Map(), // photo id → PhotoInfo (EXIF), fetched once
  action: null, // the move whose form is open
  attemptKey: null, // Idempotency-Key of the current attempt at that move
  picker: null,
};

// ---- header and facts ----

function fact(dl, labelText, value, attrs) {
  const shown = value == null || value === '' ? t('common.none') : value;
  dl.append(el('div', { className: 'fact', attrs }, [el('dt', { text: labelText }), el('dd', {}, [shown])]));
}

/** Open problems count down to the deadline; finished ones say whether they kept it. */
function deadlineFact(p) {
  if (!p.deadlineAt) return null;
  const exact = el('span', { className: 'muted fact-sub', text: formatDateTime(p.deadlineAt) });
  if (p.closedAt) {
    const late = new Date(p.closedAt).getTime() > new Date(p.deadlineAt).getTime();
    return el('span', {}, [
      el('span', { className: `deadline-result ${late ? 'is-late' : 'is-on-time'}`, text: t(late ? 'deadline.closedLate' : 'deadline.closedOnTime') }),
      exact,
    ]);
  }
  if (p.status === 'REJECTED' || p.status === 'SUSPENDED') return el('span', {}, [formatDateTime(p.deadlineAt)]);
  return el('span', {}, [deadlineNode(p.deadlineAt, formatDateTime), exact]);
}

function deptName(code) {
  if (!code) return '';
  const d = state.departmentsByCode.get(code);
  return d ? departmentName(d) : code;
}

function handlerNode(p) {
  if (p.assignee) {
    const parts = [el('span', { className: 'assignee-name', text: p.assignee.displayName || '' })];
    if (p.assignee.phone) {
      parts.push(' ', el('a', { className: 'cg-owner-phone', text: p.assignee.phone, attrs: { href: `tel:${p.assignee.phone.replace(/[^\d+]/g, '')}` } }));
    }
    return el('span', {}, parts);
  }
  if (p.handlerDepartmentCode) return p.handlerDepartmentName || deptName(p.handlerDepartmentCode);
  return '';
}

function renderHead(p) {
  document.getElementById('problem-number').textContent = p.externalId ? `${p.externalId} · #${p.id}` : `#${p.id}`;
  const cat = state.categoriesByCode.get(p.categoryCode);
  document.getElementById('problem-special-action').textContent = cat ? localName(cat, 'actionNameZh', 'actionNameEn') : p.actionCode || '';
  document.getElementById('problem-title').textContent = p.categoryName || t('problem.untitled');
  const status = document.getElementById('problem-status');
  clear(status);
  status.append(statusPill(p.status));
  status.dataset.status = p.status || '';
  const light = document.getElementById('problem-light');
  clear(light);
  if (p.light) light.append(lightDot(p.light, { withText: true }));

  const flags = document.getElementById('problem-flags');
  clear(flags);
  if (p.supervised) flags.append(el('span', { className: 'pill pill-bad', text: t('flag.supervised') }));
  if (p.urgeCount > 0) flags.append(el('span', { className: 'pill pill-warn', text: t('flag.urged', { n: p.urgeCount }) }));
  if (p.extensionPending) {
    flags.append(el('span', { className: 'pill pill-muted', text: t('flag.extensionPendingHours', { hours: p.extensionHours ?? '?' }) }));
  }
  if (p.reworkCount > 0) flags.append(el('span', { className: 'pill pill-warn', text: t('flag.rework', { n: p.reworkCount }) }));

  const dl = document.getElementById('problem-facts');
  clear(dl);
  fact(dl, t('problem.deadline'), deadlineFact(p));
  fact(dl, t('problem.handler'), handlerNode(p));
  if (p.assignee && p.handlerDepartmentCode) fact(dl, t('problem.department'), p.handlerDepartmentName || deptName(p.handlerDepartmentCode));
  fact(dl, t('problem.reworkCount'), String(p.reworkCount ?? 0));
  fact(dl, t('problem.urgeCount'), String(p.urgeCount ?? 0));
  fact(dl, t('problem.reportedAt'), formatDateTime(p.reportedAt));
  if (p.acceptedAt) fact(dl, t('problem.acceptedAt'), formatDateTime(p.acceptedAt));
  if (p.dispatchedAt) fact(dl, t('problem.dispatchedAt'), formatDateTime(p.dispatchedAt));
  if (p.submittedAt) fact(dl, t('problem.submittedAt'), formatDateTime(p.submittedAt));
  if (p.closedAt) fact(dl, t('problem.closedAt'), formatDateTime(p.closedAt));
}

function renderInfo(p) {
  document.getElementById('problem-description').textContent = p.description || t('problem.noDescription');
  const dl = document.getElementById('problem-where');
  clear(dl);
  fact(dl, t('problem.point'), p.point ? p.point.name : t('problem.noPoint'));
  fact(dl, t('problem.grid'), p.grid ? el('span', {}, [el('span', { className: 'cg-code', text: p.grid.code }), ` ${p.grid.name || ''}`]) : '');
  const hasPlace = Number.isFinite(p.lon) && Number.isFinite(p.lat);
  fact(dl, t('problem.location'), hasPlace ? el('span', { className: 'cg-code', text: `${p.lon.toFixed(6)}, ${p.lat.toFixed(6)}` }) : '');
  if (p.inspectionId) {
    fact(dl, t('problem.inspection'), el('a', { text: `#${p.inspectionId}`, attrs: { href: `inspect.html?inspectionId=${encodeURIComponent(p.inspectionId)}` } }));
  }
  if (p.duplicateOfId) fact(dl, t('problem.duplicateOf'), el('a', { text: `#${p.duplicateOfId}`, attrs: { href: problemHref(p.duplicateOfId) } }));
}

// ---- photos ----

/** EXIF captions come from api/photos/{id}/info, fetched once per photo. */
async function captionsFor(photo) {
  if (!state.photoInfo.has(photo.id)) {
    state.photoInfo.set(photo.id, api.photoInfo(photo.id).catch(() => null));
  }
  const info = await state.photoInfo.get(photo.id);
  return info ? exifCaptions(info) : [];
}

function renderPhotoList(node, photos, emptyKey) {
  clear(node);
  node.dataset.count = String(photos.length);
  if (!photos.length) {
    node.append(el('p', { className: 'photo-empty', text: t(emptyKey) }));
    return;
  }
  for (const photo of photos) {
    const figure = photoThumb(photo, []);
    node.append(figure);
    captionsFor(photo).then((lines) => {
      if (!lines.length || !figure.isConnected) return;
      figure.append(el('figcaption', {}, lines.map((c) => el('span', { className: 'photo-caption', text: c }))));
    });
  }
}

function renderPhotos(p) {
  renderPhotoList(document.getElementById('before-photos'), p.beforePhotos || [], 'photo.noBefore');
  renderPhotoList(document.getElementById('after-photos'), p.afterPhotos || [], 'photo.noAfter');
}

// ---- timeline ----

function eventActionCode(action) {
  return String(action || '').toLowerCase().replace(/_/g, '-');
}

function detailLine(ev) {
  if (!ev.details) return '';
  let d;
  try { d = typeof ev.details === 'string' ? JSON.parse(ev.details) : ev.details; } catch { return ''; }
  if (!d || typeof d !== 'object') return '';
  const parts = [];
  if ('departmentCode' in d) parts.push(t('event.department', { name: d.departmentCode ? deptName(d.departmentCode) : t('dispatch.gridOwner') }));
  if (d.reason) parts.push(t('event.reason', { reason: label('rejectReason', d.reason) }));
  if (d.duplicateOfId) parts.push(t('event.duplicateOf', { id: d.duplicateOfId }));
  if (d.extensionHours != null) parts.push(t('event.hours', { hours: d.extensionHours }));
  return parts.join(' · ');
}

function renderTimeline(p) {
  const list = document.getElementById('timeline');
  clear(list);
  const events = Array.isArray(p.events) ? p.events : [];
  for (const ev of events) {
    const code = eventActionCode(ev.action);
    const who = ev.actor ? (ev.actor.displayName || ev.actor.username) : t('event.system');
    const move = ev.fromStatus && ev.toStatus && ev.fromStatus !== ev.toStatus
      ? el('span', { className: 'event-move' }, [statusPill(ev.fromStatus), el('span', { className: 'event-arrow', text: '→', attrs: { 'aria-hidden': 'true' } }), statusPill(ev.toStatus)])
      : (ev.toStatus && !ev.fromStatus ? el('span', { className: 'event-move' }, [statusPill(ev.toStatus)]) : null);
    const details = detailLine(ev);
    const photos = Array.isArray(ev.photos) && ev.photos.length
      ? el('div', { className: 'event-photos' }, ev.photos.map((ph) => photoThumb(ph, [label('photoPurpose', ph.purpose)])))
      : null;
    list.append(el('li', { className: 'event', attrs: { 'data-action': code } }, [
      el('span', { className: 'event-marker', attrs: { 'aria-hidden': 'true' } }),
      el('div', { className: 'event-body' }, [
        el('div', { className: 'event-head' }, [
          el('strong', { className: 'event-action', text: actionLabel(code) }),
          el('span', { className: 'event-actor', text: who }),
          el('time', { className: 'event-time', text: formatDateTime(ev.occurredAt), attrs: { datetime: ev.occurredAt } }),
        ]),
        move,
        details ? el('p', { className: 'event-details', text: details }) : null,
        ev.note ? el('p', { className: 'event-note', text: ev.note }) : null,
        photos,
      ]),
    ]));
  }
  if (!events.length) list.append(el('li', { className: 'empty', text: t('problem.noEvents') }));
}

// ---- actions ----

function renderActions(p) {
  const box = document.getElementById('actions');
  clear(box);
  const allowed = Array.isArray(p.allowedActions) ? p.allowedActions : [];
  const sorted = [...allowed].sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));
  for (const action of sorted) {
    const kind = PRIMARY.has(action) ? 'btn-primary' : DANGER.has(action) ? 'btn-danger' : '';
    const button = el('button', {
      className: `btn ${kind} action-button`,
      text: actionLabel(action),
      attrs: { type: 'button', id: `action-${action}`, 'data-action': action, 'aria-expanded': state.action === action ? 'true' : 'false' },
    });
    button.addEventListener('click', () => openAction(action));
    box.append(button);
  }
  document.getElementById('actions-none').hidden = sorted.length > 0;
  if (state.action && !allowed.includes(state.action)) closeAction();
}

function field(name, labelKey, control, hintKey) {
  return el('div', { className: 'field', attrs: { 'data-field': name } }, [
    el('label', { text: t(labelKey), attrs: { for: control.id } }),
    control,
    hintKey ? el('p', { className: 'field-hint', text: t(hintKey) }) : null,
    el('p', { className: 'field-error', attrs: { hidden: '' } }),
  ]);
}

function departmentSelect() {
  const select = el('select', { attrs: { id: 'action-department', name: 'departmentCode' } }, [
    el('option', { text: t('dispatch.gridOwner'), attrs: { value: '' } }),
  ]);
  for (const d of state.departments) select.append(el('option', { text: departmentName(d), attrs: { value: d.code } }));
  return select;
}

function buildFields(action) {
  const box = document.getElementById('action-fields');
  clear(box);
  state.picker = null;
  if (action === 'dispatch') {
    box.append(field('departmentCode', 'dispatch.to', departmentSelect(), 'dispatch.hint'));
  } else if (action === 'reject') {
    const reason = el('select', { attrs: { id: 'action-reason', name: 'reason' } }, [
      el('option', { text: label('rejectReason', 'INVALID'), attrs: { value: 'INVALID' } }),
      el('option', { text: label('rejectReason', 'DUPLICATE'), attrs: { value: 'DUPLICATE' } }),
    ]);
    const dup = el('input', { attrs: { id: 'action-duplicate', name: 'duplicateOfId', type: 'number', min: '1', step: '1', inputmode: 'numeric' } });
    const dupField = field('duplicateOfId', 'reject.duplicateOf', dup);
    dupField.hidden = true;
    reason.addEventListener('change', () => { dupField.hidden = reason.value !== 'DUPLICATE'; });
    box.append(field('reason', 'reject.reason', reason), dupField);
  } else if (action === 'request-extension') {
    const hours = el('input', { attrs: { id: 'action-hours', name: 'extensionHours', type: 'number', min: '1', max: '720', step: '1', value: '24', inputmode: 'numeric' } });
    box.append(field('extensionHours', 'extension.hours', hours, 'extension.hint'));
  } else if (action === 'submit') {
    state.picker = createPhotoPicker({ id: 'action-photo', labelKey: 'photo.addAfter', hintKey: 'submit.photoHint', required: true });
    box.append(el('div', { className: 'field', attrs: { 'data-field': 'photoIds' } }, [
      el('span', { className: 'field-label', text: t('photo.after') }),
      state.picker.node,
      el('p', { className: 'field-error', attrs: { hidden: '' } }),
    ]));
  }
}

function openAction(action) {
  state.action = action;
  state.attemptKey = newIdempotencyKey();
  clearMessage(actionFormMessage);
  clearFieldErrors(actionForm);
  document.getElementById('action-form-title').textContent = actionLabel(action);
  document.getElementById('action-note').value = '';
  buildFields(action);
  actionForm.dataset.action = action;
  actionForm.hidden = false;
  for (const b of document.querySelectorAll('.action-button')) {
    b.setAttribute('aria-expanded', b.dataset.action === action ? 'true' : 'false');
  }
  const first = actionForm.querySelector('select, input:not([type=file]), textarea');
  if (first) first.focus({ preventScroll: true });
  actionForm.scrollIntoView({ block: 'nearest' });
}

function closeAction() {
  state.action = null;
  state.attemptKey = null;
  state.picker = null;
  actionForm.hidden = true;
  delete actionForm.dataset.action;
  for (const b of document.querySelectorAll('.action-button')) b.setAttribute('aria-expanded', 'false');
}

function actionBody(action) {
  const f = actionForm.elements;
  const note = f.namedItem('note').value.trim();
  const bodyJson = { version: state.problem.version, note: note || null };
  if (action === 'dispatch') bodyJson.departmentCode = f.namedItem('departmentCode').value || null;
  if (action === 'reject') {
    bodyJson.reason = f.namedItem('reason').value;
    if (bodyJson.reason === 'DUPLICATE') {
      const dup = f.namedItem('duplicateOfId').value;
      bodyJson.duplicateOfId = dup ? Number(dup) : null;
    }
  }
  if (action === 'request-extension') {
    const hours = f.namedItem('extensionHours').value;
    bodyJson.extensionHours = hours ? Number(hours) : null;
  }
  if (state.picker) bodyJson.photoIds = state.picker.ids();
  return bodyJson;
}

/** Checks made here too so a field worker sees them before a round trip; the server checks again. */
function localProblems(action, bodyJson) {
  const list = [];
  if (action === 'submit') {
    if (state.picker && state.picker.pending()) list.push(['photoIds', t('photo.waitUpload')]);
    else if (!bodyJson.photoIds || !bodyJson.photoIds.length) list.push(['photoIds', t('submit.photoRequired')]);
  }
  if (action === 'reject' && bodyJson.reason === 'DUPLICATE' && !bodyJson.duplicateOfId) list.push(['duplicateOfId', t('form.required')]);
  if (action === 'request-extension' && !(bodyJson.extensionHours > 0)) list.push(['extensionHours', t('extension.invalid')]);
  return list;
}

async function onActionSubmit(event) {
  event.preventDefault();
  const action = state.action;
  if (!action || !state.problem) return;
  clearFieldErrors(actionForm);
  clearMessage(actionFormMessage);
  const bodyJson = actionBody(action);
  const local = localProblems(action, bodyJson);
  if (local.length) {
    showProblem(actionForm, actionFormMessage, {
      detail: t('form.fixFields'), errors: local.map(([fieldName, message]) => ({ field: fieldName, message })),
    });
    return;
  }
  await busy(actionForm, async () => {
    try {
      const updated = await api.problemAction(state.problem.id, action, bodyJson, state.attemptKey);
      closeAction();
      setMessage(actionMessage, t('action.done', { action: actionLabel(action) }), 'success');
      show(updated);
    } catch (err) {
      if (err.network) {
        // Same key on retry: the server makes the move at most once.
        setMessage(actionFormMessage, t('action.networkRetry'), 'error');
        return;
      }
      state.attemptKey = newIdempotencyKey();
      if (err.status === 409) {
        closeAction();
        setMessage(actionMessage, t('action.conflict', { detail: describeError(err) }), 'error');
        await reload();
        return;
      }
      showProblem(actionForm, actionFormMessage, err);
    }
  });
}

// ---- loading ----

function show(p) {
  state.problem = p;
  renderHead(p);
  renderInfo(p);
  renderPhotos(p);
  renderTimeline(p);
  renderActions(p);
  document.title = `${p.categoryName || t('problem.title')} #${p.id} · CivicGrid`;
  document.getElementById('problem-layout').hidden = false;
  page.dataset.status = p.status || '';
  page.dataset.version = String(p.version);
  page.dataset.state = 'ready';
}

async function reload() {
  show(await api.problem(state.id));
}

function render() {
  if (!state.problem) return;
  const action = state.action;
  show(state.problem);
  document.getElementById('action-form-title').textContent = action ? actionLabel(action) : '';
}

async function main() {
  await bootPage({ render });
  if (!state.id) {
    page.dataset.state = 'error';
    setMessage(document.getElementById('page-message'), t('problem.noId'), 'error');
    return;
  }
  const [departments, categories] = await Promise.all([api.departments().catch(() => []), api.categories().catch(() => [])]);
  state.categoriesByCode = new Map((Array.isArray(categories) ? categories : []).map((c) => [c.code, c]));
  state.departments = Array.isArray(departments) ? departments : [];
  state.departmentsByCode = new Map(state.departments.map((d) => [d.code, d]));
  await reload();
}

actionForm.addEventListener('submit', (e) => { onActionSubmit(e).catch((err) => pageFailed(page, err)); });
document.getElementById('action-cancel').addEventListener('click', closeAction);
// Only leave through "back" to the worklist the user came from, if they came from one.
if (document.referrer && /worklist\.html/.test(document.referrer)) {
  try {
    const ref = new URL(document.referrer);
    if (ref.origin === location.origin) document.getElementById('back-link').href = ref.pathname.split('/').pop() + ref.hash;
  } catch { /* keep the default */ }
}

main().catch((err) => pageFailed(page, err));
