// Grid polygons coloured by open-problem class, with hover highlight and a DOM popup.
import { el } from '../dom.js';
import { t } from '../i18n.js';
import { gridClass } from '../grid-classes.js';
import { infoCard, problemBadge } from '../popup.js';

const L = window.L;

const BASE_STYLE = { color: '#ffffff', weight: 1, opacity: 1, fillOpacity: 0.6 };
const OUTLINE_STYLE = { color: '#ffffff', weight: 0.9, opacity: 0.85, fill: false, interactive: false };
const HOVER_STYLE = { color: '#1d2a44', weight: 2.5, fillOpacity: 0.78 };

function ownersList(owners) {
  if (!Array.isArray(owners) || owners.length === 0) return t('popup.grid.noOwners');
  const ul = el('ul', { className: 'cg-owners' });
  for (const owner of owners) {
    const name = (owner && owner.name) || t('popup.empty');
    const phone = owner && owner.phone ? String(owner.phone) : '';
    const dial = phone.replace(/[^\d+]/g, '');
    ul.append(el('li', {}, [
      el('span', { className: 'cg-owner-name', text: name }),
      phone
        ? el('a', {
          className: 'cg-owner-phone',
          text: phone,
          attrs: dial ? { href: `tel:${dial}`, 'aria-label': t('popup.callOwner', { name }) } : {},
        })
        : null,
    ]));
  }
  return ul;
}

function gridPopup(props) {
  const community = [props.communityName, props.communityCode ? `(${props.communityCode})` : null]
    .filter(Boolean).join(' ');
  return infoCard({
    kicker: t('popup.grid.kind'),
    title: props.name || props.code,
    rows: [
      [t('popup.grid.code'), el('span', { className: 'cg-code', text: props.code || '' })],
      [t('popup.grid.community'), community],
      [t('popup.grid.owners'), ownersList(props.owners)],
      [t('popup.openProblems'), problemBadge(props.openProblems)],
    ],
  });
}

/**
 * outlineOnly: thin outlines above the area-status layer (which colours and handles clicks); otherwise the
 * classic grid map coloured by open problems with a popup.
 */
export function createGridsLayer({ outlineOnly = false } = {}) {
  const layer = L.geoJSON(null, {
    interactive: !outlineOnly,
    style: (feature) => (outlineOnly
      ? OUTLINE_STYLE
      : { ...BASE_STYLE, fillColor: gridClass((feature.properties || {}).openProblems).color }),
    onEachFeature(feature, path) {
      if (outlineOnly) return;
      const props = feature.properties || {};
      // A function, so the popup is built at open time in the current language.
      path.bindPopup(() => gridPopup(props), { maxWidth: 300, className: 'cg-popup' });
      path.on({
        mouseover: (e) => {
          e.target.setStyle(HOVER_STYLE);
          e.target.bringToFront();
        },
        mouseout: (e) => layer.resetStyle(e.target),
      });
    },
  });

  return {
    layer,
    update(featureCollection) {
      layer.clearLayers();
      layer.addData(featureCollection);
    },
    count: () => layer.getLayers().length,
  };
}
