// Photo picker for field work: the phone camera opens directly (capture="environment"); each picked
// file is uploaded at once, and the form later attaches the returned ids. Shows EXIF time/place if any.
import { uploadPhoto } from './api.js';
import { el } from './dom.js';
import { t } from './i18n.js';
import { describeError } from './forms.js';
import { formatDateTime } from './format.js';
import { appUrl } from './loop.js';

const MAX_BYTES = 10 * 1024 * 1024;

/** A thumbnail that opens the full photo; caption lines under it (text only). */
export function photoThumb(photo, captions = []) {
  const img = el('img', {
    className: 'photo-thumb-img',
    attrs: { src: appUrl(photo.thumbnailUrl), alt: t('photo.alt'), loading: 'lazy', decoding: 'async' },
  });
  const link = el('a', {
    className: 'photo-thumb-link',
    attrs: { href: appUrl(photo.url), target: '_blank', rel: 'noopener', title: t('photo.openFull') },
  }, [img]);
  const caps = captions.filter(Boolean).map((c) => el('span', { className: 'photo-caption', text: c }));
  return el('figure', { className: 'photo-thumb', attrs: { 'data-photo-id': photo.id } }, [
    link,
    caps.length ? el('figcaption', {}, caps) : null,
  ]);
}

/** "拍摄于 …" and "位置 lon, lat" from a PhotoInfo, when the camera recorded them. */
export function exifCaptions(info) {
  const lines = [];
  if (info && info.takenAt) lines.push(t('photo.takenAt', { time: formatDateTime(info.takenAt) }));
  else lines.push(t('photo.noExifTime'));
  if (info && info.lon != null && info.lat != null) {
    lines.push(t('photo.location', { lon: Number(info.lon).toFixed(5), lat: Number(info.lat).toFixed(5) }));
  }
  return lines;
}

/**
 * createPhotoPicker({id: 'action-photo', labelKey: 'photo.after', required: true}) → {node, ids(), reset(), pending()}
 * The wrapper's data-uploaded attribute counts uploaded photos, data-busy is "true" while uploading.
 */
export function createPhotoPicker({ id, labelKey = 'photo.add', hintKey = '', required = false, max = 6, onChange } = {}) {
  const photos = [];
  let uploading = 0;

  const input = el('input', {
    className: 'photo-input',
    attrs: { id, type: 'file', accept: 'image/*', capture: 'environment', multiple: '' },
  });
  const pickLabel = el('label', { className: 'btn photo-pick', attrs: { for: id } }, [
    el('span', { className: 'photo-pick-icon', attrs: { 'aria-hidden': 'true' } }),
    el('span', { text: t(labelKey) }),
  ]);
  const list = el('div', { className: 'photo-list' });
  const status = el('p', { className: 'photo-status', attrs: { role: 'status' } });
  status.hidden = true;
  const hint = hintKey ? el('p', { className: 'field-hint', text: t(hintKey) }) : null;
  const node = el('div', {
    className: 'photo-picker',
    attrs: { 'data-uploaded': '0', 'data-busy': 'false', 'data-required': required ? 'true' : 'false' },
  }, [el('div', { className: 'photo-picker-row' }, [pickLabel, input]), hint, list, status]);

  function refresh() {
    node.dataset.uploaded = String(photos.length);
    node.dataset.busy = uploading > 0 ? 'true' : 'false';
    if (uploading > 0) {
      status.textContent = t('photo.uploading', { n: uploading });
      status.dataset.kind = 'info';
      status.hidden = false;
    }
    if (onChange) onChange();
  }

  function showError(text) {
    status.textContent = text;
    status.dataset.kind = 'error';
    status.hidden = false;
  }

  function addPhoto(info) {
    photos.push(info);
    const remove = el('button', {
      className: 'photo-remove',
      text: '×',
      attrs: { type: 'button', 'aria-label': t('photo.remove'), title: t('photo.remove') },
    });
    const thumb = photoThumb(info, exifCaptions(info));
    thumb.append(remove);
    remove.addEventListener('click', () => {
      const i = photos.indexOf(info);
      if (i >= 0) photos.splice(i, 1);
      thumb.remove();
      refresh();
    });
    list.append(thumb);
  }

  async function uploadOne(file) {
    if (file.size > MAX_BYTES) {
      showError(t('photo.tooLarge', { name: file.name }));
      return;
    }
    uploading += 1;
    refresh();
    try {
      addPhoto(await uploadPhoto(file));
      if (uploading === 1) status.hidden = true;
    } catch (err) {
      showError(t('photo.failed', { detail: describeError(err) }));
    } finally {
      uploading -= 1;
      refresh();
    }
  }

  input.addEventListener('change', () => {
    const files = Array.from(input.files || []);
    input.value = ''; // the same photo may be picked again after removing it
    const room = Math.max(0, max - photos.length - uploading);
    if (files.length > room) showError(t('photo.tooMany', { max }));
    Promise.all(files.slice(0, room).map(uploadOne)).catch((err) => console.error(err));
  });

  return {
    node,
    input,
    ids: () => photos.map((p) => p.id),
    count: () => photos.length,
    pending: () => uploading > 0,
    reset() {
      photos.splice(0, photos.length);
      list.replaceChildren();
      status.hidden = true;
      refresh();
    },
    /** Shows photos already attached (e.g. a saved inspection item): {id, url, thumbnailUrl}. */
    preset(list0) {
      for (const p of list0) addPhoto(p);
      refresh();
    },
  };
}
