"use strict";
(() => {
  const {t, api, el, show, login, logout, session} = MPP;
  let counter = null, current = null, source = null;
  const $ = id => document.getElementById(id);
  async function start() {
    const s = session(); if (!s) return;
    $("login-box").hidden = true; $("console").hidden = false;
    $("who").textContent = s.account.username + " (" + s.account.role + ", " + (s.account.agency || "MPP") + ")";
    const list = (await api("GET", "/api/v1/counters")).counters;
    $("counter-id").replaceChildren(...list.map(c => el("option", {value: c.id}, c.name + " · " + c.status)));
    const saved = localStorage.getItem("mpp.counter"); if (saved && list.some(c => c.id === saved)) $("counter-id").value = saved;
    const agencies = (await api("GET", "/api/v1/agencies")).agencies;
    $("target").replaceChildren(...agencies.flatMap(a => a.services.map(sv => el("option", {value: sv.id}, sv.prefix + " · " + sv.name))));
    await pick();
  }
  async function pick() {
    counter = await api("GET", "/api/v1/counters/" + encodeURIComponent($("counter-id").value));
    localStorage.setItem("mpp.counter", counter.id);
    if (source) source.close();
    source = new EventSource("/api/v1/stream/counter/" + encodeURIComponent(counter.id) + "?services=" + counter.services.join(","));
    ["ticket_issued", "ticket_called", "ticket_completed", "ticket_skipped", "ticket_transferred", "ticket_cancelled", "counter_opened", "counter_closed"]
      .forEach(k => source.addEventListener(k, refresh));
    source.addEventListener("open", refresh);
  }
  async function refresh() {
    const rows = await Promise.all(counter.services.map(s => api("GET", "/api/v1/queues/" + encodeURIComponent(s)).catch(() => null)));
    $("queue").replaceChildren(el("tr", {}, el("th", {}, t("queue")), el("th", {}, t("waiting")), el("th", {}, t("now_serving"))),
      ...rows.filter(Boolean).map(r => el("tr", {}, el("td", {}, r.service_id), el("td", {"data-waiting": r.service_id}, String(r.waiting)), el("td", {}, r.serving.map(x => x.number).join(", ")))));
  }
  async function act(fn) { show("err"); try { await fn(); } catch (e) { show("err", e); } }
  $("login").addEventListener("submit", ev => { ev.preventDefault(); act(async () => { await login($("u").value, $("p").value); await start(); }); });
  $("logout").addEventListener("click", logout);
  $("counter-id").addEventListener("change", () => act(pick));
  $("open").addEventListener("click", () => act(async () => { counter = await api("POST", "/api/v1/counters/" + counter.id + "/open"); }));
  $("close").addEventListener("click", () => act(async () => { counter = await api("POST", "/api/v1/counters/" + counter.id + "/close"); }));
  $("call").addEventListener("click", () => act(async () => { current = await api("POST", "/api/v1/counters/" + counter.id + "/call-next"); $("current").textContent = current.number; refresh(); }));
  document.querySelectorAll("[data-act]").forEach(b => b.addEventListener("click", () => act(async () => {
    if (!current) return;
    const body = {counter_id: counter.id};
    if (b.dataset.act === "transfer") body.target_service_id = $("target").value;
    const r = await api("POST", "/api/v1/tickets/" + encodeURIComponent(current.id) + "/" + b.dataset.act, body);
    $("current").textContent = r.number + " · " + r.status;
    if (b.dataset.act === "complete") surveyQr(current.id);
    if (["complete", "skip", "transfer"].includes(b.dataset.act)) current = null;
    refresh();
  })));
  // After completion the citizen may scan the survey link from the counter's screen. The
  // feedback service invites on the ticket_completed event, so the link appears a moment later.
  async function surveyQr(ticketId) {
    const box = $("survey-qr"); box.hidden = true; box.querySelector(".qr").replaceChildren();
    for (let i = 0; i < 10; i++) {
      try {
        const svg = await api("GET", "/api/v1/feedback/survey-link/" + encodeURIComponent(ticketId) + ".svg", undefined, {Accept: "image/svg+xml"});
        const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
        if (doc.documentElement.nodeName !== "svg") return;
        box.querySelector(".qr").append(document.importNode(doc.documentElement, true)); box.hidden = false; return;
      } catch (e) { if (e.status !== 404) return; await new Promise(r => setTimeout(r, 500)); }
    }
  }
  start().catch(e => show("err", e));
})();
