// Shared pieces of the rectification loop pages (整改闭环): status and light badges, deadlines,
// photo links, names in the current language, and idempotency keys for moves.
import { el } from './dom.js';
import { getLang, t } from './i18n.js';

export const STATUSES = ['REPORTED', 'ACCEPTED', 'REJECTED', 'DISPATCHED', 'IN_PROGRESS', 'SUBMITTED', 'RETURNED', 'CLOSED', 'SUSPENDED'];
const LIGHTS = ['GREEN', 'YELLOW', 'RED'];

/** A translated label for a code, or the code itself when the dictionary has no entry. */
export function label(prefix, code) {
  if (code == null || code === '') return t('common.none');
  const key = `${prefix}.${code}`;
  const text = t(key);
  return text === key ? String(code) : text;
}

export const statusLabel = (code) => label('problemStatus', code);
export const actionLabel = (code) => label('loopAction', code);

/** Status as a coloured pill; data-status carries the code (for styling and tests). */
export function statusPill(code) {
  const known = STATUSES.includes(code) ? code : 'UNKNOWN';
  return el('span', { className: 'status-pill', text: statusLabel(code), attrs: { 'data-status': known } });
}

/** Traffic-light dot (红黄绿灯) with its meaning as text for screen readers and tooltips. */
export function lightDot(light, { withText = false } = {}) {
  const known = LIGHTS.includes(light) ? light : 'NONE';
  const text = label('light', known);
  const dot = el('span', { className: 'light-dot', attrs: { 'data-light': known, title: text, role: 'img', 'aria-label': text } });
  if (!withText) return dot;
  return el('span', { className: 'light', attrs: { 'data-light': known } }, [dot, el('span', { className: 'light-text', text })]);
}

/** "剩 3 小时" / "超期 2 天" relative to now (or `now`); '' without a deadline. */
export function relativeDeadline(iso, now = Date.now()) {
  if (!iso) return '';
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return '';
  const diff = at - now;
  const abs = Math.abs(diff);
  const minutes = Math.round(abs / 60000);
  const hours = Math.round(abs / 3600000);
  const days = Math.round(abs / 86400000);
  let unit;
  let n;
  if (minutes < 60) { unit = 'minutes'; n = Math.max(1, minutes); }
  else if (hours < 48) { unit = 'hours'; n = hours; }
  else { unit = 'days'; n = days; }
  return t(`deadline.${diff >= 0 ? 'left' : 'over'}.${unit}`, { n });
}

/** Deadline as a time element: the relative phrase, the exact time as tooltip; data-overdue when past. */
export function deadlineNode(iso, formatDateTime) {
  if (!iso) return el('span', { className: 'muted', text: t('deadline.none') });
  const overdue = new Date(iso).getTime() < Date.now();
  return el('time', {
    className: 'deadline',
    text: relativeDeadline(iso),
    attrs: { datetime: iso, title: formatDateTime(iso), 'data-overdue': overdue ? 'true' : 'false' },
  });
}

/** The API writes photo links from the server root; resolve them against this page so a context path still works. */
export function appUrl(path) {
  if (!path) return '';
  return new URL(String(path).replace(/^\/+/, ''), document.baseURI).href;
}

/** Name in the current language from {nameZh, nameEn} (or textZh/textEn). */
export function localName(obj, zh = 'nameZh', en = 'nameEn') {
  if (!obj) return '';
  return (getLang() === 'en' ? obj[en] || obj[zh] : obj[zh] || obj[en]) || obj.code || '';
}

/** A fresh idempotency key for one attempt at a move (kept across retries of that attempt). */
export function newIdempotencyKey() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  // randomUUID needs a secure context; plain http on an intranet address is not one.
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Positive integer from the query string, or null. */
export function queryId(name) {
  const raw = new URLSearchParams(location.search).get(name);
  return raw && /^\d{1,18}$/.test(raw) ? raw : null;
}

export function problemHref(id) {
  return `problem.html?id=${encodeURIComponent(id)}`;
}

/** The phone's position as {lon, lat}, or null when refused, unavailable or too slow. */
export function currentPosition(timeoutMs = 8000) {
  return new Promise((resolve) => {
    if (!navigator.geolocation) { resolve(null); return; }
    // The API's own timeout only starts once the user has answered the permission prompt.
    const timer = setTimeout(() => resolve(null), timeoutMs + 2000);
    navigator.geolocation.getCurrentPosition(
      (pos) => { clearTimeout(timer); resolve({ lon: pos.coords.longitude, lat: pos.coords.latitude, accuracy: pos.coords.accuracy }); },
      () => { clearTimeout(timer); resolve(null); },
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60000 },
    );
  });
}
