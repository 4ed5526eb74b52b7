// Terrace web UI, first version: polls the master's JSON endpoints every REFRESH_MS and redraws.
// Everything that comes from the cluster is inserted with textContent (never innerHTML), because
// task names, ids, labels and log lines are chosen by frameworks and may contain markup.

const REFRESH_MS = 2000;
/** How much of the end of a task's stdout to show when its panel opens. */
const TAIL_BYTES = 16 * 1024;
/** The log view keeps at most this many characters, so a chatty task cannot grow the page. */
const MAX_LOG_CHARS = 64 * 1024;

const $ = (id) => document.getElementById(id);

/** An element with text (and optionally a class); the only way this file creates content. */
function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (className) e.className = className;
  return e;
}

function num(v, digits = 1) {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : '0';
}

async function getJson(url) {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
  return r.json();
}

// What the operator has selected; survives redraws.
const selection = { kind: null, id: null, log: null };
let lastState = null;
let lastMetrics = {};

function fillTable(id, rows, columns, onClick) {
  const body = $(id).tBodies[0];
  const fresh = document.createElement('tbody');
  if (rows.length === 0) {
    const tr = fresh.insertRow();
    const td = el('td', 'none', 'empty');
    td.colSpan = columns.length;
    tr.appendChild(td);
  }
  for (const row of rows) {
    const tr = fresh.insertRow();
    for (const col of columns) {
      const [text, cls] = col(row);
      tr.appendChild(el('td', text, cls));
    }
    if (onClick) tr.addEventListener('click', () => onClick(row));
  }
  body.replaceWith(fresh);
}

function renderSummary(state, metrics) {
  const leader = state.leader_info || {};
  const addr = leader.address || {};
  $('leader').textContent = `leader ${addr.hostname || leader.hostname || '?'}:${leader.port || '?'}`
    + ` · version ${state.version || '?'}` + (state.cluster ? ` · cluster ${state.cluster}` : '');
  const cards = [
    ['agents', (state.slaves || []).length],
    ['frameworks', (state.frameworks || []).length],
    ['CPUs used / total', `${num(metrics['master/cpus_used'])} / ${num(metrics['master/cpus_total'])}`],
    ['mem used / total (MB)', `${num(metrics['master/mem_used'], 0)} / ${num(metrics['master/mem_total'], 0)}`],
  ];
  // Tasks by state, straight from the Mesos metric names (master/tasks_running, ...).
  for (const [k, v] of Object.entries(metrics).sort()) {
    const m = /^master\/tasks_([a-z_]+)$/.exec(k);
    if (m && v > 0) cards.push([`tasks ${m[1]}`, v]);
  }
  const box = $('summary');
  box.replaceChildren(...cards.map(([k, v]) => {
    const c = el('div', null, 'card');
    c.append(el('div', v, 'v'), el('div', k, 'k'));
    return c;
  }));
}

function allTasks(state) {
  const out = [];
  for (const fw of state.frameworks || []) {
    for (const t of fw.tasks || []) out.push({ ...t, framework_name: fw.name });
    for (const t of fw.completed_tasks || []) out.push({ ...t, framework_name: fw.name });
  }
  return out;
}

function render(state, metrics) {
  lastState = state;
  lastMetrics = metrics;
  renderSummary(state, metrics);
  const hosts = new Map((state.slaves || []).map((s) => [s.id, `${s.hostname}:${s.port}`]));
  fillTable('agents', state.slaves || [], [
    (s) => [s.id], (s) => [`${s.hostname}:${s.port}`], (s) => [s.active ? 'yes' : 'no'],
    (s) => [`${num((s.used_resources || {}).cpus)} / ${num((s.resources || {}).cpus)}`],
    (s) => [`${num((s.used_resources || {}).mem, 0)} / ${num((s.resources || {}).mem, 0)}`],
  ], (s) => select('agent', s.id));
  fillTable('frameworks', state.frameworks || [], [
    (f) => [f.name], (f) => [f.id], (f) => [(f.roles || [f.role]).join(', ')],
    (f) => [f.active ? 'yes' : 'no'], (f) => [(f.tasks || []).length],
    (f) => [num((f.used_resources || {}).cpus)], (f) => [num((f.used_resources || {}).mem, 0)],
  ], (f) => select('framework', f.id));
  const tasks = allTasks(state);
  const filter = $('state-filter');
  const states = [...new Set(tasks.map((t) => t.state))].sort();
  for (const s of states) {
    if (![...filter.options].some((o) => o.value === s)) filter.appendChild(new Option(s, s));
  }
  fillTable('tasks', tasks.filter((t) => !filter.value || t.state === filter.value), [
    (t) => [t.id], (t) => [t.name], (t) => [t.state, `state-${t.state}`], (t) => [t.framework_name],
    (t) => [hosts.get(t.slave_id) || t.slave_id],
    (t) => [num((t.resources || {}).cpus)], (t) => [num((t.resources || {}).mem, 0)],
  ], (t) => select('task', t.id));
  renderDetail();
}

function select(kind, id) {
  // The selection lives in the URL hash, so a panel can be linked to (and reloaded).
  history.replaceState(null, '', `#${kind}=${encodeURIComponent(id)}`);
  selection.kind = kind;
  selection.id = id;
  selection.log = null;
  $('detail-extra').textContent = '';
  renderDetail();
  refreshDetailExtra();
}

function fields(pairs) {
  $('detail-fields').replaceChildren(...pairs.flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
}

function renderDetail() {
  const panel = $('detail');
  if (!selection.kind || !lastState) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const s = lastState;
  if (selection.kind === 'agent') {
    const a = (s.slaves || []).find((x) => x.id === selection.id);
    $('detail-title').textContent = `Agent ${selection.id}`;
    $('detail-extra-title').textContent = 'Attributes';
    if (!a) return fields([['state', 'gone']]);
    fields([['host', `${a.hostname}:${a.port}`], ['active', a.active], ['version', a.version],
      ['resources', JSON.stringify(a.resources)], ['used', JSON.stringify(a.used_resources)],
      ['offered', JSON.stringify(a.offered_resources)]]);
    $('detail-extra').textContent = JSON.stringify(a.attributes || {}, null, 2);
  } else if (selection.kind === 'framework') {
    const f = (s.frameworks || []).find((x) => x.id === selection.id);
    $('detail-title').textContent = `Framework ${f ? f.name : ''} (${selection.id})`;
    $('detail-extra-title').textContent = 'Allocator explanation (why offers / no offers)';
    if (!f) return fields([['state', 'completed or gone']]);
    fields([['user', f.user], ['principal', f.principal || ''], ['web UI', f.webui_url || ''],
      ['roles', (f.roles || []).join(', ')],
      ['active', f.active], ['tasks', (f.tasks || []).length],
      ['used', JSON.stringify(f.used_resources || {})], ['offered', JSON.stringify(f.offered_resources || {})]]);
  } else if (selection.kind === 'task') {
    const t = allTasks(s).find((x) => x.id === selection.id);
    $('detail-title').textContent = `Task ${selection.id}`;
    $('detail-extra-title').textContent = 'stdout (tail, follows)';
    if (!t) return fields([['state', 'gone']]);
    const agent = (s.slaves || []).find((a) => a.id === t.slave_id);
    const history = (t.statuses || []).map((st) => `${st.state}`
      + `${st.message ? ` (${st.message})` : ''} @ ${new Date(st.timestamp * 1000).toISOString()}`);
    fields([['name', t.name], ['state', t.state], ['framework', `${t.framework_name} (${t.framework_id})`],
      ['agent', agent ? `${agent.hostname}:${agent.port} (${t.slave_id})` : t.slave_id],
      ['resources', JSON.stringify(t.resources || {})], ['status history', history.join(' → ')]]);
  }
}

/** The part of the panel that needs another request: the explanation or the log tail. */
async function refreshDetailExtra() {
  const { kind, id } = selection;
  try {
    if (kind === 'framework') {
      const e = await getJson(`/master/allocation/explain?framework_id=${encodeURIComponent(id)}`);
      if (selection.id === id) $('detail-extra').textContent = JSON.stringify(e, null, 2);
    } else if (kind === 'task') {
      await followLog(id);
    }
  } catch (err) {
    if (selection.id === id) $('detail-extra').textContent = `(unavailable: ${err.message})`;
  }
}

async function followLog(id) {
  const base = `/master/task-log?task_id=${encodeURIComponent(id)}&file=stdout`;
  if (selection.log === null) {
    // offset=-1 answers the file's size only: start the view TAIL_BYTES before the end.
    const size = (await getJson(`${base}&offset=-1`)).offset;
    if (selection.id !== id) return;
    selection.log = { offset: Math.max(0, size - TAIL_BYTES), text: '' };
  }
  const log = selection.log;
  const r = await getJson(`${base}&offset=${log.offset}`);
  if (selection.id !== id || selection.log !== log) return;
  log.offset = r.offset + r.data.length;
  log.text = (log.text + r.data).slice(-MAX_LOG_CHARS);
  const pre = $('detail-extra');
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  pre.textContent = log.text || '(empty)';
  if (atBottom) pre.scrollTop = pre.scrollHeight;
}

// One refresh at a time: the next is scheduled after this one ends, so a slow master is not
// asked again before it answered.
async function refresh() {
  try {
    const [state, metrics] = await Promise.all([getJson('/master/state'), getJson('/metrics/snapshot')]);
    render(state, metrics);
    await refreshDetailExtra();
    $('status').textContent = `updated ${new Date().toLocaleTimeString()}`;
    $('status').className = 'status';
  } catch (err) {
    $('status').textContent = `reconnecting… (${err.message})`;
    $('status').className = 'status error';
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

$('detail-close').addEventListener('click', () => {
  selection.kind = null;
  history.replaceState(null, '', location.pathname);
  renderDetail();
});
const linked = /^#(agent|framework|task)=(.+)$/.exec(location.hash);
if (linked) {
  selection.kind = linked[1];
  selection.id = decodeURIComponent(linked[2]);
}
// Redraw from the data at hand: calling refresh() here would start a second polling loop.
$('state-filter').addEventListener('change', () => lastState && render(lastState, lastMetrics));
refresh();
