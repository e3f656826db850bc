// Loading indicator (reference-counted across overlapping requests) and error banner.
import { t } from './i18n.js';

const loading = () => document.getElementById('loading');
const banner = () => document.getElementById('error');
let pending = 0;
let lastError = null;
let retryHandler = null;

export function beginLoading() {
  pending += 1;
  loading().hidden = false;
}

export function endLoading() {
  pending = Math.max(0, pending - 1);
  if (pending === 0) loading().hidden = true;
}

function messageFor(err) {
  if (err && err.network) return t('error.network');
  const detail = err && (err.detail || err.title);
  if (detail) return t('error.load', { detail });
  if (err && err.status) return t('error.http', { status: err.status });
  return t('error.load', { detail: (err && err.message) || '?' });
}

export function showError(err) {
  lastError = err;
  document.getElementById('error-text').textContent = messageFor(err);
  banner().hidden = false;
}

export function hideError() {
  lastError = null;
  banner().hidden = true;
}

/** Re-translate a visible error after a language switch. */
export function refreshError() {
  if (lastError) showError(lastError);
}

export function initStatus({ onRetry }) {
  retryHandler = onRetry;
  document.getElementById('error-close').addEventListener('click', hideError);
  document.getElementById('error-retry').addEventListener('click', () => {
    hideError();
    if (retryHandler) retryHandler();
  });
}
