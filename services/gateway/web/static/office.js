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
