// Cluster resources over time for the overview's charts. Total and allocated come from the model
// (kept live by the event stream); offered comes from GET_ROLES, a per-role summary (small: one
// entry per role), because offers are not part of the event stream. One sample every PERIOD_MS,
// the last hour kept.

import { call } from './connection.js';
import { sumResources } from './model.js';

const PERIOD_MS = 5000;
const KEEP = 720;

export class Figures {
  constructor(model) {
    this.model = model;
    this.samples = [];
    this.offered = {};
    this.roles = [];
    this.listeners = new Set();
    this.timer = null;
  }

  onSample(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start() {
    if (this.timer === null) {
      this.sample();
      this.timer = setInterval(() => this.sample(), PERIOD_MS);
    }
  }

  /** Takes one sample for the charts (after refreshing the roles). */
  async sample() {
    await this.refreshRoles();
    const total = this.model.total();
    const allocated = { ...this.model.allocated };
    this.samples.push({ t: Date.now() / 1000, total, allocated, offered: { ...this.offered } });
    if (this.samples.length > KEEP) this.samples.shift();
    for (const fn of this.listeners) fn(this);
  }

  /** GET_ROLES: the roles page's table and the cluster's offered resources. */
  async refreshRoles() {
    try {
      const r = await call('GET_ROLES');
      this.roles = r.get_roles.roles || [];
      const offered = {};
      for (const role of this.roles) {
        for (const [k, v] of Object.entries(sumResources(role.offered))) offered[k] = (offered[k] || 0) + v;
      }
      this.offered = offered;
    } catch (err) {
      // Not leading or unreachable: the connection's banner says so; keep the last figures.
    }
  }

  /** total / allocated / offered / idle for one resource, now. */
  now(name) {
    const total = this.model.total()[name] || 0;
    const allocated = this.model.allocated[name] || 0;
    const offered = this.offered[name] || 0;
    return { total, allocated, offered, idle: Math.max(0, total - allocated - offered) };
  }
}
