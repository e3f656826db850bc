// Minimal i18n: flat JSON dictionaries in ../i18n/, {param} substitution.
// Language precedence: ?lang= in the URL, then localStorage, then zh-CN.

export const LANGS = ['zh-CN', 'en'];
const DEFAULT_LANG = 'zh-CN';
const STORAGE_KEY = 'civicgrid.lang';

let current = DEFAULT_LANG;
let dict = {};
const listeners = new Set();

function normalize(value) {
  if (!value) return null;
  const v = String(value).toLowerCase();
  if (v.startsWith('en')) return 'en';
  if (v.startsWith('zh')) return 'zh-CN';
  return null;
}

function readStored() {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; }
}

function detect() {
  const fromUrl = normalize(new URLSearchParams(location.search).get('lang'));
  return fromUrl || normalize(readStored()) || DEFAULT_LANG;
}

async function loadDict(lang) {
  const url = new URL(`../i18n/${lang}.json`, import.meta.url);
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`i18n ${lang}: HTTP ${res.status}`);
  return res.json();
}

function persist(lang) {
  try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* private mode: URL still carries it */ }
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(history.state, '', url);
}

export async function initI18n() {
  current = detect();
  try {
    dict = await loadDict(current);
  } catch (err) {
    // Keys are shown instead of text; the page still works.
    console.error(err);
    dict = {};
  }
  document.documentElement.lang = current;
}

export function getLang() {
  return current;
}

export function t(key, params) {
  let text = Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  }
  return text;
}

export async function setLang(lang) {
  const next = normalize(lang) || DEFAULT_LANG;
  dict = await loadDict(next);
  current = next;
  document.documentElement.lang = next;
  persist(next);
  for (const fn of listeners) fn(next);
}

export function toggleLang() {
  return setLang(current === 'en' ? 'zh-CN' : 'en');
}

export function onLangChange(fn) {
  listeners.add(fn);
}

/** The #lang-toggle button switches the language; pages re-render through onLangChange. */
export function bindLangToggle(onError = (err) => console.error(err)) {
  document.getElementById('lang-toggle').addEventListener('click', () => {
    toggleLang().catch(onError);
  });
}

/**
 * Fill static markup: data-i18n → textContent, data-i18n-aria → aria-label,
 * data-i18n-placeholder → placeholder; <html data-title-key> names the page title (default app.title).
 */
export function applyStatic(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-aria]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nAria));
  }
  for (const node of root.querySelectorAll('[data-i18n-placeholder]')) {
    node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
  }
  const titleKey = document.documentElement.dataset.titleKey;
  document.title = titleKey ? `${t(titleKey)} · CivicGrid` : t('app.title');
}
