// 上报问题 on the wall map: press the control, click the place, fill a small form (category grouped by
// special action, description, optional photo) → POST api/problems → a link to the new problem.
import { el } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { describeError, setMessage, clearMessage, clearFieldErrors, showProblem, busy } from './forms.js';
import { createPhotoPicker } from './photos.js';
import { localName, problemHref } from './loop.js';

const L = window.L;

/** options.toWgs(latlng): the clicked display position in WGS84 (a GCJ-02 base map shifts what is drawn). */
export function createReportControl(map, options = {}) {
  const toWgs = options.toWgs || ((latlng) => latlng);
  let picking = false;
  let categories = null;
  let button = null;

  function setPicking(on) {
    picking = on;
    map.getContainer().classList.toggle('cg-picking', on);
    map.getContainer().dataset.picking = on ? 'true' : 'false';
    if (button) {
      button.setAttribute('aria-pressed', on ? 'true' : 'false');
      button.textContent = on ? t('report.cancelPick') : t('report.button');
    }
    hint.hidden = !on;
  }

  const hint = el('div', { className: 'cg-pick-hint', text: t('report.pickHint'), attrs: { role: 'status', id: 'report-hint' } });
  hint.hidden = true;

  async function loadCategories() {
    if (!categories) categories = await api.categories();
    return categories;
  }

  function categorySelect(list) {
    const select = el('select', { attrs: { id: 'report-category', name: 'categoryCode', required: '' } }, [
      el('option', { text: t('report.chooseCategory'), attrs: { value: '' } }),
    ]);
    const groups = new Map();
    for (const c of list) {
      const key = c.actionCode || '';
      if (!groups.has(key)) {
        const group = el('optgroup', { attrs: { label: localName(c, 'actionNameZh', 'actionNameEn') || key || t('report.otherAction') } });
        groups.set(key, group);
        select.append(group);
      }
      groups.get(key).append(el('option', { text: localName(c), attrs: { value: c.code } }));
    }
    return select;
  }

  function field(name, labelText, control, forId) {
    return el('div', { className: 'field', attrs: { 'data-field': name } }, [
      el('label', { text: labelText, attrs: { for: forId || control.id } }),
      control,
      el('p', { className: 'field-error', attrs: { hidden: '' } }),
    ]);
  }

  function success(receipt) {
    return el('div', { className: 'cg-report-done', attrs: { id: 'report-done', 'data-problem-id': receipt.id } }, [
      el('p', { className: 'cg-report-done-title', text: t('report.done', { id: receipt.id }) }),
      el('p', { className: 'cg-card-note', text: t('report.doneHint') }),
      el('a', { className: 'cg-card-button', text: t('report.open'), attrs: { id: 'report-link', href: problemHref(receipt.id) } }),
    ]);
  }

  // The form lives in a sheet over the map (side panel on a desk, bottom sheet on a phone), not in a
  // popup: a tall popup needs the map to pan, which the district's max bounds may not allow.
  let sheet = null;
  let pin = null;

  function closeSheet() {
    if (sheet) sheet.remove();
    sheet = null;
    if (pin) pin.remove();
    pin = null;
  }

  async function openForm(latlng) {
    closeSheet();
    const position = toWgs(latlng);
    pin = L.circleMarker(latlng, { radius: 9, weight: 3, color: '#ffffff', fillColor: '#b3261e', fillOpacity: 1, interactive: false })
      .addTo(map);
    const close = el('button', { className: 'cg-sheet-close', text: '×', attrs: { type: 'button', 'aria-label': t('common.close'), title: t('common.close') } });
    close.addEventListener('click', closeSheet);
    const container = el('div', { className: 'cg-sheet-body' });
    sheet = el('section', { className: 'cg-report-sheet', attrs: { id: 'report-sheet', role: 'dialog', 'aria-label': t('report.title') } }, [
      close, container,
    ]);
    map.getContainer().parentElement.append(sheet);
    let list;
    try {
      list = await loadCategories();
    } catch (err) {
      container.append(el('p', { className: 'cg-card-note', text: describeError(err) }));
      return;
    }
    const description = el('textarea', { attrs: { id: 'report-description', name: 'description', rows: '3', maxlength: '2000', required: '' } });
    const picker = createPhotoPicker({ id: 'report-photo', labelKey: 'photo.addBefore', max: 3 });
    const message = el('p', { className: 'message', attrs: { id: 'report-message', role: 'alert', hidden: '' } });
    const form = el('form', { className: 'form cg-report-form', attrs: { id: 'report-form', novalidate: '' } }, [
      el('h2', { className: 'cg-card-title', text: t('report.title') }),
      el('p', { className: 'cg-card-note cg-code', text: `${position.lng.toFixed(6)}, ${position.lat.toFixed(6)}` }),
      field('categoryCode', t('report.category'), categorySelect(list)),
      field('description', t('report.description'), description),
      el('div', { className: 'field', attrs: { 'data-field': 'photoIds' } }, [
        el('span', { className: 'field-label', text: t('report.photo') }),
        picker.node,
        el('p', { className: 'field-error', attrs: { hidden: '' } }),
      ]),
      message,
      el('div', { className: 'form-actions' }, [
        el('button', { className: 'btn btn-primary', text: t('report.submit'), attrs: { type: 'submit', id: 'report-submit' } }),
        el('button', { className: 'btn', text: t('common.cancel'), attrs: { type: 'button', id: 'report-cancel' } }),
      ]),
    ]);
    form.querySelector('#report-cancel').addEventListener('click', closeSheet);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      clearFieldErrors(form);
      clearMessage(message);
      const categoryCode = form.elements.namedItem('categoryCode').value;
      const text = description.value.trim();
      const errors = [];
      if (!categoryCode) errors.push({ field: 'categoryCode', message: t('form.required') });
      if (!text) errors.push({ field: 'description', message: t('form.required') });
      if (picker.pending()) errors.push({ field: 'photoIds', message: t('photo.waitUpload') });
      if (errors.length) {
        showProblem(form, message, { detail: t('form.fixFields'), errors });
        return;
      }
      busy(form, async () => {
        try {
          const receipt = await api.reportProblem({
            lon: position.lng, lat: position.lat, categoryCode, description: text, photoIds: picker.ids(),
          });
          container.replaceChildren(success(receipt));
        } catch (err) {
          showProblem(form, message, err);
        }
      }).catch((err) => setMessage(message, describeError(err), 'error'));
    });
    container.append(form);
    form.elements.namedItem('categoryCode').focus({ preventScroll: true });
  }

  const Control = L.Control.extend({
    options: { position: 'topleft' },
    onAdd() {
      const box = L.DomUtil.create('div', 'leaflet-control cg-report-control');
      button = el('button', {
        className: 'cg-report-button',
        text: t('report.button'),
        attrs: { type: 'button', id: 'report-button', 'aria-pressed': 'false' },
      });
      box.append(button, hint);
      L.DomEvent.disableClickPropagation(box);
      button.addEventListener('click', () => setPicking(!picking));
      return box;
    },
  });

  // Grids and points open their own popups and stop the click, so while picking we take the click
  // first (capture phase on the container) and keep it from reaching them.
  map.getContainer().addEventListener('click', (event) => {
    if (!picking) return;
    if (event.target.closest && event.target.closest('.leaflet-control, .leaflet-popup')) return;
    if (map.dragging && map.dragging.moved()) return; // the end of a pan, not a pick
    event.stopPropagation();
    event.preventDefault();
    setPicking(false);
    openForm(map.mouseEventToLatLng(event)).catch((err) => console.error(err));
  }, true);
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    if (picking) setPicking(false);
    else if (sheet && !sheet.querySelector('[aria-busy="true"]')) closeSheet();
  });

  const control = new Control();
  return {
    control,
    /** Re-label after a language switch. */
    render() {
      hint.textContent = t('report.pickHint');
      if (button) button.textContent = picking ? t('report.cancelPick') : t('report.button');
    },
  };
}
