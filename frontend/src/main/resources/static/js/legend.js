// Legend control (id="legend"): grid open-problem classes + the point types in view.
// A <details> element so it folds away natively on small screens.
import { el, clear } from './dom.js';
import { t } from './i18n.js';
import { GRID_CLASSES } from './grid-classes.js';
import { typeName, typeSwatch } from './layers/points.js';

const L = window.L;

function classLabel(c) {
  if (c.max === null) return t('legend.atLeast', { min: c.min });
  if (c.max === c.min) return t('legend.single', { min: c.min });
  return t('legend.range', { min: c.min, max: c.max });
}

export function createLegend({ startOpen }) {
  let body;
  let summary;
  let lastTypes = [];

  const control = L.control({ position: 'bottomright' });
  control.onAdd = () => {
    const details = el('details', { className: 'cg-legend leaflet-control', attrs: { id: 'legend' } });
    details.open = startOpen;
    summary = el('summary', { className: 'cg-legend-summary' });
    body = el('div', { className: 'cg-legend-body' });
    details.append(summary, body);
    L.DomEvent.disableClickPropagation(details);
    L.DomEvent.disableScrollPropagation(details);
    render();
    return details;
  };

  function render() {
    if (!body) return;
    summary.textContent = t('legend.title');
    clear(body);

    const grids = el('ul', { className: 'cg-legend-list' });
    for (const c of GRID_CLASSES) {
      const swatch = el('span', { className: 'cg-legend-fill', attrs: { 'aria-hidden': 'true' } });
      swatch.style.backgroundColor = c.color;
      grids.append(el('li', {}, [swatch, classLabel(c)]));
    }
    body.append(el('h3', { className: 'cg-legend-heading', text: t('legend.grids') }), grids);

    body.append(el('h3', { className: 'cg-legend-heading', text: t('legend.points') }));
    if (lastTypes.length === 0) {
      body.append(el('p', { className: 'cg-legend-empty', text: t('legend.noPoints') }));
      return;
    }
    const points = el('ul', { className: 'cg-legend-list cg-legend-types' });
    for (const type of lastTypes) {
      const kind = String(type.geometryKind || 'POINT').toLowerCase();
      points.append(el('li', { attrs: { 'data-kind': kind } }, [typeSwatch(type, 'cg-glyph-sm'), typeName(type)]));
    }
    body.append(points);
  }

  return {
    control,
    /** @param types point-type objects in API order, already filtered to those present */
    setTypes(types) {
      lastTypes = types;
      render();
    },
    render,
  };
}
