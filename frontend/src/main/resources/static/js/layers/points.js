// Measurement points (测评点位) styled per type from /api/point-types:
// POINT → round badge with the type's glyph; LINE → coloured line; POLYGON → tinted area.
// Above CANVAS_THRESHOLD point markers we switch to canvas circle markers (no glyph),
// because thousands of DOM markers make panning sluggish.
import { el, safeColor } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { infoCard, problemBadge } from '../popup.js';
import { api } from '../api.js';
import { statusPill, lightDot, problemHref } from '../loop.js';
import { clusterIcon } from './problems.js';

const L = window.L;

const CANVAS_THRESHOLD = 2000;
const RING = { RED: '#d3362d', YELLOW: '#f0b429', GREEN: '#2f9e5a' };
const FALLBACK_TYPE = { code: '', color: '#6b7280', glyph: '?', nameZh: null, nameEn: null };

export function typeName(type) {
  if (!type || (!type.nameZh && !type.nameEn)) return t('point.unknownType');
  return getLang() === 'en' ? type.nameEn || type.nameZh : type.nameZh || type.nameEn;
}

/** First user-visible character only, so an over-long glyph cannot break the badge. */
export function glyphOf(type) {
  const g = type && typeof type.glyph === 'string' ? Array.from(type.glyph.trim())[0] : null;
  return g || '•';
}

export function typeSwatch(type, extraClass = '') {
  const swatch = el('span', { className: `cg-glyph ${extraClass}`, text: glyphOf(type), attrs: { 'aria-hidden': 'true' } });
  swatch.style.backgroundColor = safeColor(type && type.color); // CSSOM, allowed under strict CSP
  return swatch;
}

/** The point's open problems as links, loaded when the popup opens (the layer only carries a count). */
function openProblemsBox(props) {
  const box = el('div', { className: 'cg-card-problems', attrs: { 'data-state': 'loading' } });
  if (!props.id || !(Number(props.openProblems) > 0)) {
    box.dataset.state = 'ready';
    return box;
  }
  box.append(el('p', { className: 'cg-card-note', text: t('status.loading') }));
  api.point(props.id).then((detail) => {
    const list = el('ul', { className: 'cg-problem-list' });
    for (const pr of (detail && detail.openProblems) || []) {
      list.append(el('li', {}, [
        lightDot(pr.light),
        el('a', { text: pr.categoryName || `#${pr.id}`, attrs: { href: problemHref(pr.id), 'data-problem-id': pr.id } }),
        statusPill(pr.status),
      ]));
    }
    box.replaceChildren(list);
    box.dataset.state = 'ready';
  }).catch(() => {
    box.replaceChildren(el('p', { className: 'cg-card-note', text: t('popup.problemsFailed') }));
    box.dataset.state = 'error';
  });
  return box;
}

/** The map popup: the point's facts and 开始督查; with withProblems also its open problems (side panel). */
export function pointPopup(props, type, options, withProblems = true) {
  const card = pointCard(props, type);
  if (withProblems) card.append(openProblemsBox(props));
  if (options.canInspect && props.id) {
    card.append(el('div', { className: 'cg-card-actions' }, [
      el('a', {
        className: 'cg-card-button',
        text: t('popup.startInspection'),
        attrs: { href: `inspect.html?pointId=${encodeURIComponent(props.id)}`, 'data-point-id': props.id },
      }),
    ]));
  }
  return card;
}

function pointCard(props, type) {
  return infoCard({
    kicker: el('span', { className: 'cg-card-type' }, [typeSwatch(type, 'cg-glyph-sm'), typeName(type)]),
    title: props.name,
    rows: [
      [t('popup.point.type'), typeName(type)],
      [t('popup.point.address'), props.address],
      [t('popup.point.responsibleUnit'), props.responsibleUnit],
      [t('popup.point.gridCode'), props.gridCode ? el('span', { className: 'cg-code', text: props.gridCode }) : null],
      [t('popup.openProblems'), problemBadge(props.openProblems)],
    ],
  });
}

function countPointGeometries(fc) {
  const features = (fc && fc.features) || [];
  return features.filter((f) => f.geometry && /Point$/.test(f.geometry.type)).length;
}

export function createPointsLayer(map, typesByCode, options = {}) {
  map.createPane('cgPointShapes').classList.add('cg-pane-point-shapes');
  const canvas = L.canvas({ pane: 'cgPointShapes', padding: 0.2 });
  const group = L.featureGroup();
  let present = new Set();

  const typeOf = (props) => typesByCode.get(props.typeCode) || FALLBACK_TYPE;

  function build(featureCollection) {
    const useCanvas = countPointGeometries(featureCollection) > CANVAS_THRESHOLD;
    return L.geoJSON(featureCollection, {
      pane: 'cgPointShapes',
      renderer: useCanvas ? canvas : undefined,
      style(feature) {
        const type = typeOf(feature.properties || {});
        const color = safeColor(type.color);
        return /Polygon$/.test(feature.geometry.type)
          ? { color, weight: 1.5, fillColor: color, fillOpacity: 0.3 }
          : { color, weight: 4, opacity: 0.85, lineCap: 'round' };
      },
      pointToLayer(feature, latlng) {
        const props = feature.properties || {};
        if (props.cluster) {
          const marker = L.marker(latlng, {
            icon: clusterIcon(props.count, null, 'cg-cluster-points'),
            title: t('points.clusterTitle', { count: props.count || 0 }),
          });
          marker.on('click', () => map.setView(latlng, Math.min(Math.max(map.getZoom() + 2, 14), map.getMaxZoom())));
          return marker;
        }
        const type = typeOf(props);
        const ring = RING[props.worstLight] || null;
        if (useCanvas) {
          return L.circleMarker(latlng, {
            renderer: canvas, radius: ring ? 6 : 5, weight: ring ? 2.5 : 1, color: ring || '#ffffff',
            fillColor: safeColor(type.color), fillOpacity: 0.95,
          });
        }
        // Own icon per marker: a DOM `html` element can only live in one place.
        const swatch = typeSwatch(type);
        swatch.dataset.light = props.worstLight && RING[props.worstLight] ? props.worstLight : 'NONE';
        const icon = L.divIcon({
          className: 'cg-point-icon',
          html: swatch,
          iconSize: [24, 24],
          iconAnchor: [12, 12],
          popupAnchor: [0, -12],
        });
        return L.marker(latlng, { icon, title: props.name || '', riseOnHover: true });
      },
      onEachFeature(feature, layer) {
        const props = feature.properties || {};
        if (props.cluster) return;
        // The popup keeps the quick facts and 开始督查; the side panel (onSelect) shows the open problems.
        layer.bindPopup(() => pointPopup(props, typeOf(props), options, !options.onSelect), { maxWidth: 300, className: 'cg-popup' });
        if (options.onSelect) layer.on('click', () => options.onSelect(props, typeOf(props)));
      },
    });
  }

  return {
    layer: group,
    update(featureCollection) {
      group.clearLayers();
      const built = build(featureCollection);
      group.addLayer(built);
      present = new Set(built.getLayers().map((l) => l.feature.properties && l.feature.properties.typeCode).filter(Boolean));
    },
    count: () => group.getLayers().reduce((n, l) => n + l.getLayers().length, 0),
    presentTypeCodes: () => present,
    typeOf,
  };
}
