// Wiring: the slider, the filters, the list and the map move together. Moving the slider only
// looks up each hop's state for the new date; nothing is judged in the page.

let goTo = null;

function selectHop(h, reveal) {
  list.selected = h;
  const st = h >= 0 ? view.states[h] : -1;
  showPath(st >= 0 ? D.states[st][S_PATH] : [], h >= 0 ? D.hops[h][H_FLOW] : -1);
  if (reveal) revealPath();
  for (const row of document.querySelectorAll('#hop-rows tr')) {
    if (Number(row.getAttribute('data-hop')) === h) row.setAttribute('aria-current', 'true'); else row.removeAttribute('aria-current');
  }
  renderDetails(h, goTo);
  if (h >= 0) {
    const row = document.querySelector(`#hop-rows tr[data-hop="${h}"]`);
    if (row) row.scrollIntoView({ block: 'nearest' });
    const v = st >= 0 ? VERDICT_WORDS[D.states[st][S_VERDICT]] : 'no hop on this date';
    announce(`Selected ${flowName(D.hops[h][H_FLOW])}, ${D.regimes[D.hops[h][H_REGIME]][0]}: ${v}.`);
  }
}

function describeGraph(s) {
  $('graph-desc').textContent = `${nGroups} countries or regions, ${D.entities.length} entities and ` +
    `${D.flows.length} flows. On ${view.date}: ${s.hops} hops, ${s.verdicts[3]} unlawful, ` +
    `${s.verdicts[2]} conditional, ${s.verdicts[1]} lawful, ${s.verdicts[0]} not a transfer. ` +
    'The hop list next to the map gives the same verdicts as text.';
}

function refresh() {
  const s = renderSummary();
  renderTime(s);
  renderChips(onFilter);
  renderList(selectHop);
  if (list.selected >= 0) {
    const st = view.states[list.selected];
    showPath(st >= 0 ? D.states[st][S_PATH] : [], D.hops[list.selected][H_FLOW]);
  }
  renderDetails(list.selected, goTo);
  describeGraph(s);
  scheduleRender();
  return s;
}

function onStop(stop) {
  setStop(stop);
  const s = refresh();
  announce(`${view.date}: ${s.hops} hops; ${s.verdicts[3]} unlawful, ${s.verdicts[2]} conditional, ` +
    `${s.verdicts[1]} lawful, ${s.verdicts[0]} not a transfer; ${s.severities[2]} errors, ${s.severities[1]} warnings.`);
}

function onFilter() {
  list.shown = PAGE_ROWS;
  refresh();
  announce(`${list.rows.length} hop${list.rows.length === 1 ? '' : 's'} shown.`);
}

function onEdge(edge) {
  if (edge.flows.length > 1) {
    filter.flows = new Set(edge.flows);
    filter.flowsLabel = `${edge.flows.length} flows ${endpointName(edge.a)} → ${endpointName(edge.b)}`;
    onFilter();
    return;
  }
  const f = edge.flows[0];
  let best = -1, worst = -1;
  for (const h of flowHops[f]) {
    if (filtering() ? !hopShown(h) : view.states[h] < 0) continue;
    const v = D.states[view.states[h]][S_VERDICT];
    if (v > worst) { worst = v; best = h; }
  }
  if (best >= 0) {
    selectHop(best, false);
  } else {
    announce(`${flowName(f)} carries no restricted regime's data on ${view.date}.`);
  }
}

function onEntity(e) {
  filter.entity = e;
  onFilter();
}

function legendItem(cls, symbol, text) {
  const sample = `<svg viewBox="0 0 44 10" aria-hidden="true"><g class="edge ${cls}"><path class="line" d="M1 5H37"/>` +
    '<path class="tip" d="M43 5L35 1.5L35 8.5Z"/></g></svg>';
  const li = el('li', {});
  li.innerHTML = sample;
  li.append(el('span', { class: 'sym ' + cls, 'aria-hidden': 'true', text: symbol }), text);
  return li;
}

function buildLegend() {
  $('legend').replaceChildren(
    ...[3, 2, 1, 0].map((v) => legendItem('v' + v, VERDICT_SYMBOLS[v], VERDICT_WORDS[v])),
    legendItem('vn', NO_HOP_SYMBOL, NO_HOP_WORD),
    el('li', { text: '⊕ / ⊖ collapsed / expanded country' }),
    el('li', { text: 'numbered black outline: witness path of the selected hop' }),
    el('li', { text: 'blue outline: search match' }));
}

function init() {
  goTo = setupTime(onStop);
  setupFilters(onFilter);
  buildLegend();
  wireGraph();
  graph.onEdge = onEdge;
  graph.onEntity = onEntity;
  $('zoom-in').addEventListener('click', () => zoomCentre(1.3));
  $('zoom-out').addEventListener('click', () => zoomCentre(1 / 1.3));
  $('zoom-fit').addEventListener('click', () => fit());
  $('expand-all').addEventListener('click', () => setAllGroups(1));
  $('collapse-all').addEventListener('click', () => setAllGroups(-1));
  $('more-hops').addEventListener('click', () => { list.shown += PAGE_ROWS; renderList(selectHop); });
  setStop(D.initial);
  fit();
  refresh();
  render();
  // Read by the browser tests: when the page became interactive, in ms since navigation.
  window.xborderViewReady = performance.now();
  document.documentElement.setAttribute('data-ready', 'true');
}

init();
