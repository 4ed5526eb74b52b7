// Frameworks: list, and one framework's page with the allocator's answer to "why no offers?".

import { el, link, fields, section, num, bytesMb, time, resourcesText, searchBox } from '../dom.js';
import { PagedTable } from '../table.js';
import { taskTable } from './tasks.js';

const EXPLAIN_EVERY_MS = 5000;

export function mountList(view, params, ctx) {
  const { model } = ctx;
  let q = params.get('q') || '';
  const table = new PagedTable([
    { title: 'Name', text: (f) => link(f.name || f.id, `#/frameworks/${encodeURIComponent(f.id)}`), key: (f) => f.name || '' },
    { title: 'ID', text: (f) => f.id, key: (f) => f.id },
    { title: 'Roles', text: (f) => f.roles.join(', '), key: (f) => f.roles.join() },
    { title: 'State', text: (f) => frameworkState(f), key: (f) => frameworkState(f) },
    { title: 'Tasks', text: (f) => num(activeTasks(model, f.id)), key: (f) => activeTasks(model, f.id) },
    { title: 'CPUs', text: (f) => num(f.allocated.cpus || 0), key: (f) => f.allocated.cpus || 0 },
    { title: 'Mem', text: (f) => bytesMb(f.allocated.mem || 0), key: (f) => f.allocated.mem || 0 },
  ], { id: 'frameworks', onRowClick: (f) => ctx.navigate(`#/frameworks/${encodeURIComponent(f.id)}`), sortBy: 0 });
  const controls = el('div', null, 'controls');
  controls.append(searchBox('name, id or role', q, (v) => { q = v; refresh(); }));
  view.append(section('Frameworks', controls, table.root));
  let seen = -1;
  function refresh() {
    const needle = q.toLowerCase();
    table.setRows([...model.frameworks.values()].filter((f) => !needle
      || `${f.name} ${f.id} ${f.roles.join(' ')}`.toLowerCase().includes(needle)));
    seen = model.version;
  }
  return { update: () => { if (seen !== model.version) refresh(); }, unmount() {} };
}

export function mountPage(view, params, ctx, id) {
  const { model } = ctx;
  const head = el('div');
  const why = el('div');
  why.id = 'explain';
  const tasks = taskTable(ctx, { id: 'framework-tasks', hideFramework: true });
  view.append(section(`Framework ${id}`, head), section('Why (no) offers — the allocator\'s explanation', why),
    section('Tasks', tasks.root));
  let stopped = false;
  async function explain() {
    try {
      const r = await fetch(`/master/allocation/explain?framework_id=${encodeURIComponent(id)}`, { cache: 'no-store' });
      if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
      drawExplanation(why, await r.json());
    } catch (err) {
      why.replaceChildren(el('p', `explanation unavailable: ${err.message}`, 'muted'));
    }
    if (!stopped) timer = setTimeout(explain, EXPLAIN_EVERY_MS);
  }
  let timer = null;
  explain();
  function update() {
    const f = model.frameworks.get(id);
    if (!f) {
      head.replaceChildren(el('p', 'This framework is not known to the master.', 'muted'));
    } else {
      head.replaceChildren(fields([
        ['name', f.name], ['state', frameworkState(f)], ['user', f.user], ['principal', f.principal || 'none'],
        ['roles', f.roles.join(', ')], ['hostname', f.hostname || ''], ['registered', time(f.registered)],
        // The framework's own page; only http(s) becomes a link (the URL comes from the framework).
        ['web UI', /^https?:\/\//.test(f.webuiUrl || '') ? link(f.webuiUrl, f.webuiUrl) : (f.webuiUrl || 'none')],
        ['capabilities', f.capabilities.join(', ') || 'none'],
        ['active tasks', num(activeTasks(model, id))],
        ['allocated', resourcesText(f.allocated)],
        ['offered (at its last update)', `${resourcesText(f.offered)} in ${num(f.offers)} offers`],
      ]));
    }
    tasks.setRows(model.tasksOf(model.tasksByFramework, id));
  }
  return { update, unmount: () => { stopped = true; clearTimeout(timer); } };
}

function drawExplanation(box, e) {
  const summary = el('p', e.summary, e.offerable ? 'ok' : 'warn');
  const list = el('ul');
  for (const r of e.refusals || []) {
    const parts = [`${r.reason}`, r.role ? `role ${r.role}` : '', `${num(r.agents)} agents`,
      r.until ? `until ${time(r.until)}` : '', r.behind?.length ? `behind ${r.behind.join(', ')}` : ''];
    const li = el('li', parts.filter(Boolean).join(' · '));
    if (r.message) li.appendChild(el('div', r.message, 'muted'));
    list.appendChild(li);
  }
  box.replaceChildren(fields([['offerable', e.offerable ? 'yes' : 'no'], ['subject', e.subject]]), summary, list);
}

function frameworkState(f) {
  return f.completed ? 'completed' : f.active ? 'active' : f.connected ? 'inactive' : 'disconnected';
}

function activeTasks(model, id) {
  let n = 0;
  for (const k of model.tasksByFramework.get(id) || []) if (model.tasks.get(k)?.holds) n++;
  return n;
}
