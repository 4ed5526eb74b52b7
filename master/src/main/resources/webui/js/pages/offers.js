// Offers: the outstanding offers per framework (GET_FRAMEWORKS, refreshed every few seconds while
// the page is open: offers come and go in milliseconds and are not part of the event stream).

import { el, link, section, resourcesText } from '../dom.js';
import { call } from '../connection.js';
import { sumResources } from '../model.js';
import { PagedTable } from '../table.js';
import { agentName } from './tasks.js';

const REFRESH_MS = 5000;

export function mount(view, params, ctx) {
  const { model } = ctx;
  const status = el('p', 'loading…', 'muted');
  const table = new PagedTable([
    { title: 'Offer', text: (o) => o.id, key: (o) => o.id },
    { title: 'Framework', text: (o) => link(o.frameworkName, `#/frameworks/${encodeURIComponent(o.frameworkId)}`),
      key: (o) => o.frameworkName },
    { title: 'Agent', text: (o) => link(agentName(model, o.agentId), `#/agents/${encodeURIComponent(o.agentId)}`),
      key: (o) => o.hostname || '' },
    { title: 'Role', text: (o) => o.role, key: (o) => o.role },
    { title: 'Resources', text: (o) => resourcesText(o.resources) },
  ], { id: 'offers', sortBy: 1, empty: 'no outstanding offers' });
  view.append(section('Outstanding offers', status, table.root));
  let timer = null;
  let stopped = false;
  async function refresh() {
    try {
      const r = await call('GET_FRAMEWORKS');
      const rows = [];
      for (const f of r.get_frameworks.frameworks || []) {
        for (const o of f.offers || []) {
          rows.push({
            id: o.id.value, frameworkId: f.framework_info.id.value, frameworkName: f.framework_info.name,
            agentId: o.agent_id.value, hostname: o.hostname, role: o.allocation_info?.role || '*',
            resources: sumResources(o.resources),
          });
        }
      }
      status.textContent = `${rows.length} outstanding, as of ${new Date().toLocaleTimeString()}`;
      table.setRows(rows);
    } catch (err) {
      status.textContent = `unavailable: ${err.message}`;
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }
  refresh();
  return { update() {}, unmount: () => { stopped = true; clearTimeout(timer); } };
}
