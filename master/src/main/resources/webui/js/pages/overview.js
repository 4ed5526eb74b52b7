// Overview: cluster resources (total / allocated / offered / idle, and over time), tasks by
// state, agents by state, leader, version, uptime.

import { el, link, fields, section, num, bytesMb, duration, time } from '../dom.js';
import { ClusterModel } from '../model.js';
import { resourceChart } from '../chart.js';

const RESOURCES = ['cpus', 'mem', 'disk', 'gpus'];

export function mount(view, params, ctx) {
  const { model, figures, connection } = ctx;
  const master = el('div');
  const resources = el('div');
  const tasks = el('div', null, 'cards');
  tasks.id = 'task-counts';
  const agents = el('div', null, 'cards');
  agents.id = 'agent-counts';
  const charts = [resourceChart('CPUs', 'cpus', figures), resourceChart('Memory (MB)', 'mem', figures)];
  const chartBox = el('div', null, 'charts');
  chartBox.append(...charts.map((c) => c.element));
  view.append(
    section('Cluster', master),
    section('Resources', resources, chartBox),
    section('Tasks by state', tasks),
    section('Agents by state', agents),
  );
  const stopSampling = figures.onSample(() => {
    charts.forEach((c) => c.update());
    drawResources();
  });

  function drawResources() {
    const table = el('table');
    table.id = 'resources';
    const head = table.createTHead().insertRow();
    for (const h of ['', 'total', 'allocated', 'offered', 'idle']) head.appendChild(el('th', h));
    const body = table.createTBody();
    for (const name of RESOURCES) {
      const f = figures.now(name);
      if (name === 'gpus' && f.total === 0) continue;
      const fmt = name === 'mem' || name === 'disk' ? bytesMb : (v) => num(v);
      const tr = body.insertRow();
      tr.append(el('th', name), el('td', fmt(f.total)), el('td', fmt(f.allocated)),
        el('td', fmt(f.offered)), el('td', fmt(f.idle)));
    }
    resources.replaceChildren(table);
  }

  function update() {
    const m = connection.master;
    master.replaceChildren(fields([
      ['leader', m ? m.address : '?'],
      ['version', m ? m.version : '?'],
      ['uptime', m && m.startTime ? duration(Date.now() / 1000 - m.startTime) : '?'],
      ['elected', m && m.electedTime ? time(m.electedTime) : '?'],
      ['agents', num(model.agents.size)],
      ['frameworks', num([...model.frameworks.values()].filter((f) => !f.completed).length)],
    ]));
    drawResources();
    const byState = new Map();
    for (const t of model.tasks.values()) byState.set(t.state, (byState.get(t.state) || 0) + 1);
    tasks.replaceChildren(...[...byState.entries()].sort().map(([s, n]) =>
      card(n, s.replace(/^TASK_/, '').toLowerCase(), `#/tasks?state=${s}`, `state-${s}`)));
    if (byState.size === 0) tasks.appendChild(el('div', 'no tasks', 'muted'));
    const agentStates = new Map();
    for (const a of model.agents.values()) {
      const s = ClusterModel.agentState(a);
      agentStates.set(s, (agentStates.get(s) || 0) + 1);
    }
    agents.replaceChildren(...[...agentStates.entries()].sort().map(([s, n]) =>
      card(n, s, `#/agents?state=${s}`)));
    if (agentStates.size === 0) agents.appendChild(el('div', 'no agents', 'muted'));
  }

  // Until the SUBSCRIBED snapshot is in (seconds at 100,000 tasks), paint what the small
  // /metrics/snapshot already says: tasks and agents by state, resources total and used.
  if (model.version === 0) {
    earlyPaint(tasks, agents, resources, () => model.version > 0);
  }

  return { update, unmount: () => { stopSampling(); charts.forEach((c) => c.destroy()); } };
}

async function earlyPaint(tasks, agents, resources, superseded) {
  let m;
  try {
    const r = await fetch('/metrics/snapshot', { cache: 'no-store' });
    if (!r.ok) return;
    m = await r.json();
  } catch (err) {
    return;
  }
  if (superseded()) return;
  const byState = Object.entries(m).filter(([k, v]) => /^master\/tasks_[a-z_]+$/.test(k) && v > 0)
    .sort().map(([k, v]) => card(v, k.slice('master/tasks_'.length), `#/tasks?state=TASK_${k.slice('master/tasks_'.length).toUpperCase()}`));
  tasks.replaceChildren(...byState, el('div', 'loading the live state…', 'muted'));
  const agentCards = [['active', m['master/slaves_active']], ['disconnected', m['master/slaves_disconnected']],
    ['unreachable', m['master/slaves_unreachable']]].filter(([, v]) => v > 0).map(([k, v]) => card(v, k, `#/agents?state=${k}`));
  agents.replaceChildren(...agentCards);
  const table = el('table');
  table.id = 'resources';
  const head = table.createTHead().insertRow();
  for (const h of ['', 'total', 'allocated']) head.appendChild(el('th', h));
  const body = table.createTBody();
  for (const name of ['cpus', 'mem', 'disk']) {
    const fmt = name === 'cpus' ? (v) => num(v) : bytesMb;
    const tr = body.insertRow();
    tr.append(el('th', name), el('td', fmt(m[`master/${name}_total`] || 0)), el('td', fmt(m[`master/${name}_used`] || 0)));
  }
  resources.replaceChildren(table);
  requestAnimationFrame(() => performance.mark('terrace:early:overview'));
}

function card(value, label, hash, cls) {
  const c = link('', hash, 'card');
  c.append(el('div', num(value), `v ${cls || ''}`), el('div', label, 'k'));
  return c;
}
