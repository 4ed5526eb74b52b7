// The cluster as the operator event stream describes it: the SUBSCRIBED snapshot, then every
// TASK_*, AGENT_* and FRAMEWORK_* event applied in place. Pages read it; none fetch full state.
// Allocated resources are kept up to date here from the tasks (the events carry no per-agent
// figures), per agent, per framework and in total.

/** States whose task no longer holds resources on its agent. */
export const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST',
  'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNREACHABLE',
  'TASK_UNKNOWN']);

/** Completed tasks kept at most (oldest dropped first), so a long session cannot grow without bound. */
const MAX_COMPLETED = 20000;

/** Scalars summed by name; ranges (ports) counted. */
export function sumResources(list) {
  const out = {};
  for (const r of list || []) {
    if (r.scalar) out[r.name] = (out[r.name] || 0) + r.scalar.value;
    else if (r.ranges) {
      let n = 0;
      for (const g of r.ranges.range || []) n += g.end - g.begin + 1;
      out[r.name] = (out[r.name] || 0) + n;
    }
  }
  return out;
}

function add(into, sums, sign = 1) {
  for (const [k, v] of Object.entries(sums)) {
    const next = (into[k] || 0) + sign * v;
    // Sums of floats drift: keep 0 a clean 0 once everything is released.
    into[k] = Math.abs(next) < 1e-9 ? 0 : next;
  }
}

export function taskKey(frameworkId, taskId) {
  return `${frameworkId}\u0000${taskId}`;
}

export class ClusterModel {
  constructor() {
    this.listeners = new Set();
    this.reset();
  }

  reset() {
    this.agents = new Map();
    this.frameworks = new Map();
    this.tasks = new Map();
    this.tasksByAgent = new Map();
    this.tasksByFramework = new Map();
    this.completedOrder = [];
    this.allocated = {};
    this.lastEvent = null;
    this.version = 0;
  }

  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  changed() {
    this.version++;
    for (const fn of this.listeners) fn(this);
  }

  /** Replaces everything with a SUBSCRIBED snapshot (also after a reconnect to a new leader). */
  loadSnapshot(state) {
    this.reset();
    for (const a of state.get_agents?.agents || []) this.putAgent(a);
    for (const f of state.get_frameworks?.frameworks || []) this.putFramework(f, false);
    for (const f of state.get_frameworks?.completed_frameworks || []) this.putFramework(f, true);
    const t = state.get_tasks || {};
    for (const list of [t.tasks, t.unreachable_tasks, t.completed_tasks]) {
      for (const task of list || []) this.putTask(task);
    }
    this.changed();
  }

  /** Applies one event; answers whether it changed the model. */
  apply(event) {
    this.lastEvent = Date.now();
    switch (event.type) {
      case 'TASK_ADDED': this.putTask(event.task_added.task); break;
      case 'TASK_UPDATED': if (!this.updateTask(event.task_updated)) return false; break;
      case 'AGENT_ADDED': this.putAgent(event.agent_added.agent); break;
      case 'AGENT_REMOVED': this.agents.delete(event.agent_removed.agent_id.value); break;
      case 'FRAMEWORK_ADDED': this.putFramework(event.framework_added.framework, false); break;
      case 'FRAMEWORK_UPDATED': this.putFramework(event.framework_updated.framework, false); break;
      case 'FRAMEWORK_REMOVED': {
        const id = event.framework_removed.framework_info.id?.value;
        const f = this.frameworks.get(id);
        if (!f) return false;
        f.completed = true;
        f.active = false;
        break;
      }
      default: return false;
    }
    this.changed();
    return true;
  }

  putAgent(raw) {
    const id = raw.agent_info.id.value;
    const old = this.agents.get(id);
    this.agents.set(id, {
      id,
      hostname: raw.agent_info.hostname,
      port: raw.agent_info.port,
      attributes: raw.agent_info.attributes || [],
      active: raw.active,
      deactivated: !!raw.deactivated,
      drain: raw.drain_info || null,
      version: raw.version,
      registered: raw.registered_time,
      totalList: raw.total_resources || raw.agent_info.resources || [],
      total: sumResources(raw.total_resources || raw.agent_info.resources),
      // Kept from the tasks; a re-added agent keeps what its tasks hold.
      allocated: old ? old.allocated : {},
    });
  }

  putFramework(raw, completed) {
    const info = raw.framework_info;
    const id = info.id.value;
    const old = this.frameworks.get(id);
    this.frameworks.set(id, {
      id,
      name: info.name,
      user: info.user,
      principal: info.principal || '',
      roles: info.roles && info.roles.length ? info.roles : [info.role || '*'],
      hostname: info.hostname,
      webuiUrl: info.webui_url,
      capabilities: (info.capabilities || []).map((c) => c.type),
      active: !!raw.active && !completed,
      connected: !!raw.connected,
      completed,
      registered: raw.registered_time,
      offers: (raw.offers || []).length,
      offered: sumResources(raw.offered_resources),
      allocated: old ? old.allocated : {},
    });
  }

  putTask(raw) {
    const fw = raw.framework_id.value;
    const key = taskKey(fw, raw.task_id.value);
    const old = this.tasks.get(key);
    if (old) this.release(old);
    const task = {
      key,
      id: raw.task_id.value,
      name: raw.name,
      frameworkId: fw,
      agentId: raw.agent_id?.value || '',
      state: raw.state,
      resourcesList: raw.resources || [],
      resources: sumResources(raw.resources),
      statuses: raw.statuses || [],
      container: raw.container || null,
      labels: raw.labels || null,
      holds: false,
    };
    this.tasks.set(key, task);
    index(this.tasksByAgent, task.agentId, key);
    index(this.tasksByFramework, fw, key);
    this.hold(task);
    if (TERMINAL.has(task.state)) this.completed(task);
  }

  updateTask(u) {
    const status = u.status;
    const task = this.tasks.get(taskKey(u.framework_id.value, status.task_id.value));
    if (!task) return false;
    task.statuses.push(status);
    task.state = u.state || status.state;
    if (TERMINAL.has(task.state)) {
      this.release(task);
      this.completed(task);
    }
    return true;
  }

  hold(task) {
    if (task.holds || TERMINAL.has(task.state)) return;
    task.holds = true;
    add(this.allocated, task.resources);
    const a = this.agents.get(task.agentId);
    if (a) add(a.allocated, task.resources);
    const f = this.frameworks.get(task.frameworkId);
    if (f) add(f.allocated, task.resources);
  }

  release(task) {
    if (!task.holds) return;
    task.holds = false;
    add(this.allocated, task.resources, -1);
    const a = this.agents.get(task.agentId);
    if (a) add(a.allocated, task.resources, -1);
    const f = this.frameworks.get(task.frameworkId);
    if (f) add(f.allocated, task.resources, -1);
  }

  completed(task) {
    this.completedOrder.push(task.key);
    while (this.completedOrder.length > MAX_COMPLETED) {
      const key = this.completedOrder.shift();
      const t = this.tasks.get(key);
      if (t && TERMINAL.has(t.state)) {
        this.tasks.delete(key);
        this.tasksByAgent.get(t.agentId)?.delete(key);
        this.tasksByFramework.get(t.frameworkId)?.delete(key);
      }
    }
  }

  /** Sum of every registered agent's total resources. */
  total() {
    const out = {};
    for (const a of this.agents.values()) add(out, a.total);
    return out;
  }

  tasksOf(index, id) {
    const keys = index.get(id);
    return keys ? [...keys].map((k) => this.tasks.get(k)).filter(Boolean) : [];
  }

  /** One word for an agent's condition, for lists and filters. */
  static agentState(a) {
    if (a.drain) return a.drain.state === 'DRAINED' ? 'drained' : 'draining';
    if (a.deactivated) return 'deactivated';
    return a.active ? 'active' : 'disconnected';
  }
}

function index(map, id, key) {
  let set = map.get(id);
  if (!set) map.set(id, set = new Set());
  set.add(key);
}
