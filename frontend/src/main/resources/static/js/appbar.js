// The app bar's user part, shared by every signed-in page: name, links by role, sign-out.
import { fillCsrfField } from './api.js';
import { el } from './dom.js';
import { t } from './i18n.js';
import { hasRole, roleLabel } from './roles.js';

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
  if (admin) admin.hidden = !hasRole(user, 'ADMIN');
  if (audit) audit.hidden = !(hasRole(user, 'ADMIN') || hasRole(user, 'LEADER'));
  markCurrentPage();
}

bindLogout();
