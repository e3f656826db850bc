// Sign-in page: a plain form post to `login` (Spring Security); this script only adds the CSRF token,
// explains the outcome the server redirected back with, and switches language.
import { initI18n, applyStatic, t, onLangChange, bindLangToggle } from './i18n.js';
import { fillCsrfField } from './api.js';
import { setMessage } from './forms.js';

const LAST_USER_KEY = 'civicgrid.lastUsername';

const OUTCOMES = {
  'bad-credentials': { key: 'login.error.badCredentials', kind: 'error', fields: ['username', 'password'] },
  locked: { key: 'login.error.locked', kind: 'error', fields: [] },
  disabled: { key: 'login.error.disabled', kind: 'error', fields: [] },
};

const form = document.getElementById('login-form');
const message = document.getElementById('login-message');
let messageKey = null;

function outcomeFromUrl() {
  const query = new URLSearchParams(location.search);
  if (query.has('error')) {
    return OUTCOMES[query.get('error')] || { key: 'login.error.generic', kind: 'error', fields: [] };
  }
  if (query.has('logout')) return { key: 'login.loggedOut', kind: 'success', fields: [] };
  if (query.has('expired')) return { key: 'login.expired', kind: 'info', fields: [] };
  return null;
}

function showMessage(key, kind) {
  messageKey = key ? { key, kind } : null;
  setMessage(message, key ? t(key) : '', kind);
  form.dataset.outcome = key || '';
}

function rememberedUsername() {
  try { return sessionStorage.getItem(LAST_USER_KEY) || ''; } catch { return ''; }
}

function rememberUsername(name) {
  try { sessionStorage.setItem(LAST_USER_KEY, name); } catch { /* private mode */ }
}

async function fetchCsrfCookie() {
  // Any page load through the server sets the cookie; ask again without the HTTP cache.
  await fetch(new URL('login.html', document.baseURI), { cache: 'no-store', credentials: 'same-origin' });
}

function onSubmit(event) {
  const username = form.elements.namedItem('username');
  username.value = username.value.trim();
  rememberUsername(username.value);
  if (fillCsrfField(form)) {
    // Let the browser post the form: the server answers with a redirect.
    document.getElementById('login-submit').disabled = true;
    return;
  }
  // No token cookie yet (e.g. the page came from a cache): fetch one, then post.
  event.preventDefault();
  fetchCsrfCookie()
    .then(() => {
      if (!fillCsrfField(form)) throw new Error('no XSRF-TOKEN cookie');
      document.getElementById('login-submit').disabled = true;
      HTMLFormElement.prototype.submit.call(form);
    })
    .catch((err) => {
      console.error(err);
      showMessage('login.error.noCookie', 'error');
    });
}

// Bound before anything is awaited, so even an immediate submit carries the token.
form.addEventListener('submit', onSubmit);
form.addEventListener('input', (e) => e.target.removeAttribute('aria-invalid'));

async function main() {
  await initI18n();
  applyStatic();
  const outcome = outcomeFromUrl();
  if (outcome) {
    showMessage(outcome.key, outcome.kind);
    for (const name of outcome.fields) form.elements.namedItem(name).setAttribute('aria-invalid', 'true');
    if (outcome.kind === 'error') {
      const username = form.elements.namedItem('username');
      username.value = rememberedUsername();
      if (username.value) form.elements.namedItem('password').focus();
    }
  }
  onLangChange(() => {
    applyStatic();
    if (messageKey) showMessage(messageKey.key, messageKey.kind);
  });
  bindLangToggle();
}

main().catch((err) => console.error(err));
