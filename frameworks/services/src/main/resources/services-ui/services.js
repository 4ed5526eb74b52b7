// The services framework's page: polls its own REST API (GET /v1/services, GET /v1/services/NAME).
import { $, time, cell, fill, getJson, header, poll, dl } from '/ui/common/common.js';

let selected = decodeURIComponent((/^#service=(.+)$/.exec(location.hash) || [])[1] || '');
let masterUrl = '';

async function refresh() {
  masterUrl = (await header()).master_url || '';
  const services = await getJson('/v1/services');
  fill($('services').tBodies[0], services.map((s) => {
    const tr = document.createElement('tr');
    cell(tr, s.name);
    cell(tr, s.version);
    cell(tr, s.instances);
    cell(tr, s.running);
    cell(tr, s.healthy, s.healthy < s.instances ? 'run-FAILED' : 'run-SUCCEEDED');
    cell(tr, s.deploying ? 'yes' : 'no');
    tr.addEventListener('click', () => {
      selected = s.name;
      history.replaceState(null, '', `#service=${encodeURIComponent(s.name)}`);
      refresh();
    });
    return tr;
  }), 'no services yet: terrace service deploy NAME --instances 3 -- CMD', 6);
  if (selected) await showService(selected);
}

async function showService(name) {
  const s = await getJson(`/v1/services/${encodeURIComponent(name)}`);
  const endpoints = await getJson(`/v1/services/${encodeURIComponent(name)}/endpoints`);
  $('detail').hidden = false;
  $('detail-title').textContent = `Service ${name} (version ${s.version})`;
  dl($('detail-fields'), { image: s.spec.image, command: s.spec.command, cpus: s.spec.cpus, mem: s.spec.mem,
    instances: s.spec.instances, ports: (s.spec.ports || []).join(', '),
    health: s.spec.health && `${s.spec.health.type} ${s.spec.health.path || s.spec.health.command || ''}`,
    endpoints: endpoints.map((e) => e.address).join(', '), waiting: (s.waiting || []).join('; '),
    failures: s.failures || '' });
  fill($('instances').tBodies[0], (s.instances || []).map((i) => {
    const tr = document.createElement('tr');
    const td = cell(tr, '');
    const link = document.createElement('a');
    link.href = masterUrl ? `${masterUrl}/#task=${encodeURIComponent(i.task_id)}` : '#';
    link.textContent = i.task_id;
    td.appendChild(link);
    cell(tr, i.version);
    cell(tr, i.state + (i.killing ? ' (killing)' : ''), `state-${i.state}`);
    cell(tr, i.healthy == null ? '' : i.healthy);
    cell(tr, i.hostname);
    cell(tr, (i.ports || []).join(', '));
    cell(tr, time(i.started_at));
    cell(tr, i.message || '');
    return tr;
  }), 'no instances', 8);
}

poll(refresh);
