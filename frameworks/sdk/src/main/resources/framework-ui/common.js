// Shared by the pages of Terrace's frameworks (jobs, services): small DOM helpers and the
// master's stylesheet, so the pages look like the master's UI. Everything from an API goes in as
// text, never as HTML.
export const $ = (id) => document.getElementById(id);

export const time = (ms) => (ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');

export function cell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  if (cls) td.className = cls;
  tr.appendChild(td);
  return td;
}

export function fill(tbody, rows, empty, cols) {
  tbody.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell(tr, empty, 'empty');
    td.colSpan = cols;
    tbody.appendChild(tr);
  }
  rows.forEach((r) => tbody.appendChild(r));
}

export async function getJson(path) {
  const resp = await fetch(path);
  if (!resp.ok) throw new Error(`${path}: ${resp.status}`);
  return resp.json();
}

/** Shows who leads and links the master's stylesheet once the master is known. */
export async function header() {
  const info = await getJson('/v1/info');
  $('leader').textContent = `leader ${info.leader}` + (info.framework_id ? ` · framework ${info.framework_id}` : '');
  if (info.master_url && !document.getElementById('master-style')) {
    const link = document.createElement('link');
    link.id = 'master-style';
    link.rel = 'stylesheet';
    link.href = `${info.master_url}/ui/style.css`;
    document.head.prepend(link);
  }
  return info;
}

/** Runs refresh now and every 2 s, showing its errors in the header. */
export function poll(refresh) {
  const run = async () => {
    try {
      await refresh();
      $('status').textContent = '';
      $('status').className = 'status';
    } catch (e) {
      $('status').textContent = e.message;
      $('status').className = 'status error';
    }
  };
  run();
  setInterval(run, 2000);
}

export function dl(target, fields) {
  target.replaceChildren();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === '' || v === null) continue;
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = String(v);
    target.append(dt, dd);
  }
}
