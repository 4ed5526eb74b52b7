// Agents: a searchable, sortable list, and one agent's page.

import { el, link, fields, section, num, bytes, bytesMb, time, resourcesText, searchBox, select } from '../dom.js';
import { ClusterModel } from '../model.js';
import { PagedTable } from '../table.js';
import { taskTable } from './tasks.js';

const STATES = ['active', 'disconnected', 'deactivated', 'draining', 'drained'];

export function mountList(view, params, ctx) {
  const { model } = ctx;
  const filter = { q: params.get('q') || '', state: params.get('state') || '' };
  const table = new PagedTable([
    { title: 'ID', text: (a) => link(a.id, `#/agents/${encodeURIComponent(a.id)}`), key: (a) => a.id },
    { title: 'Host', text: (a) => `${a.hostname}:${a.port}`, key: (a) => a.hostname },
    { title: 'State', text: (a) => ClusterModel.agentState(a), key: (a) => ClusterModel.agentState(a) },
    { title: 'CPUs alloc / total', text: (a) => `${num(a.allocated.cpus || 0)} / ${num(a.total.cpus || 0)}`,
      key: (a) => (a.allocated.cpus || 0) / (a.total.cpus || 1) },
    { title: 'Mem alloc / total', text: (a) => `${bytesMb(a.allocated.mem || 0)} / ${bytesMb(a.total.mem || 0)}`,
      key: (a) => (a.allocated.mem || 0) / (a.total.mem || 1) },
    { title: 'Tasks', text: (a) => num(model.tasksByAgent.get(a.id)?.size || 0),
      key: (a) => model.tasksByAgent.get(a.id)?.size || 0 },
  ], { id: 'agents', onRowClick: (a) => ctx.navigate(`#/agents/${encodeURIComponent(a.id)}`), sortBy: 1 });
  const controls = el('div', null, 'controls');
  controls.append(
    searchBox('search id, host, attribute', filter.q, (v) => { filter.q = v; refresh(); }),
    select('Agent state', [['', 'all states'], ...STATES.map((s) => [s, s])], filter.state,
      (v) => { filter.state = v; refresh(); }),
  );
  view.append(section('Agents', controls, table.root));
  let seen = -1;
  function refresh() {
    const q = filter.q.toLowerCase();
    const rows = [];
    for (const a of model.agents.values()) {
      if (filter.state && ClusterModel.agentState(a) !== filter.state) continue;
      if (q && !`${a.id} ${a.hostname} ${attributesText(a.attributes)}`.toLowerCase().includes(q)) continue;
      rows.push(a);
    }
    table.setRows(rows);
    seen = model.version;
  }
  return { update: () => { if (seen !== model.version) refresh(); }, unmount() {} };
}

export function mountPage(view, params, ctx, id) {
  const { model } = ctx;
  const head = el('div');
  const usage = el('div');
  usage.id = 'agent-usage';
  const tasks = taskTable(ctx, { id: 'agent-tasks', hideAgent: true });
  view.append(section(`Agent ${id}`, head), section('Live usage (from the agent)', usage),
    section('Tasks on this agent', tasks.root));
  const stopUsage = followUsage(id, usage);
  function update() {
    const a = model.agents.get(id);
    if (!a) {
      head.replaceChildren(el('p', 'This agent is not registered (removed, or not yet re-registered).', 'muted'));
    } else {
      head.replaceChildren(fields([
        ['host', `${a.hostname}:${a.port}`],
        ['state', ClusterModel.agentState(a)],
        ['deactivated', a.deactivated ? 'yes (no new offers)' : 'no'],
        ['draining', a.drain ? `${a.drain.state}${a.drain.config?.mark_gone ? ' (mark gone)' : ''}` : 'no'],
        ['version', a.version || ''],
        ['registered', time(a.registered)],
        ['total', resourcesText(a.total)],
        ['allocated', resourcesText(a.allocated)],
        ['idle', resourcesText(idle(a))],
        ['reservations', reservationsText(a.totalList)],
        ['attributes', attributesText(a.attributes) || 'none'],
      ]));
    }
    tasks.setRows(model.tasksOf(model.tasksByAgent, id));
  }
  return { update, unmount: stopUsage };
}

const USAGE_EVERY_MS = 5000;

/**
 * The agent's /monitor/statistics through the master, every few seconds: CPU use is the growth
 * of the tasks' CPU seconds between two readings; memory is their resident set now.
 */
function followUsage(id, box) {
  let previous = null;
  let timer = null;
  let stopped = false;
  async function read() {
    try {
      const r = await fetch(`/master/agent-usage?agent_id=${encodeURIComponent(id)}`, { cache: 'no-store' });
      if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
      const list = await r.json();
      let cpuSeconds = 0;
      let rss = 0;
      let measured = 0;
      for (const e of list) {
        const s = e.statistics || {};
        if (s.cpus_user_time_secs === undefined && s.mem_rss_bytes === undefined) continue;
        measured++;
        cpuSeconds += (s.cpus_user_time_secs || 0) + (s.cpus_system_time_secs || 0);
        rss += s.mem_rss_bytes || 0;
      }
      const now = Date.now() / 1000;
      const cpus = previous && measured ? Math.max(0, (cpuSeconds - previous.cpuSeconds) / (now - previous.t)) : null;
      previous = { t: now, cpuSeconds };
      box.replaceChildren(fields([
        ['running tasks reported', `${list.length} (${measured} with cgroup figures)`],
        ['CPUs in use', measured === 0 ? 'not measured (no cgroups)' : cpus === null ? 'measuring…' : cpus.toFixed(2)],
        ['memory in use (RSS)', measured === 0 ? 'not measured (no cgroups)' : bytes(rss)],
      ]));
    } catch (err) {
      box.replaceChildren(el('p', `usage unavailable: ${err.message}`, 'muted'));
    }
    if (!stopped) timer = setTimeout(read, USAGE_EVERY_MS);
  }
  read();
  return () => { stopped = true; clearTimeout(timer); };
}

function idle(a) {
  const out = {};
  for (const [k, v] of Object.entries(a.total)) out[k] = Math.max(0, v - (a.allocated[k] || 0));
  return out;
}

function reservationsText(list) {
  const parts = [];
  for (const r of list || []) {
    const role = r.reservations?.length ? r.reservations[r.reservations.length - 1].role : r.role;
    if (role && role !== '*') parts.push(`${r.name} ${r.scalar ? num(r.scalar.value) : ''} for ${role}`);
  }
  return parts.length ? parts.join(', ') : 'none';
}

export function attributesText(attrs) {
  return (attrs || []).map((a) => {
    const v = a.text ? a.text.value : a.scalar ? a.scalar.value
      : a.ranges ? (a.ranges.range || []).map((r) => `${r.begin}-${r.end}`).join(',')
        : a.set ? (a.set.item || []).join(',') : '';
    return `${a.name}:${v}`;
  }).join(' ');
}
