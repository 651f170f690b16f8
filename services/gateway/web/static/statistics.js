// Public statistics (no login, no personal data) from /api/v1/statistics. Charts are HTML bars
// (a name above each bar, its value beside it) so they wrap on a 390 px phone and their text
// keeps the page's size; numbers in the id locale. Text is always set with textContent.
"use strict";
(() => {
  const $ = id => document.getElementById(id);
  const {t, el, fmt} = MPP;
  let data = null, agencies = {};
  const agencyName = code => agencies[code] ? MPP.name(agencies[code]) : "";
  const minutes = s => s == null ? null : s / 60;
  const min = s => s == null ? t("st_no_data") : fmt.minutes(minutes(s));
  const minCell = s => s == null ? "–" : fmt.minutes(minutes(s));
  const GRADE = {A: "grade-a", B: "grade-b", C: "grade-c", D: "grade-d"};

  // rows: [{label, bars: [{value, text, kind}]}]; max: the scale's end
  function bars(rows, max, caption) {
    return el("ul", {class: "bars", "aria-label": caption}, rows.map(row => el("li", {},
      el("span", {class: "bar-label"}, row.label),
      ...row.bars.map(bar => el("span", {class: "bar-row"},
        el("span", {class: "bar " + (bar.kind || ""), "data-width": bar.value == null ? 0 : Math.max(1, Math.round(70 * bar.value / max))}),
        el("span", {class: "bar-text"}, bar.text))))));
  }
  // widths from data, set as properties (the CSP forbids style attributes in markup)
  function sizeBars(root) { root.querySelectorAll(".bar[data-width]").forEach(b => { b.style.width = b.dataset.width + "%"; }); }

  function card(title, value, note) {
    return el("div", {class: "card"}, el("div", {class: "muted"}, title), el("div", {class: "figure"}, value), el("div", {class: "muted"}, note || ""));
  }

  function render() {
    if (!data) return;
    const m = data.mpp;
    $("summary").replaceChildren(
      card(t("st_visitors_today"), fmt.number(m.visitors_today)),
      card(t("st_visitors_month"), fmt.number(m.visitors_month)),
      card(t("stats_wait_avg"), minCell(m.wait_month.average_seconds), m.wait_month.average_seconds == null ? t("st_no_data") : t("st_p90") + ": " + min(m.wait_month.p90_seconds)),
      card(t("stats_sla"), m.sla.percent == null ? "–" : fmt.percent(m.sla.percent, 1), fmt.number(m.sla.decided) + " " + t("stats_decided")),
      card("IKM", m.ikm.score == null ? "–" : fmt.number(m.ikm.score, 2) + " (" + m.ikm.grade + ")",
           m.ikm.grade ? (MPP.lang === "en" ? m.ikm.grade_label_en : m.ikm.grade_label) + " · " + fmt.number(m.ikm.respondents) + " " + t("stats_respondents") : t("stats_no_ikm")));
    $("ikm-chart").replaceChildren(bars(data.agencies.map(a => ({label: agencyName(a.agency), bars: [{
      value: a.ikm.score == null ? null : Number(a.ikm.score), kind: GRADE[a.ikm.grade] || "none",
      text: a.ikm.score == null ? t("stats_no_ikm") : fmt.number(a.ikm.score, 2) + " · " + t("st_grade") + " " + a.ikm.grade}]})), 100, t("stats_ikm")));
    const waits = data.agencies.map(a => ({label: agencyName(a.agency), bars: [
      {value: minutes(a.wait_month.average_seconds), kind: "avg", text: min(a.wait_month.average_seconds) + " (" + t("st_avg") + ")"},
      {value: minutes(a.wait_month.p90_seconds), kind: "p90", text: min(a.wait_month.p90_seconds) + " (" + t("st_p90_short") + ")"}]}));
    const longest = Math.max(1, ...waits.flatMap(w => w.bars.map(b => b.value || 0)));
    $("wait-chart").replaceChildren(bars(waits, longest, t("stats_wait")));
    sizeBars($("ikm-chart")); sizeBars($("wait-chart"));
    const head = ["agency", "stats_service", "st_visitors_today", "st_visitors_month", "stats_wait_avg", "st_p90_short", "stats_sla", "IKM"];
    const heads = head.map(h => h === "IKM" ? "IKM" : t(h));
    const rows = [];
    data.agencies.forEach(a => a.services.forEach(s => rows.push(el("tr", {}, [
      agencyName(a.agency), s.service_name, fmt.number(s.visitors_today), fmt.number(s.visitors_month),
      minCell(s.wait_month.average_seconds), minCell(s.wait_month.p90_seconds),
      s.sla.percent == null ? "–" : fmt.percent(s.sla.percent, 1), s.ikm.score == null ? "–" : fmt.number(s.ikm.score, 2) + " " + s.ikm.grade,
    ].map((v, i) => el("td", {"data-label": heads[i]}, v))))));
    $("detail").replaceChildren(el("table", {class: "stack"}, el("thead", {}, el("tr", {}, heads.map(h => el("th", {scope: "col"}, h)))), el("tbody", {}, rows)));
    $("generated").textContent = t("stats_generated") + " " + fmt.dateTime(data.generated_at);
  }

  // -- promise against practice: each adopted standard's promise beside the month's figures --
  let practice = null;
  const rupiah = n => n === 0 ? t("st_pp_free") : "Rp" + fmt.number(n);
  function promiseText(p) {
    const time = p.working_days != null ? t("st_pp_promise_days", {n: fmt.number(p.working_days)})
      : p.minutes != null ? t("st_pp_promise_minutes", {n: fmt.number(p.minutes)}) : "–";
    return p.fee == null ? time : time + "; " + t("st_pp_promise_fee", {fee: rupiah(p.fee)});
  }
  function measuredText(row) {
    const m = row.measured;
    if (!m) return t("st_pp_nothing_yet");
    if (row.subject.kind === "permit_type") {
      return t("st_pp_measured_permits", {within: fmt.number(m.within_sla), decided: fmt.number(m.decided),
        share: fmt.percent(100 * m.share_within_sla, 1), median: fmt.number(m.working_days.median, 1), p90: fmt.number(m.working_days.p90, 1)});
    }
    const parts = [];
    if (m.service.count) parts.push(t("st_pp_measured_service", {median: fmt.number(m.service.median, 1), p90: fmt.number(m.service.p90, 1)}));
    if (m.wait.count) parts.push(t("st_pp_measured_wait", {median: fmt.number(m.wait.median, 1), p90: fmt.number(m.wait.p90, 1)}));
    return parts.join("; ");
  }
  function feesText(row) {
    if (!row.measured || !row.measured.fees_charged || !row.measured.fees_charged.length) return "–";
    return row.measured.fees_charged.map(f => t("st_pp_fee_paid", {fee: rupiah(f.fee), n: fmt.number(f.count)})).join("; ");
  }
  function verdict(row) {
    if (row.kept === null) return el("span", {class: "muted"}, t("st_pp_none"));
    return row.kept ? el("strong", {class: "adm-ok"}, "✓ " + t("st_pp_kept"))
      : el("strong", {class: "error"}, "✗ " + t("st_pp_broken"));
  }
  function renderPractice() {
    if (!practice) return;
    if (!practice.standards.length) { $("practice").replaceChildren(el("p", {class: "muted"}, t("st_pp_no_standards"))); return; }
    const heads = [t("agency"), t("stats_service"), t("st_pp_promise"), t("st_pp_practice"), t("st_pp_fees"), "IKM", t("st_pp_result")];
    const rows = practice.standards.map(row => el("tr", {}, [
      agencyName(row.agency) || row.agency, (MPP.lang === "en" && row.title_en) || row.title,
      promiseText(row.promised), measuredText(row), feesText(row),
      row.ikm ? fmt.number(row.ikm.score, 2) + " " + (row.ikm.grade || "") : "–", verdict(row),
    ].map((v, i) => el("td", {"data-label": heads[i]}, v))));
    $("practice").replaceChildren(el("table", {class: "stack"}, el("thead", {}, el("tr", {}, heads.map(h => el("th", {scope: "col"}, h)))), el("tbody", {}, rows)));
  }
  async function loadPractice(month) {
    try { practice = await MPP.api("GET", "/api/v1/public/standards/practice" + (month ? "?month=" + month : "")); renderPractice(); }
    catch (err) { $("practice").replaceChildren(el("p", {class: "muted"}, t("st_pp_unavailable"))); }
  }

  async function load() {
    const month = $("month").value;
    loadPractice(month);
    $("csv").setAttribute("href", "/api/v1/statistics?format=csv" + (month ? "&month=" + month : ""));
    try { data = await MPP.api("GET", "/api/v1/statistics" + (month ? "?month=" + month : "")); MPP.setZone(data.timezone); if (!month && data.month) $("month").value = data.month; render(); $("err").textContent = ""; }
    catch (err) { $("err").textContent = err.message; }
  }
  $("month").addEventListener("change", load);
  $("month-form").addEventListener("submit", ev => { ev.preventDefault(); load(); });
  MPP.api("GET", "/api/v1/agencies").then(r => { r.agencies.forEach(a => { agencies[a.code] = a; }); render(); renderPractice(); }).catch(() => null);
  document.addEventListener("mpp:lang", () => { render(); renderPractice(); });
  load();
})();
