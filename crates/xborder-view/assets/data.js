// The data the page carries (written by `xborder view`, see docs/view.md) and the questions the
// page asks of it: which state each hop is in on the selected date, the summary, and which hops
// the search and the filters keep. Nothing here judges anything: every verdict was computed by
// the engine for every date on the slider.

const D = JSON.parse(document.getElementById('xb-data').textContent);

const VERDICT_WORDS = ['not a transfer', 'lawful', 'conditional', 'unlawful'];
const VERDICT_IDS = ['not-a-transfer', 'lawful', 'conditional', 'unlawful'];
// Shapes that differ without colour: ✕ unlawful, ▲ conditional, ✓ lawful, ○ not a transfer.
const VERDICT_SYMBOLS = ['○', '✓', '▲', '✕'];
const NO_HOP = -1;
const NO_HOP_WORD = 'no restricted regime';
const NO_HOP_SYMBOL = '–';
const SEVERITIES = ['info', 'warning', 'error'];
const KIND_WORDS = ['data subjects', 'companies', 'partners', 'vendors', 'authorities'];

// Field positions of the compact arrays (see `page.rs`).
const H_FLOW = 0, H_REGIME = 1, H_DEST = 2, H_SEGMENTS = 3;
const S_VERDICT = 0, S_MECH = 1, S_BASIS = 2, S_CODES = 3, S_PATH = 4, S_OMITTED = 5, S_CATS = 6, S_FINDINGS = 7;
const F_CODE = 0, F_SEV = 1, F_MSG = 2, F_CITE = 3, F_FIX = 4, F_LINE = 5, F_COL = 6, F_BASE = 7;
const FL_ID = 0, FL_FROM = 1, FL_TO = 2, FL_LINE = 3, FL_DATA = 4, FL_NEW = 5;
const E_ID = 0, E_NAME = 1, E_KIND = 2, E_GROUP = 3, E_X = 4, E_Y = 5;
const G_CODE = 0, G_NAME = 1, G_X = 2, G_Y = 3, G_W = 4, G_H = 5, G_BANDS = 6, G_ENTITIES = 7;

const nHops = D.hops.length;

// A text of the string table; a text that named the date it was judged on gets the date back.
function str(i, date) {
  if (i < 0) return '';
  const entry = D.strings[i];
  if (entry === undefined) return '';
  return typeof entry === 'string' ? entry : entry.join(date === undefined ? view.date : date);
}

function flowName(f) {
  const id = D.flows[f][FL_ID];
  return id >= 0 ? str(id) : 'flow ' + f;
}

const flowHops = D.flows.map(() => []);
D.hops.forEach((h, i) => flowHops[h[H_FLOW]].push(i));
// The flows from one entity to another, for drawing a witness path.
const flowsBetween = new Map();
D.flows.forEach((fl, f) => {
  const key = fl[FL_FROM] + '>' + fl[FL_TO];
  if (!flowsBetween.has(key)) flowsBetween.set(key, []);
  flowsBetween.get(key).push(f);
});

const view = {
  stop: D.initial,
  date: D.stops[D.initial],
  states: new Int32Array(nHops),
};

// The state of hop `h` at stop `stop`: its last stretch that starts on or before it.
function stateAt(h, stop) {
  const seg = D.hops[h][H_SEGMENTS];
  let lo = 0, hi = seg.length / 2 - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (seg[2 * mid] <= stop) { found = seg[2 * mid + 1]; lo = mid + 1; } else { hi = mid - 1; }
  }
  return found;
}

function setStop(stop) {
  view.stop = stop;
  view.date = D.stops[stop];
  for (let h = 0; h < nHops; h++) view.states[h] = stateAt(h, stop);
}

// The counts `xborder check --as-of DATE --format json` gives in `summary`, plus the findings
// by severity.
function summary() {
  const s = { hops: 0, verdicts: [0, 0, 0, 0], severities: [0, 0, 0], newFindings: 0 };
  for (let h = 0; h < nHops; h++) {
    const st = view.states[h];
    if (st < 0) continue;
    const state = D.states[st];
    s.hops++;
    s.verdicts[state[S_VERDICT]]++;
    for (const f of state[S_FINDINGS]) {
      s.severities[D.findings[f][F_SEV]]++;
      if (D.findings[f][F_BASE] === 1) s.newFindings++;
    }
  }
  return s;
}

// How many hops changed verdict on the selected date, compared with the stop before.
function changesAtStop(stop) {
  let changed = 0;
  if (stop === 0) return changed;
  for (let h = 0; h < nHops; h++) {
    const a = stateAt(h, stop - 1), b = view.states[h];
    const va = a < 0 ? NO_HOP : D.states[a][S_VERDICT];
    const vb = b < 0 ? NO_HOP : D.states[b][S_VERDICT];
    if (va !== vb) changed++;
  }
  return changed;
}

// ---- search and filters -------------------------------------------------------------------

const filter = {
  terms: [],
  regime: -1,
  verdicts: [true, true, true, true],
  code: -1,
  category: -1,
  onlyNew: false,
  entity: -1,
  // The flows of one edge of the map, when an edge of several flows was clicked.
  flows: null,
  flowsLabel: '',
};

function filtering() {
  return filter.terms.length > 0 || filter.regime >= 0 || filter.verdicts.some((v) => !v) ||
    filter.code >= 0 || filter.category >= 0 || filter.onlyNew || filter.entity >= 0 ||
    filter.flows !== null;
}

function entityText(e) {
  const ent = D.entities[e];
  return ent[E_ID] + ' ' + ent[E_NAME];
}

// What the search reads of a hop: its flow and entities (fixed), and of its state on the date
// its codes, categories and mechanism.
const hopHay = D.hops.map((hop) => {
  const fl = D.flows[hop[H_FLOW]];
  return [flowName(hop[H_FLOW]), entityText(fl[FL_FROM]), entityText(fl[FL_TO]),
    D.regimes[hop[H_REGIME]][0], str(hop[H_DEST]), fl[FL_DATA].map((c) => str(c)).join(' ')]
    .join(' ').toLowerCase();
});
const stateHay = new Array(D.states.length);
function stateText(st) {
  if (stateHay[st] === undefined) {
    const s = D.states[st];
    stateHay[st] = [s[S_CODES].map((c) => D.codes[c][0]).join(' '),
      s[S_CATS].map((c) => str(c)).join(' '), str(s[S_MECH])].join(' ').toLowerCase();
  }
  return stateHay[st];
}

function matchesSearch(h, st) {
  for (const term of filter.terms) {
    if (!hopHay[h].includes(term) && !stateText(st).includes(term)) return false;
  }
  return true;
}

// Whether hop `h` exists on the date and passes the search and every filter.
function hopShown(h) {
  const st = view.states[h];
  if (st < 0) return false;
  const hop = D.hops[h];
  const state = D.states[st];
  if (filter.regime >= 0 && hop[H_REGIME] !== filter.regime) return false;
  if (!filter.verdicts[state[S_VERDICT]]) return false;
  if (filter.code >= 0 && !state[S_CODES].includes(filter.code)) return false;
  if (filter.category >= 0 && !state[S_CATS].includes(filter.category)) return false;
  if (filter.onlyNew && !state[S_FINDINGS].some((f) => D.findings[f][F_BASE] === 1)) return false;
  if (filter.entity >= 0) {
    const fl = D.flows[hop[H_FLOW]];
    if (fl[FL_FROM] !== filter.entity && fl[FL_TO] !== filter.entity) return false;
  }
  if (filter.flows !== null && !filter.flows.has(hop[H_FLOW])) return false;
  return filter.terms.length === 0 || matchesSearch(h, st);
}

// The worst verdict of a flow's shown hops; NO_HOP when no restricted regime's data goes
// through it on the date (drawn only while nothing is filtered), null when it is not drawn.
function flowVerdict(f) {
  let worst = null;
  const any = filtering();
  for (const h of flowHops[f]) {
    if (any ? !hopShown(h) : view.states[h] < 0) continue;
    const v = D.states[view.states[h]][S_VERDICT];
    if (worst === null || v > worst) worst = v;
  }
  if (worst === null && !any) return NO_HOP;
  return worst;
}

// Entities whose id or name has every search term.
function searchedEntities() {
  const found = new Set();
  if (filter.terms.length === 0) return found;
  D.entities.forEach((ent, e) => {
    const hay = entityText(e).toLowerCase();
    if (filter.terms.every((t) => hay.includes(t))) found.add(e);
  });
  return found;
}
