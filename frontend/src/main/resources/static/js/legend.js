// Legend control (id="legend"): the area-status classes of the chosen metric (from the area-stats
// answer's `legend`), the traffic lights of problems and point rings, the outlines, and the point types in
// view. A <details> element so it folds away natively on small screens; it is also printed.
import { el, clear } from './dom.js';
import { t, getLang } from './i18n.js';
import { typeName, typeSwatch } from './layers/points.js';
import { LIGHT_COLORS, lightOf } from './layers/area-stats.js';

const L = window.L;

function fill(color, extra = '') {
  const swatch = el('span', { className: `cg-legend-fill ${extra}`, attrs: { 'aria-hidden': 'true' } });
  swatch.style.backgroundColor = color;
  return swatch;
}

export function createLegend({ startOpen }) {
  let body;
  let summary;
  let lastTypes = [];
  let stats = { metric: 'open', level: 'district', classes: [] };
  let showProblems = false;

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

    body.append(el('h3', {
      className: 'cg-legend-heading',
      text: t('legend.areaStatus', { metric: t(`metric.${stats.metric}`), level: t(`level.${stats.level}`) }),
    }));
    const classes = el('ul', { className: 'cg-legend-list', attrs: { id: 'legend-classes' } });
    const list = stats.classes.length ? stats.classes : [];
    for (const c of list) {
      const text = getLang() === 'en' ? c.label_en || c.label_zh : c.label_zh || c.label_en;
      classes.append(el('li', { attrs: { 'data-light': lightOf(c.light) } }, [fill(LIGHT_COLORS[lightOf(c.light)]), text || c.light]));
    }
    if (!list.some((c) => lightOf(c.light) === 'NONE')) {
      classes.append(el('li', { attrs: { 'data-light': 'NONE' } }, [fill(LIGHT_COLORS.NONE), t('legend.noData')]));
    }
    body.append(classes);

    const outlines = el('ul', { className: 'cg-legend-list' }, [
      el('li', {}, [fill('transparent', 'cg-legend-outline cg-legend-outline-grid'), t('legend.gridOutline')]),
      el('li', {}, [fill('transparent', 'cg-legend-outline cg-legend-outline-area'), t('legend.areaOutline')]),
    ]);
    body.append(outlines);

    body.append(el('h3', { className: 'cg-legend-heading', text: t(showProblems ? 'legend.problemLights' : 'legend.pointRings') }));
    const lights = el('ul', { className: 'cg-legend-list cg-legend-lights' });
    for (const light of ['RED', 'YELLOW', 'GREEN']) {
      lights.append(el('li', {}, [el('span', { className: 'cg-legend-dot', attrs: { 'data-light': light, 'aria-hidden': 'true' } }), t(`legend.light.${light}`)]));
    }
    body.append(lights);

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
      const same = types.length === lastTypes.length && types.every((ty, i) => ty === lastTypes[i]);
      lastTypes = types;
      if (!same) render();
    },
    setStats(metric, level, classes) {
      stats = { metric, level, classes: Array.isArray(classes) ? classes : [] };
      render();
    },
    setProblems(on) {
      showProblems = on;
      render();
    },
    render,
  };
}
