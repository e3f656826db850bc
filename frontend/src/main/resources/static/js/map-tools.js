// Map tool buttons: zoom to my area (id="zoom-home"), full screen (Fullscreen API, id="fullscreen") and
// the print view (id="print-view": a print stylesheet with title, legend and date, then the print dialog).
// Plus the base-map switcher (id="basemap-switcher"), built as DOM so names from the server stay text.
import { el } from './dom.js';
import { t, getLang } from './i18n.js';

const L = window.L;

// 24×24 outline icons drawn as SVG DOM (no markup strings, no icon font to download).
const ICONS = {
  'zoom-home': 'M3 11 12 3l9 8M5 9.5V21h5v-6h4v6h5V9.5',
  fullscreen: 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5',
  'print-view': 'M7 8V3h10v5M7 17H4v-8h16v8h-3M7 14h10v7H7z',
};

function icon(id) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '18');
  svg.setAttribute('height', '18');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[id]);
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '2');
  path.setAttribute('stroke-linejoin', 'round');
  path.setAttribute('stroke-linecap', 'round');
  svg.append(path);
  return svg;
}

export function createToolsControl({ onHome, fullscreenTarget, onPrint }) {
  const buttons = {};
  const Control = L.Control.extend({
    options: { position: 'topleft' },
    onAdd() {
      const bar = L.DomUtil.create('div', 'leaflet-bar leaflet-control cg-tools');
      const make = (id, handler) => {
        const b = el('button', { className: 'cg-tool', attrs: { type: 'button', id } }, [icon(id)]);
        b.addEventListener('click', handler);
        bar.append(b);
        buttons[id] = b;
        return b;
      };
      make('zoom-home', onHome);
      const fs = make('fullscreen', () => {
        if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
        else if (fullscreenTarget.requestFullscreen) fullscreenTarget.requestFullscreen().catch(() => {});
      });
      if (!document.fullscreenEnabled) fs.disabled = true;
      make('print-view', onPrint);
      L.DomEvent.disableClickPropagation(bar);
      render();
      return bar;
    },
  });

  function render() {
    const label = (id, key) => {
      if (!buttons[id]) return;
      buttons[id].title = t(key);
      buttons[id].setAttribute('aria-label', t(key));
    };
    label('zoom-home', 'tools.home');
    label('fullscreen', document.fullscreenElement ? 'tools.exitFullscreen' : 'tools.fullscreen');
    label('print-view', 'tools.print');
  }
  document.addEventListener('fullscreenchange', render);
  return { control: new Control(), render };
}

export function baseMapName(b) {
  return (getLang() === 'en' ? b.nameEn || b.nameZh : b.nameZh || b.nameEn) || b.id;
}

export function createBaseMapSwitcher({ baseMaps, current, onChange }) {
  let select = null;
  let caption = null;
  let selected = current;
  const Control = L.Control.extend({
    options: { position: 'topright' },
    onAdd() {
      select = el('select', { attrs: { id: 'basemap-switcher' } });
      caption = el('span', { className: 'cg-basemap-caption' });
      const box = el('label', { className: 'leaflet-control cg-basemap-control', attrs: { for: 'basemap-switcher' } }, [caption, select]);
      select.addEventListener('change', () => { selected = select.value; onChange(select.value); });
      L.DomEvent.disableClickPropagation(box);
      render();
      return box;
    },
  });
  function render() {
    if (!select) return;
    caption.textContent = t('basemap.label');
    select.replaceChildren(...baseMaps.map((b) => el('option', { text: baseMapName(b), attrs: { value: b.id } })));
    select.value = selected;
  }
  return {
    control: new Control(),
    render,
    set(id) { selected = id; if (select) select.value = id; },
  };
}

/** Text attribution of the active third-party base map (Leaflet's own control writes HTML). */
export function createAttribution() {
  let node = null;
  const Control = L.Control.extend({
    options: { position: 'bottomright' },
    onAdd() {
      node = el('div', { className: 'leaflet-control cg-attribution', attrs: { id: 'basemap-attribution', hidden: '' } });
      return node;
    },
  });
  return {
    control: new Control(),
    set(text) {
      if (!node) return;
      node.textContent = text || '';
      node.hidden = !text;
    },
  };
}
