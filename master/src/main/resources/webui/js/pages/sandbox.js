// A task's sandbox through the master's proxy (/master/sandbox/*): browse directories, view a
// file, download it, and follow a file as it grows (the tail asks for what lies past the end it
// has, once a second).

import { el, link, section, bytes, time } from '../dom.js';

/** How much of the end of a file to show when it opens. */
const TAIL_BYTES = 64 * 1024;
/** The viewer keeps at most this many characters, so a chatty task cannot grow the page. */
const MAX_CHARS = 256 * 1024;
const READ_CHUNK = 256 * 1024;
const FOLLOW_MS = 1000;

export function mount(view, params, ctx, frameworkId, taskId) {
  const base = `#/sandbox/${encodeURIComponent(frameworkId)}/${encodeURIComponent(taskId)}`;
  const api = (what, query) => `/master/sandbox/${what}?task_id=${encodeURIComponent(taskId)}&${query}`;
  const dir = params.get('path') || '';
  const file = params.get('file');
  const listing = el('div');
  const crumbs = el('div', null, 'crumbs');
  crumbs.append(link(`Task ${taskId}`, `#/tasks/${encodeURIComponent(frameworkId)}/${encodeURIComponent(taskId)}`), el('span', ' / '),
    link('sandbox', base));
  let acc = '';
  for (const part of dir.split('/').filter(Boolean)) {
    acc = acc ? `${acc}/${part}` : part;
    crumbs.append(el('span', ' / '), link(part, `${base}?path=${encodeURIComponent(acc)}`));
  }
  view.append(section('Sandbox', crumbs, listing));
  let viewer = null;
  if (file) {
    viewer = new FileTail(api, file);
    view.append(viewer.element);
  }
  browse();

  async function browse() {
    try {
      const r = await fetch(api('browse', `path=${encodeURIComponent(dir)}`), { cache: 'no-store' });
      if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
      const entries = await r.json();
      const table = el('table');
      table.id = 'sandbox-files';
      const hr = table.createTHead().insertRow();
      for (const h of ['name', 'size', 'modified', 'mode', '']) hr.appendChild(el('th', h));
      const body = table.createTBody();
      for (const e of entries) {
        const tr = body.insertRow();
        const name = e.dir ? link(`${e.name}/`, `${base}?path=${encodeURIComponent(e.path)}`)
          : link(e.name, `${base}?path=${encodeURIComponent(dir)}&file=${encodeURIComponent(e.path)}`);
        const td = el('td');
        td.appendChild(name);
        const dl = el('td');
        if (!e.dir) {
          const a = link('download', api('download', `path=${encodeURIComponent(e.path)}`));
          a.setAttribute('download', e.name);
          dl.appendChild(a);
        }
        tr.append(td, el('td', e.dir ? '' : bytes(e.size)), el('td', time(e.mtime)), el('td', e.mode), dl);
      }
      if (entries.length === 0) body.insertRow().appendChild(el('td', 'empty directory', 'empty'));
      listing.replaceChildren(table);
    } catch (err) {
      listing.replaceChildren(el('p', `cannot list the sandbox: ${err.message}`, 'warn'));
    }
  }

  return { update() {}, unmount: () => viewer && viewer.stop() };
}

/** One file's tail: the last TAIL_BYTES, then whatever is appended, while "follow" is checked. */
class FileTail {
  constructor(api, path) {
    this.api = api;
    this.path = path;
    this.offset = null;
    this.stopped = false;
    this.follow = el('input');
    this.follow.type = 'checkbox';
    this.follow.checked = true;
    this.follow.id = 'follow';
    const label = el('label', ' follow');
    label.prepend(this.follow);
    this.state = el('span', '', 'muted');
    this.pre = el('pre', null, 'log');
    this.pre.id = 'file-view';
    const download = link('download', api('download', `path=${encodeURIComponent(path)}`));
    download.setAttribute('download', path.split('/').pop());
    const bar = el('div', null, 'controls');
    bar.append(label, download, this.state);
    this.element = section(path, bar, this.pre);
    this.follow.addEventListener('change', () => { if (this.follow.checked) this.poll(); });
    this.poll();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  async poll() {
    clearTimeout(this.timer);
    try {
      if (this.offset === null) {
        const size = (await this.read(-1)).offset;
        this.offset = Math.max(0, size - TAIL_BYTES);
      }
      // Drain what is there now (in chunks), then wait for more.
      for (;;) {
        const r = await this.read(this.offset, READ_CHUNK);
        if (this.stopped || !r.data) break;
        this.offset = r.offset + new TextEncoder().encode(r.data).length;
        this.append(r.data);
      }
      this.state.textContent = ` ${bytes(this.offset)} read`;
    } catch (err) {
      this.state.textContent = ` ${err.message}`;
    }
    if (!this.stopped && this.follow.checked) this.timer = setTimeout(() => this.poll(), FOLLOW_MS);
  }

  async read(offset, length) {
    const q = `path=${encodeURIComponent(this.path)}&offset=${offset}${length ? `&length=${length}` : ''}`;
    const r = await fetch(this.api('read', q), { cache: 'no-store' });
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    return r.json();
  }

  append(text) {
    const pre = this.pre;
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.appendChild(document.createTextNode(text));
    // Keep the view bounded: drop the oldest text nodes once over MAX_CHARS.
    let chars = pre.textContent.length;
    while (chars > MAX_CHARS && pre.firstChild && pre.firstChild !== pre.lastChild) {
      chars -= pre.firstChild.textContent.length;
      pre.removeChild(pre.firstChild);
    }
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }
}
