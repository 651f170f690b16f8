"use strict";
// The kiosk in the hall (1366x768, touch): a walk-in ticket (agency → service → priority
// group → optional phone), a booking check-in, or a visit of several services. One tap is one
// ticket: the button locks while issuing and a retry sends the same Idempotency-Key. Back on
// every step; after printing, or ``?idle=`` seconds (default 30) untouched, the kiosk returns
// to the start in Bahasa Indonesia.
(() => {
  const {t, api, el, fmt, busy} = MPP;
  const $ = id => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const IDLE_MS = Math.max(1, Number(params.get("idle")) || 30) * 1000;
  const GROUPS = [null, "lansia", "disabilitas", "ibu_hamil"];
  const step = $("step");
  let agencies = [], screen = null, trail = [], choice = {}, pending = null, idleTimer = null;

  // -- moving between screens -----------------------------------------------------------------
  function go(next, remember = true) {
    if (remember && screen) trail.push(screen);
    screen = next; $("err").textContent = "";
    next();
    $("kiosk-nav").hidden = trail.length === 0 || next === ticketScreen;
    const focus = step.querySelector("input, button"); if (focus) focus.focus();
  }
  function back() { if (trail.length) { pending = null; go(trail.pop(), false); } }
  function home() {
    trail = []; choice = {}; pending = null; screen = null;
    MPP.setLang("id");
    go(start, false);
  }
  // A tile is named by its title; its hint describes it (screen readers read both).
  let hints = 0;
  function tiles(items, big = false) {
    return el("div", {class: big ? "tiles big" : "tiles"}, items.map(i => {
      const hint = i.hint ? "tile-hint-" + (++hints) : null;
      return el("button", {type: "button", class: "tile" + (i.cls ? " " + i.cls : ""), onclick: i.pick, "aria-describedby": hint,
        "aria-pressed": i.pressed == null ? null : String(i.pressed)}, el("span", {class: "tile-title"}, i.icon ? el("span", {"aria-hidden": "true"}, i.icon + " ") : "", i.label), hint ? el("span", {class: "tile-hint", id: hint, "aria-hidden": "true"}, i.hint) : "");
    }));
  }
  const title = key => el("h2", {}, t(key));

  // -- screens --------------------------------------------------------------------------------
  function start() {
    step.replaceChildren(title("kiosk_start"), tiles([
      {label: t("kiosk_walk_in"), hint: t("kiosk_walk_in_hint"), pick: () => { choice = {kind: "walk_in"}; go(chooseAgency); }},
      {label: t("kiosk_checkin"), hint: t("kiosk_checkin_hint"), pick: () => { choice = {kind: "checkin"}; go(checkIn); }},
      {label: t("kiosk_visit"), hint: t("kiosk_visit_hint"), pick: () => { choice = {kind: "visit", steps: []}; go(chooseVisit); }},
    ], true), el("p", {class: "kiosk-more"}, el("a", {href: "/standards?kiosk=1", class: "btn secondary", id: "kiosk-standards"}, t("kiosk_standards"))));
  }
  function chooseAgency() {
    step.replaceChildren(title("choose_agency"), tiles(agencies.map(a => ({label: MPP.name(a), pick: () => { choice.agency = a; go(chooseService); }}))));
  }
  function chooseService() {
    step.replaceChildren(el("h2", {}, t("service") + " · " + MPP.name(choice.agency)),
      tiles(choice.agency.services.map(s => ({label: MPP.name(s), pick: () => { choice.service = s; go(chooseGroup); }}))));
  }
  function chooseGroup() {
    step.replaceChildren(title("group"), el("p", {class: "hint"}, t("kiosk_group_hint")),
      tiles(GROUPS.map(g => ({label: t(g || "regular"), icon: g ? "★" : null, cls: g ? "prio" : null, pick: () => { choice.group = g; go(askPhone); }})), true));
  }
  function askPhone() {
    const form = el("form", {class: "phone-form", novalidate: true},
      el("label", {for: "phone"}, t("kiosk_phone_label")),
      el("input", {id: "phone", name: "phone", type: "tel", inputmode: "tel", autocomplete: "off", maxlength: "20", "aria-describedby": "phone-hint"}),
      el("p", {id: "phone-hint", class: "hint"}, t("kiosk_phone_hint")),
      el("p", {role: "alert", class: "error"}),
      el("div", {class: "row"},
        el("button", {type: "submit", id: "take", class: "primary"}, t("kiosk_take")),
        el("button", {type: "button", id: "take-no-phone", class: "secondary", onclick: ev => issue(ev.currentTarget, form, null)}, t("kiosk_take_no_phone"))));
    form.addEventListener("submit", ev => { ev.preventDefault(); issue($("take"), form, form.phone.value.trim() || null); });
    step.replaceChildren(title("kiosk_phone_title"), form);
  }
  function checkIn() {
    const form = el("form", {class: "phone-form", novalidate: true},
      el("label", {for: "code"}, t("kiosk_code_label")),
      el("input", {id: "code", name: "code", autocomplete: "off", autocapitalize: "characters", maxlength: "20", "aria-describedby": "code-hint", required: true}),
      el("p", {id: "code-hint", class: "hint"}, t("kiosk_code_hint")),
      el("p", {role: "alert", class: "error"}),
      el("div", {class: "row"}, el("button", {type: "submit", id: "check-in", class: "primary"}, t("kiosk_checkin_go"))));
    form.addEventListener("submit", ev => {
      ev.preventDefault();
      const code = form.code.value.trim().toUpperCase();
      if (!code) { form.code.focus(); return; }
      send($("check-in"), form, "/api/v1/bookings/" + encodeURIComponent(code) + "/check-in", undefined, false);
    });
    step.replaceChildren(title("kiosk_checkin"), form);
  }
  function chooseVisit() {
    const chosen = choice.steps;
    const toggle = s => { const i = chosen.findIndex(x => x.id === s.id); if (i >= 0) chosen.splice(i, 1); else if (chosen.length < 6) chosen.push(s); go(chooseVisit, false); };
    step.replaceChildren(title("kiosk_visit_pick"),
      el("div", {class: "visit"},
        el("div", {class: "visit-services"}, agencies.map(a => el("section", {}, el("h3", {}, MPP.name(a)),
          tiles(a.services.map(s => { const at = chosen.findIndex(x => x.id === s.id);
            return {label: (at >= 0 ? (at + 1) + ". " : "") + MPP.name(s), pressed: at >= 0, pick: () => toggle(s)}; }))))),
        el("aside", {class: "visit-chosen"}, el("h3", {}, t("kiosk_visit_chosen")),
          chosen.length ? el("ol", {}, chosen.map(s => el("li", {}, MPP.name(s) + " ",
            el("button", {type: "button", class: "secondary remove", "aria-label": t("kiosk_remove", {service: MPP.name(s)}), onclick: () => toggle(s)}, "✕"))))
            : el("p", {class: "hint"}, t("kiosk_visit_none")),
          el("button", {type: "button", id: "visit-next", class: "primary", disabled: chosen.length < 2, onclick: () => go(chooseGroup)}, t("kiosk_next")))));
  }

  // -- issuing: one tap, one ticket -----------------------------------------------------------
  function issue(button, form, phone) {
    choice.phone = !!phone;
    const body = {priority_group: choice.group, language: "id", contact: phone ? {phone} : null};
    let path;
    if (choice.kind === "visit") { path = "/api/v1/visits"; body.steps = choice.steps.map(s => s.id); }
    else { path = "/api/v1/tickets"; body.service_id = choice.service.id; }
    body.language = MPP.lang;
    send(button, form, path, body, true);
  }
  // The same request again (after an error or a lost answer) keeps its Idempotency-Key, so
  // the server answers with the ticket it may already have made instead of a second one.
  function send(button, form, path, body, keyed) {
    const signature = path + JSON.stringify(body || {});
    if (!pending || pending.signature !== signature) pending = {signature, key: MPP.newKey()};
    const headers = keyed ? {"Idempotency-Key": pending.key} : undefined;
    const label = button.textContent;
    step.querySelectorAll("button").forEach(b => { if (b !== button) b.disabled = true; });
    button.textContent = t("kiosk_issuing");
    return busy(button, async () => {
      MPP.formErrors(form);
      const ticket = await api("POST", path, body, headers);
      pending = null;
      choice.ticket = ticket;
      go(ticketScreen);
    }).catch(e => {
      button.textContent = e.status === 0 ? t("kiosk_retry") : label;
      MPP.formErrors(form, e);
    }).finally(() => {
      if (screen !== ticketScreen) step.querySelectorAll("button").forEach(b => { if (b.id !== "visit-next") b.disabled = false; });
    });
  }

  // -- the ticket -----------------------------------------------------------------------------
  function serviceOf(id) {
    for (const a of agencies) for (const s of a.services) if (s.id === id) return {a, s};
    return {a: {name: ""}, s: {name: ""}};
  }
  function ticketScreen() {
    const ticket = choice.ticket, {a, s} = serviceOf(ticket.service_id);
    const group = ticket.priority_group;
    const qr = el("div", {class: "qr"});
    const box = el("div", {class: "ticket" + (group ? " priority" : ""), id: "ticket"},
      el("div", {class: "t-mpp"}, MPP.site.name || ""),
      el("div", {class: "t-agency"}, MPP.name(a)),
      el("div", {class: "t-service"}, MPP.name(s)),
      el("div", {class: "t-label"}, t("your_number")),
      el("div", {class: "t-number", id: "ticket-number"}, ticket.number),
      group ? el("div", {class: "t-priority", id: "ticket-priority"}, "★ " + t("kiosk_priority") + " · " + (group === "appointment" ? t("kiosk_appointment") : t(group))) : "",
      el("div", {class: "t-ahead"}, t("ahead") + ": " + (ticket.ahead == null ? "–" : fmt.number(ticket.ahead))),
      ticket.visit ? el("div", {class: "t-visit"}, t("kiosk_visit_steps"), el("ol", {}, ticket.visit.steps.map(id => el("li", {}, MPP.name(serviceOf(id).s))))) : "",
      qr, el("div", {class: "t-scan"}, t("scan")),
      el("div", {class: "t-time"}, t("kiosk_issued_at") + " " + fmt.dateTime(ticket.issued_at)),
      // what the service promises, where anyone can read it (UU 25/2009: published standards)
      el("div", {class: "t-standard", id: "ticket-standard"}, t("kiosk_standard_line", {url: location.host + "/standards"})));
    step.replaceChildren(el("div", {class: "ticket-screen"}, box, el("div", {class: "noprint ticket-actions"},
      choice.phone ? el("p", {class: "sent"}, t("kiosk_sms_on")) : "",
      el("button", {type: "button", id: "print", class: "primary", onclick: () => window.print()}, t("print")),
      el("button", {type: "button", id: "done", class: "secondary", onclick: home}, t("again")),
      el("p", {class: "hint", id: "back-soon"}, t("kiosk_back_soon", {n: fmt.number(IDLE_MS / 1000)})))));
    if (ticket.access_token) {
      fetch("/api/v1/tickets/" + encodeURIComponent(ticket.id) + "/qr.svg", {headers: {"X-Ticket-Token": ticket.access_token}})
        .then(r => (r.ok ? r.text() : "")).then(text => { const image = MPP.svgFrom(text, t("scan")); if (image) qr.append(image); }).catch(() => {});
    }
  }

  // -- idle and after printing: back to the start in Indonesian ----------------------------
  function touched() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => { if (screen !== start || MPP.lang !== "id") home(); }, IDLE_MS);
  }
  ["pointerdown", "keydown", "input", "touchstart"].forEach(k => document.addEventListener(k, touched, {passive: true}));
  window.addEventListener("afterprint", () => { if (screen === ticketScreen) home(); });

  function tick() { $("clock").textContent = fmt.time(new Date()); }
  $("back").addEventListener("click", back);
  $("home").addEventListener("click", home);
  document.addEventListener("mpp:lang", () => { tick(); if (screen) screen(); touched(); });

  MPP.setLang("id");  // a kiosk always starts in Indonesian, whatever the last person chose
  MPP.loadSite().then(d => {
    agencies = d.agencies.filter(a => a.services.length);
    tick(); setInterval(tick, 15000);
    home(); touched();
  }).catch(e => { $("err").textContent = e.message; setTimeout(() => location.reload(), 15000); });
})();
