// Maintenance: the schedule (windows of machines and their unavailability), its status (machines
// draining with the frameworks' answers, machines down), and agents deactivated or draining.

import { el, link, section, time, duration } from '../dom.js';
import { call } from '../connection.js';
import { ClusterModel } from '../model.js';

const REFRESH_MS = 5000;

export function mount(view, params, ctx) {
  const { model } = ctx;
  const schedule = el('div');
  schedule.id = 'maintenance-schedule';
  const status = el('div');
  status.id = 'maintenance-status';
  const agents = el('div');
  view.append(section('Maintenance schedule', schedule), section('Maintenance status', status),
    section('Agents deactivated or draining', agents));
  let timer = null;
  let stopped = false;
  async function refresh() {
    try {
      const [s, st] = await Promise.all([call('GET_MAINTENANCE_SCHEDULE'), call('GET_MAINTENANCE_STATUS')]);
      drawSchedule(schedule, s.get_maintenance_schedule.schedule || {});
      drawStatus(status, st.get_maintenance_status.status || {});
    } catch (err) {
      schedule.replaceChildren(el('p', `unavailable: ${err.message}`, 'warn'));
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }
  refresh();
  function update() {
    const rows = [...model.agents.values()].filter((a) => a.deactivated || a.drain);
    const ul = el('ul');
    for (const a of rows) {
      const li = el('li');
      li.append(link(`${a.hostname}:${a.port}`, `#/agents/${encodeURIComponent(a.id)}`), el('span', ` ${ClusterModel.agentState(a)}`));
      ul.appendChild(li);
    }
    agents.replaceChildren(rows.length ? ul : el('p', 'none', 'muted'));
  }
  return { update, unmount: () => { stopped = true; clearTimeout(timer); } };
}

function machine(m) {
  return [m.hostname, m.ip].filter(Boolean).join(' / ');
}

function drawSchedule(box, schedule) {
  const windows = schedule.windows || [];
  if (windows.length === 0) {
    box.replaceChildren(el('p', 'no maintenance scheduled', 'muted'));
    return;
  }
  const table = el('table');
  const hr = table.createTHead().insertRow();
  for (const h of ['machines', 'starts', 'lasts']) hr.appendChild(el('th', h));
  const body = table.createTBody();
  for (const w of windows) {
    const u = w.unavailability || {};
    const tr = body.insertRow();
    tr.append(el('td', (w.machine_ids || []).map(machine).join(', ')), el('td', time(u.start)),
      el('td', u.duration ? duration(Number(u.duration.nanoseconds) / 1e9) : 'indefinitely'));
  }
  box.replaceChildren(table);
}

function drawStatus(box, status) {
  const draining = status.draining_machines || [];
  const down = status.down_machines || [];
  const ul = el('ul');
  for (const d of draining) {
    const answers = (d.statuses || []).map((s) => `${s.framework_id.value}: ${s.status}`).join(', ');
    ul.appendChild(el('li', `${machine(d.id)} draining${answers ? ` — ${answers}` : ' — no framework answered yet'}`));
  }
  for (const m of down) ul.appendChild(el('li', `${machine(m)} down`));
  box.replaceChildren(draining.length + down.length ? ul : el('p', 'no machine draining or down', 'muted'));
}
