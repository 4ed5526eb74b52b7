// A sortable, paginated table: only one page of rows is ever in the DOM, so a list of 100,000
// tasks costs the same to draw as one of 100. Sorting runs when the rows or the order change.

import { el } from './dom.js';

const PAGE_SIZE = 100;

/**
 * @param columns [{title, text(row) -> string|Node, key(row) -> sortable value, cls(row)}]
 * @param options {id, onRowClick(row), empty}
 */
export class PagedTable {
  constructor(columns, options = {}) {
    this.columns = columns;
    this.options = options;
    this.rows = [];
    this.sorted = null;
    this.sortBy = options.sortBy ?? null;
    this.desc = false;
    this.page = 0;
    this.root = el('div', null, 'table');
    this.info = el('div', null, 'pager');
    this.table = el('table');
    if (options.id) this.table.id = options.id;
    const head = this.table.createTHead().insertRow();
    columns.forEach((c, i) => {
      const th = el('th', c.title);
      if (c.key) {
        th.classList.add('sortable');
        th.addEventListener('click', () => {
          this.desc = this.sortBy === i ? !this.desc : false;
          this.sortBy = i;
          this.sorted = null;
          this.draw();
        });
      }
      head.appendChild(th);
    });
    this.table.appendChild(el('tbody'));
    this.root.append(this.info, this.table);
  }

  /** New rows (an array the caller will not change afterwards). */
  setRows(rows) {
    this.rows = rows;
    this.sorted = null;
    this.draw();
  }

  ordered() {
    if (this.sorted) return this.sorted;
    if (this.sortBy === null) return (this.sorted = this.rows);
    const key = this.columns[this.sortBy].key;
    const keyed = this.rows.map((r) => [key(r), r]);
    const sign = this.desc ? -1 : 1;
    keyed.sort((a, b) => (a[0] < b[0] ? -sign : a[0] > b[0] ? sign : 0));
    return (this.sorted = keyed.map((k) => k[1]));
  }

  draw() {
    const rows = this.ordered();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    this.page = Math.min(this.page, pages - 1);
    const start = this.page * PAGE_SIZE;
    const slice = rows.slice(start, start + PAGE_SIZE);
    const body = el('tbody');
    if (slice.length === 0) {
      const td = el('td', this.options.empty || 'none', 'empty');
      td.colSpan = this.columns.length;
      body.insertRow().appendChild(td);
    }
    for (const row of slice) {
      const tr = body.insertRow();
      for (const c of this.columns) {
        const v = c.text(row);
        const td = el('td', null, c.cls ? c.cls(row) : null);
        if (v instanceof Node) td.appendChild(v); else td.textContent = v === undefined || v === null ? '' : String(v);
        tr.appendChild(td);
      }
      if (this.options.onRowClick) {
        tr.classList.add('clickable');
        tr.addEventListener('click', (e) => {
          if (e.target.closest('a')) return;
          this.options.onRowClick(row);
        });
      }
    }
    this.table.tBodies[0].replaceWith(body);
    this.drawPager(rows.length, start, slice.length, pages);
  }

  drawPager(total, start, shown, pages) {
    const prev = el('button', '‹ prev');
    prev.disabled = this.page === 0;
    prev.addEventListener('click', () => { this.page--; this.draw(); });
    const next = el('button', 'next ›');
    next.disabled = this.page >= pages - 1;
    next.addEventListener('click', () => { this.page++; this.draw(); });
    const text = total === 0 ? '0 rows'
      : `${(start + 1).toLocaleString('en-US')}–${(start + shown).toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
    this.info.replaceChildren(prev, el('span', text, 'count'), next);
  }
}
