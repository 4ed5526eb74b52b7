// Terrace web UI: hash-routed pages over an in-memory model of the cluster that the operator
// event stream keeps live (see connection.js). Pages redraw at most every RENDER_MS when the
// model changes, so a burst of thousands of events costs a few redraws, not thousands.

import { ClusterModel } from './model.js';
import { Connection } from './connection.js';
import { Figures } from './figures.js';
import { el } from './dom.js';
import * as overview from './pages/overview.js';
import * as agents from './pages/agents.js';
import * as frameworks from './pages/frameworks.js';
import * as tasks from './pages/tasks.js';
import * as sandbox from './pages/sandbox.js';
import * as roles from './pages/roles.js';
import * as maintenance from './pages/maintenance.js';
import * as offers from './pages/offers.js';

const RENDER_MS = 250;

const ROUTES = [
  [/^\/?$/, 'overview', (v, p, c) => overview.mount(v, p, c)],
  [/^\/agents$/, 'agents', (v, p, c) => agents.mountList(v, p, c)],
  [/^\/agents\/([^/]+)$/, 'agents', (v, p, c, id) => agents.mountPage(v, p, c, id)],
  [/^\/frameworks$/, 'frameworks', (v, p, c) => frameworks.mountList(v, p, c)],
  [/^\/frameworks\/([^/]+)$/, 'frameworks', (v, p, c, id) => frameworks.mountPage(v, p, c, id)],
  [/^\/tasks$/, 'tasks', (v, p, c) => tasks.mountList(v, p, c)],
  [/^\/tasks\/([^/]+)\/([^/]+)$/, 'tasks', (v, p, c, fw, id) => tasks.mountPage(v, p, c, fw, id)],
  [/^\/sandbox\/([^/]+)\/([^/]+)$/, 'tasks', (v, p, c, fw, id) => sandbox.mount(v, p, c, fw, id)],
  [/^\/offers$/, 'offers', (v, p, c) => offers.mount(v, p, c)],
  [/^\/roles$/, 'roles', (v, p, c) => roles.mount(v, p, c)],
  [/^\/maintenance$/, 'maintenance', (v, p, c) => maintenance.mount(v, p, c)],
];

const model = new ClusterModel();
const figures = new Figures(model);
const banner = document.getElementById('banner');
const leader = document.getElementById('leader');
const view = document.getElementById('view');
let current = null;
let renderTimer = null;
let live = false;

const connection = new Connection(model, (s) => {
  live = s.state === 'live';
  document.body.dataset.connection = s.state;
  if (live) {
    banner.hidden = true;
    leader.textContent = s.master ? `leader ${s.master.address} · ${s.master.version}` : 'leader';
    figures.start();
    if (!current) route();
    scheduleRender();
  } else {
    banner.hidden = false;
    leader.textContent = 'not connected';
    banner.textContent = s.state === 'connecting' ? 'Connecting to the master…'
      : `Reconnecting to the leading master… ${s.reason ? `(${s.reason})` : ''}`;
  }
});

const ctx = { model, figures, connection, navigate: (hash) => { location.hash = hash; } };

function scheduleRender() {
  if (renderTimer !== null || !current) return;
  renderTimer = setTimeout(() => {
    renderTimer = null;
    const started = performance.now();
    current.page.update();
    if (!current.painted) {
      current.painted = true;
      // For the benchmark and tests: when this page first showed the cluster's data.
      requestAnimationFrame(() => performance.mark(`terrace:painted:${current.name}`));
      document.body.dataset.painted = current.name;
    }
    current.renderMs = performance.now() - started;
  }, current && current.painted ? RENDER_MS : 0);
}

function route() {
  const hash = location.hash.replace(/^#/, '');
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query || '');
  if (current) current.page.unmount();
  current = null;
  view.replaceChildren();
  for (const [re, name, mount] of ROUTES) {
    const m = re.exec(path || '/');
    if (!m) continue;
    document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('on', a.dataset.page === name));
    const args = m.slice(1).map(decodeURIComponent);
    current = { name, painted: false, page: mount(view, params, ctx, ...args) };
    document.body.dataset.painted = '';
    if (live) scheduleRender();
    return;
  }
  view.appendChild(el('p', `No such page: #${hash}`, 'warn'));
}

model.onChange(scheduleRender);
window.addEventListener('hashchange', route);
window.terrace = { model, connection, figures };
route();
connection.run();
