"use strict";
(() => {
  const {t, api, el, show, login, logout, session} = MPP;
  const $ = id => document.getElementById(id);
  const ACTIONS = ["verify", "return", "forward", "approve", "reject"];
  async function start() {
    const s = session(); if (!s) return;
    $("login-box").hidden = true; $("office").hidden = false;
    $("who").textContent = s.account.username + " (" + s.account.role + ", " + (s.account.agency || "MPP") + ")";
    await apps();
    await complaints().catch(e => show("err", e));
    await perception().catch(() => null);  // supervisors only
    const cs = (await api("GET", "/api/v1/counters")).counters;
    $("counters").replaceChildren(...cs.map(c => el("tr", {}, el("td", {}, c.id), el("td", {}, c.name), el("td", {}, c.status), el("td", {}, c.services.join(", ")))));
  }
  async function apps() {
    const s = session();
    if (!s.account.agency) { $("apps").replaceChildren(el("tr", {}, el("td", {}, "admin: ?agency="))); return; }
    const r = await api("GET", "/api/v1/applications");
    $("apps").replaceChildren(el("tr", {}, ["Kode / Code", "Status", "SLA", ""].map(h => el("th", {}, h))),
      ...(r.items || []).map(a => el("tr", {}, el("td", {}, a.tracking_code), el("td", {}, a.state_label || a.state),
        el("td", {}, a.sla ? (a.sla.state || "") + " " + (a.sla.due_at || "") : ""),
        el("td", {}, el("select", {"aria-label": "action"}, ACTIONS.map(x => el("option", {value: x}, x))),
          el("button", {type: "button", onclick: ev => act(a, ev.target.previousSibling.value)}, "OK")))));
  }
  // Complaints of the officer's agency (an admin: all). Their text is a citizen's: text nodes only.
  async function complaints() {
    const r = await api("GET", "/api/v1/feedback/complaints");
    const next = {received: ["in_progress", "answered"], in_progress: ["answered", "closed"], answered: ["closed", "in_progress"], closed: []};
    $("complaints").replaceChildren(el("tr", {}, ["No.", t("complaint_kind"), "", "Status", t("complaint_due"), ""].map(h => el("th", {}, h))),
      ...r.items.map(c => el("tr", {}, el("td", {}, c.id), el("td", {}, c.kind), el("td", {}, c.text),
        el("td", {}, c.status_label), el("td", {class: c.overdue ? "error" : ""}, MPP.when(c.due_at)),
        el("td", {}, ...next[c.status].map(s => el("button", {type: "button", class: "secondary", onclick: () => reply(c, s)}, t("to_" + s)))))));
  }
  async function reply(c, status) {
    show("err");
    try {
      const response = status === "answered" ? prompt(t("complaint_reply")) : null;
      if (status === "answered" && !response) return;
      await api("POST", "/api/v1/feedback/complaints/" + encodeURIComponent(c.id), {status, response});
      await complaints();
    } catch (e) { show("err", e); }
  }
  async function perception() {
    const r = await api("GET", "/api/v1/feedback/perception");
    const minutes = s => s == null ? "–" : (Math.round(s / 6) / 10) + " " + t("min");
    $("perception").replaceChildren(el("tr", {}, ["", "IKM", t("waktu_score"), t("stats_wait_avg"), "P90", t("stats_sla")].map(h => el("th", {}, h))),
      ...r.items.map(i => { const w = i.elements.find(e => e.code === "waktu") || {};
        return el("tr", {}, el("td", {}, i.service_name), el("td", {}, (i.ikm.score || "–") + " " + (i.ikm.grade || "")),
          el("td", {}, w.score || "–"), el("td", {}, minutes(i.measured.wait.average_seconds)), el("td", {}, minutes(i.measured.wait.p90_seconds)),
          el("td", {}, i.measured.sla.percent == null ? "–" : i.measured.sla.percent + " %")); }));
  }
  $("lapor-csv").addEventListener("click", async ev => {
    ev.preventDefault(); show("err");
    try {
      const text = await api("GET", "/api/v1/feedback/lapor-export?format=csv", undefined, {Accept: "text/csv"});
      const a = el("a", {href: URL.createObjectURL(new Blob([text], {type: "text/csv"})), download: "lapor.csv"}); a.click();
    } catch (e) { show("err", e); }
  });
  async function act(a, action) {
    show("err");
    try {
      const note = ["return", "reject"].includes(action) ? prompt("Alasan / Reason") : null;
      await api("POST", "/api/v1/applications/by-id/" + encodeURIComponent(a.application_id) + "/actions", {action, note});
      await apps();
    } catch (e) { show("err", e); }
  }
  $("login").addEventListener("submit", ev => { ev.preventDefault(); show("err"); login($("u").value, $("p").value).then(start).catch(e => show("err", e)); });
  $("logout").addEventListener("click", logout);
  $("notif").addEventListener("submit", ev => { ev.preventDefault(); show("err");
    api("GET", "/api/v1/notifications?reference=" + encodeURIComponent($("ref").value.trim())).then(r =>
      $("notif-out").replaceChildren(...r.messages.map(m => el("tr", {}, el("td", {}, m.kind), el("td", {}, m.status), el("td", {}, m.created_at))))).catch(e => show("err", e)); });
  start().catch(e => show("err", e));
})();
