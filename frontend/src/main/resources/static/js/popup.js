// Popup/card content built as DOM (never HTML strings) for Leaflet popups.
import { el } from './dom.js';
import { t } from './i18n.js';

/**
 * @param {{kicker?: string|Node, title: string, rows: Array<[string, string|Node|null]>}} spec
 */
export function infoCard({ kicker, title, rows }) {
  const dl = el('dl', { className: 'cg-card-rows' });
  for (const [label, value] of rows) {
    const shown = value == null || value === '' ? t('popup.empty') : value;
    dl.append(el('dt', { text: label }), el('dd', {}, [shown]));
  }
  return el('div', { className: 'cg-card' }, [
    kicker ? el('div', { className: 'cg-card-kicker' }, [kicker]) : null,
    el('h2', { className: 'cg-card-title', text: title || t('popup.empty') }),
    dl,
  ]);
}

/** Open-problem count with a coloured badge (count is a number, shown as text). */
export function problemBadge(count, className) {
  const n = Math.max(0, Number(count) || 0);
  return el('span', { className: `cg-badge ${className || ''} ${n > 0 ? 'cg-badge-open' : 'cg-badge-clear'}`, text: n });
}
