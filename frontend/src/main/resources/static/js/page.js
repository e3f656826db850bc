// Start-up shared by the worklist, problem and inspection pages: language, app bar, signed-in user.
import { initI18n, applyStatic, onLangChange, bindLangToggle } from './i18n.js';
import { api } from './api.js';
import { initAppBar, showDistrict } from './appbar.js';
import { describeError, setMessage } from './forms.js';

/**
 * Loads the dictionary and the signed-in user (api/map/config), fills the app bar, and calls
 * render() again whenever the language changes. Returns the map config ({user, district, …}).
 */
export async function bootPage({ render } = {}) {
  await initI18n();
  applyStatic();
  let config = null;
  onLangChange(() => {
    applyStatic();
    if (config && config.user) initAppBar(config.user);
    if (render) render();
  });
  bindLangToggle();
  config = await api.mapConfig();
  if (config && config.user) initAppBar(config.user);
  showDistrict(config);
  return config;
}

/** Marks the page failed with a readable message (page-message element, data-state=error on main). */
export function pageFailed(main, err) {
  console.error(err);
  main.dataset.state = 'error';
  setMessage(document.getElementById('page-message'), describeError(err), 'error');
}
