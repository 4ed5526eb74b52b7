// Tasks: a list filtered by state, framework, agent and name; one task's page.

import { el, link, fields, section, num, bytesMb, time, resourcesText, searchBox, select } from '../dom.js';
import { PagedTable } from '../table.js';

export function taskHash(t) {
  return `#/tasks/${encodeURIComponent(t.frameworkId)}/${encodeURIComponent(t.id)}`;
}

/** The task table used by the tasks list and by the agent and framework pages. */
export function taskTable(ctx, { id, hideAgent, hideFramework } = {}) {
  const { model } = ctx;
  const cols = [
    { title: 'ID', text: (t) => link(t.id, taskHash(t)), key: (t) => t.id },
    { title: 'Name', text: (t) => t.name, key: (t) => t.name || '' },
    { title: 'State', text: (t) => t.state, key: (t) => t.state, cls: (t) => `state-${t.state}` },
  ];
  if (!hideFramework) {
    cols.push({ title: 'Framework', key: (t) => frameworkName(model, t.frameworkId),
      text: (t) => link(frameworkName(model, t.frameworkId), `#/frameworks/${encodeURIComponent(t.frameworkId)}`) });
  }
  if (!hideAgent) {
    cols.push({ title: 'Agent', key: (t) => agentName(model, t.agentId),
      text: (t) => link(agentName(model, t.agentId), `#/agents/${encodeURIComponent(t.agentId)}`) });
  }
  cols.push(
    { title: 'CPUs', text: (t) => num(t.resources.cpus || 0), key: (t) => t.resources.cpus || 0 },
    { title: 'Mem', text: (t) => bytesMb(t.resources.mem || 0), key: (t) => t.resources.mem || 0 },
    { title: 'Updated', text: (t) => time(lastStatus(t)?.timestamp), key: (t) => lastStatus(t)?.timestamp || 0 },
  );
  return new PagedTable(cols, { id, onRowClick: (t) => ctx.navigate(taskHash(t)) });
}

export function mountList(view, params, ctx) {
  const { model } = ctx;
  const filter = {
    state: params.get('state') || '', framework: params.get('framework') || '',
    agent: params.get('agent') || '', q: params.get('q') || '',
  };
  const table = taskTable(ctx, { id: 'tasks' });
  const controls = el('div', null, 'controls');
  const stateSelect = el('span');
  const fwSelect = el('span');
  controls.append(
    searchBox('name or id', filter.q, (v) => { filter.q = v; refresh(); }),
    stateSelect, fwSelect,
    searchBox('agent id or host', filter.agent, (v) => { filter.agent = v; refresh(); }),
  );
  view.append(section('Tasks', controls, table.root));
  let seen = -1;
  let choices = '';
  function refresh() {
    const q = filter.q.toLowerCase();
    const agentQ = filter.agent.toLowerCase();
    const rows = [];
    const states = new Set();
    for (const t of model.tasks.values()) {
      states.add(t.state);
      if (filter.state && t.state !== filter.state) continue;
      if (filter.framework && t.frameworkId !== filter.framework) continue;
      if (q && !(t.id.toLowerCase().includes(q) || (t.name || '').toLowerCase().includes(q))) continue;
      if (agentQ && !`${t.agentId} ${agentName(model, t.agentId)}`.toLowerCase().includes(agentQ)) continue;
      rows.push(t);
    }
    if (filter.state) states.add(filter.state);
    // The selects are rebuilt only when their choices change, so an open select is not reset.
    const fws = [...model.frameworks.values()];
    const next = `${[...states].sort().join()}|${fws.map((f) => f.id).join()}`;
    if (next !== choices) {
      choices = next;
      stateSelect.replaceChildren(select('Task state', [['', 'all states'], ...[...states].sort().map((s) => [s, s])],
        filter.state, (v) => { filter.state = v; refresh(); }));
      fwSelect.replaceChildren(select('Framework', [['', 'all frameworks'], ...fws.map((f) => [f.id, f.name || f.id])],
        filter.framework, (v) => { filter.framework = v; refresh(); }));
    }
    table.setRows(rows);
    seen = model.version;
  }
  // Until the SUBSCRIBED snapshot is in, show the newest tasks from the paginated /master/tasks.
  const note = el('div', 'the newest 100 tasks; filters and sorting cover every task once the live state is loaded…', 'muted');
  if (model.version === 0) {
    controls.after(note);
    earlyPaint(table, note, () => model.version > 0);
  }
  return { update: () => { if (seen !== model.version) { note.remove(); refresh(); } }, unmount() {} };
}

async function earlyPaint(table, note, superseded) {
  let body;
  try {
    const r = await fetch('/master/tasks?limit=100&order=des', { cache: 'no-store' });
    if (!r.ok) return;
    body = await r.json();
  } catch (err) {
    return;
  }
  if (superseded()) return;
  // /master/tasks speaks Mesos' v0 shapes: resources are already sums, slave_id names the agent.
  table.setRows((body.tasks || []).map((t) => ({
    key: `${t.framework_id}\u0000${t.id}`, id: t.id, name: t.name, frameworkId: t.framework_id,
    agentId: t.slave_id, state: t.state, resources: t.resources || {}, resourcesList: [],
    statuses: t.statuses || [],
  })));
  requestAnimationFrame(() => performance.mark('terrace:early:tasks'));
}

export function mountPage(view, params, ctx, frameworkId, taskId) {
  const { model } = ctx;
  const key = `${frameworkId}\u0000${taskId}`;
  const head = el('div');
  const history = el('div');
  view.append(section(`Task ${taskId}`, head), section('Status history', history));
  function update() {
    const t = model.tasks.get(key);
    if (!t) {
      head.replaceChildren(el('p', 'This task is not known to the master (or no longer kept).', 'muted'));
      history.replaceChildren();
      return;
    }
    const latest = lastStatus(t);
    const sandbox = link('browse sandbox', `#/sandbox/${encodeURIComponent(frameworkId)}/${encodeURIComponent(taskId)}`);
    sandbox.id = 'sandbox-link';
    head.replaceChildren(fields([
      ['name', t.name],
      ['state', t.state],
      ['framework', link(frameworkName(model, frameworkId), `#/frameworks/${encodeURIComponent(frameworkId)}`)],
      ['agent', link(agentName(model, t.agentId), `#/agents/${encodeURIComponent(t.agentId)}`)],
      ['resources', resourcesText(t.resources)],
      ['ports', portsText(t.resourcesList)],
      ['IP addresses', ipsText(t.statuses)],
      ['container', containerText(t.container)],
      ['health', latest && latest.healthy !== undefined && latest.healthy !== null
        ? (latest.healthy ? 'healthy' : 'unhealthy') : 'no health check'],
      ['web UI', webUiLink(t)],
      ['labels', (t.labels?.labels || []).map((l) => `${l.key}=${l.value ?? ''}`).join(' ') || 'none'],
      ['sandbox', sandbox],
    ]));
    const table = el('table');
    table.id = 'status-history';
    const hr = table.createTHead().insertRow();
    for (const h of ['time', 'state', 'reason', 'message', 'source', 'healthy']) hr.appendChild(el('th', h));
    const body = table.createTBody();
    for (const s of t.statuses) {
      const tr = body.insertRow();
      tr.append(el('td', time(s.timestamp)), el('td', s.state, `state-${s.state}`), el('td', s.reason || ''),
        el('td', s.message || ''), el('td', (s.source || '').replace(/^SOURCE_/, '').toLowerCase()),
        el('td', s.healthy === undefined || s.healthy === null ? '' : String(s.healthy)));
    }
    history.replaceChildren(table);
  }
  return { update, unmount() {} };
}

export function lastStatus(t) {
  return t.statuses.length ? t.statuses[t.statuses.length - 1] : null;
}

export function frameworkName(model, id) {
  const f = model.frameworks.get(id);
  return f ? f.name || id : id;
}

export function agentName(model, id) {
  const a = model.agents.get(id);
  return a ? `${a.hostname}:${a.port}` : id;
}

/**
 * A running task's own web UI, from its `terrace.ui.link` label (a notebook server, say): an
 * http(s) URL only, opened in a new tab without this page as its opener.
 */
function webUiLink(t) {
  const url = (t.labels?.labels || []).find((l) => l.key === 'terrace.ui.link')?.value;
  if (!url || !/^https?:\/\//.test(url)) return 'none';
  if (t.state !== 'TASK_RUNNING') return `${url} (when running)`;
  const a = link(url, url);
  a.id = 'task-ui-link';
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

function portsText(list) {
  const out = [];
  for (const r of list || []) {
    if (r.name === 'ports' && r.ranges) {
      for (const g of r.ranges.range || []) out.push(g.begin === g.end ? `${g.begin}` : `${g.begin}-${g.end}`);
    }
  }
  return out.length ? out.join(', ') : 'none';
}

function ipsText(statuses) {
  for (let i = statuses.length - 1; i >= 0; i--) {
    const nets = statuses[i].container_status?.network_infos || [];
    const ips = nets.flatMap((n) => (n.ip_addresses || []).map((a) => `${a.ip_address}${n.name ? ` (${n.name})` : ''}`));
    if (ips.length) return ips.join(', ');
  }
  return 'none reported';
}

function containerText(c) {
  if (!c) return 'command on the agent\'s host (no container info)';
  const image = c.mesos?.image?.docker?.name || c.docker?.image;
  return `${c.type || 'MESOS'}${image ? `, image ${image}` : ', no image'}`;
}
