// Area status layer (挂图作战): the areas of one level (district, street, community or grid) filled by
// the traffic-light class of the chosen metric, from api/layers/area-stats. Clicking an area calls
// onSelect(props, bounds): the dashboard drills into it and opens its summary.
import { el } from '../dom.js';
import { t } from '../i18n.js';

const L = window.L;

export const LIGHT_COLORS = { GREEN: '#2f9e5a', YELLOW: '#f0b429', RED: '#d3362d', NONE: '#aab1bd' };
const RATE_METRICS = new Set(['closure', 'onTimeClosure', 'scoreRate']);
const MAX_LABELS = 80;

const BASE = { color: '#ffffff', weight: 1.5, opacity: 1, fillOpacity: 0.5 };
const HOVER = { color: '#1d2a44', weight: 3, fillOpacity: 0.65 };
const SELECTED = { color: '#1d2a44', weight: 3.5, dashArray: null };

export function lightOf(value) {
  return Object.prototype.hasOwnProperty.call(LIGHT_COLORS, value) ? value : 'NONE';
}

/** The metric's value as text: rates (0–1) as percentages, per-grid counts with one decimal. */
export function formatMetric(metric, value) {
  if (value == null || value === '' || !Number.isFinite(Number(value))) return t('dash.noValue');
  const n = Number(value);
  if (RATE_METRICS.has(metric)) return `${(n <= 1 ? n * 100 : n).toFixed(1)}%`;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export function createAreaStatsLayer(map, { onSelect }) {
  let metric = 'open';
  let selectedCode = '';
  let legend = [];
  let features = [];

  const layer = L.geoJSON(null, {
    style: (feature) => {
      const p = feature.properties || {};
      const style = { ...BASE, fillColor: LIGHT_COLORS[lightOf(p.light)] };
      return p.code === selectedCode ? { ...style, ...SELECTED } : style;
    },
    onEachFeature(feature, path) {
      const p = feature.properties || {};
      path.on({
        mouseover: (e) => { e.target.setStyle(HOVER); },
        mouseout: (e) => { layer.resetStyle(e.target); },
        click: (e) => {
          L.DomEvent.stop(e);
          onSelect(p, path.getBounds());
        },
      });
      // Test and styling hooks on the SVG path once it exists.
      path.on('add', () => {
        const node = path.getElement();
        if (!node) return;
        node.dataset.code = String(p.code || '');
        node.dataset.level = String(p.level || '');
        node.dataset.light = lightOf(p.light);
      });
    },
  });

  function bindLabels() {
    const showLabels = features.length <= MAX_LABELS;
    layer.eachLayer((path) => {
      path.unbindTooltip();
      const p = (path.feature && path.feature.properties) || {};
      const title = `${p.name || p.code || ''} · ${formatMetric(metric, p.value)}`;
      if (showLabels) {
        path.bindTooltip(el('span', { className: 'cg-stat-box' }, [
          el('span', { className: 'cg-stat-name', text: p.name || p.code || '' }),
          el('span', { className: 'cg-stat-value', text: formatMetric(metric, p.value), attrs: { 'data-light': lightOf(p.light) } }),
        ]), {
          permanent: true, direction: 'center', interactive: false, className: `cg-label cg-stat-label cg-stat-${p.level || 'area'}`,
        });
      } else {
        path.bindTooltip(el('span', { text: title }), { sticky: true, className: 'cg-stat-tip' });
      }
    });
  }

  return {
    layer,
    /** fc: area-stats FeatureCollection (already in display coordinates); keep filters features (drill-down). */
    update(fc, { metric: m, keep } = {}) {
      metric = m || metric;
      legend = Array.isArray(fc && fc.legend) ? fc.legend : [];
      features = ((fc && fc.features) || []).filter((f) => !keep || keep(f.properties || {}));
      layer.clearLayers();
      layer.addData({ type: 'FeatureCollection', features });
      bindLabels();
      layer.bringToBack();
    },
    clear() {
      features = [];
      layer.clearLayers();
    },
    select(code) {
      selectedCode = code || '';
      layer.eachLayer((path) => layer.resetStyle(path));
    },
    relabel: bindLabels,
    legend: () => legend,
    count: () => layer.getLayers().length,
    features: () => features,
  };
}
