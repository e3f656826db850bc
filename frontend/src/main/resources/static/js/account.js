// Account page: own profile, password change, personal API tokens.
import { initI18n, applyStatic, t, onLangChange, bindLangToggle } from './i18n.js';
import { api } from './api.js';
import { el, clear } from './dom.js';
import { initAppBar } from './appbar.js';
import { roleLabel } from './roles.js';
import { formatDateTime, areaLabel, departmentName } from './format.js';
import {
  describeError, setMessage, clearMessage, clearFieldErrors, markField, showProblem, busy, focusField,
  passwordRuleViolation, clearMarksOnEdit,
} from './forms.js';

const page = document.getElementById('account-page');
const pageMessage = document.getElementById('page-message');
const passwordForm = document.getElementById('password-form');
const passwordMessage = document.getElementById('password-message');
const tokenForm = document.getElementById('token-form');
const tokenMessage = document.getElementById('token-message');

const state = {
  me: null,
  tokens: [],
  areasByCode: new Map(),
  departmentsByCode: new Map(),
  issuedToken: null,
};

// ---- profile ----

function setText(id, text) {
  document.getElementById(id).textContent = text == null || text === '' ? t('common.none') : String(text);
}

function fillList(id, items) {
  const node = document.getElementById(id);
  clear(node);
  if (!items.length) {
    node.textContent = t('common.none');
    return;
  }
  const list = el('ul', { className: 'plain-list' });
  for (const item of items) list.append(el('li', { text: item }));
  node.append(list);
}

function renderProfile() {
  const me = state.me;
  if (!me) return;
  setText('profile-username', me.username);
  setText('profile-display-name', me.displayName);
  setText('profile-phone', me.phone);
  fillList('profile-roles', (me.roles || []).map(roleLabel));
  fillList('profile-scopes', (me.scopeCodes || []).map((c) => areaLabel(c, state.areasByCode)));
  const dept = me.departmentCode ? state.departmentsByCode.get(me.departmentCode) : null;
  setText('profile-department', me.departmentCode ? (dept ? `${me.departmentCode} ${departmentName(dept)}` : me.departmentCode) : '');
  const flags = [t(me.enabled ? 'user.enabled' : 'user.disabled')];
  if (me.locked) flags.push(t('user.locked'));
  if (me.mustChangePassword) flags.push(t('user.mustChangePassword'));
  setText('profile-status', flags.join(' · '));
  setText('profile-created', formatDateTime(me.createdAt));
  document.getElementById('must-change-banner').hidden = !me.mustChangePassword;
  passwordForm.elements.namedItem('username').value = me.username || '';
}

// ---- password ----

async function onPasswordSubmit(event) {
  event.preventDefault();
  clearFieldErrors(passwordForm);
  clearMessage(passwordMessage);
  const f = passwordForm.elements;
  const current = f.namedItem('currentPassword').value;
  const next = f.namedItem('newPassword').value;
  const confirm = f.namedItem('confirmPassword').value;

  const problems = [];
  if (!current) problems.push(['currentPassword', t('form.required')]);
  const rule = passwordRuleViolation(next, state.me && state.me.username);
  if (!next) problems.push(['newPassword', t('form.required')]);
  else if (rule) problems.push(['newPassword', t(rule)]);
  if (next !== confirm) problems.push(['confirmPassword', t('account.confirmMismatch')]);
  if (problems.length) {
    for (const [name, msg] of problems) markField(passwordForm, name, msg);
    setMessage(passwordMessage, t('form.fixFields'), 'error');
    focusField(passwordForm, problems[0][0]);
    return;
  }

  try {
    await busy(passwordForm, () => api.changePassword(current, next));
  } catch (err) {
    const marked = showProblem(passwordForm, passwordMessage, err);
    // Explain the two usual causes in the user's language, next to the server's own words.
    if (marked.includes('currentPassword')) {
      setMessage(passwordMessage, `${t('account.currentWrong')} (${describeError(err)})`, 'error');
    } else if (marked.includes('newPassword')) {
      setMessage(passwordMessage, `${t('password.rule')} (${describeError(err)})`, 'error');
    }
    return;
  }
  passwordForm.reset();
  passwordForm.elements.namedItem('username').value = state.me ? state.me.username : '';
  setMessage(passwordMessage, t('account.passwordChanged'), 'success');
  passwordForm.dataset.result = 'changed';
  try {
    state.me = await api.me();
    renderProfile();
  } catch (err) {
    console.error(err);
  }
}

// ---- tokens ----

function tokenStatus(token) {
  if (token.revokedAt) return { key: 'tokens.status.revoked', kind: 'muted' };
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= Date.now()) return { key: 'tokens.status.expired', kind: 'muted' };
  return { key: 'tokens.status.active', kind: 'ok' };
}

function renderTokens() {
  const body = document.getElementById('token-list');
  clear(body);
  for (const token of state.tokens) {
    const status = tokenStatus(token);
    const live = status.kind === 'ok';
    let action = null;
    if (live) {
      action = el('button', {
        className: 'btn btn-small btn-danger token-revoke',
        text: t('tokens.revoke'),
        attrs: { type: 'button', 'data-token-id': token.id, 'aria-label': t('tokens.revokeNamed', { name: token.name }) },
      });
    }
    body.append(el('tr', { attrs: { 'data-token-id': token.id, 'data-status': status.key.split('.').pop() } }, [
      el('td', { text: token.name }),
      el('td', {}, [el('code', { className: 'cg-code', text: `${token.prefix || ''}…` })]),
      el('td', { className: 'nowrap', text: formatDateTime(token.createdAt) }),
      el('td', { className: 'nowrap', text: token.expiresAt ? formatDateTime(token.expiresAt) : t('tokens.never') }),
      el('td', { className: 'nowrap', text: token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('tokens.neverUsed') }),
      el('td', {}, [el('span', { className: `pill pill-${status.kind}`, text: t(status.key) })]),
      el('td', { className: 'actions' }, [action]),
    ]));
  }
  document.getElementById('token-empty').hidden = state.tokens.length > 0;
  document.getElementById('token-table').hidden = state.tokens.length === 0;
}

async function loadTokens() {
  const tokens = await api.tokens();
  state.tokens = Array.isArray(tokens) ? tokens : [];
  renderTokens();
}

function usageExample(token) {
  const sample = new URL('api/layers/grids?bbox=120.5,31.2,120.7,31.4&zoom=14', document.baseURI).href;
  return [
    `curl -H "Authorization: Bearer ${token}" \\`,
    `     "${sample}"`,
    '',
    `${sample}&access_token=${encodeURIComponent(token)}`,
  ].join('\n');
}

function showIssued(token) {
  state.issuedToken = token;
  const box = document.getElementById('token-issued');
  const secret = document.getElementById('token-secret');
  secret.value = token ? token.token : '';
  document.getElementById('token-usage').textContent = token ? usageExample(token.token) : '';
  clearMessage(document.getElementById('token-copy-message'));
  box.hidden = !token;
  if (token) {
    box.scrollIntoView({ block: 'nearest' });
    secret.focus();
    secret.select();
  }
}

async function copySecret() {
  const secret = document.getElementById('token-secret');
  const note = document.getElementById('token-copy-message');
  let ok = false;
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(secret.value);
      ok = true;
    }
  } catch { /* fall back below */ }
  if (!ok) {
    secret.focus();
    secret.select();
    try { ok = document.execCommand('copy'); } catch { ok = false; }
  }
  setMessage(note, t(ok ? 'tokens.issued.copied' : 'tokens.issued.copyManually'), ok ? 'success' : 'info');
}

async function onTokenSubmit(event) {
  event.preventDefault();
  clearFieldErrors(tokenForm);
  clearMessage(tokenMessage);
  const name = tokenForm.elements.namedItem('name').value.trim();
  const days = tokenForm.elements.namedItem('expiresInDays').value;
  if (!name) {
    markField(tokenForm, 'name', t('form.required'));
    setMessage(tokenMessage, t('form.fixFields'), 'error');
    focusField(tokenForm, 'name');
    return;
  }
  let issued;
  try {
    issued = await busy(tokenForm, () => api.createToken(name, days ? Number(days) : null));
  } catch (err) {
    showProblem(tokenForm, tokenMessage, err);
    return;
  }
  tokenForm.reset();
  showIssued(issued);
  await loadTokens().catch((err) => setMessage(tokenMessage, describeError(err), 'error'));
}

async function onTokenListClick(event) {
  const button = event.target.closest('button.token-revoke');
  if (!button) return;
  const id = button.dataset.tokenId;
  const token = state.tokens.find((tk) => String(tk.id) === id);
  if (!window.confirm(t('tokens.confirmRevoke', { name: token ? token.name : id }))) return;
  button.disabled = true;
  try {
    await api.revokeToken(id);
    setMessage(tokenMessage, t('tokens.revoked', { name: token ? token.name : id }), 'success');
    if (state.issuedToken && String(state.issuedToken.id) === id) showIssued(null);
    await loadTokens();
  } catch (err) {
    button.disabled = false;
    setMessage(tokenMessage, describeError(err), 'error');
  }
}

// ---- page ----

async function loadDirectories() {
  // Names for codes only: the page works without them.
  const [areas, departments] = await Promise.all([
    api.areaDirectory().catch(() => []),
    api.departments().catch(() => []),
  ]);
  state.areasByCode = new Map((Array.isArray(areas) ? areas : []).map((a) => [a.code, a]));
  state.departmentsByCode = new Map((Array.isArray(departments) ? departments : []).map((d) => [d.code, d]));
}

function rerender() {
  applyStatic();
  if (state.me) initAppBar(state.me);
  renderProfile();
  renderTokens();
}

async function main() {
  await initI18n();
  applyStatic();
  onLangChange(rerender);
  bindLangToggle();
  clearMarksOnEdit(passwordForm);
  clearMarksOnEdit(tokenForm);
  passwordForm.addEventListener('submit', (e) => { onPasswordSubmit(e).catch(console.error); });
  tokenForm.addEventListener('submit', (e) => { onTokenSubmit(e).catch(console.error); });
  document.getElementById('token-list').addEventListener('click', (e) => { onTokenListClick(e).catch(console.error); });
  document.getElementById('token-copy').addEventListener('click', () => { copySecret().catch(console.error); });
  document.getElementById('token-dismiss').addEventListener('click', () => showIssued(null));

  try {
    state.me = await api.me();
    initAppBar(state.me);
    renderProfile();
    if (state.me.mustChangePassword) focusField(passwordForm, 'currentPassword');
    await Promise.all([loadTokens(), loadDirectories()]);
    renderProfile();
    page.dataset.state = 'ready';
  } catch (err) {
    console.error(err);
    page.dataset.state = 'error';
    setMessage(pageMessage, t('error.load', { detail: describeError(err) }), 'error');
  }
}

main().catch((err) => console.error(err));
