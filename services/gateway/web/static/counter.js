"use strict";
// The officer's counter console: sign in, open the counter, see who waits, call (next or a
// named ticket with a reason), recall, skip (or skip and return), start, complete (the
// survey QR follows), transfer with a confirmation. Everything comes from the API: after a
// reload the console asks the counter what it serves now (GET /counters/<id>/waiting).
(() => {
  const {t, api, el, login, logout, session, say, busy, fmt} = MPP;
  const $ = id => document.getElementById(id);
  let counter = null, current = null, source = null, services = {}, agencies = [], lastWaiting = [];

  const statusWord = s => t("cons_st_" + s);
  const groupWord = g => (g === "appointment" ? t("cons_g_appointment") : t(g));
  const serviceName = s => (MPP.lang === "en" && s.service_name_en) ? s.service_name_en : (s.service_name || (services[s.service_id] || {}).name || "");

  function fail(e) { say(e.message || String(e), "error"); $("err").textContent = e.message || String(e); }
  function ok(message) { $("err").textContent = ""; say(message, "ok"); }
  // One click, one request; afterwards the buttons say again what the ticket allows now
  // (``busy`` gives the clicked one back enabled).
  async function act(button, work) {
    try { await busy(button, work); } catch (e) { fail(e); } finally { if (counter) render(); }
  }

  // -- signing in ----------------------------------------------------------------------------
  async function start() {
    const s = session(); if (!s) return;
    $("login-box").hidden = true; $("console").hidden = false;
    const [list, catalogue] = await Promise.all([api("GET", "/api/v1/counters"), MPP.loadSite()]);
    agencies = catalogue.agencies;
    // who is signed in, in words: the role and the agency's name (not its code)
    who();
    agencies.forEach(a => a.services.forEach(sv => { services[sv.id] = Object.assign({agency_name: MPP.name(a)}, sv); }));
    if (!list.counters.length) { fail(new Error(t("cons_no_counter"))); return; }
    $("counter-id").replaceChildren(...list.counters.map(c => el("option", {value: c.id}, c.name)));
    const saved = localStorage.getItem("mpp.counter");
    if (saved && list.counters.some(c => c.id === saved)) $("counter-id").value = saved;
    await pick();
  }

  function who() {
    const s = session(), own = s && agencies.find(a => a.code === s.account.agency);
    if (s) $("who").textContent = t("cons_signed_in", {user: t("cons_role_" + s.account.role) + (own ? " · " + MPP.name(own) : "")});
  }

  async function pick() {
    const id = $("counter-id").value;
    localStorage.setItem("mpp.counter", id);
    $("survey-qr").hidden = true;
    await refresh();
    if (source) source.close();
    // live: any change in the counter's services refreshes the list and the current ticket
    source = new EventSource("/api/v1/stream/counter/" + encodeURIComponent(id) + "?services=" + counter.services.map(encodeURIComponent).join(","));
    ["ticket_issued", "ticket_called", "ticket_recalled", "ticket_completed", "ticket_skipped", "ticket_transferred",
     "ticket_cancelled", "ticket_service_started", "counter_opened", "counter_closed"].forEach(k => source.addEventListener(k, () => refresh().catch(fail)));
    source.addEventListener("open", () => refresh().catch(fail));
  }

  // -- what the counter shows now -------------------------------------------------------------
  async function refresh() {
    const id = $("counter-id").value;
    const seen = await api("GET", "/api/v1/counters/" + encodeURIComponent(id) + "/waiting");
    counter = seen.counter; current = seen.current; lastWaiting = seen.waiting;
    render();
  }

  function render() {
    const open = counter.status === "open";
    $("counter-status").textContent = open ? t("cons_open") : t("cons_closed");
    $("counter-status").className = "badge " + (open ? "ok" : "off");
    $("open").disabled = open; $("close").disabled = !open || !!current;
    const status = current ? current.status : null;
    $("current").textContent = current ? current.number : "–";
    $("current-info").replaceChildren(...(current ? [
      el("span", {class: "badge state-" + status}, statusWord(status)), " ",
      serviceName(current), " ",
      current.priority_group ? el("span", {class: "badge prio"}, groupWord(current.priority_group)) : "",
      current.called_at ? " · " + t("cons_now", {time: fmt.time(current.called_at)}) : ""] : [t("cons_need_current")]));
    const can = {recall: status === "called", start: status === "called", complete: status === "serving",
                 skip: status === "called", "skip-return": status === "called"};
    document.querySelectorAll("[data-act]").forEach(b => { b.disabled = !can[b.dataset.act]; });
    $("transfer").disabled = !(status === "called" || status === "serving");
    $("call").disabled = !open || !!current;
    renderWaiting(open);
  }

  function renderWaiting(open) {
    const rows = lastWaiting;
    $("waiting-count").textContent = fmt.number(rows.length);
    $("waiting-empty").hidden = rows.length > 0;
    const now = Date.now();
    $("waiting").replaceChildren(...(rows.length ? [el("thead", {}, el("tr", {},
        ...["cons_col_number", "cons_col_service", "cons_col_group", "cons_col_kind", "cons_col_waited", "cons_col_action"].map(k => el("th", {scope: "col"}, t(k))))),
      el("tbody", {}, ...rows.map(r => el("tr", {"data-ticket": r.id, class: r.priority_group ? "prio-row" : null},
        el("td", {class: "num"}, r.number),
        el("td", {}, serviceName(r)),
        el("td", {}, r.priority_group ? el("span", {class: "badge prio"}, groupWord(r.priority_group)) : t("regular")),
        el("td", {}, (r.booked ? t("cons_booked") : t("cons_walk_in")) + (r.returned ? " · " + t("cons_returned") : "")),
        el("td", {title: t("cons_since", {time: fmt.time(r.waiting_since)})}, fmt.minutes(Math.max(0, (now - Date.parse(r.waiting_since)) / 60000), 0)),
        el("td", {}, el("button", {type: "button", class: "secondary small", disabled: !open || !!current,
          "aria-label": t("cons_call_this_label", {number: r.number}), onclick: () => askCall(r)}, t("cons_call_this"))))))] : []));
  }

  // -- actions --------------------------------------------------------------------------------
  const counterPath = action => "/api/v1/counters/" + encodeURIComponent(counter.id) + "/" + action;
  // the console shows the new state first, then says what happened
  async function after(message) { await refresh(); ok(message); }

  async function ticketAction(action, body) {
    const r = await api("POST", "/api/v1/tickets/" + encodeURIComponent(current.id) + "/" + action, Object.assign({counter_id: counter.id}, body || {}));
    return r;
  }

  function wire() {
    $("login").addEventListener("submit", ev => {
      ev.preventDefault();
      const form = ev.target, button = form.querySelector("button[type=submit]");
      busy(button, async () => { MPP.formErrors(form); await login($("u").value, $("p").value); await start(); })
        .catch(e => MPP.formErrors(form, e));
    });
    $("logout").addEventListener("click", () => { if (source) source.close(); logout(); });
    $("counter-id").addEventListener("change", () => pick().catch(fail));
    $("open").addEventListener("click", e => act(e.currentTarget, async () => {
      await api("POST", counterPath("open")); await after(t("cons_opened", {counter: counter.name}));
    }));
    $("close").addEventListener("click", e => act(e.currentTarget, async () => {
      await api("POST", counterPath("close")); await after(t("cons_closed_done", {counter: counter.name}));
    }));
    $("call").addEventListener("click", e => act(e.currentTarget, async () => {
      $("survey-qr").hidden = true;
      try {
        const called = await api("POST", counterPath("call-next"));
        await after(t("cons_called", {number: called.number, counter: counter.name}));
      } catch (err) {
        if (err.status === 404) { ok(t("cons_none_waiting")); await refresh(); return; }
        throw err;
      }
    }));
    document.querySelectorAll("[data-act]").forEach(b => b.addEventListener("click", () => act(b, async () => {
      const number = current.number;
      switch (b.dataset.act) {
        case "recall": await ticketAction("recall"); return after(t("cons_recalled", {number}));
        case "start": await ticketAction("start"); return after(t("cons_started", {number}));
        case "skip": await ticketAction("skip"); return after(t("cons_skipped", {number}));
        case "skip-return": await ticketAction("skip", {return_to_queue: true}); return after(t("cons_skipped_back", {number}));
        case "complete": {
          const done = current.id;
          await ticketAction("complete"); await after(t("cons_completed", {number}));
          return surveyQr(done);
        }
      }
      return undefined;
    })));
    $("transfer").addEventListener("click", openTransfer);
    $("target").addEventListener("change", confirmText);
    $("transfer-form").addEventListener("submit", ev => {
      ev.preventDefault();
      const form = ev.target;
      act($("transfer-ok"), async () => {
        MPP.formErrors(form);
        const number = current.number, target = services[$("target").value];
        try {
          const r = await ticketAction("transfer", {target_service_id: target.id, reason: $("transfer-reason").value.trim() || null});
          $("transfer-dialog").close();
          await after(t("cons_transferred", {number, service: MPP.name(target), new: r.next_ticket ? r.next_ticket.number : "–"}));
        } catch (e) { MPP.formErrors(form, e); throw e; }
      });
    });
    $("call-form").addEventListener("submit", ev => {
      ev.preventDefault();
      const form = ev.target, row = form.ticket;
      act($("call-ok"), async () => {
        MPP.formErrors(form);
        try {
          const called = await api("POST", counterPath("call"), {ticket_id: row.id, reason: $("call-reason").value.trim()});
          $("call-dialog").close();
          $("survey-qr").hidden = true;
          await after(t("cons_called", {number: called.number, counter: counter.name}));
        } catch (e) { MPP.formErrors(form, e); throw e; }
      });
    });
    document.querySelectorAll("dialog [data-close]").forEach(b => b.addEventListener("click", () => b.closest("dialog").close()));
    document.addEventListener("mpp:lang", () => { who(); if (counter) render(); });
    // the waiting times move on by themselves
    setInterval(() => { if (counter && !document.hidden) renderWaiting(counter.status === "open"); }, 30000);
  }

  // Transfer only to a service of another queue: every service of the MPP but the ticket's own.
  function openTransfer() {
    if (!current) return;
    const groups = agencies.map(a => {
      const options = a.services.filter(sv => sv.id !== current.service_id).map(sv => el("option", {value: sv.id}, MPP.name(sv)));
      return options.length ? el("optgroup", {label: MPP.name(a)}, ...options) : null;
    }).filter(Boolean);
    if (!groups.length) { fail(new Error(t("cons_no_target"))); return; }
    $("target").replaceChildren(...groups);
    $("transfer-reason").value = "";
    MPP.formErrors($("transfer-form"));
    confirmText();
    $("transfer-dialog").showModal();
    $("target").focus();
  }
  function confirmText() {
    const target = services[$("target").value];
    $("transfer-confirm").textContent = target ? t("cons_transfer_confirm", {number: current.number, service: MPP.name(target), agency: target.agency_name}) : "";
  }
  function askCall(row) {
    const form = $("call-form"); form.ticket = row;
    $("call-title").textContent = t("cons_call_title", {number: row.number});
    $("call-reason").value = ""; MPP.formErrors(form);
    $("call-dialog").showModal(); $("call-reason").focus();
  }

  // After completion the citizen scans the survey link from the counter's screen. The
  // feedback service invites on the ticket_completed event, so the link comes a moment later.
  async function surveyQr(ticketId) {
    const box = $("survey-qr"), holder = box.querySelector(".qr");
    box.hidden = true; holder.replaceChildren();
    for (let i = 0; i < 20; i++) {
      try {
        const svg = await api("GET", "/api/v1/feedback/survey-link/" + encodeURIComponent(ticketId) + ".svg", undefined, {Accept: "image/svg+xml"});
        const image = MPP.svgFrom(svg, t("survey_scan"));
        if (!image) throw new Error(t("offline"));
        holder.append(image); box.hidden = false; return;
      } catch (e) {
        if (e.status !== 404) { fail(e); return; }
        await new Promise(r => setTimeout(r, 500));
      }
    }
  }

  wire();
  start().catch(fail);
})();
