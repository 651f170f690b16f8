// Public statistics (no login, no personal data): figures from /api/v1/statistics drawn as
// inline SVG bars (no chart library, no CDN). Text is always set with textContent.
"use strict";
(() => {
  const $ = id => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  let data = null, agencies = {};
  const agencyName = code => agencies[code] ? MPP.name(agencies[code]) : code;

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text != null) e.textContent = text;
    return e;
  }
  const minutes = s => s == null ? null : Math.round(s / 6) / 10;
  const GRADE_COLOUR = {A: "#0a6b2d", B: "#2f7d32", C: "#8a4b00", D: "#a00000"};

  // rows: [{label, bars: [{value, text, colour}]}], max: the scale's end
  function bars(rows, max, legend) {
    const rowH = 26 * Math.max(1, rows[0] ? rows[0].bars.length : 1) + 10, labelW = 180, width = 720;
    const chart = svg("svg", {viewBox: "0 0 " + width + " " + (rows.length * rowH + 30), width: "100%", role: "img"});
    chart.append(svg("title", {}, legend));
    rows.forEach((row, i) => {
      const y = i * rowH + 4;
      const short = row.label.length > 20 ? row.label.slice(0, 19) + "…" : row.label;
      const name = svg("text", {x: 0, y: y + 18, "font-size": 16}, short);
      name.append(svg("title", {}, row.label));  // the whole name on hover
      chart.append(name);
      row.bars.forEach((bar, j) => {
        const w = bar.value == null ? 0 : Math.max(2, (width - labelW - 90) * bar.value / max);
        chart.append(svg("rect", {x: labelW, y: y + j * 24, width: w, height: 20, fill: bar.colour, rx: 3}));
        chart.append(svg("text", {x: labelW + w + 6, y: y + j * 24 + 16, "font-size": 15}, bar.text));
      });
    });
    return chart;
  }

  function card(title, value, note) {
    return MPP.el("div", {class: "card"}, MPP.el("div", {class: "muted"}, title),
      MPP.el("div", {style: "font-size:2rem;font-weight:800"}, value), MPP.el("div", {class: "muted"}, note || ""));
  }

  function render() {
    if (!data) return;
    const m = data.mpp;
    $("summary").replaceChildren(
      card(MPP.t("stats_today"), String(m.visitors_today)),
      card(MPP.t("stats_month_visitors"), String(m.visitors_month)),
      card(MPP.t("stats_wait_avg"), m.wait_month.average_seconds == null ? "–" : minutes(m.wait_month.average_seconds) + " " + MPP.t("min"),
           "P90: " + (m.wait_month.p90_seconds == null ? "–" : minutes(m.wait_month.p90_seconds) + " " + MPP.t("min"))),
      card(MPP.t("stats_sla"), m.sla.percent == null ? "–" : m.sla.percent + " %", m.sla.decided + " " + MPP.t("stats_decided")),
      card("IKM", m.ikm.score == null ? "–" : m.ikm.score + " (" + m.ikm.grade + ")",
           m.ikm.grade ? (MPP.lang === "en" ? m.ikm.grade_label_en : m.ikm.grade_label) + " · " + m.ikm.respondents + " " + MPP.t("stats_respondents") : MPP.t("stats_no_ikm")));
    $("ikm-chart").replaceChildren(bars(data.agencies.map(a => ({label: agencyName(a.agency), bars: [{
      value: a.ikm.score == null ? null : Number(a.ikm.score), colour: GRADE_COLOUR[a.ikm.grade] || "#888",
      text: a.ikm.score == null ? "–" : a.ikm.score + " " + a.ikm.grade}]})), 100, MPP.t("stats_ikm")));
    const waits = data.agencies.map(a => ({label: agencyName(a.agency), bars: [
      {value: minutes(a.wait_month.average_seconds), colour: "#0b4f8a", text: (minutes(a.wait_month.average_seconds) ?? "–") + " " + MPP.t("min") + " (" + MPP.t("avg") + ")"},
      {value: minutes(a.wait_month.p90_seconds), colour: "#7aa7d6", text: (minutes(a.wait_month.p90_seconds) ?? "–") + " " + MPP.t("min") + " (P90)"}]}));
    const longest = Math.max(1, ...waits.flatMap(w => w.bars.map(b => b.value || 0)));
    $("wait-chart").replaceChildren(bars(waits, longest, MPP.t("stats_wait")));
    const head = ["agency", "stats_service", "stats_today", "stats_month_visitors", "stats_wait_avg", "P90", "stats_sla", "IKM"];
    const table = MPP.el("table", {}, MPP.el("thead", {}, MPP.el("tr", {}, head.map(h => MPP.el("th", {}, MPP.t(h))))));
    const body = MPP.el("tbody");
    data.agencies.forEach(a => a.services.forEach(s => body.append(MPP.el("tr", {},
      MPP.el("td", {}, agencyName(a.agency)), MPP.el("td", {}, s.service_name), MPP.el("td", {}, String(s.visitors_today)),
      MPP.el("td", {}, String(s.visitors_month)), MPP.el("td", {}, String(minutes(s.wait_month.average_seconds) ?? "–")),
      MPP.el("td", {}, String(minutes(s.wait_month.p90_seconds) ?? "–")),
      MPP.el("td", {}, s.sla.percent == null ? "–" : s.sla.percent + " %"),
      MPP.el("td", {}, s.ikm.score == null ? "–" : s.ikm.score + " " + s.ikm.grade)))));
    table.append(body);
    $("detail").replaceChildren(table);
    $("generated").textContent = MPP.t("stats_generated") + " " + MPP.when(data.generated_at);
  }

  async function load() {
    const month = $("month").value;
    $("csv").setAttribute("href", "/api/v1/statistics?format=csv" + (month ? "&month=" + month : ""));
    try { data = await MPP.api("GET", "/api/v1/statistics" + (month ? "?month=" + month : "")); MPP.setZone(data.timezone); render(); $("err").textContent = ""; }
    catch (err) { $("err").textContent = err.message; }
  }
  $("month").addEventListener("change", load);
  MPP.api("GET", "/api/v1/agencies").then(r => { r.agencies.forEach(a => { agencies[a.code] = a; }); render(); }).catch(() => null);
  document.addEventListener("mpp:lang", render);
  load();
})();
