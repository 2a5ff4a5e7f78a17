// zoneval workbench page. Hand-written, no dependencies, no build step.
// Every name that comes from data (zones, indicators, grades) is set with textContent or as
// an attribute value: never parsed as HTML. Charts are the server's SVG shown as <img>.
"use strict";

const LANG = document.documentElement.lang === "zh" ? "zh" : "en";
const T = {
  en: {
    locked: "Official method (locked)", explore: "Explore", undo: "Undo", reset: "Reset",
    exportToml: "Scenario TOML", exportCsv: "Ranking CSV", exportXlsx: "Ranking xlsx", exportReport: "Full report",
    monteCarlo: "Monte Carlo", method: "Method", normalization: "Normalisation",
    weighting: "Weighting", aggregation: "Aggregation", year: "Year", weights: "Weights",
    weightsHelp: "Local weights; siblings always sum to 1. The orange mark is the official weight; the green band, the range of that weight (its siblings rescaled in proportion) keeping the current top-K order.",
    ahpTitle: "AHP judgements for", cr: "Consistency ratio CR =", apply: "Apply", close: "Close",
    ranking: "Ranking", rank: "Rank", change: "vs official", zone: "Zone", score: "Score",
    grade: "Grade", mcInterval: "MC rank p5–p95", compareTitle: "Scenarios A and B",
    compareSame: "A and B rank every zone the same.", compareDiff: (n) => n + " zones ranked differently by A and B.",
    scorecard: "Scorecard:", charts: "Charts", mcRunning: "Monte Carlo running…",
    mcDone: (d, t) => d + " / " + t + " samples", mcSamples: "samples",
    compareMore: (n) => "… and " + n + " more.", showAll: "Show all",
    lockedNote: "Locked: the official method. Switch to Explore to change it.",
    dataDriven: (w) => "Weighting “" + w + "” computes weights from the data: sliders are off.",
    stable: (lo, hi) => "top-K order holds for " + lo + "–" + hi,
    strengths: "Strengths", weaknesses: "Weaknesses", gap: (g, p) => p + " points to “" + g + "”",
    topGrade: "In the top grade.", latency: (ms) => "last update " + ms + " ms", vetoed: "vetoed",
    criterion: "Criterion", mean: "Mean", ahp: "AHP", unranked: "—",
  },
  zh: {
    locked: "官方方法（锁定）", explore: "探索", undo: "撤销", reset: "重置",
    exportToml: "导出情景 TOML", exportCsv: "导出排名 CSV", exportXlsx: "导出排名 xlsx", exportReport: "完整报告",
    monteCarlo: "蒙特卡洛", method: "方法", normalization: "标准化", weighting: "赋权",
    aggregation: "集成", year: "年份", weights: "权重",
    weightsHelp: "局部权重，同级之和恒为 1。橙色刻度为官方权重；绿色区间为该权重（同级按比例调整）保持当前前 K 名次序不变的范围。",
    ahpTitle: "层次分析判断矩阵：", cr: "一致性比率 CR =", apply: "应用", close: "关闭",
    ranking: "排名", rank: "名次", change: "较官方", zone: "开发区", score: "得分",
    grade: "等级", mcInterval: "蒙特卡洛名次 p5–p95", compareTitle: "情景 A 与 B 对比",
    compareSame: "A 与 B 的名次完全相同。", compareDiff: (n) => "有 " + n + " 个开发区在 A、B 中名次不同。",
    scorecard: "评分卡：", charts: "图表", mcRunning: "蒙特卡洛计算中…",
    mcDone: (d, t) => "已完成 " + d + " / " + t + " 次抽样", mcSamples: "抽样次数",
    compareMore: (n) => "……另有 " + n + " 个。", showAll: "全部显示",
    lockedNote: "已锁定为官方方法。切换到“探索”以调整。",
    dataDriven: (w) => "赋权方法“" + w + "”由数据计算权重，滑块不可用。",
    stable: (lo, hi) => "前 K 名次序不变区间 " + lo + "–" + hi,
    strengths: "优势", weaknesses: "短板", gap: (g, p) => "距“" + g + "”还差 " + p + " 分",
    topGrade: "已在最高等级。", latency: (ms) => "最近一次更新 " + ms + " 毫秒", vetoed: "否决",
    criterion: "准则", mean: "平均", ahp: "AHP", unranked: "—",
  },
}[LANG];

const TOKEN = new URLSearchParams(location.search).get("token");
const WRITTEN = ["expert", "ahp", "combined"];
const $ = (id) => document.getElementById(id);

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

async function api(path, body, as) {
  const headers = { "Content-Type": "application/json" };
  if (TOKEN) headers.Authorization = "Bearer " + TOKEN;
  const res = await fetch(path, body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) });
  if (!res.ok) {
    let msg = res.status + "";
    try { msg = (await res.json()).error; } catch (_) { /* keep the status */ }
    throw new Error(msg);
  }
  return as === "blob" ? res.blob() : as === "text" ? res.text() : res.json();
}

// ---------------------------------------------------------------- state
const S = {
  sys: null, nodes: new Map(), official: null, officialRank: new Map(),
  view: "locked", active: "A",
  scn: { A: blank(), B: blank() }, undo: { A: [], B: [] },
  docs: { A: null, B: null }, stability: null, mc: null, zone: null,
  inflight: false, pending: null, lastInput: null,
};
window.zvLatencies = [];

function blank() { return { weights: {}, method: {}, year: null }; }
function cur() { return S.scn[S.active]; }
function body(s) {
  const b = {};
  if (Object.keys(s.weights).length) b.weights = s.weights;
  const m = {};
  for (const k of ["normalization", "weighting", "aggregation"]) if (s.method[k]) m[k] = s.method[k];
  if (Object.keys(m).length) b.method = m;
  if (s.year !== null) b.year = s.year;
  return b;
}
function snapshot() { S.undo[S.active].push(JSON.stringify(cur())); if (S.undo[S.active].length > 200) S.undo[S.active].shift(); }

/// The local weight of a node in the active scenario.
function weightOf(id) {
  const w = cur().weights[id];
  return w === undefined ? S.nodes.get(id).weight : w;
}
function effectiveWeighting() { return cur().method.weighting || S.sys.method.weighting; }
function slidersOn() { return S.view === "explore" && WRITTEN.includes(effectiveWeighting()); }

/// Notes an input at time `t` (performance.now() clock): the latency of the next redraw is
/// counted from the earliest input it is the first to show.
function inputAt(t) { if (S.lastInput === null) S.lastInput = t === undefined ? performance.now() : t; }

/// Sets node `id` to `v` and rescales its siblings in proportion so they still sum to 1.
function setWeight(id, v) {
  const node = S.nodes.get(id);
  const sibs = node.parent.children;
  v = Math.min(1, Math.max(0, v));
  const others = sibs.filter((s) => s.id !== id);
  const rest = others.reduce((a, s) => a + weightOf(s.id), 0);
  const w = cur().weights;
  for (const s of others) {
    w[s.id] = rest > 1e-12 ? weightOf(s.id) * (1 - v) / rest : (1 - v) / others.length;
  }
  w[id] = others.length ? v : 1;
}

// ---------------------------------------------------------------- tree
function buildTree() {
  const root = S.sys.tree;
  const walk = (n, parent, depth) => {
    n.parent = parent; n.depth = depth;
    if (parent) S.nodes.set(n.id, n);
    (n.children || []).forEach((c) => walk(c, n, depth + 1));
  };
  walk(root, null, 0);
  const box = $("tree");
  box.textContent = "";
  for (const c of root.children) box.appendChild(nodeView(c));
}

function label(n) { return LANG === "en" && n.name_en ? n.name_en : n.name; }

function nodeView(n) {
  const d = el("div", { class: "node" + (n.children ? " crit" : "") });
  const row = el("div", { class: "row" });
  const name = el("span", { class: "name", title: n.id }, label(n));
  const slider = el("div", { class: "slider" });
  const band = el("div", { class: "band hidden" });
  const mark = el("div", { class: "mark", title: "official " + n.weight.toFixed(4) });
  mark.style.left = "calc(" + (n.weight * 100).toFixed(2) + "% - 1px)";
  const range = el("input", { type: "range", min: "0", max: "1", step: "0.001", "data-node": n.id, "aria-label": label(n) });
  const num = el("input", { type: "number", min: "0", max: "1", step: "0.01", "data-node": n.id, "aria-label": label(n) });
  slider.append(band, mark, range);
  const ahp = el("span");
  if (n.children && n.children.length > 1) {
    const b = el("button", { class: "ahp-btn", title: T.ahpTitle }, T.ahp);
    b.addEventListener("click", () => openAhp(n));
    ahp.appendChild(b);
  }
  row.append(name, slider, num, el("span"));
  const stab = el("div", { class: "stab" });
  d.append(row, stab);
  if (ahp.firstChild) name.after(ahp), row.style.gridTemplateColumns = "1fr auto 170px 64px";
  n.ui = { range, num, band, stab };
  range.addEventListener("input", (e) => onInput(n.id, parseFloat(range.value), e));
  num.addEventListener("change", (e) => onInput(n.id, parseFloat(num.value), e));
  if (n.children) {
    const kids = el("div", { class: "kids" });
    for (const c of n.children) kids.appendChild(nodeView(c));
    d.appendChild(kids);
  }
  return d;
}

function onInput(id, v, e) {
  if (!Number.isFinite(v) || !slidersOn()) { syncTree(); return; }
  // Coalesce a drag into one undo step: a new step when the last change was over 600 ms ago.
  const now = performance.now();
  if (now - (S.lastEdit || 0) > 600 || S.lastEditId !== id) snapshot();
  S.lastEdit = now; S.lastEditId = id;
  setWeight(id, v);
  inputAt(e && e.timeStamp ? Math.min(e.timeStamp, now) : now);
  syncTree();
  refresh();
}

function syncTree() {
  const on = slidersOn();
  for (const [id, n] of S.nodes) {
    const w = weightOf(id);
    n.ui.range.value = String(w);
    n.ui.num.value = w.toFixed(3);
    n.ui.range.disabled = !on; n.ui.num.disabled = !on;
  }
  $("undo").disabled = S.view !== "explore" || !S.undo[S.active].length;
  $("reset").disabled = S.view !== "explore";
  for (const k of ["normalization", "weighting", "aggregation", "year"]) $("m-" + k).disabled = S.view !== "explore";
  const note = S.view !== "explore" ? T.lockedNote : !WRITTEN.includes(effectiveWeighting()) ? T.dataDriven(effectiveWeighting()) : "";
  $("method-note").textContent = note;
}

// ---------------------------------------------------------------- methods
function fillMethods() {
  const m = S.sys.method;
  for (const k of ["normalization", "weighting", "aggregation"]) {
    const sel = $("m-" + k);
    sel.textContent = "";
    for (const name of S.sys.methods[k]) sel.appendChild(el("option", { value: name }, name));
    if (k === "normalization" && !S.sys.methods[k].includes(m[k])) sel.appendChild(el("option", { value: m[k] }, m[k]));
    sel.addEventListener("change", () => {
      snapshot();
      cur().method[k] = sel.value === S.sys.method[k] ? undefined : sel.value;
      inputAt();
      syncTree(); refresh();
    });
  }
  const ys = $("m-year");
  ys.textContent = "";
  const years = S.sys.years.length ? S.sys.years : [];
  ys.appendChild(el("option", { value: "" }, S.sys.year === null ? "—" : String(S.sys.year)));
  for (const y of years) if (y !== S.sys.year) ys.appendChild(el("option", { value: String(y) }, String(y)));
  ys.addEventListener("change", () => {
    snapshot();
    cur().year = ys.value === "" ? null : parseInt(ys.value, 10);
    inputAt();
    refresh();
  });
}

function syncMethods() {
  for (const k of ["normalization", "weighting", "aggregation"]) $("m-" + k).value = cur().method[k] || S.sys.method[k];
  $("m-year").value = cur().year === null ? "" : String(cur().year);
}

// ---------------------------------------------------------------- evaluation
async function refresh() {
  if (S.inflight) { S.pending = true; return; }
  S.inflight = true; S.pending = false;
  const which = S.active;
  const started = S.lastInput === null ? performance.now() : S.lastInput;
  S.lastInput = null;
  try {
    // The compact ranking (/api/ranking), not the full evaluate document: a few per cent of
    // its size for 2,543 zones, so parsing it costs little.
    const doc = fromRanking(await api("/api/ranking", body(cur())));
    S.docs[which] = doc;
    $("status").textContent = "";
    renderRanking(doc);
    renderCompare();
    if (S.zone) renderZone(S.zone);
    // After the frame that shows the new ranking has been painted.
    requestAnimationFrame(() => setTimeout(() => {
      const ms = Math.round(performance.now() - started);
      window.zvLatencies.push(ms);
      document.body.dataset.latency = String(ms);
      $("latency").textContent = T.latency(ms);
    }, 0));
    scheduleSlow();
  } catch (err) {
    $("status").textContent = err.message;
  } finally {
    S.inflight = false;
    if (S.pending) refresh();
  }
}

/// The `/api/ranking` columns as `{ year, zones: [{ id, name, score, rank, grade, vetoed,
/// criteria }] }`, the shape of the evaluate document's zones.
function fromRanking(r) {
  const zones = new Array(r.id.length);
  for (let i = 0; i < zones.length; i++) {
    const criteria = {};
    const cs = r.criteria_scores[i];
    for (let k = 0; k < cs.length; k++) criteria[r.criteria[k]] = cs[k];
    zones[i] = { id: r.id[i], name: r.name[i], value: r.value[i], score: r.score[i], rank: r.rank[i], grade: r.grade[i], vetoed: r.vetoed[i], criteria };
  }
  return { year: r.year, zones };
}

let slowTimer = null;
/// Charts and stability intervals follow a change after a short pause (they cost more).
function scheduleSlow() {
  clearTimeout(slowTimer);
  // Larger rankings wait longer: their analyses cost more and must not slow the next input.
  const zones = S.docs[S.active] ? S.docs[S.active].zones.length : 0;
  slowTimer = setTimeout(() => { loadCharts(); loadStability(); }, zones > 600 ? 1500 : 250);
}

/// The ranking table is virtual: only the rows in view (and a margin) exist, reused from one
/// redraw to the next, between two spacer rows that keep the scroll height of the whole
/// ranking. A redraw of 2,543 zones then costs what one of 60 does.
const V = { zones: [], mc: null, rowH: 27, pool: [] };
const OVERSCAN = 30;

function setRow(tr, z, mc) {
  tr.dataset.zone = z.id;
  const c = tr.cells;
  const off = S.officialRank.get(z.id);
  let arrow = "", cls = "same", title = "";
  if (z.rank !== null && off !== undefined && off !== null) {
    const d = off - z.rank;
    if (d > 0) { arrow = "▲" + d; cls = "up"; } else if (d < 0) { arrow = "▼" + (-d); cls = "down"; } else { arrow = "＝"; }
    title = "official " + off;
  }
  c[0].textContent = z.rank === null ? T.unranked : z.rank;
  c[1].textContent = arrow; c[1].className = "delta " + cls; c[1].title = title;
  c[2].textContent = z.name + (z.vetoed ? " (" + T.vetoed + ")" : ""); c[2].className = z.vetoed ? "vetoed" : "";
  c[2].title = z.name;
  c[3].textContent = z.score === null ? "" : z.score.toFixed(2);
  c[4].textContent = z.grade === null ? "" : z.grade;
  const m = mc && mc.get(z.id);
  c[5].textContent = m ? m.p05 + "–" + m.p95 : "";
  c[5].classList.toggle("hidden", !mc);
}

function newRow() {
  const tr = el("tr", { class: "z" });
  tr.append(el("td", { class: "num" }), el("td"), el("td"), el("td", { class: "num" }), el("td"), el("td", { class: "num" }));
  return tr;
}

function renderRanking(doc) {
  V.zones = doc.zones;
  V.mc = S.mc && S.mc.scenario === JSON.stringify(body(cur())) ? new Map(S.mc.result.zones.map((z) => [z.id, z])) : null;
  $("mc-head").classList.toggle("hidden", !V.mc);
  $("ranking").dataset.zones = String(doc.zones.length);
  drawRows();
  $("scn-label").textContent = "(" + S.active + ")";
}

function drawRows() {
  const box = $("ranking-scroll");
  const tb = document.querySelector("#ranking tbody");
  const n = V.zones.length;
  const view = box.clientHeight || 600;
  const first = Math.max(0, Math.floor(box.scrollTop / V.rowH) - OVERSCAN);
  const last = Math.min(n, Math.ceil((box.scrollTop + view) / V.rowH) + OVERSCAN);
  const [padTop, padBottom] = [$("pad-top"), $("pad-bottom")];
  for (let k = first; k < last; k++) {
    let tr = V.pool[k - first];
    if (!tr) { tr = newRow(); V.pool.push(tr); }
    setRow(tr, V.zones[k], V.mc);
    if (tr.parentNode !== tb) tb.insertBefore(tr, padBottom);
  }
  for (let k = last - first; k < V.pool.length; k++) if (V.pool[k].parentNode) V.pool[k].remove();
  // The real row height, once rows exist (fonts and zoom change it).
  const h = V.pool[0] && V.pool[0].parentNode ? V.pool[0].getBoundingClientRect().height : 0;
  if (h > 0 && Math.abs(h - V.rowH) > 0.5) V.rowH = h;
  padTop.firstChild.style.height = first * V.rowH + "px";
  padBottom.firstChild.style.height = (n - last) * V.rowH + "px";
}

function rankDelta(z, rb) {
  const r2 = rb.get(z.id);
  return z.rank !== null && r2 !== null && r2 !== undefined ? z.rank - r2 : 0;
}

function renderCompare() {
  const a = S.docs.A, b = S.docs.B;
  const tb = document.querySelector("#compare-table tbody");
  tb.textContent = "";
  if (!a || !b) { $("compare-note").textContent = ""; return; }
  const rb = new Map(b.zones.map((z) => [z.id, z.rank]));
  const diff = a.zones.filter((z) => rb.get(z.id) !== z.rank);
  $("compare-note").textContent = diff.length ? T.compareDiff(diff.length) : T.compareSame;
  // The largest moves first; a long list is cut (the note gives the count).
  const SHOWN = 200;
  diff.sort((x, y) => Math.abs(rankDelta(y, rb)) - Math.abs(rankDelta(x, rb)));
  if (diff.length > SHOWN) $("compare-note").textContent += " " + T.compareMore(diff.length - SHOWN);
  for (const z of diff.slice(0, SHOWN)) {
    const r2 = rb.get(z.id);
    const d = z.rank !== null && r2 !== null && r2 !== undefined ? z.rank - r2 : null;
    tb.appendChild(el("tr", {}));
    tb.lastChild.append(
      el("td", {}, z.name), el("td", { class: "num" }, z.rank ?? T.unranked),
      el("td", { class: "num" }, r2 ?? T.unranked),
      el("td", { class: "num " + (d > 0 ? "up" : d < 0 ? "down" : "same") }, d === null ? "" : d > 0 ? "▲" + d : d < 0 ? "▼" + (-d) : "＝"),
    );
  }
}

function renderZone(id) {
  const doc = S.docs[S.active];
  if (!doc) return;
  const z = doc.zones.find((x) => x.id === id);
  if (!z) return;
  $("zone").classList.remove("hidden");
  $("zone-name").textContent = z.name;
  const box = $("zone-body");
  const keepImg = box.querySelector("img");
  box.textContent = "";
  if (keepImg) box.appendChild(keepImg);
  const ranked = doc.zones.filter((x) => x.rank !== null);
  const crits = Object.keys(z.criteria || {});
  const rows = crits.map((c) => {
    const vals = ranked.map((x) => x.criteria[c]).filter((v) => typeof v === "number");
    const mean = vals.reduce((s, v) => s + v, 0) / Math.max(1, vals.length);
    const n = S.nodes.get(c);
    return { id: c, name: n ? label(n) : c, v: z.criteria[c], mean, d: z.criteria[c] - mean };
  });
  const t = el("table");
  t.appendChild(el("tr"));
  t.lastChild.append(el("th", {}, T.criterion), el("th", {}, T.score), el("th", {}, T.mean));
  for (const r of rows) {
    const tr = el("tr");
    tr.append(el("td", {}, r.name), el("td", { class: "num " + (r.d >= 0 ? "up" : "down") }, r.v === null ? "" : r.v.toFixed(1)), el("td", { class: "num" }, r.mean.toFixed(1)));
    t.appendChild(tr);
  }
  box.appendChild(t);
  const sorted = rows.filter((r) => typeof r.v === "number").sort((x, y) => y.d - x.d);
  box.appendChild(el("p", {}, T.strengths + ": " + sorted.filter((r) => r.d > 0).slice(0, 3).map((r) => r.name).join("、")));
  box.appendChild(el("p", {}, T.weaknesses + ": " + sorted.filter((r) => r.d < 0).slice(-3).reverse().map((r) => r.name).join("、")));
  // Grades are listed best first; the next grade is the lowest band above the zone's score.
  const above = (S.sys.grades || []).filter((g) => z.score !== null && g.min > z.score);
  const next = above[above.length - 1];
  box.appendChild(el("p", {}, next ? T.gap(LANG === "en" && next.name_en ? next.name_en : next.name, (next.min - z.score).toFixed(2)) : T.topGrade));
}

// ---------------------------------------------------------------- charts, stability, MC
const urls = [];
async function loadCharts() {
  try {
    const req = body(cur());
    if (S.zone) req.zone = S.zone;
    const r = await api("/api/charts", req);
    urls.splice(0).forEach((u) => URL.revokeObjectURL(u));
    const box = $("charts");
    box.textContent = "";
    for (const f of r.figures) {
      const u = URL.createObjectURL(new Blob([f.svg], { type: "image/svg+xml" }));
      urls.push(u);
      const img = el("img", { src: u, alt: f.title, title: f.title, "data-kind": f.kind });
      if (f.kind === "radar") {
        const zb = $("zone-body");
        const old = zb.querySelector("img");
        if (old) old.remove();
        zb.prepend(img);
      } else box.appendChild(img);
    }
  } catch (err) { $("status").textContent = err.message; }
}

async function loadStability() {
  for (const n of S.nodes.values()) { n.ui.band.classList.add("hidden"); n.ui.stab.textContent = ""; }
  const scenario = JSON.stringify(body(cur()));
  try {
    const r = await api("/api/stability", body(cur()));
    // A later change has started another; this answer is for an older scenario.
    if (scenario !== JSON.stringify(body(cur()))) return;
    const fmt = (x) => x.toFixed(3);
    for (const f of r.nodes || []) {
      const n = S.nodes.get(f.id);
      if (!n) continue;
      // The node's local weight, its siblings rescaled in proportion: what its slider does.
      n.ui.band.style.left = (f.low * 100).toFixed(2) + "%";
      n.ui.band.style.width = Math.max(0.5, (f.high - f.low) * 100).toFixed(2) + "%";
      n.ui.band.classList.remove("hidden");
      n.ui.band.title = T.stable(fmt(f.low), fmt(f.high));
      n.ui.stab.textContent = T.stable(fmt(f.low), fmt(f.high));
    }
  } catch (_) { /* stability is optional: some methods have none */ }
}

/// Monte Carlo as a server job, polled for its progress (samples done of the total).
async function runMc() {
  const started = performance.now();
  const bar = $("mc-bar");
  $("mc-progress").classList.remove("hidden");
  $("run-mc").disabled = true;
  const samples = Math.max(1, Math.min(20000, parseInt($("mc-samples").value, 10) || 2000));
  bar.max = samples; bar.value = 0;
  $("mc-count").textContent = T.mcDone(0, samples);
  window.zvMcProgress = [];
  const show = (st) => {
    bar.max = st.total; bar.value = st.done;
    $("mc-count").textContent = T.mcDone(st.done, st.total);
    $("mc-elapsed").textContent = ((performance.now() - started) / 1000).toFixed(1) + " s";
    window.zvMcProgress.push(st.done);
  };
  try {
    const scenario = JSON.stringify(body(cur()));
    let st = await api("/api/monte-carlo/jobs", Object.assign(body(cur()), { samples }));
    show(st);
    while (st.state === "running") {
      await new Promise((ok) => setTimeout(ok, 150));
      st = await api("/api/monte-carlo/jobs/" + st.job);
      show(st);
    }
    if (st.state === "failed") throw new Error(st.error);
    S.mc = { scenario, result: st.result };
    if (S.docs[S.active]) renderRanking(S.docs[S.active]);
  } catch (err) { $("status").textContent = err.message; }
  $("mc-progress").classList.add("hidden");
  $("run-mc").disabled = false;
}

// ---------------------------------------------------------------- AHP entry
const SAATY = [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51];
function ahpSolve(m) {
  const n = m.length;
  let w = new Array(n).fill(1 / n), lambda = n;
  for (let it = 0; it < 500; it++) {
    const v = m.map((row) => row.reduce((s, a, j) => s + a * w[j], 0));
    const sum = v.reduce((a, b) => a + b, 0);
    const nw = v.map((x) => x / sum);
    lambda = v.reduce((s, x, i) => s + x / w[i], 0) / n;
    const done = nw.every((x, i) => Math.abs(x - w[i]) < 1e-12);
    w = nw;
    if (done) break;
  }
  const ci = n > 2 ? (lambda - n) / (n - 1) : 0;
  const cr = n > 2 && n <= 11 ? ci / SAATY[n - 1] : 0;
  return { w, cr };
}
function parseJudgement(s) {
  s = String(s).trim();
  const f = s.split("/");
  const v = f.length === 2 ? parseFloat(f[0]) / parseFloat(f[1]) : parseFloat(s);
  return Number.isFinite(v) && v > 0 ? v : NaN;
}
function openAhp(n) {
  if (!slidersOn()) return;
  const kids = n.children;
  S.ahpNode = n;
  $("ahp").classList.remove("hidden");
  $("ahp-node").textContent = label(n);
  const t = $("ahp-matrix");
  t.textContent = "";
  const head = el("tr");
  head.appendChild(el("th"));
  kids.forEach((k) => head.appendChild(el("th", { title: k.id }, label(k))));
  t.appendChild(head);
  kids.forEach((k, i) => {
    const tr = el("tr");
    tr.appendChild(el("th", {}, label(k)));
    kids.forEach((_, j) => {
      const td = el("td");
      if (j > i) {
        // Start from the judgements the current weights imply.
        const r = weightOf(kids[i].id) / Math.max(1e-9, weightOf(kids[j].id));
        const inp = el("input", { "data-i": i, "data-j": j, value: String(Math.round(r * 100) / 100) });
        inp.addEventListener("input", updateAhp);
        td.appendChild(inp);
      } else td.textContent = i === j ? "1" : "";
      tr.appendChild(td);
    });
    t.appendChild(tr);
  });
  updateAhp();
}
function ahpMatrix() {
  const n = S.ahpNode.children.length;
  const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : NaN)));
  for (const inp of $("ahp-matrix").querySelectorAll("input")) {
    const i = +inp.dataset.i, j = +inp.dataset.j, v = parseJudgement(inp.value);
    m[i][j] = v; m[j][i] = 1 / v;
  }
  return m;
}
function updateAhp() {
  const m = ahpMatrix();
  const ok = m.every((r) => r.every(Number.isFinite));
  if (!ok) { $("ahp-cr").textContent = "?"; $("ahp-apply").disabled = true; return; }
  const { cr } = ahpSolve(m);
  $("ahp-cr").textContent = cr.toFixed(4) + (cr > 0.1 ? " > 0.1" : "");
  $("ahp-cr").className = cr > 0.1 ? "down" : "up";
  $("ahp-apply").disabled = false;
}
function applyAhp() {
  const m = ahpMatrix();
  if (!m.every((r) => r.every(Number.isFinite))) return;
  snapshot();
  const { w } = ahpSolve(m);
  S.ahpNode.children.forEach((k, i) => { cur().weights[k.id] = w[i]; });
  inputAt();
  syncTree(); refresh();
}

// ---------------------------------------------------------------- export
async function download(path, name) {
  try {
    const blob = await api(path, body(cur()), "blob");
    const a = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    window.zvLastExport = { path, size: blob.size };
  } catch (err) { $("status").textContent = err.message; }
}

// ---------------------------------------------------------------- views and scenarios
function setView(v) {
  S.view = v;
  $("view-locked").classList.toggle("on", v === "locked");
  $("view-explore").classList.toggle("on", v === "explore");
  if (v === "locked") {
    // The locked view shows the official method; the scenarios are kept for Explore.
    S.savedActive = S.active;
  }
  syncTree(); syncMethods(); refreshView();
}
function refreshView() {
  if (S.view === "locked") {
    S.docs.locked = S.official;
    renderRanking(S.official);
    for (const [id, n] of S.nodes) { n.ui.range.value = String(n.weight); n.ui.num.value = n.weight.toFixed(3); }
    for (const k of ["normalization", "weighting", "aggregation"]) $("m-" + k).value = S.sys.method[k];
    $("m-year").value = "";
  } else {
    inputAt();
    refresh();
  }
}
function setScenario(k) {
  S.active = k;
  $("scn-a").classList.toggle("on", k === "A");
  $("scn-b").classList.toggle("on", k === "B");
  if (S.view !== "explore") setView("explore");
  syncTree(); syncMethods();
  inputAt();
  refresh();
}

// ---------------------------------------------------------------- start
async function start() {
  for (const e of document.querySelectorAll("[data-t]")) e.textContent = T[e.dataset.t];
  try {
    S.sys = await api("/api/system");
    S.official = fromRanking(await api("/api/ranking", {}));
  } catch (err) { $("status").textContent = err.message; return; }
  document.title = "zoneval · " + (LANG === "en" && S.sys.name_en ? S.sys.name_en : S.sys.name);
  $("title").textContent = document.title;
  $("data-label").textContent = S.sys.data + " · " + S.sys.zones + " · " + S.sys.id;
  for (const z of S.official.zones) S.officialRank.set(z.id, z.rank);
  S.docs.A = S.official; S.docs.B = S.official;
  buildTree(); fillMethods();
  $("view-locked").addEventListener("click", () => setView("locked"));
  $("view-explore").addEventListener("click", () => setView("explore"));
  $("scn-a").addEventListener("click", () => setScenario("A"));
  $("scn-b").addEventListener("click", () => setScenario("B"));
  $("undo").addEventListener("click", () => {
    const st = S.undo[S.active].pop();
    if (st === undefined) return;
    S.scn[S.active] = JSON.parse(st);
    inputAt();
    syncTree(); syncMethods(); refresh();
  });
  $("reset").addEventListener("click", () => {
    snapshot();
    S.scn[S.active] = blank();
    inputAt();
    syncTree(); syncMethods(); refresh();
  });
  $("export-toml").addEventListener("click", () => download("/api/scenario", S.sys.id + "-scenario-" + S.active + ".toml"));
  $("export-csv").addEventListener("click", () => download("/api/ranking.csv", "ranking-" + S.active + ".csv"));
  $("export-xlsx").addEventListener("click", () => download("/api/ranking.xlsx", "ranking-" + S.active + ".xlsx"));
  $("export-report").addEventListener("click", () => download("/api/report", "report-" + S.active + ".html"));
  $("run-mc").addEventListener("click", runMc);
  $("ranking-scroll").addEventListener("scroll", () => requestAnimationFrame(drawRows), { passive: true });
  // One listener for the whole table (rows are reused from update to update).
  document.querySelector("#ranking tbody").addEventListener("click", (e) => {
    const tr = e.target.closest("tr");
    if (!tr || !tr.dataset.zone) return;
    S.zone = tr.dataset.zone; renderZone(S.zone); loadCharts();
  });
  $("ahp-apply").addEventListener("click", applyAhp);
  $("ahp-close").addEventListener("click", () => $("ahp").classList.add("hidden"));
  setView("locked");
  renderCompare();
  loadCharts(); loadStability();
  document.body.dataset.ready = "1";
}
start();
