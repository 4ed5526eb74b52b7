// The operator event stream: POST /api/v1 {"type":"SUBSCRIBE"} read as RecordIO. The SUBSCRIBED
// snapshot replaces the model; later events update it. When the stream ends (the master stopped
// leading) or fails, the banner says so and the UI finds the leader and subscribes again:
// - this master answers 307 (it is a standby now): the page moves to the leader through
//   /master/redirect, keeping its #route (a navigation may cross origins; a fetch could not);
// - this master does not answer: it retries here, and tries the other masters this browser has
//   seen leading (kept in localStorage), moving to the first that answers.

import { records } from './recordio.js';

const KNOWN_MASTERS = 'terrace.masters';
const MAX_BACKOFF_MS = 5000;

export async function call(type, body = {}) {
  const r = await fetch('/api/v1', {
    method: 'POST', cache: 'no-store',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ type, ...body }),
  });
  if (!r.ok) throw new Error(`${type}: ${r.status} ${await r.text()}`);
  return r.json();
}

export class Connection {
  /**
   * @param model the ClusterModel to fill
   * @param onStatus called with {state: 'connecting'|'live'|'reconnecting', reason, master}
   */
  constructor(model, onStatus) {
    this.model = model;
    this.onStatus = onStatus;
    this.master = null;
  }

  async run() {
    let failures = 0;
    for (;;) {
      const abort = new AbortController();
      try {
        this.onStatus({ state: failures ? 'reconnecting' : 'connecting', reason: this.reason });
        performance.mark('terrace:subscribe');
        const resp = await fetch('/api/v1', {
          method: 'POST', cache: 'no-store', redirect: 'manual', signal: abort.signal,
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: '{"type":"SUBSCRIBE"}',
        });
        if (resp.type === 'opaqueredirect' || resp.status === 307) {
          this.onStatus({ state: 'reconnecting', reason: 'this master no longer leads; moving to the leader' });
          location.assign(`/master/redirect${location.hash}`);
          return;
        }
        if (!resp.ok) throw new Error(`subscribe: ${resp.status} ${(await resp.text()).slice(0, 200)}`);
        let watchdog = null;
        let interval = 15;
        const arm = () => {
          clearTimeout(watchdog);
          // Three missed heartbeats: the connection is dead even if no error surfaced.
          watchdog = setTimeout(() => abort.abort(new Error('no heartbeat from the master')), interval * 3000);
        };
        try {
          for await (const event of records(resp.body)) {
            if (event.type === 'SUBSCRIBED') {
              // Marks for the benchmark: snapshot received and parsed, then in the model.
              performance.mark('terrace:snapshot-parsed');
              interval = event.subscribed.heartbeat_interval_seconds || interval;
              this.model.loadSnapshot(event.subscribed.get_state || {});
              performance.mark('terrace:model-loaded');
              failures = 0;
              this.reason = null;
              await this.describeMaster();
              this.onStatus({ state: 'live', master: this.master });
            } else {
              this.model.apply(event);
            }
            arm();
          }
        } finally {
          clearTimeout(watchdog);
        }
        throw new Error('the master ended the event stream (it may have stopped leading)');
      } catch (err) {
        abort.abort();
        failures++;
        this.reason = err && err.message ? err.message : String(err);
        this.onStatus({ state: 'reconnecting', reason: this.reason });
        if (failures >= 3 && await this.moveToAnotherMaster()) return;
        await new Promise((r) => setTimeout(r, Math.min(MAX_BACKOFF_MS, 250 * 2 ** failures)));
      }
    }
  }

  /** Leader address, version, start and election times (GET_MASTER, GET_VERSION); remembers the leader. */
  async describeMaster() {
    try {
      const [m, v] = await Promise.all([call('GET_MASTER'), call('GET_VERSION')]);
      const info = m.get_master.master_info || {};
      const host = info.address?.hostname || info.hostname;
      this.master = {
        address: `${host}:${info.port}`,
        id: info.id,
        version: v.get_version.version_info.version,
        startTime: m.get_master.start_time,
        electedTime: m.get_master.elected_time,
      };
      const known = new Set(knownMasters());
      known.add(this.master.address);
      localStorage.setItem(KNOWN_MASTERS, JSON.stringify([...known].slice(-16)));
    } catch (err) {
      // Only the header's details are missing: the stream itself is fine, keep what we knew.
    }
  }

  /** Probes the other masters seen before; moves the page to one that answers. */
  async moveToAnotherMaster() {
    for (const hp of knownMasters()) {
      if (hp === location.host) continue;
      try {
        // no-cors: the answer is opaque, but it resolves only if that master is reachable.
        await fetch(`${location.protocol}//${hp}/health`, { mode: 'no-cors', cache: 'no-store' });
        location.assign(`${location.protocol}//${hp}/master/redirect${location.hash}`);
        return true;
      } catch (err) {
        // unreachable too: try the next
      }
    }
    return false;
  }
}

function knownMasters() {
  try {
    return JSON.parse(localStorage.getItem(KNOWN_MASTERS) || '[]');
  } catch (err) {
    return [];
  }
}
