// The map: country boxes and entities where `xborder view` placed them, flows as edges
// coloured and patterned by their worst verdict on the selected date. A collapsed country is
// one box and its flows are merged per pair of boxes (one edge per pair, with a count), so a
// map of ten thousand flows draws a few thousand edges at most; zooming in expands the
// countries (only what is on screen is drawn), and a click or Enter expands or collapses one.

// The zoom from which countries on screen are expanded: lower for a small map, so that it opens
// expanded even in a small window.
const AUTO_OPEN_SCALE = D.entities.length <= 200 ? 0.3 : 0.6;
const MIN_VIEW_W = 160;
const NODE_W = D.node[0];
const NODE_H = D.node[1];
const nGroups = D.groups.length;
const svg = document.getElementById('graph');
const layer = document.getElementById('layer');

const graph = {
  vb: { x: 0, y: 0, w: D.size[0], h: D.size[1] },
  scale: 1,
  // Per country: 1 expanded, -1 collapsed (by the user), 0 as the zoom decides.
  mode: new Int8Array(nGroups),
  // The countries expanded by the zoom at the last drawing.
  autoOpen: new Set(),
  rendered: null,
  renderedScale: 0,
  renderedOpen: '',
  edges: [],
  path: [],
  pathFlows: new Set(),
  pending: false,
  onEdge: null,
  onEntity: null,
};

function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function cut(text, chars) {
  if (text.length <= chars) return text;
  return chars < 2 ? '' : text.slice(0, chars - 1) + '…';
}

function num(x) {
  return Math.round(x * 10) / 10;
}

// The map's size on screen in CSS pixels (not `clientWidth`, which some browsers give as 0 for
// an <svg>).
function pxSize() {
  const r = svg.getBoundingClientRect();
  return [r.width || 800, r.height || 500];
}

// A country is expanded when the user expanded it, or when the zoom is close enough to read
// its entities and it is on screen (a country off screen stays one box, so that zooming in
// on one corner of a large map does not draw every flow of the others).
function isOpen(g) {
  const m = graph.mode[g];
  return m === 1 || (m === 0 && graph.autoOpen.has(g));
}

function autoOpened() {
  const open = new Set();
  if (graph.scale < AUTO_OPEN_SCALE) return open;
  const seen = grow(graph.vb, 0.1);
  for (let g = 0; g < nGroups; g++) if (intersects(groupRect(g), seen)) open.add(g);
  return open;
}

function openSignature(autoOpen) {
  let sig = [...autoOpen].join(',') + '|';
  for (let g = 0; g < nGroups; g++) sig += graph.mode[g] + 1;
  return sig;
}

function groupRect(g) {
  const b = D.groups[g];
  return { x: b[G_X], y: b[G_Y], w: b[G_W], h: b[G_H] };
}

function intersects(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function grow(r, by) {
  return { x: r.x - r.w * by, y: r.y - r.h * by, w: r.w * (1 + 2 * by), h: r.h * (1 + 2 * by) };
}

function contains(outer, inner) {
  return inner.x >= outer.x && inner.y >= outer.y &&
    inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

// ---- view box: pan and zoom ---------------------------------------------------------------

function setView(x, y, w) {
  const [pw, ph] = pxSize();
  const most = Math.max(D.size[0], D.size[1] * pw / ph) * 4;
  w = Math.min(Math.max(w, MIN_VIEW_W), most);
  const h = w * ph / pw;
  graph.vb = { x, y, w, h };
  graph.scale = pw / w;
  svg.setAttribute('viewBox', `${num(x)} ${num(y)} ${num(w)} ${num(h)}`);
  const ratio = graph.scale / graph.renderedScale;
  if (!graph.rendered || !contains(graph.rendered, graph.vb) || ratio > 1.3 || ratio < 0.77 ||
      openSignature(autoOpened()) !== graph.renderedOpen) {
    scheduleRender();
  }
}

function zoomAt(px, py, factor) {
  const [pw] = pxSize();
  const ux = graph.vb.x + px / graph.scale;
  const uy = graph.vb.y + py / graph.scale;
  const w = graph.vb.w / factor;
  const k = w / pw;
  setView(ux - px * k, uy - py * k, w);
}

function zoomCentre(factor) {
  const [pw, ph] = pxSize();
  zoomAt(pw / 2, ph / 2, factor);
}

function pan(fx, fy) {
  setView(graph.vb.x + graph.vb.w * fx, graph.vb.y + graph.vb.h * fy, graph.vb.w);
}

// Shows `rect` (the whole drawing by default) with a margin, never closer than 1.5 : 1.
function fit(rect) {
  const r = rect || { x: 0, y: 0, w: D.size[0], h: D.size[1] };
  const [pw, ph] = pxSize();
  const margin = 40;
  const w = Math.max(r.w + 2 * margin, (r.h + 2 * margin) * pw / ph, pw / 1.5);
  const h = w * ph / pw;
  setView(r.x + r.w / 2 - w / 2, r.y + r.h / 2 - h / 2, w);
}

function scheduleRender() {
  if (graph.pending) return;
  graph.pending = true;
  requestAnimationFrame(render);
}

// ---- edges --------------------------------------------------------------------------------

// An edge end: an entity (>= 0) when its country is expanded, else its country (-(g + 1)).
function endpoint(e) {
  const g = D.entities[e][E_GROUP];
  return isOpen(g) ? e : -(g + 1);
}

function endpointRect(p) {
  if (p >= 0) {
    const e = D.entities[p];
    return { x: e[E_X], y: e[E_Y], w: NODE_W, h: NODE_H };
  }
  return groupRect(-p - 1);
}

function endpointName(p) {
  if (p >= 0) return D.entities[p][E_ID];
  const g = D.groups[-p - 1];
  return g[G_CODE];
}

function worse(a, v) {
  return a === null ? v : Math.max(a, v);
}

// The flows drawn on the date, merged per pair of ends; flows inside one collapsed country are
// counted on its box.
function collectEdges() {
  const byKey = new Map();
  const inside = new Map();
  for (let f = 0; f < D.flows.length; f++) {
    const v = flowVerdict(f);
    if (v === null) continue;
    const fl = D.flows[f];
    const a = endpoint(fl[FL_FROM]);
    const b = endpoint(fl[FL_TO]);
    if (a === b) {
      if (a < 0) {
        const c = inside.get(-a - 1) || { count: 0, worst: null };
        c.count++;
        c.worst = worse(c.worst, v);
        inside.set(-a - 1, c);
      }
      continue;
    }
    const key = a + ',' + b;
    let edge = byKey.get(key);
    if (!edge) {
      edge = { a, b, flows: [], worst: null };
      byKey.set(key, edge);
    }
    edge.flows.push(f);
    edge.worst = worse(edge.worst, v);
  }
  return { edges: [...byKey.values()], inside };
}

function centre(r) {
  return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
}

// Where the line from `from` (the centre of `r`) towards `toward` leaves `r`.
function exitPoint(r, from, toward) {
  const dx = toward.x - from.x, dy = toward.y - from.y;
  const tx = dx ? (r.w / 2) / Math.abs(dx) : Infinity;
  const ty = dy ? (r.h / 2) / Math.abs(dy) : Infinity;
  const t = Math.min(tx, ty, 1);
  return { x: from.x + dx * t, y: from.y + dy * t };
}

// A curve bending to its left, so that the flows a → b and b → a stay apart.
function geometry(edge) {
  const ra = endpointRect(edge.a), rb = endpointRect(edge.b);
  const ca = centre(ra), cb = centre(rb);
  const dx = cb.x - ca.x, dy = cb.y - ca.y;
  const len = Math.hypot(dx, dy) || 1;
  const bend = Math.min(90, len * 0.12);
  const c = { x: (ca.x + cb.x) / 2 - dy / len * bend, y: (ca.y + cb.y) / 2 + dx / len * bend };
  return { p0: exitPoint(ra, ca, c), c, p2: exitPoint(rb, cb, c) };
}

function bbox(g) {
  const xs = [g.p0.x, g.c.x, g.p2.x], ys = [g.p0.y, g.c.y, g.p2.y];
  const x = Math.min(...xs), y = Math.min(...ys);
  return { x, y, w: Math.max(...xs) - x + 1, h: Math.max(...ys) - y + 1 };
}

function verdictClass(v) {
  return v === NO_HOP ? 'vn' : 'v' + v;
}

function verdictWord(v) {
  return v === NO_HOP ? NO_HOP_WORD : VERDICT_WORDS[v];
}

function verdictSymbol(v) {
  return v === NO_HOP ? NO_HOP_SYMBOL : VERDICT_SYMBOLS[v];
}

function edgeSvg(edge, i, g) {
  const s = graph.scale;
  const d = `M${num(g.p0.x)} ${num(g.p0.y)}Q${num(g.c.x)} ${num(g.c.y)} ${num(g.p2.x)} ${num(g.p2.y)}`;
  const ux = g.p2.x - g.c.x, uy = g.p2.y - g.c.y;
  const ul = Math.hypot(ux, uy) || 1;
  const size = Math.min(10 / s, 40);
  const bx = g.p2.x - ux / ul * size, by = g.p2.y - uy / ul * size;
  const nx = -uy / ul * size * 0.42, ny = ux / ul * size * 0.42;
  const tip = `M${num(g.p2.x)} ${num(g.p2.y)}L${num(bx + nx)} ${num(by + ny)}L${num(bx - nx)} ${num(by - ny)}Z`;
  const n = edge.flows.length;
  const what = n === 1 ? flowName(edge.flows[0]) + ': ' : n + ' flows: ';
  const title = `${what}${endpointName(edge.a)} → ${endpointName(edge.b)}, ${n === 1 ? '' : 'worst '}${verdictWord(edge.worst)}`;
  const cls = `edge ${verdictClass(edge.worst)}${edge.onPath ? ' on-path' : ''}${edge.busy ? ' busy' : ''}${n >= 20 ? ' wide' : ''}`;
  const halo = edge.onPath ? `<path class="halo" d="${d}"/>` : '';
  return `<g class="${cls}" data-edge="${i}"><title>${esc(title)}</title>${halo}<path class="line" d="${d}"/>` +
    `<path class="tip" d="${tip}"/><path class="hit" d="${d}"/></g>`;
}

// A count and symbol on an edge of several flows, when it is long enough on screen to carry it
// and carries at least `least` flows (on a crowded map only the busiest edges are labelled).
function edgeLabel(edge, g, least) {
  const s = graph.scale;
  const n = edge.flows.length;
  const len = Math.hypot(g.p2.x - g.p0.x, g.p2.y - g.p0.y) * s;
  if (n < Math.max(2, least) || len < 90) return '';
  const x = 0.25 * g.p0.x + 0.5 * g.c.x + 0.25 * g.p2.x;
  const y = 0.25 * g.p0.y + 0.5 * g.c.y + 0.25 * g.p2.y;
  return `<text class="elabel ${verdictClass(edge.worst)}" x="${num(x)}" y="${num(y)}" font-size="${num(11 / s)}" text-anchor="middle">${verdictSymbol(edge.worst)} ${n}</text>`;
}

// ---- countries and entities ---------------------------------------------------------------

// A country's box (focusable, a button for expanding it) and, apart, its texts: they are drawn
// above the edges so that they stay readable on a crowded map.
function groupSvg(g, inside, hit) {
  const b = D.groups[g];
  const s = graph.scale;
  const open = isOpen(g);
  const code = b[G_CODE], name = b[G_NAME];
  const full = name ? `${code} · ${name}` : code;
  const entities = b[G_ENTITIES].length;
  const within = inside.get(g);
  const withinText = within ? `${within.count} flow${within.count === 1 ? '' : 's'} within, worst ${verdictWord(within.worst)}` : '';
  const label = `${name || code} (${code}): ${entities} entit${entities === 1 ? 'y' : 'ies'}${within ? ', ' + withinText : ''}; ${open ? 'expanded, Enter collapses' : 'collapsed, Enter expands'}`;
  const cls = `grp${open ? ' open' : ''}${hit ? ' hit' : ''}${graph.pathGroups && graph.pathGroups.has(g) ? ' sel' : ''}`;
  let box = `<g class="${cls}" data-group="${g}" tabindex="0" role="button" aria-expanded="${open}" aria-label="${esc(label)}">` +
    `<rect class="box" x="${b[G_X]}" y="${b[G_Y]}" width="${b[G_W]}" height="${b[G_H]}" rx="6"/>`;
  let text = '';
  const pad = open ? 10 : Math.min(12 / s, b[G_W] / 12);
  const avail = b[G_W] - 2 * pad;
  // About 0.58 em a character in a bold sans-serif, and room for the ⊕/⊖ sign: the name when
  // it fits at the smallest size, else the code; a collapsed box's title then grows with the
  // box, and stays readable when zoomed out.
  const least = open ? 14 : Math.max(15, 13 / s);
  const chosen = (full.length + 2) * least * 0.58 <= avail ? full : code;
  const fits = Math.min(b[G_H] / 6, avail / ((chosen.length + 2) * 0.58));
  const fs = open ? 14 : Math.min(Math.max(least, fits), b[G_H] / 3.4, b[G_W] / 4);
  const room = Math.floor(avail / (fs * 0.58)) - 2;
  const title = cut(chosen, room);
  if (open) {
    box += `<rect class="head-bar" x="${b[G_X]}" y="${b[G_Y]}" width="${b[G_W]}" height="28" rx="6"/>`;
    text += `<text class="title" x="${b[G_X] + pad}" y="${b[G_Y] + 20}" font-size="${fs}">⊖ ${esc(title)}</text>`;
    for (const [kind, top] of b[G_BANDS]) {
      text += `<text class="band" x="${b[G_X] + pad}" y="${b[G_Y] + top + 13}">${KIND_WORDS[kind]}</text>`;
    }
  } else {
    const y = b[G_Y] + pad + fs;
    text += `<text class="title" x="${num(b[G_X] + pad)}" y="${num(y)}" font-size="${num(fs)}">⊕ ${esc(title)}</text>`;
    const sub = fs * 0.8;
    if (y + sub * 1.4 < b[G_Y] + b[G_H]) {
      text += `<text class="sub" x="${num(b[G_X] + pad)}" y="${num(y + sub * 1.35)}" font-size="${num(sub)}">${esc(cut(entities + ' entit' + (entities === 1 ? 'y' : 'ies'), room + 4))}</text>`;
    }
    if (within && y + sub * 2.8 < b[G_Y] + b[G_H]) {
      const inner = `${verdictSymbol(within.worst)} ${within.count} within`;
      text += `<text class="sub" x="${num(b[G_X] + pad)}" y="${num(y + sub * 2.7)}" font-size="${num(sub)}">${esc(cut(inner, room + 4))}</text>`;
    }
  }
  return [box + '</g>', text];
}

function nodeSvg(e, matches, step) {
  const ent = D.entities[e];
  const x = ent[E_X], y = ent[E_Y];
  const cls = `node k${ent[E_KIND]}${matches.has(e) ? ' match' : ''}${step > 0 ? ' on-path' : ''}`;
  let out = `<g class="${cls}" data-entity="${e}" data-id="${esc(ent[E_ID])}"><title>${esc(ent[E_NAME])} (${esc(ent[E_ID])})</title>` +
    `<rect x="${x}" y="${y}" width="${NODE_W}" height="${NODE_H}" rx="4"/>` +
    `<text x="${x + 6}" y="${y + 17}">${esc(cut(ent[E_NAME], Math.floor((NODE_W - 10) / 6.6)))}</text>`;
  if (step > 0) {
    out += `<circle class="step" cx="${x}" cy="${y}" r="9"/><text class="step-text" x="${x}" y="${y + 4}" font-size="11">${step}</text>`;
  }
  return out + '</g>';
}

// ---- drawing ------------------------------------------------------------------------------

// Beyond this many edges on screen, edges are drawn lighter and only the busiest labelled.
const CROWDED = 300;
const MOST_LABELS = 60;

function labelThreshold(drawn) {
  if (drawn.length <= CROWDED) return 2;
  const counts = drawn.map(([edge]) => edge.flows.length).sort((a, b) => b - a);
  return counts[Math.min(MOST_LABELS, counts.length - 1)] + 1;
}

function render() {
  const started = performance.now();
  graph.pending = false;
  const r = grow(graph.vb, 0.6);
  graph.rendered = r;
  graph.renderedScale = graph.scale;
  graph.autoOpen = autoOpened();
  graph.renderedOpen = openSignature(graph.autoOpen);
  const focused = document.activeElement && document.activeElement.closest &&
    document.activeElement.closest('[data-group]');
  const focusGroup = focused ? focused.getAttribute('data-group') : null;
  const { edges, inside } = collectEdges();
  const matches = searchedEntities();
  const hitGroups = new Set([...matches].map((e) => D.entities[e][E_GROUP]));
  const steps = new Map(graph.path.map((e, i) => [e, i + 1]));
  graph.pathGroups = new Set(graph.path.map((e) => D.entities[e][E_GROUP]));
  const boxes = [], lines = [], nodes = [], labels = [], titles = [];
  for (let g = 0; g < nGroups; g++) {
    if (!intersects(groupRect(g), r)) continue;
    const [box, text] = groupSvg(g, inside, hitGroups.has(g));
    boxes.push(box);
    titles.push(text);
    if (!isOpen(g)) continue;
    for (const e of D.groups[g][G_ENTITIES]) nodes.push(nodeSvg(e, matches, steps.get(e) || 0));
  }
  graph.edges = edges;
  const onTop = [];
  const drawn = [];
  edges.forEach((edge, i) => {
    const g = geometry(edge);
    if (intersects(bbox(g), r)) drawn.push([edge, g, i]);
  });
  const least = labelThreshold(drawn);
  for (const [edge, g, i] of drawn) {
    edge.onPath = edge.flows.some((f) => graph.pathFlows.has(f));
    edge.busy = edge.flows.length >= least;
    (edge.onPath ? onTop : lines).push(edgeSvg(edge, i, g));
    labels.push(edgeLabel(edge, g, least));
  }
  svg.classList.toggle('crowded', drawn.length > CROWDED);
  layer.innerHTML = boxes.join('') + '<g aria-hidden="true">' + lines.join('') + onTop.join('') +
    '</g><g aria-hidden="true">' + nodes.join('') + titles.join('') + labels.join('') + '</g>';
  if (focusGroup !== null) {
    const again = layer.querySelector(`[data-group="${focusGroup}"]`);
    if (again) again.focus({ preventScroll: true });
  }
  // Read by the browser tests: how long the last drawing took, in ms.
  window.xborderViewDrawMs = performance.now() - started;
}

// The selected hop's witness path: its entities, and the flows between consecutive ones.
function showPath(entities, flow) {
  graph.path = entities;
  graph.pathFlows = new Set(flow >= 0 ? [flow] : []);
  for (let i = 0; i + 1 < entities.length; i++) {
    for (const f of flowsBetween.get(entities[i] + '>' + entities[i + 1]) || []) graph.pathFlows.add(f);
  }
  for (const e of entities) {
    const g = D.entities[e][E_GROUP];
    if (graph.mode[g] !== 1) graph.mode[g] = 1;
  }
  scheduleRender();
}

function pathRect() {
  if (graph.path.length === 0) return null;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const e of graph.path) {
    const ent = D.entities[e];
    x0 = Math.min(x0, ent[E_X]); y0 = Math.min(y0, ent[E_Y]);
    x1 = Math.max(x1, ent[E_X] + NODE_W); y1 = Math.max(y1, ent[E_Y] + NODE_H);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

// Brings the selected path into view when part of it is off screen.
function revealPath() {
  const r = pathRect();
  if (r && !contains(graph.vb, r)) fit(r);
}

function toggleGroup(g) {
  graph.mode[g] = isOpen(g) ? -1 : 1;
  scheduleRender();
}

function setAllGroups(mode) {
  graph.mode.fill(mode);
  scheduleRender();
}

// ---- pointer and keys ---------------------------------------------------------------------

function wireGraph() {
  let drag = null;
  svg.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, vx: graph.vb.x, vy: graph.vb.y, moved: false, id: ev.pointerId };
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) { drag.moved = true; svg.setPointerCapture(ev.pointerId); svg.classList.add('panning'); }
    setView(drag.vx - dx / graph.scale, drag.vy - dy / graph.scale, graph.vb.w);
  });
  const end = (ev) => {
    if (!drag) return;
    const moved = drag.moved;
    drag = null;
    svg.classList.remove('panning');
    if (!moved && ev.type === 'pointerup') clickAt(ev.target);
  };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', end);
  svg.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const rect = svg.getBoundingClientRect();
    zoomAt(ev.clientX - rect.left, ev.clientY - rect.top, Math.exp(-ev.deltaY * 0.0015));
  }, { passive: false });
  svg.addEventListener('keydown', onGraphKey);
  new ResizeObserver(() => setView(graph.vb.x, graph.vb.y, graph.vb.w)).observe(svg);
}

function clickAt(target) {
  const edge = target.closest && target.closest('[data-edge]');
  if (edge) {
    const e = graph.edges[Number(edge.getAttribute('data-edge'))];
    if (e && graph.onEdge) graph.onEdge(e);
    return;
  }
  const node = target.closest && target.closest('[data-entity]');
  if (node) {
    if (graph.onEntity) graph.onEntity(Number(node.getAttribute('data-entity')));
    return;
  }
  const grp = target.closest && target.closest('[data-group]');
  if (grp) toggleGroup(Number(grp.getAttribute('data-group')));
}

function onGraphKey(ev) {
  const grp = ev.target.closest && ev.target.closest('[data-group]');
  if (grp && (ev.key === 'Enter' || ev.key === ' ')) {
    ev.preventDefault();
    toggleGroup(Number(grp.getAttribute('data-group')));
    return;
  }
  const moves = { ArrowLeft: [-0.15, 0], ArrowRight: [0.15, 0], ArrowUp: [0, -0.15], ArrowDown: [0, 0.15] };
  if (moves[ev.key]) {
    pan(...moves[ev.key]);
  } else if (ev.key === '+' || ev.key === '=') {
    zoomCentre(1.3);
  } else if (ev.key === '-' || ev.key === '_') {
    zoomCentre(1 / 1.3);
  } else if (ev.key === '0') {
    fit();
  } else {
    return;
  }
  ev.preventDefault();
}
