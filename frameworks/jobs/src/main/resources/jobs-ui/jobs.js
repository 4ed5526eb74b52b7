// The jobs framework's page: polls its own REST API (GET /v1/jobs, GET /v1/jobs/NAME).
import { $, time, cell, fill, getJson, header, poll, dl } from '/ui/common/common.js';

let selected = decodeURIComponent((/^#job=(.+)$/.exec(location.hash) || [])[1] || '');

async function refresh() {
  await header();
  const jobs = await getJson('/v1/jobs');
  fill($('jobs').tBodies[0], jobs.map((j) => {
    const tr = document.createElement('tr');
    cell(tr, j.name);
    cell(tr, j.schedule || '');
    cell(tr, time(j.next_fire_at));
    cell(tr, j.last_run || '');
    cell(tr, j.last_status || '', `run-${j.last_status}`);
    cell(tr, j.active_runs);
    cell(tr, j.command || j.image || '');
    tr.addEventListener('click', () => {
      selected = j.name;
      history.replaceState(null, '', `#job=${encodeURIComponent(j.name)}`);
      refresh();
    });
    return tr;
  }), 'no jobs yet: terrace job submit NAME -- CMD', 7);
  if (selected) await showJob(selected);
}

async function showJob(name) {
  const job = await getJson(`/v1/jobs/${encodeURIComponent(name)}`);
  const spec = job.spec;
  $('detail').hidden = false;
  $('detail-title').textContent = `Job ${name}`;
  dl($('detail-fields'), { image: spec.image, command: spec.command, cpus: spec.cpus, mem: spec.mem,
    instances: spec.instances, retries: spec.retries,
    schedule: spec.schedule && `${spec.schedule} (${spec.time_zone}, ${spec.concurrency_policy})`,
    dependencies: (spec.dependencies || []).join(', '), next_fire: time(job.next_fire_at) });
  const reasons = Object.entries(job.pending_reasons || {}).map(([k, v]) => `${k}:\n  ${v.join('\n  ')}`);
  $('pending').textContent = reasons.length ? reasons.join('\n') : 'nothing waiting';
  const rows = [];
  for (const run of job.runs || []) {
    for (const a of run.attempts) {
      const tr = document.createElement('tr');
      cell(tr, run.number);
      cell(tr, run.status, `run-${run.status}`);
      cell(tr, run.trigger);
      cell(tr, time(run.created_at));
      cell(tr, time(a.started_at));
      cell(tr, time(a.finished_at));
      cell(tr, `${a.instance}.${a.attempt}`);
      cell(tr, a.state, `state-${a.state}`);
      cell(tr, a.exit_code);
      cell(tr, a.hostname || '');
      const td = cell(tr, '');
      if (a.task_id && job.master_url) {
        const link = document.createElement('a');
        link.href = `${job.master_url}/#task=${encodeURIComponent(a.task_id)}`;
        link.textContent = a.task_id;
        td.appendChild(link);
      }
      cell(tr, a.message || run.message || '');
      rows.push(tr);
    }
  }
  fill($('runs').tBodies[0], rows, 'no runs yet', 12);
}

poll(refresh);
