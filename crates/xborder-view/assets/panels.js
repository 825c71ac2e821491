// The panels around the map: the summary, the date slider, the filters, the hop list and the
// selected hop's details.

const PAGE_ROWS = 100;
const $ = (id) => document.getElementById(id);

const list = { order: 'map', shown: PAGE_ROWS, rows: [], selected: -1 };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v; else if (k === 'text') node.textContent = v; else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function verdictSpan(v) {
  return el('span', { class: 'verdict ' + verdictClass(v), 'data-verdict': v === NO_HOP ? 'none' : VERDICT_IDS[v] },
    el('span', { class: 'sym', 'aria-hidden': 'true', text: verdictSymbol(v) }), verdictWord(v));
}

function announce(text) {
  $('status').textContent = text;
}

// ---- summary ------------------------------------------------------------------------------

function renderSummary() {
  const s = summary();
  const cards = [
    ['hops', 'Hops', s.hops, ''],
    ['not-a-transfer', '○ Not a transfer', s.verdicts[0], 'v0'],
    ['lawful', '✓ Lawful', s.verdicts[1], 'v1'],
    ['conditional', '▲ Conditional', s.verdicts[2], 'v2'],
    ['unlawful', '✕ Unlawful', s.verdicts[3], 'v3'],
    ['error', 'Errors', s.severities[2], 's2'],
    ['warning', 'Warnings', s.severities[1], 's1'],
    ['info', 'Info', s.severities[0], 's0'],
  ];
  if (D.base) cards.push(['new', 'New findings', s.newFindings, '']);
  const dl = $('summary');
  dl.replaceChildren(...cards.map(([key, label, n, cls]) =>
    el('div', { class: cls }, el('dt', { text: label }), el('dd', { id: 'n-' + key, 'data-count': key, text: String(n) }))));
  for (const span of document.querySelectorAll('.date-now')) span.textContent = view.date;
  return s;
}

// ---- time ---------------------------------------------------------------------------------

function setupTime(onChange) {
  const range = $('stop');
  range.max = String(D.stops.length - 1);
  range.value = String(D.initial);
  $('stop-dates').replaceChildren(...D.stops.map((d, i) => el('option', { value: String(i), label: d })));
  $('first-date').textContent = D.stops[0];
  $('last-date').textContent = D.stops[D.stops.length - 1];
  const go = (stop) => {
    const s = Math.max(0, Math.min(D.stops.length - 1, stop));
    range.value = String(s);
    onChange(s);
  };
  range.addEventListener('input', () => onChange(Number(range.value)));
  $('prev-stop').addEventListener('click', () => go(view.stop - 1));
  $('next-stop').addEventListener('click', () => go(view.stop + 1));
  $('to-as-of').addEventListener('click', () => go(D.initial));
  return go;
}

function renderTime(s) {
  const range = $('stop');
  range.setAttribute('aria-valuetext', view.date);
  range.setAttribute('aria-label', `Date of the verdicts: ${view.date}, ${view.stop + 1} of ${D.stops.length} dates with a change`);
  $('date-out').textContent = view.date;
  const changed = changesAtStop(view.stop);
  const where = view.stop === D.initial ? ' (the as-of date)' : '';
  const since = changed === 0 ? 'no hop changed verdict' : `${changed} hop${changed === 1 ? '' : 's'} changed verdict`;
  const last = view.stop === D.stops.length - 1;
  $('time-note').textContent = (view.stop === 0
    ? `${view.date}${where}: the first day the rulebook speaks of; ${s.hops} hops.`
    : `${view.date}${where}: ${since} since ${D.stops[view.stop - 1]}.`) +
    (last ? ` Nothing changes after it up to ${D.until}, the end of the slider.`
      : ` This holds until ${dayBefore(D.stops[view.stop + 1])}.`);
  const [from, until] = D.describes || [null, null];
  const note = $('period-note');
  const before = from && view.date < from, after = until && view.date > until;
  note.hidden = !(before || after);
  if (before) note.textContent = `The map describes the flows from ${from}: before that, it shows flows that did not exist yet in that form.`;
  if (after) note.textContent = `The map describes the flows up to ${until}: after that, it shows what would happen had nothing changed.`;
}

// ---- filters ------------------------------------------------------------------------------

function setupFilters(onChange) {
  const option = (value, text) => el('option', { value: String(value), text });
  $('f-regime').replaceChildren(option(-1, 'all regimes'),
    ...D.regimes.map(([id, name], i) => option(i, `${id} — ${name}`)));
  const codes = new Set(), cats = new Set();
  for (const s of D.states) {
    for (const c of s[S_CODES]) codes.add(c);
    for (const c of s[S_CATS]) cats.add(c);
  }
  $('f-code').replaceChildren(option(-1, 'all codes'),
    ...[...codes].sort((a, b) => a - b).map((c) => option(c, `${D.codes[c][0]} ${D.codes[c][1]}`)));
  $('f-category').replaceChildren(option(-1, 'all categories'),
    ...[...cats].map((c) => [str(c), c]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([t, c]) => option(c, t)));
  $('f-verdicts').append(...VERDICT_WORDS.map((w, v) => {
    const box = el('input', { type: 'checkbox', id: 'f-verdict-' + VERDICT_IDS[v], checked: true });
    box.addEventListener('change', () => { filter.verdicts[v] = box.checked; onChange(); });
    return el('label', { class: 'v' + v }, box, ' ', el('span', { class: 'sym', 'aria-hidden': 'true', text: VERDICT_SYMBOLS[v] }), w);
  }));
  $('f-new-box').hidden = !D.base;
  let timer = 0;
  $('search').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      filter.terms = $('search').value.toLowerCase().split(/\s+/).filter(Boolean);
      onChange();
    }, nHops > 20000 ? 200 : 60);
  });
  $('filters').addEventListener('submit', (ev) => ev.preventDefault());
  const select = (id, key) => $(id).addEventListener('change', () => { filter[key] = Number($(id).value); onChange(); });
  select('f-regime', 'regime');
  select('f-code', 'code');
  select('f-category', 'category');
  $('f-new').addEventListener('change', () => { filter.onlyNew = $('f-new').checked; onChange(); });
  $('f-order').addEventListener('change', () => { list.order = $('f-order').value; onChange(); });
  $('clear-filters').addEventListener('click', () => {
    Object.assign(filter, { terms: [], regime: -1, verdicts: [true, true, true, true], code: -1, category: -1, onlyNew: false, entity: -1, flows: null });
    $('search').value = '';
    for (const id of ['f-regime', 'f-code', 'f-category']) $(id).value = '-1';
    for (const box of document.querySelectorAll('#f-verdicts input')) box.checked = true;
    $('f-new').checked = false;
    onChange();
  });
}

function renderChips(onChange) {
  const chips = [];
  if (filter.entity >= 0) {
    chips.push(el('button', { type: 'button', 'aria-label': `Remove the filter on entity ${D.entities[filter.entity][E_ID]}`, text: `entity: ${D.entities[filter.entity][E_ID]} ×` }));
    chips[chips.length - 1].addEventListener('click', () => { filter.entity = -1; onChange(); });
  }
  if (filter.flows !== null) {
    const chip = el('button', { type: 'button', 'aria-label': `Remove the filter on ${filter.flowsLabel}`, text: `${filter.flowsLabel} ×` });
    chip.addEventListener('click', () => { filter.flows = null; onChange(); });
    chips.push(chip);
  }
  $('chips').replaceChildren(...chips);
}

// ---- hop list -----------------------------------------------------------------------------

function shownHops() {
  const rows = [];
  for (let h = 0; h < nHops; h++) if (hopShown(h)) rows.push(h);
  if (list.order === 'worst') {
    rows.sort((a, b) => D.states[view.states[b]][S_VERDICT] - D.states[view.states[a]][S_VERDICT] || a - b);
  }
  return rows;
}

function hopRow(h, onSelect) {
  const hop = D.hops[h];
  const fl = D.flows[hop[H_FLOW]];
  const state = D.states[view.states[h]];
  const name = flowName(hop[H_FLOW]);
  const from = D.entities[fl[FL_FROM]][E_ID], to = D.entities[fl[FL_TO]][E_ID];
  const regime = D.regimes[hop[H_REGIME]][0], dest = str(hop[H_DEST]);
  const pick = el('button', { type: 'button', class: 'pick', 'data-hop': String(h),
    'aria-label': `${name}: ${from} to ${to}, ${regime} to ${dest}, ${VERDICT_WORDS[state[S_VERDICT]]}`, text: name });
  const row = el('tr', { 'data-hop': String(h), 'aria-current': h === list.selected ? 'true' : null, class: 'v' + state[S_VERDICT] },
    el('td', {}, verdictSpan(state[S_VERDICT])),
    el('td', {}, pick, el('span', { class: 'ends', text: `${from} → ${to}` })),
    el('td', { text: `${regime} → ${dest}` }),
    el('td', { text: state[S_CODES].map((c) => D.codes[c][0]).join(' ') }));
  row.addEventListener('click', () => onSelect(h, true));
  return row;
}

function renderList(onSelect) {
  list.rows = shownHops();
  const total = list.rows.length;
  const rows = list.rows.slice(0, list.shown);
  $('hop-rows').replaceChildren(...rows.map((h) => hopRow(h, onSelect)));
  const count = $('hop-count');
  count.textContent = filtering() ? `${total} of ${summaryHops()} shown` : `${total}`;
  const more = $('more-hops');
  const left = total - rows.length;
  more.hidden = left <= 0;
  more.textContent = `Show ${Math.min(PAGE_ROWS, left)} more (${left} not shown)`;
}

function summaryHops() {
  let n = 0;
  for (let h = 0; h < nHops; h++) if (view.states[h] >= 0) n++;
  return n;
}
