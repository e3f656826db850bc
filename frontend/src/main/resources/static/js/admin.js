// Administration page: users (ADMIN), the audit log (ADMIN, LEADER) and the checklists 测评标准 (ADMIN).
// #audit / #checklists in the URL open those tabs.
import { initI18n, applyStatic, t, onLangChange, bindLangToggle } from './i18n.js';
import { api } from './api.js';
import { el, clear, debounce } from './dom.js';
import { initAppBar } from './appbar.js';
import { ROLES, roleLabel, hasRole } from './roles.js';
import { formatDateTime, prettyJson, areaLabel, departmentName, dateInputToInstant } from './format.js';
import {
  describeError, setMessage, clearMessage, clearFieldErrors, markField, showProblem, busy, focusField,
  passwordRuleViolation, clearMarksOnEdit,
} from './forms.js';
import { initChecklists, loadChecklists, rerenderChecklists } from './admin-checklists.js';

const PAGE_SIZE = 100;
const USERNAME_PATTERN = /^[A-Za-z0-9_.@-]{2,64}$/;
const LEVELS = ['DISTRICT', 'STREET', 'COMMUNITY', 'GRID'];
const KNOWN_ACTIONS = ['SIGN_IN', 'SIGN_IN_FAILED', 'ACCOUNT_LOCKED', 'PASSWORD_CHANGED', 'PASSWORD_RESET',
  'USER_CREATED', 'USER_UPDATED', 'USER_DISABLED', 'TOKEN_ISSUED', 'TOKEN_REVOKED',
  'CHECKLIST_ITEM_CREATED', 'CHECKLIST_ITEM_UPDATED'];
const KNOWN_OBJECT_TYPES = ['app_user', 'api_token', 'checklist_item'];

const $ = (id) => document.getElementById(id);
const page = $('admin-page');
const userForm = $('user-form');
const resetForm = $('reset-password-form');
const auditForm = $('audit-filter');
const dialog = $('user-dialog');

const state = {
  me: null,
  isAdmin: false,
  canAudit: false,
  tab: null,
  areas: [],
  areasByCode: new Map(),
  departments: [],
  departmentsByCode: new Map(),
  directoriesLoaded: null, // promise
  users: [],
  userQuery: { q: '', role: '', offset: 0 },
  usersLoaded: false,
  editing: null, // user being edited, or null when creating
  audit: [],
  auditQuery: {},
  auditOffset: 0,
  auditLoaded: false,
  checklistsLoaded: false,
};

// ---------------------------------------------------------------- shared

function loadDirectories() {
  if (!state.directoriesLoaded) {
    state.directoriesLoaded = Promise.all([
      api.areaDirectory().catch((err) => { console.error(err); return []; }),
      state.isAdmin ? api.departments().catch((err) => { console.error(err); return []; }) : Promise.resolve([]),
    ]).then(([areas, departments]) => {
      state.areas = Array.isArray(areas) ? areas : [];
      state.areasByCode = new Map(state.areas.map((a) => [a.code, a]));
      state.departments = Array.isArray(departments) ? departments : [];
      state.departmentsByCode = new Map(state.departments.map((d) => [d.code, d]));
      if (state.isAdmin) {
        buildScopeList();
        fillDepartmentSelect();
      }
    });
  }
  return state.directoriesLoaded;
}

function departmentLabel(code) {
  if (!code) return '';
  const dept = state.departmentsByCode.get(code);
  return dept ? departmentName(dept) : code;
}

function pagerText(offset, count) {
  const pageNo = Math.floor(offset / PAGE_SIZE) + 1;
  if (count === 0) return t('common.pageEmpty', { page: pageNo });
  return t('common.pageInfo', { page: pageNo, from: offset + 1, to: offset + count });
}

// ---------------------------------------------------------------- tabs

const TABS = ['users', 'audit', 'checklists'];

function tabFromHash() {
  const name = location.hash.slice(1);
  return TABS.includes(name) ? name : 'users';
}

function selectTab(requested) {
  let tab = requested;
  if (tab === 'users' && !state.isAdmin) tab = 'audit';
  if (tab === 'audit' && !state.canAudit) tab = 'users';
  if (tab === 'checklists' && !state.isAdmin) tab = 'audit';
  state.tab = tab;
  for (const name of TABS) {
    const button = $(`tab-${name}`);
    const selected = name === tab;
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`panel-${name}`).hidden = !selected;
  }
  page.dataset.tab = tab;
  if (tab === 'users' && !state.usersLoaded) loadUsers();
  if (tab === 'audit' && !state.auditLoaded) loadAudit();
  if (tab === 'checklists' && !state.checklistsLoaded) {
    state.checklistsLoaded = true;
    loadChecklists().then((ok) => { if (!ok) state.checklistsLoaded = false; });
  }
}

function bindTabs() {
  const tabs = TABS.map((name) => $(`tab-${name}`));
  for (const button of tabs) {
    button.addEventListener('click', () => {
      const hash = `#${button.dataset.tab}`;
      if (location.hash !== hash) history.pushState(null, '', hash);
      selectTab(button.dataset.tab);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    button.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      const visible = tabs.filter((b) => !b.hidden);
      const next = visible[(visible.indexOf(button) + (e.key === 'ArrowRight' ? 1 : visible.length - 1)) % visible.length];
      next.focus();
      next.click();
    });
  }
  window.addEventListener('hashchange', () => {
    if (state.tab !== tabFromHash()) selectTab(tabFromHash());
  });
}

// ---------------------------------------------------------------- users: list

async function loadUsers() {
  const panel = $('panel-users');
  const message = $('users-message');
  panel.dataset.state = 'loading';
  const { q, role, offset } = state.userQuery;
  try {
    const [rows] = await Promise.all([api.users({ q, role, limit: PAGE_SIZE, offset }), loadDirectories()]);
    state.users = Array.isArray(rows) ? rows : [];
    state.usersLoaded = true;
    renderUsers();
    panel.dataset.state = 'ready';
  } catch (err) {
    panel.dataset.state = 'error';
    setMessage(message, describeError(err), 'error');
  }
}

function statusPills(user) {
  const pills = [el('span', {
    className: `pill ${user.enabled ? 'pill-ok' : 'pill-muted'}`,
    text: t(user.enabled ? 'user.enabled' : 'user.disabled'),
  })];
  if (user.locked) pills.push(el('span', { className: 'pill pill-bad', text: t('user.locked') }));
  if (user.mustChangePassword) pills.push(el('span', { className: 'pill pill-warn', text: t('user.mustChangePassword') }));
  return el('div', { className: 'pills' }, pills);
}

function lines(items, className) {
  if (!items.length) return t('common.none');
  return el('ul', { className: `plain-list ${className || ''}` }, items.map((text) => el('li', { text })));
}

function renderUsers() {
  const body = $('users-list');
  clear(body);
  for (const user of state.users) {
    const edit = el('button', {
      className: 'btn btn-small user-edit',
      text: t('common.edit'),
      attrs: { type: 'button', 'data-user-id': user.id, 'aria-label': t('users.editNamed', { name: user.username }) },
    });
    body.append(el('tr', { attrs: { 'data-user-id': user.id, 'data-username': user.username } }, [
      el('td', {}, [el('span', { className: 'cg-code', text: user.username })]),
      el('td', { text: user.displayName || '' }),
      el('td', { className: 'nowrap', text: user.phone || '' }),
      el('td', {}, [lines((user.roles || []).map(roleLabel))]),
      el('td', {}, [lines((user.scopeCodes || []).map((c) => areaLabel(c, state.areasByCode)), 'scope-lines')]),
      el('td', { text: departmentLabel(user.departmentCode) }),
      el('td', {}, [statusPills(user)]),
      el('td', { className: 'actions' }, [edit]),
    ]));
  }
  const { offset } = state.userQuery;
  $('users-empty').hidden = state.users.length > 0;
  $('users-page').textContent = pagerText(offset, state.users.length);
  $('users-prev').disabled = offset === 0;
  $('users-next').disabled = state.users.length < PAGE_SIZE;
}

function bindUserList() {
  $('user-search').addEventListener('submit', (e) => {
    e.preventDefault();
    clearMessage($('users-message'));
    state.userQuery = { q: $('user-q').value.trim(), role: $('user-role-filter').value, offset: 0 };
    loadUsers();
  });
  $('user-role-filter').addEventListener('change', () => $('user-search').requestSubmit());
  $('users-prev').addEventListener('click', () => {
    state.userQuery.offset = Math.max(0, state.userQuery.offset - PAGE_SIZE);
    loadUsers();
  });
  $('users-next').addEventListener('click', () => {
    state.userQuery.offset += PAGE_SIZE;
    loadUsers();
  });
  $('user-new').addEventListener('click', () => openEditor(null));
  $('users-list').addEventListener('click', (e) => {
    const button = e.target.closest('button.user-edit');
    if (!button) return;
    const user = state.users.find((u) => String(u.id) === button.dataset.userId);
    if (user) openEditor(user);
  });
}

function fillRoleFilter() {
  const select = $('user-role-filter');
  for (const role of ROLES) {
    select.append(el('option', { attrs: { value: role, 'data-i18n': `role.${role}` }, text: roleLabel(role) }));
  }
}

// ---------------------------------------------------------------- users: editor

function buildRoleChecks() {
  const box = $('uf-role-list');
  for (const role of ROLES) {
    const input = el('input', { attrs: { type: 'checkbox', name: 'roles', value: role, id: `uf-role-${role}` } });
    box.append(el('label', { className: 'check', attrs: { for: `uf-role-${role}` } }, [
      input,
      el('span', { text: roleLabel(role), attrs: { 'data-i18n': `role.${role}` } }),
      el('span', { className: 'cg-code check-code', text: role }),
    ]));
  }
}

function scopeItem(code, name, level, extra) {
  const input = el('input', { attrs: { type: 'checkbox', name: 'scopeCodes', value: code } });
  const levelTag = level ? el('span', { className: 'level-tag', text: t(`level.${level}`), attrs: { 'data-i18n': `level.${level}` } }) : null;
  return el('label', {
    className: 'scope-item',
    attrs: {
      'data-code': code,
      'data-level': level || 'UNKNOWN',
      'data-search': `${code} ${name || ''}`.toLowerCase(),
      'data-extra': extra ? 'true' : null,
    },
  }, [input, el('span', { className: 'cg-code', text: code }), el('span', { className: 'scope-name', text: name || t('users.unknownArea') }), levelTag]);
}

function buildScopeList() {
  const list = $('scope-list');
  clear(list);
  const sorted = [...state.areas].sort((a, b) => String(a.code).localeCompare(String(b.code)));
  for (const area of sorted) list.append(scopeItem(area.code, area.name, LEVELS.includes(area.level) ? area.level : null, false));
  filterScopes();
}

function scopeInputs() {
  return Array.from($('scope-list').querySelectorAll('input[name="scopeCodes"]'));
}

function setScopes(codes) {
  const wanted = new Set(codes || []);
  for (const node of $('scope-list').querySelectorAll('[data-extra="true"]')) node.remove();
  for (const input of scopeInputs()) {
    input.checked = wanted.has(input.value);
    wanted.delete(input.value);
  }
  // Codes the directory does not list (outside this admin's view) stay selected and visible.
  for (const code of wanted) {
    const item = scopeItem(code, '', null, true);
    item.querySelector('input').checked = true;
    $('scope-list').prepend(item);
  }
  renderScopeChips();
}

function selectedScopes() {
  return scopeInputs().filter((i) => i.checked).map((i) => i.value);
}

function renderScopeChips() {
  const box = $('scope-selected');
  clear(box);
  const codes = selectedScopes();
  for (const code of codes) {
    box.append(el('li', { className: 'chip', attrs: { 'data-code': code } }, [
      el('span', { text: areaLabel(code, state.areasByCode) }),
      el('button', {
        className: 'chip-remove',
        text: '×',
        attrs: { type: 'button', 'data-code': code, 'aria-label': t('users.removeScope', { name: areaLabel(code, state.areasByCode) }) },
      }),
    ]));
  }
  if (!codes.length) box.append(el('li', { className: 'chip-empty', text: t('users.noScope') }));
  updateScopeCount();
}

function filterScopes() {
  const query = $('scope-filter').value.trim().toLowerCase();
  const terms = query.split(/\s+/).filter(Boolean);
  for (const item of $('scope-list').querySelectorAll('.scope-item')) {
    const hay = item.dataset.search;
    item.hidden = terms.length > 0 && !terms.every((term) => hay.includes(term));
  }
  updateScopeCount();
}

function updateScopeCount() {
  const items = $('scope-list').querySelectorAll('.scope-item');
  const shown = Array.from(items).filter((i) => !i.hidden).length;
  $('scope-count').textContent = t('users.scopeCount', { shown, total: items.length, selected: selectedScopes().length });
}

function fillDepartmentSelect() {
  const select = $('uf-department');
  const value = select.value;
  for (const option of Array.from(select.options)) if (option.value) option.remove();
  const sorted = [...state.departments].sort((a, b) => String(a.code).localeCompare(String(b.code)));
  for (const dept of sorted) {
    select.append(el('option', { attrs: { value: dept.code }, text: `${departmentName(dept)}（${dept.code}）` }));
  }
  ensureDepartmentOption(value);
  select.value = value;
}

/** A stored department code the list lacks is kept as an option so saving does not drop it. */
function ensureDepartmentOption(code) {
  const select = $('uf-department');
  if (code && !Array.from(select.options).some((o) => o.value === code)) {
    select.append(el('option', { attrs: { value: code }, text: code }));
  }
}

async function openEditor(user) {
  state.editing = user;
  const creating = !user;
  userForm.reset();
  resetForm.reset();
  clearFieldErrors(userForm);
  clearFieldErrors(resetForm);
  clearMessage($('user-form-message'));
  clearMessage($('reset-password-message'));
  $('scope-filter').value = '';
  userForm.dataset.mode = creating ? 'create' : 'edit';
  $('user-dialog-title').textContent = creating ? t('users.createTitle') : t('users.editTitle', { name: user.username });
  const f = userForm.elements;
  f.namedItem('username').readOnly = !creating;
  $('uf-username-hint').hidden = !creating;
  $('uf-password-field').hidden = !creating;
  $('uf-enabled-field').hidden = creating;
  resetForm.hidden = creating;
  f.namedItem('username').value = creating ? '' : user.username;
  f.namedItem('displayName').value = creating ? '' : user.displayName || '';
  f.namedItem('phone').value = creating ? '' : user.phone || '';
  f.namedItem('enabled').checked = creating ? true : !!user.enabled;
  const roles = new Set(creating ? [] : user.roles || []);
  for (const input of userForm.querySelectorAll('input[name="roles"]')) input.checked = roles.has(input.value);
  await loadDirectories();
  const dept = creating ? '' : user.departmentCode || '';
  ensureDepartmentOption(dept);
  $('uf-department').value = dept;
  setScopes(creating ? [] : user.scopeCodes);
  filterScopes();
  if (!dialog.open) dialog.showModal();
  focusField(userForm, creating ? 'username' : 'displayName');
}

function closeEditor() {
  if (dialog.open) dialog.close();
  state.editing = null;
}

function checkUserForm(body, creating) {
  const problems = [];
  if (creating && !USERNAME_PATTERN.test(body.username)) problems.push(['username', t('users.usernameInvalid')]);
  if (!body.displayName) problems.push(['displayName', t('form.required')]);
  if (body.phone && !/^[0-9+() -]*$/.test(body.phone)) problems.push(['phone', t('users.phoneRule')]);
  if (creating) {
    const rule = passwordRuleViolation(body.password, body.username);
    if (rule) problems.push(['password', t(rule)]);
  }
  if (!body.roles.length) problems.push(['roles', t('users.rolesRequired')]);
  return problems;
}

async function onUserSubmit(event) {
  event.preventDefault();
  const message = $('user-form-message');
  clearFieldErrors(userForm);
  clearMessage(message);
  const creating = !state.editing;
  const f = userForm.elements;
  const roles = Array.from(userForm.querySelectorAll('input[name="roles"]:checked')).map((i) => i.value);
  const common = {
    displayName: f.namedItem('displayName').value.trim(),
    phone: f.namedItem('phone').value.trim() || null,
    roles,
    scopeCodes: selectedScopes(),
    departmentCode: f.namedItem('departmentCode').value || null,
  };
  const body = creating
    ? { username: f.namedItem('username').value.trim(), password: f.namedItem('password').value, ...common }
    : { ...common, enabled: f.namedItem('enabled').checked };
  const problems = checkUserForm(body, creating);
  if (problems.length) {
    for (const [name, msg] of problems) markField(userForm, name, msg);
    setMessage(message, t('form.fixFields'), 'error');
    focusField(userForm, problems[0][0]);
    return;
  }
  let saved;
  try {
    saved = await busy(userForm, () => (creating ? api.createUser(body) : api.updateUser(state.editing.id, body)));
  } catch (err) {
    showProblem(userForm, message, err);
    return;
  }
  const name = (saved && saved.username) || body.username || (state.editing && state.editing.username);
  closeEditor();
  setMessage($('users-message'), t(creating ? 'users.created' : 'users.saved', { name }), 'success');
  await loadUsers();
}

async function onResetSubmit(event) {
  event.preventDefault();
  const message = $('reset-password-message');
  clearFieldErrors(resetForm);
  clearMessage(message);
  const user = state.editing;
  if (!user) return;
  const password = resetForm.elements.namedItem('newPassword').value;
  const rule = passwordRuleViolation(password, user.username);
  if (rule) {
    markField(resetForm, 'newPassword', t(rule));
    setMessage(message, t('form.fixFields'), 'error');
    focusField(resetForm, 'newPassword');
    return;
  }
  try {
    await busy(resetForm, () => api.resetPassword(user.id, password));
  } catch (err) {
    showProblem(resetForm, message, err);
    return;
  }
  resetForm.reset();
  setMessage(message, t('users.passwordReset', { name: user.username }), 'success');
  resetForm.dataset.result = 'reset';
  loadUsers();
}

function bindEditor() {
  buildRoleChecks();
  fillRoleFilter();
  clearMarksOnEdit(userForm);
  clearMarksOnEdit(resetForm);
  clearMarksOnEdit(auditForm);
  userForm.addEventListener('submit', (e) => { onUserSubmit(e).catch(console.error); });
  resetForm.addEventListener('submit', (e) => { onResetSubmit(e).catch(console.error); });
  $('user-cancel').addEventListener('click', closeEditor);
  $('user-dialog-close').addEventListener('click', closeEditor);
  dialog.addEventListener('close', () => { state.editing = null; });
  $('scope-filter').addEventListener('input', debounce(filterScopes, 120));
  $('scope-filter').addEventListener('keydown', (e) => {
    // Enter picks the only match (or an exact code) instead of submitting the whole form.
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const visible = Array.from($('scope-list').querySelectorAll('.scope-item')).filter((i) => !i.hidden);
    const exact = visible.find((i) => i.dataset.code === $('scope-filter').value.trim());
    const pick = exact || (visible.length === 1 ? visible[0] : null);
    if (pick) {
      pick.querySelector('input').checked = true;
      renderScopeChips();
    }
  });
  $('scope-list').addEventListener('change', renderScopeChips);
  $('scope-selected').addEventListener('click', (e) => {
    const button = e.target.closest('button.chip-remove');
    if (!button) return;
    for (const input of scopeInputs()) if (input.value === button.dataset.code) input.checked = false;
    renderScopeChips();
  });
}

// ---------------------------------------------------------------- audit

function readAuditFilter() {
  const f = auditForm.elements;
  const value = (name) => f.namedItem(name).value.trim();
  return {
    actor: value('actor'),
    action: value('action'),
    objectType: value('objectType'),
    objectId: value('objectId'),
    from: dateInputToInstant(value('from')),
    to: dateInputToInstant(value('to'), 1), // the whole "to" day is included
  };
}

async function loadAudit() {
  const panel = $('panel-audit');
  const message = $('audit-message');
  panel.dataset.state = 'loading';
  try {
    const [rows] = await Promise.all([
      api.audit({ ...state.auditQuery, limit: PAGE_SIZE, offset: state.auditOffset }),
      loadDirectories(),
    ]);
    state.audit = Array.isArray(rows) ? rows : [];
    state.auditLoaded = true;
    clearMessage(message);
    renderAudit();
    panel.dataset.state = 'ready';
  } catch (err) {
    panel.dataset.state = 'error';
    showProblem(auditForm, message, err);
  }
}

function actionLabel(code) {
  const key = `auditAction.${code}`;
  const label = t(key);
  return label === key ? null : label;
}

function jsonBlock(titleKey, value) {
  const text = prettyJson(value);
  return el('div', { className: 'audit-json' }, [
    el('h4', { className: 'audit-json-title', text: t(titleKey) }),
    text ? el('pre', { className: 'code-block', text }) : el('p', { className: 'empty', text: t('common.none') }),
  ]);
}

function renderAudit() {
  const body = $('audit-list');
  clear(body);
  for (const entry of state.audit) {
    const detailId = `audit-detail-${entry.id}`;
    const hasDetail = entry.beforeState != null || entry.afterState != null;
    const toggle = hasDetail
      ? el('button', {
        className: 'btn btn-small audit-toggle',
        text: t('audit.show'),
        attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': detailId, 'data-entry-id': entry.id },
      })
      : el('span', { className: 'muted', text: t('common.none') });
    const label = actionLabel(entry.action);
    body.append(el('tr', { className: 'audit-row', attrs: { 'data-entry-id': entry.id, 'data-action': entry.action } }, [
      el('td', { className: 'nowrap', text: formatDateTime(entry.occurredAt) }),
      el('td', { text: entry.actor || '' }),
      el('td', {}, [
        label ? el('span', { text: label }) : null,
        el('span', { className: `cg-code${label ? ' action-code' : ''}`, text: entry.action || '' }),
      ]),
      el('td', {}, [el('span', { className: 'cg-code', text: entry.objectType || '' })]),
      el('td', {}, [el('span', { className: 'cg-code', text: entry.objectId == null ? '' : entry.objectId })]),
      el('td', { text: entry.areaCode ? areaLabel(entry.areaCode, state.areasByCode) : '' }),
      el('td', {}, [el('span', { className: 'cg-code', text: entry.clientAddress || '' })]),
      el('td', { className: 'actions' }, [toggle]),
    ]));
    if (hasDetail) {
      const cell = el('td', { className: 'wrap', attrs: { colspan: 8 } }, [
        el('div', { className: 'audit-detail-grid' }, [
          jsonBlock('audit.before', entry.beforeState),
          jsonBlock('audit.after', entry.afterState),
        ]),
      ]);
      const detail = el('tr', { className: 'audit-detail', attrs: { id: detailId } }, [cell]);
      detail.hidden = true;
      body.append(detail);
    }
  }
  $('audit-empty').hidden = state.audit.length > 0;
  $('audit-page').textContent = pagerText(state.auditOffset, state.audit.length);
  $('audit-prev').disabled = state.auditOffset === 0;
  $('audit-next').disabled = state.audit.length < PAGE_SIZE;
}

function fillAuditDatalists() {
  const actions = $('audit-actions');
  clear(actions);
  for (const code of KNOWN_ACTIONS) actions.append(el('option', { attrs: { value: code }, text: actionLabel(code) || code }));
  const types = $('audit-object-types');
  clear(types);
  for (const code of KNOWN_OBJECT_TYPES) types.append(el('option', { attrs: { value: code } }));
}

function bindAudit() {
  fillAuditDatalists();
  auditForm.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFieldErrors(auditForm);
    clearMessage($('audit-message'));
    const filter = readAuditFilter();
    if (filter.from && filter.to && filter.from >= filter.to) {
      markField(auditForm, 'to', '');
      setMessage($('audit-message'), t('audit.badRange'), 'error');
      focusField(auditForm, 'to');
      return;
    }
    state.auditQuery = filter;
    state.auditOffset = 0;
    loadAudit();
  });
  auditForm.addEventListener('reset', () => {
    // After the browser has cleared the fields, show the unfiltered log again.
    setTimeout(() => auditForm.requestSubmit(), 0);
  });
  $('audit-prev').addEventListener('click', () => {
    state.auditOffset = Math.max(0, state.auditOffset - PAGE_SIZE);
    loadAudit();
  });
  $('audit-next').addEventListener('click', () => {
    state.auditOffset += PAGE_SIZE;
    loadAudit();
  });
  $('audit-list').addEventListener('click', (e) => {
    const button = e.target.closest('button.audit-toggle');
    if (!button) return;
    const detail = $(button.getAttribute('aria-controls'));
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    button.textContent = t(open ? 'audit.hide' : 'audit.show');
    if (detail) detail.hidden = !open;
  });
}

// ---------------------------------------------------------------- page

function rerender() {
  applyStatic();
  if (state.me) initAppBar(state.me);
  if (state.isAdmin) {
    fillDepartmentSelect();
    renderScopeChips();
    updateScopeCount();
    if (state.usersLoaded) renderUsers();
    if (dialog.open) {
      $('user-dialog-title').textContent = state.editing
        ? t('users.editTitle', { name: state.editing.username })
        : t('users.createTitle');
    }
  }
  fillAuditDatalists();
  if (state.auditLoaded) renderAudit();
  if (state.isAdmin) rerenderChecklists();
}

async function main() {
  await initI18n();
  applyStatic();
  onLangChange(rerender);
  bindLangToggle();
  bindTabs();
  bindUserList();
  bindEditor();
  bindAudit();
  initChecklists();

  try {
    state.me = await api.me();
  } catch (err) {
    page.dataset.state = 'error';
    setMessage($('page-message'), t('error.load', { detail: describeError(err) }), 'error');
    return;
  }
  initAppBar(state.me);
  state.isAdmin = hasRole(state.me, 'ADMIN');
  state.canAudit = state.isAdmin || hasRole(state.me, 'LEADER');
  if (!state.isAdmin && !state.canAudit) {
    page.dataset.state = 'denied';
    setMessage($('page-message'), t('admin.denied'), 'error');
    return;
  }
  $('tab-users').hidden = !state.isAdmin;
  $('tab-audit').hidden = !state.canAudit;
  $('tab-checklists').hidden = !state.isAdmin;
  page.dataset.state = 'ready';
  selectTab(tabFromHash());
}

main().catch((err) => console.error(err));
