// DOM and formatting helpers. Everything that comes from the cluster is inserted as text
// (textContent, never innerHTML): task names, labels and log lines are chosen by frameworks and
// may contain markup.

/** An element with optional text and class; children may be appended by the caller. */
export function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (className) e.className = className;
  return e;
}

/** A link to a page of this UI (hash route). */
export function link(text, hash, className) {
  const a = el('a', text, className);
  a.href = hash;
  return a;
}

/** `<dl>` of [label, value] pairs; a value may be a Node or text. */
export function fields(pairs) {
  const dl = el('dl');
  for (const [k, v] of pairs) {
    const dd = el('dd');
    if (v instanceof Node) dd.appendChild(v); else dd.textContent = v === undefined || v === null ? '' : String(v);
    dl.append(el('dt', k), dd);
  }
  return dl;
}

export function section(title, ...children) {
  const s = el('section', null, 'panel');
  s.appendChild(el('h2', title));
  s.append(...children);
  return s;
}

export function num(v, digits = 1) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '0';
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(digits);
}

export function bytesMb(mb) {
  if (typeof mb !== 'number') return '0 MB';
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}

export function bytes(n) {
  if (typeof n !== 'number') return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Mesos TimeInfo ({nanoseconds}) or seconds since the epoch as a readable UTC time. */
export function time(v) {
  let ms = null;
  if (v && typeof v === 'object' && v.nanoseconds !== undefined) ms = Number(v.nanoseconds) / 1e6;
  else if (typeof v === 'number') ms = v * 1000;
  return ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}

/** Resources as "cpus 2 · mem 1.0 GB · disk 10 GB · ports [31000-31010]". */
export function resourcesText(sums) {
  const parts = [];
  for (const [k, v] of Object.entries(sums || {})) {
    if (k === 'mem' || k === 'disk') parts.push(`${k} ${bytesMb(v)}`);
    else if (typeof v === 'number') parts.push(`${k} ${num(v)}`);
    else parts.push(`${k} ${v}`);
  }
  return parts.length ? parts.join(' · ') : 'none';
}

/** A search box bound to a value; calls onInput after the user pauses typing. */
export function searchBox(placeholder, value, onInput) {
  const i = el('input');
  i.type = 'search';
  i.placeholder = placeholder;
  i.value = value || '';
  let timer = null;
  i.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => onInput(i.value), 150);
  });
  return i;
}

export function select(label, options, value, onChange) {
  const s = el('select');
  s.setAttribute('aria-label', label);
  for (const [v, text] of options) s.appendChild(new Option(text, v));
  s.value = value || '';
  s.addEventListener('change', () => onChange(s.value));
  return s;
}
