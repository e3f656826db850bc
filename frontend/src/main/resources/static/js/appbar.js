// The app bar of every signed-in page: drawn here once into the page's empty
// <header id="app-bar" class="app-bar">, then filled with the user's name, links by role, sign-out.
import { fillCsrfField } from './api.js';
import { el } from './dom.js';
import { t } from './i18n.js';
import { hasRole, roleLabel } from './roles.js';

// [href, id, i18n key, text before the dictionary has loaded, hidden until the role allows it]
const NAV_LINKS = [
  ['./', 'nav-map', 'nav.map', '地图', false],
  ['worklist.html', 'nav-worklist', 'nav.worklist', '工作台', false],
  ['leader.html', 'nav-leader', 'nav.leader', '领导看板', true],
  ['inspect.html', 'nav-inspect', 'nav.inspect', '督查', true],
  ['planner.html', 'nav-planner', 'nav.planner', '划片规划', true],
  ['account.html', 'nav-account', 'nav.account', '账户', false],
  ['admin.html', 'nav-admin', 'nav.admin', '用户管理', true],
  ['admin.html#audit', 'nav-audit', 'nav.audit', '审计日志', true],
];

/** Static markup only (the texts are replaced by applyStatic); nothing from the API goes in here. */
function renderAppBar() {
  const bar = document.getElementById('app-bar');
  if (!bar || bar.childElementCount) return;
  const brand = el('div', { className: 'app-brand' }, [
    el('span', { className: 'app-logo', text: '格', attrs: { 'aria-hidden': 'true' } }),
    el('h1', { className: 'app-title' }, [
      el('span', { className: 'app-name', text: 'CivicGrid' }),
      el('span', { className: 'app-subtitle', text: '文明城市创建网格化管理', attrs: { 'data-i18n': 'app.subtitle' } }),
    ]),
    // Hidden while empty (CSS :empty); pages that know the district fill it.
    el('span', { className: 'app-district', attrs: { id: 'district-name' } }),
  ]);
  const nav = el('nav', { className: 'app-nav', attrs: { id: 'app-nav', 'data-i18n-aria': 'nav.label' } },
    NAV_LINKS.map(([href, id, key, text, hidden]) =>
      el('a', { text, attrs: { href, id, 'data-i18n': key, hidden: hidden ? '' : null } })));
  const user = el('div', { className: 'app-user' }, [
    el('span', { className: 'app-user-name', attrs: { id: 'user-name' } }),
    el('form', { className: 'logout-form', attrs: { id: 'logout-form', method: 'post', action: 'logout' } }, [
      el('input', { attrs: { type: 'hidden', name: '_csrf', value: '' } }),
      el('button', {
        className: 'logout-button', text: '退出',
        attrs: { type: 'submit', id: 'logout-button', 'data-i18n': 'nav.logout' },
      }),
    ]),
  ]);
  const lang = el('button', {
    className: 'lang-toggle', text: 'EN',
    attrs: { type: 'button', id: 'lang-toggle', 'data-i18n': 'lang.toggle', 'data-i18n-aria': 'lang.toggleLabel' },
  });
  bar.replaceChildren(brand, nav, user, lang);
}

let bound = false;

function bindLogout() {
  if (bound) return;
  bound = true;
  const form = document.getElementById('logout-form');
  // Runs synchronously before the browser posts the form, so the token is always the current one.
  if (form) form.addEventListener('submit', () => fillCsrfField(form));
  window.addEventListener('hashchange', markCurrentPage);
}

const pageOf = (pathname) => {
  const last = pathname.split('/').pop() || '';
  return last === 'index.html' ? '' : last;
};

function markCurrentPage() {
  const here = pageOf(location.pathname);
  const audit = location.hash === '#audit';
  for (const link of document.querySelectorAll('.app-nav a')) {
    const target = new URL(link.getAttribute('href'), document.baseURI);
    const page = pageOf(target.pathname);
    const isAudit = target.hash === '#audit';
    const current = page === here && (page !== 'admin.html' || isAudit === audit);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** A reminder in the bar when the password must be changed (the account page has its own banner). */
function showMustChange(user) {
  let link = document.getElementById('must-change-link');
  const needed = !!(user && user.mustChangePassword) && pageOf(location.pathname) !== 'account.html';
  if (!needed) {
    if (link) link.remove();
    return;
  }
  if (!link) {
    link = el('a', { className: 'must-change-link', attrs: { id: 'must-change-link', href: 'account.html#password-section' } });
    const box = document.querySelector('.app-user');
    if (box) box.prepend(link);
  }
  link.textContent = t('nav.mustChange');
}

/** user: {username, displayName, roles[]} (map config's user, or api/me). */
export function initAppBar(user) {
  bindLogout();
  const name = document.getElementById('user-name');
  if (name && user) {
    name.textContent = user.displayName || user.username || '';
    const roles = Array.isArray(user.roles) ? user.roles.map(roleLabel).join('、') : '';
    name.title = roles ? `${user.username} · ${roles}` : String(user.username || '');
    name.dataset.username = String(user.username || '');
  }
  showMustChange(user);
  const admin = document.getElementById('nav-admin');
  const audit = document.getElementById('nav-audit');
  const inspect = document.getElementById('nav-inspect');
  if (inspect) inspect.hidden = !hasRole(user, 'INSPECTOR');
  const leader = document.getElementById('nav-leader');
  if (leader) leader.hidden = !(hasRole(user, 'ADMIN') || hasRole(user, 'LEADER'));
  const planner = document.getElementById('nav-planner');
  if (planner) planner.hidden = !(hasRole(user, 'ADMIN') || hasRole(user, 'PLANNER') || hasRole(user, 'LEADER'));
  if (admin) admin.hidden = !hasRole(user, 'ADMIN');
  if (audit) audit.hidden = !(hasRole(user, 'ADMIN') || hasRole(user, 'LEADER'));
  markCurrentPage();
}

/** The district's name next to the title (map config's district). */
export function showDistrict(config) {
  const district = document.getElementById('district-name');
  if (district) district.textContent = (config && config.district && config.district.name) || '';
}

// Module scripts run after the document is parsed and before the importing page's own code.
renderAppBar();
bindLogout();
