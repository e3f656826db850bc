// Tiny DOM builder. Text always goes in as text nodes, never as HTML, so data
// from the API (names, addresses…) can never inject markup.

/**
 * el('div', {className: 'x', text: 'hi', attrs: {role: 'note'}}, [child, 'text'])
 * Children may be Nodes, strings (become text nodes), or null/undefined (skipped).
 */
export function el(tag, opts = {}, children = []) {
  const node = document.createElement(tag);
  if (opts.className) node.className = opts.className;
  if (opts.text != null) node.textContent = String(opts.text);
  if (opts.attrs) {
    for (const [name, value] of Object.entries(opts.attrs)) {
      if (value != null) node.setAttribute(name, String(value));
    }
  }
  for (const child of children) {
    if (child == null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
}

/** Accept only plain hex colours from the API; anything else falls back (no CSS injection). */
export function safeColor(value, fallback = '#6b7280') {
  return typeof value === 'string' && /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(value)
    ? value
    : fallback;
}

export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
