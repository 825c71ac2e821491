// The selected hop: its verdict on the date with what it rests on, its findings with citations
// and remedies, its witness path, where it is in the map, and its verdicts over time.

function placeName(code) {
  const g = D.groups.find((b) => b[G_CODE] === code);
  return g && g[G_NAME] ? `${code} — ${g[G_NAME]}` : code;
}

function dayBefore(date) {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d) - 86400000);
  return t.toISOString().slice(0, 10);
}

// The hop's stretches merged where verdict and mechanism stay, as `xborder timeline` lists them.
function verdictHistory(h) {
  const seg = D.hops[h][H_SEGMENTS];
  const out = [];
  for (let i = 0; i < seg.length; i += 2) {
    const st = seg[i + 1];
    const v = st < 0 ? null : D.states[st][S_VERDICT];
    const m = st < 0 ? -1 : D.states[st][S_MECH];
    const last = out[out.length - 1];
    if (last && last.verdict === v && last.mechanism === m) continue;
    out.push({ stop: seg[i], verdict: v, mechanism: m });
  }
  return out;
}

function historyList(h, goTo) {
  const items = verdictHistory(h);
  // Before its first stretch the hop did not exist: no regime's data reached it yet.
  if (items.length > 0 && items[0].stop > 0) items.unshift({ stop: 0, verdict: null, mechanism: -1 });
  return el('ol', { class: 'history' }, ...items.map((item, i) => {
    const next = items[i + 1];
    const from = D.stops[item.stop];
    const span = next ? `${from} – ${dayBefore(D.stops[next.stop])}` : `${from} –`;
    const holds = item.stop <= view.stop && (!next || next.stop > view.stop);
    const what = item.verdict === null
      ? el('span', { text: 'no hop (the regime\'s data does not reach it)' })
      : el('span', {}, verdictSpan(item.verdict), item.mechanism >= 0 ? ` (${str(item.mechanism)})` : '');
    const go = el('button', { type: 'button', 'aria-label': `Move the slider to ${from}`, text: 'show' });
    go.addEventListener('click', () => goTo(item.stop));
    return el('li', { class: holds ? 'now' : null, 'aria-current': holds ? 'date' : null }, `${span}: `, what, ' ', go);
  }));
}

function findingItem(fi) {
  const f = D.findings[fi];
  const code = D.codes[f[F_CODE]];
  return el('li', { 'data-code': code[0], 'data-severity': SEVERITIES[f[F_SEV]] },
    el('p', { class: 'finding-head' },
      el('span', { class: 'sev s' + f[F_SEV], text: SEVERITIES[f[F_SEV]] }), ' ', `${code[0]} ${code[1]}`,
      f[F_BASE] === 1 ? el('span', { class: 'new', text: 'new since base' }) : null),
    el('p', { class: 'message', text: str(f[F_MSG]) }),
    el('p', { class: 'where' }, 'In the map: ', el('code', { text: `${D.map.path}:${f[F_LINE]}:${f[F_COL]}` })),
    el('p', { class: 'cite' }, el('strong', { text: 'Citation: ' }), str(f[F_CITE])),
    el('p', { class: 'fix' }, el('strong', { text: 'Remedy: ' }), str(f[F_FIX])));
}

function pathList(state) {
  const path = state[S_PATH];
  const items = path.map((e, i) => {
    const ent = D.entities[e];
    const item = el('li', {}, el('code', { text: ent[E_ID] }), ` ${ent[E_NAME]} (${D.groups[ent[E_GROUP]][G_CODE]})`);
    if (i === 0 && state[S_OMITTED] > 0) item.append(` … ${state[S_OMITTED]} more …`);
    return item;
  });
  return el('ol', { class: 'path' }, ...items);
}

function renderDetails(h, goTo) {
  const body = $('details-body');
  if (h < 0) {
    body.replaceChildren(el('p', { class: 'hint', text: 'Select a hop in the list, or an edge in the map.' }));
    return;
  }
  const hop = D.hops[h];
  const f = hop[H_FLOW];
  const fl = D.flows[f];
  const from = D.entities[fl[FL_FROM]], to = D.entities[fl[FL_TO]];
  const regime = D.regimes[hop[H_REGIME]];
  const title = el('p', { class: 'hop-title', id: 'hop-title', text: `${flowName(f)}: ${from[E_ID]} → ${to[E_ID]} (${regime[0]} → ${str(hop[H_DEST])})` });
  const st = view.states[h];
  const where = el('code', { class: 'map-location', text: `${D.map.path}:${fl[FL_LINE]}` });
  if (st < 0) {
    body.replaceChildren(title,
      el('p', { text: `On ${view.date} this hop does not exist: ${regime[0]} data does not reach it on that date.` }),
      el('p', {}, 'In the map: ', where),
      el('h3', { text: 'Verdict over time' }), historyList(h, goTo));
    return;
  }
  const state = D.states[st];
  const rows = [
    ['Verdict', verdictSpan(state[S_VERDICT])],
    ['On', view.date],
    ['Regime', `${regime[0]} — ${regime[1]}`],
    ['Destination', placeName(str(hop[H_DEST]))],
    ['Mechanism', state[S_MECH] >= 0 ? str(state[S_MECH]) : 'none'],
    ['Basis', str(state[S_BASIS])],
    ['Data', state[S_CATS].map((c) => str(c)).join(', ') || '—'],
    ['Witness path', pathList(state)],
    ['In the map', where],
  ];
  if (fl[FL_NEW] === 1) rows.push(['Since base', el('span', { class: 'new', text: 'new flow' })]);
  const dl = el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));
  const findings = state[S_FINDINGS];
  body.replaceChildren(title, dl,
    el('h3', { text: `Findings (${findings.length})` }),
    findings.length ? el('ol', { class: 'findings', id: 'findings' }, ...findings.map(findingItem))
      : el('p', { class: 'hint', text: 'No finding on this hop.' }),
    el('h3', { text: 'Verdict over time' }), historyList(h, goTo));
}
