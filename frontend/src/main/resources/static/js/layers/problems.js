// Problems (问题) by traffic light: one dot per problem from zoom 15, clusters with counts and a
// red/yellow/green split below it (the server clusters). Clicking a cluster zooms in on it.
import { el } from '../dom.js';
import { t } from '../i18n.js';
import { infoCard } from '../popup.js';
import { statusPill, lightDot, problemHref, label } from '../loop.js';
import { formatDateTime } from '../format.js';
import { lightOf } from './area-stats.js';

const L = window.L;

export function clusterIcon(count, parts, extraClass = '') {
  const n = Math.max(0, Number(count) || 0);
  const size = n >= 1000 ? 48 : n >= 100 ? 42 : n >= 10 ? 36 : 30;
  const box = el('span', { className: `cg-cluster ${extraClass}`, attrs: { 'data-count': n } }, [
    el('span', { className: 'cg-cluster-count', text: n >= 10000 ? `${Math.round(n / 1000)}k` : n }),
  ]);
  if (parts) {
    const total = parts.reduce((s, [, v]) => s + (Number(v) || 0), 0);
    const bar = el('span', { className: 'cg-cluster-bar', attrs: { 'aria-hidden': 'true' } });
    for (const [light, v] of parts) {
      if (!(Number(v) > 0) || total === 0) continue;
      const seg = el('span', { className: 'cg-cluster-seg', attrs: { 'data-light': light } });
      seg.style.flexGrow = String(Number(v));
      bar.append(seg);
    }
    box.append(bar);
  }
  return L.divIcon({ className: 'cg-cluster-icon', html: box, iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
}

function clusterTitle(p) {
  return t('problems.clusterTitle', { count: p.count || 0, red: p.red || 0, yellow: p.yellow || 0, green: p.green || 0 });
}

function problemPopup(p) {
  return infoCard({
    kicker: el('span', { className: 'cg-card-type' }, [lightDot(p.light), label('light', lightOf(p.light))]),
    title: p.categoryName || `#${p.id}`,
    rows: [
      [t('problems.point'), p.pointName],
      [t('problems.status'), statusPill(p.status)],
      [t('problems.deadline'), p.deadlineAt ? formatDateTime(p.deadlineAt) : null],
      [t('problems.open'), el('a', { text: `#${p.id}`, attrs: { href: problemHref(p.id), 'data-problem-id': p.id } })],
    ],
  });
}

export function createProblemsLayer(map) {
  const group = L.featureGroup();

  function build(fc) {
    return L.geoJSON(fc, {
      pointToLayer(feature, latlng) {
        const p = feature.properties || {};
        if (p.cluster) {
          const marker = L.marker(latlng, {
            icon: clusterIcon(p.count, [['RED', p.red], ['YELLOW', p.yellow], ['GREEN', p.green]], 'cg-cluster-problems'),
            title: clusterTitle(p),
          });
          marker.on('click', () => map.setView(latlng, Math.min(map.getZoom() + 2, map.getMaxZoom())));
          return marker;
        }
        return L.circleMarker(latlng, {
          radius: 7, weight: 2, color: '#ffffff', fillColor: ({ RED: '#d3362d', YELLOW: '#f0b429', GREEN: '#2f9e5a' })[lightOf(p.light)] || '#8a93a3',
          fillOpacity: 1, pane: 'cgProblems',
        });
      },
      onEachFeature(feature, layer) {
        const p = feature.properties || {};
        if (!p.cluster) layer.bindPopup(() => problemPopup(p), { maxWidth: 300, className: 'cg-popup' });
      },
    });
  }

  map.createPane('cgProblems').classList.add('cg-pane-problems');
  return {
    layer: group,
    update(fc) {
      group.clearLayers();
      group.addLayer(build(fc));
    },
    clear: () => group.clearLayers(),
    count: () => group.getLayers().reduce((n, l) => n + l.getLayers().length, 0),
  };
}
