// Roles: weight, quota (guarantee and limit), consumption (allocated), offered, reservations.
// From GET_ROLES, which the overview's sampler refreshes every few seconds.

import { el, section, num, resourcesText } from '../dom.js';
import { sumResources } from '../model.js';
import { PagedTable } from '../table.js';

export function mount(view, params, ctx) {
  const { figures, model } = ctx;
  let reservations = new Map();
  const table = new PagedTable([
    { title: 'Role', text: (r) => r.name, key: (r) => r.name },
    { title: 'Weight', text: (r) => num(r.weight ?? 1), key: (r) => r.weight ?? 1 },
    { title: 'Frameworks', text: (r) => num((r.frameworks || []).length), key: (r) => (r.frameworks || []).length },
    { title: 'Quota guarantee', text: (r) => quotaText(r.quota?.guarantees) },
    { title: 'Quota limit', text: (r) => quotaText(r.quota?.limits) },
    { title: 'Consumed (allocated)', text: (r) => resourcesText(sumResources(r.allocated)) },
    { title: 'Offered', text: (r) => resourcesText(sumResources(r.offered)) },
    { title: 'Reserved', text: (r) => resourcesText(reservations.get(r.name) || {}) },
  ], { id: 'roles', sortBy: 0, empty: 'no roles yet (waiting for the first GET_ROLES)' });
  view.append(section('Roles', table.root));
  const update = () => {
    reservations = reserved(model);
    table.setRows(figures.roles);
  };
  const stop = figures.onSample(update);
  figures.refreshRoles().then(update);
  return { update() {}, unmount: stop };
}

function quotaText(q) {
  if (!q || Object.keys(q).length === 0) return 'none';
  return Object.entries(q).map(([k, v]) => `${k} ${num(v.value)}`).join(' · ');
}

/** Resources reserved per role on the registered agents (static and dynamic reservations). */
function reserved(model) {
  const out = new Map();
  for (const a of model.agents.values()) {
    for (const r of a.totalList) {
      const role = r.reservations?.length ? r.reservations[r.reservations.length - 1].role : r.role;
      if (!role || role === '*' || !r.scalar) continue;
      const m = out.get(role) || {};
      m[r.name] = (m[r.name] || 0) + r.scalar.value;
      out.set(role, m);
    }
  }
  return out;
}
