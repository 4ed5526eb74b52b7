// The jobs framework's page: polls its own REST API (GET /v1/jobs, GET /v1/jobs/NAME) every 2 s.
// Everything from the API is inserted as text, never as HTML.
const $ = (id) => document.getElementById(id);
const time = (ms) => (ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');
let selected = decodeURIComponent((/^#job=(.+)$/.exec(location.hash) || [])[1] || '');

function cell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  if (cls) td.className = cls;
  tr.appendChild(td);
  return td;
}

function fill(tbody, rows, empty, cols) {
  tbody.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell(tr, empty, 'empty');
    td.colSpan = cols;
    tbody.appendChild(tr);
  }
  rows.forEach((r) => tbody.appendChild(r));
}

async function getJson(path) {
  const resp = await fetch(path);
  if (!resp.ok) throw new Error(`${path}: ${resp.status}`);
  return resp.json();
}

async function refresh() {
  try {
    const info = await getJson('/v1/info');
    $('leader').textContent = `leader ${info.leader}` + (info.framework_id ? ` · framework ${info.framework_id}` : '');
    if (info.master_url && !document.getElementById('master-style')) {
      const link = document.createElement('link');
      link.id = 'master-style';
      link.rel = 'stylesheet';
      link.href = `${info.master_url}/ui/style.css`;
      document.head.prepend(link);
    }
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
      tr.addEventListener('click', () => { selected = j.name; history.replaceState(null, '', `#job=${encodeURIComponent(j.name)}`); refresh(); });
      return tr;
    }), 'no jobs yet: terrace job submit NAME -- CMD', 7);
    if (selected) await showJob(selected);
    $('status').textContent = '';
    $('status').className = 'status';
  } catch (e) {
    $('status').textContent = e.message;
    $('status').className = 'status error';
  }
}

async function showJob(name) {
  const job = await getJson(`/v1/jobs/${encodeURIComponent(name)}`);
  $('detail').hidden = false;
  $('detail-title').textContent = `Job ${name}`;
  const fields = $('detail-fields');
  fields.replaceChildren();
  const spec = job.spec;
  for (const [k, v] of Object.entries({ image: spec.image, command: spec.command, cpus: spec.cpus, mem: spec.mem,
    instances: spec.instances, retries: spec.retries, schedule: spec.schedule && `${spec.schedule} (${spec.time_zone}, ${spec.concurrency_policy})`,
    dependencies: (spec.dependencies || []).join(', '), next_fire: time(job.next_fire_at) })) {
    if (v === undefined || v === '' || v === null) continue;
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = String(v);
    fields.append(dt, dd);
  }
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

refresh();
setInterval(refresh, 2000);
