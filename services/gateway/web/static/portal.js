// The citizen portal, for a phone: follow a ticket (live), book a slot, see a permit type's
// requirements, fee and completion time, file with documents, follow and correct an
// application, download the permit, verify a permit. Field messages from the server are shown
// next to their fields; a filing keeps its random Idempotency-Key until it has gone through.
"use strict";
(() => {
  const {t, api, el, fmt, name} = MPP;
  const $ = id => document.getElementById(id);
  let types = [], services = {}, agencies = {}, fileKey = null, followed = null;
  let standards = [];  // adopted service standards (GET /api/v1/public/standards): the promises
  const standardOf = (kind, id) => standards.find(s => s.status === "adopted" && s.subject.kind === kind && s.subject.id === id);
  const standardLink = (query, key = "sd_see_standard") => el("a", {href: "/standards?" + query, class: "std-link"}, t(key));
  const serverText = MPP.serverText;
  const label = f => (MPP.lang === "en" && f.label_en) || f.label || f.name;
  const dl = pairs => el("dl", {}, pairs.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v == null ? "–" : v)]));
  const rupiah = n => n ? "Rp " + fmt.number(n) : t("po_free");
  // "2,5" and "2.5" are both two and a half; what cannot be read goes as typed (the server names it)
  function number(text, integer) {
    const s = text.trim().replace(/\s/g, "");
    if (s === "") return null;
    const n = Number(s.replace(",", "."));
    return Number.isFinite(n) && /^-?\d+([.,]\d+)?$/.test(s) && (!integer || Number.isInteger(n)) ? n : text;
  }
  const b64 = file => new Promise((ok, no) => { const fr = new FileReader(); fr.onload = () => ok(fr.result.split(",")[1]); fr.onerror = no; fr.readAsDataURL(file); });
  const docPayload = async file => ({filename: file.name, media_type: file.type || "application/octet-stream", content: await b64(file)});

  // -- a ticket, live ----------------------------------------------------------------------
  let trackTimer = null;
  let trackedNumber = null;
  // The QR's link carries the ticket's token after "#" (no server sees it); it moves at once
  // into this tab's storage, out of the address and its history, and travels only in the
  // X-Ticket-Token header. A reload finds it in the tab's storage.
  function follow(id, token) {
    sessionStorage.setItem("mpp.ticket." + id, token);
    history.replaceState(null, "", location.pathname + location.search + "#track=" + encodeURIComponent(id));
  }
  function trackedTicket() {
    const p = new URLSearchParams(location.hash.slice(1));
    const id = p.get("track");
    if (id && p.get("token")) follow(id, p.get("token"));
    return id ? {id, token: sessionStorage.getItem("mpp.ticket." + id) || ""} : null;
  }
  async function track() {
    const mine = trackedTicket();
    if (!mine && !trackedNumber) return;
    const base = mine ? "/api/v1/tickets/" + encodeURIComponent(mine.id) : null;
    const token = mine ? {"X-Ticket-Token": mine.token} : {};
    // by the QR (id + token), or by the number typed (what the board shows of it)
    const tk = mine ? await api("GET", base, undefined, token) : await api("GET", "/api/v1/tickets/by-number/" + encodeURIComponent(trackedNumber));
    const eta = tk.eta_min_minutes == null || tk.eta_max_minutes == null ? t("po_eta_unknown")
      : t("po_eta_range", {min: fmt.number(tk.eta_min_minutes), max: fmt.number(tk.eta_max_minutes)});
    let state = MPP_TEXT["po_ticket_state_" + tk.status] ? t("po_ticket_state_" + tk.status) : serverText(tk.status_label || "–");
    if (tk.status === "called" && tk.counter_id) {  // which counter, by its name on the hall's board
      const board = await api("GET", "/api/v1/board?agency=" + encodeURIComponent(tk.agency || "")).catch(() => null);
      const counter = board && (board.counters || []).find(c => c.id === tk.counter_id);
      if (counter) state = t("po_ticket_called_to", {counter: counter.name});
    }
    const svc = services[tk.service_id];
    $("track-out").replaceChildren(el("p", {class: "big", id: "ticket-number"}, tk.number),
      dl([[t("po_service"), svc ? name(svc) : "–"], [t("po_ticket_status"), state], [t("ahead"), tk.ahead == null ? "–" : fmt.number(tk.ahead)],
          [t("po_eta"), ["waiting"].includes(tk.status) ? eta : "–"]]),
      el("p", {class: "muted"}, t("po_live")),
      el("p", {}, standardLink("service=" + encodeURIComponent(tk.service_id))));
    if (tk.status === "completed" && mine) {  // the same phone that followed the queue rates the service
      // the invitation follows the completion by a moment: asked again for a few seconds
      let s = null;
      for (let i = 0; i < 10 && !s; i++) {
        s = await api("GET", base + "/survey", undefined, token).catch(() => null);
        if (!s) await new Promise(r => setTimeout(r, 1000));
      }
      if (s && !$("track-out").querySelector("a.survey-link")) $("track-out").append(el("p", {}, el("a", {class: "btn survey-link", href: s.survey_url}, t("survey_title"))));
    }
    clearTimeout(trackTimer);
    const ended = ["completed", "cancelled", "no_show", "not_served", "transferred"].includes(tk.status);
    if (!ended) trackTimer = setTimeout(() => track().catch(() => null), 15000);
    live(ended ? null : svc && svc.agency);
  }
  // Live: the hall's stream of the ticket's agency says when a number is called; the ticket
  // is read again then (the 15 s reading above stays, for a stream that cannot be opened).
  let liveSource = null, liveAgency = null, liveAgain = null;
  function live(agency) {
    if (agency === liveAgency) return;
    if (liveSource) liveSource.close();
    liveSource = null; liveAgency = agency;
    if (!agency || !window.EventSource) return;
    liveSource = new EventSource("/api/v1/stream/board?agency=" + encodeURIComponent(agency));
    const again = () => { clearTimeout(liveAgain); liveAgain = setTimeout(() => track().catch(() => null), 300); };
    ["ticket_called", "ticket_recalled", "board"].forEach(kind => liveSource.addEventListener(kind, again));
  }

  $("track").addEventListener("submit", ev => {
    ev.preventDefault();
    const form = ev.currentTarget; MPP.formErrors(form);
    trackedNumber = $("tk-number").value.trim();
    if (!trackedNumber) { MPP.formErrors(form, {message: t("po_fix"), fields: {number: [t("po_required")]}}); return; }
    if (location.hash.includes("track=")) history.replaceState(null, "", location.pathname + location.search);
    MPP.busy(form.querySelector("button"), () => track().catch(e => { trackedNumber = null; $("track-out").replaceChildren(); MPP.formErrors(form, e); }));
  });

  // -- booking -----------------------------------------------------------------------------
  async function slots() {
    if (!$("book-service").value || !$("book-date").value) return;
    const r = await api("GET", "/api/v1/bookings/availability?service_id=" + encodeURIComponent($("book-service").value) + "&date=" + $("book-date").value);
    const free = r.slots.filter(s => s.bookable);
    $("book-slot").replaceChildren(...(free.length ? free.map(s => el("option", {value: s.local.slice(0, 5)}, t("po_slot_free", {time: s.local.slice(0, 5).replace(":", "."), free: s.free})))
      : [el("option", {value: ""}, t("po_no_slot"))]));
  }
  ["book-service", "book-date"].forEach(id => $(id).addEventListener("change", () => slots().catch(e => MPP.formErrors($("book"), e))));
  let bookKey = null;
  $("book").addEventListener("submit", ev => {
    ev.preventDefault();
    const form = ev.currentTarget; MPP.formErrors(form);
    bookKey = bookKey || MPP.newKey();
    MPP.busy(form.querySelector("button[type=submit]"), async () => {
      try {
        const phone = $("book-phone").value.trim();
        const r = await api("POST", "/api/v1/bookings", {service_id: $("book-service").value, date: $("book-date").value, slot_start: $("book-slot").value,
          nik: $("book-nik").value.trim(), name: $("book-name").value.trim(), phone, language: MPP.lang}, {"Idempotency-Key": bookKey});
        bookKey = null;
        if (r.created === false) { $("book-out").replaceChildren(el("p", {class: "ok"}, MPP.serverText(r.message))); return; }
        keepBooking({code: r.code, service_id: r.service_id, slot_start: r.slot_start, phone});
        showBooking(r, phone);
      } catch (e) { MPP.formErrors(form, e); }
    });
  });
  // The booking stays on this phone (a reload or a closed tab keeps it) until it is cancelled,
  // checked in or a day past its slot: its code, service, time and the phone that cancels it.
  const BOOKING = "mpp.portal.booking";
  function keepBooking(b) { try { if (b) localStorage.setItem(BOOKING, JSON.stringify(b)); else localStorage.removeItem(BOOKING); } catch (e) { /* private mode */ } }
  function keptBooking() {
    try {
      const b = JSON.parse(localStorage.getItem(BOOKING) || "null");
      if (b && Date.parse(b.slot_start) + 86400000 > Date.now()) return b;
    } catch (e) { /* unreadable: forgotten */ }
    keepBooking(null); return null;
  }
  // A number typed here gets its first message only until the citizen confirms it with the
  // code that message carried (or answers it YA): nobody can make the MPP message a stranger.
  function confirmPhone(phone, prefix) {
    const id = prefix + "-confirm-code";
    const note = el("p", {role: "alert", class: "error"});
    const form = el("form", {class: "confirm-phone", id: prefix + "-confirm", novalidate: true},
      el("p", {}, t("po_confirm_hint")), note,
      el("div", {class: "field"}, el("label", {for: id}, t("po_confirm_code")),
        el("input", {id, name: "code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "6"})),
      el("p", {}, el("button", {type: "submit"}, t("po_confirm_send"))));
    form.addEventListener("submit", ev => {
      ev.preventDefault(); MPP.formErrors(form);
      const code = form.querySelector("input").value.trim();
      if (!code) { MPP.formErrors(form, {message: t("po_fix"), fields: {code: [t("po_required")]}}); return; }
      MPP.busy(form.querySelector("button"), () => api("POST", "/api/v1/phone-confirmations", {phone, code})
        .then(() => { form.replaceChildren(el("p", {class: "ok", id: prefix + "-confirmed"}, t("po_confirmed"))); MPP.say(t("po_confirmed")); })
        .catch(e => MPP.formErrors(form, e)));
    });
    return phone ? form : "";
  }
  function showBooking(r, phone) {
    const svc = services[r.service_id];
    const cancel = el("button", {type: "button", class: "secondary", onclick: ev => MPP.busy(ev.currentTarget, () =>
      api("POST", "/api/v1/bookings/" + encodeURIComponent(r.code) + "/cancel", {phone}).then(() => {
        keepBooking(null); $("book-out").replaceChildren(el("p", {class: "ok"}, t("po_booking_cancelled"))); MPP.say(t("po_booking_cancelled")); })
        .catch(e => { note.textContent = e.message; }))}, t("po_booking_cancel"));
    const checkin = el("button", {type: "button", onclick: ev => MPP.busy(ev.currentTarget, () =>
      api("POST", "/api/v1/bookings/" + encodeURIComponent(r.code) + "/check-in").then(tk => {
        keepBooking(null); checkin.remove(); cancel.remove();
        $("book-out").append(el("p", {class: "ok", id: "checkin-number"}, t("po_booking_ticket", {number: tk.number})));
        follow(tk.id, tk.access_token); track().catch(e => { note.textContent = e.message; });
        $("s-track").scrollIntoView();
      }).catch(e => { note.textContent = e.message; }))}, t("po_booking_checkin"));
    const note = el("p", {class: "error", role: "alert"});
    $("book-out").replaceChildren(el("p", {}, t("po_booking_code"), ": ", el("strong", {class: "big-code", id: "booking-code"}, r.code)),
      dl([[t("po_service"), svc ? name(svc) : "–"], [t("po_booking_when"), fmt.dateTime(r.slot_start)]]),
      el("p", {}, checkin, cancel), note, confirmPhone(phone, "book"));
  }

  // -- a permit type, and filing ---------------------------------------------------------
  function typeInfo(pt) {
    const box = document.createDocumentFragment();
    box.append(dl([[t("po_issued_by"), agencies[pt.agency] ? name(agencies[pt.agency]) : "–"],
      [t("po_fee"), rupiah(pt.fee)], [t("po_sla"), t("po_sla_days", {n: pt.sla_working_days})]]),
      el("p", {}, el("strong", {}, t("po_requirements"))), el("ul", {}, (pt.requirements || []).map(r => el("li", {}, name(r)))));
    const promise = promised(pt);
    if (promise) box.append(el("p", {class: "promise", id: "promised-time"}, promise), el("p", {}, standardLink("permit_type=" + encodeURIComponent(pt.id))));
    return box;
  }
  // the completion time the type's adopted standard promises (null: no standard adopted)
  function promised(pt) {
    const std = pt && standardOf("permit_type", pt.id);
    return std && std.components && std.components.time ? t("sd_promised_time", {time: STD.timeText(std.components.time)}) : null;
  }
  function typeForm() {
    const pt = types.find(x => x.id === $("app-type").value); if (!pt) return;
    MPP.formErrors($("apply"));
    $("type-info").replaceChildren(typeInfo(pt));
    $("app-form").replaceChildren(...(pt.form || []).map(f => {
      const id = "f-" + f.name, attrs = {id, name: "form." + f.name, "data-field": f.name, "data-type": f.type, required: f.required};
      let input;
      if (f.type === "enum") input = el("select", attrs, el("option", {value: ""}, t("po_choice")), (f.choices || []).map(c => el("option", {value: c}, (f.choice_labels && f.choice_labels[c]) || c.replace(/_/g, " "))));
      else if (f.type === "number") input = el("input", Object.assign(attrs, {inputmode: "decimal", autocomplete: "off"}));
      else if (f.type === "integer") input = el("input", Object.assign(attrs, {inputmode: "numeric", autocomplete: "off"}));
      else input = el("input", Object.assign(attrs, {autocomplete: "off"}));
      return el("div", {class: "field"}, el("label", {for: id, "data-id": f.label || f.name, "data-en": f.label_en || f.label || f.name}, label(f)), input);
    }));
    $("app-docs").replaceChildren(...(pt.requirements || []).map(r => el("div", {class: "field"},
      el("label", {for: "d-" + r.kind, "data-id": r.name, "data-en": r.name_en || r.name}, name(r)), el("input", {type: "file", id: "d-" + r.kind, name: "documents." + r.kind, "data-kind": r.kind, accept: "application/pdf,image/jpeg,image/png"}))));
    fileKey = null;
  }
  $("app-type").addEventListener("change", typeForm);
  $("apply").addEventListener("input", () => { fileKey = null; });  // a changed form is a new filing
  $("apply").addEventListener("submit", ev => {
    ev.preventDefault();
    const form = ev.currentTarget; MPP.formErrors(form);
    // what is plainly missing is said at once, beside each field, before anything is sent
    const missing = {};
    form.querySelectorAll("#app-form [required], #app-nik, #app-name, #app-phone").forEach(i => { if (!i.value.trim()) missing[i.name] = [t("po_required")]; });
    form.querySelectorAll("#app-docs [data-kind]").forEach(i => { if (!i.files[0]) missing[i.name] = [t("po_required_doc")]; });
    if (Object.keys(missing).length) { MPP.formErrors(form, {message: t("po_fix"), fields: missing}); return; }
    fileKey = fileKey || MPP.newKey();
    MPP.busy($("apply-send"), async () => {
      try {
        const values = {};
        form.querySelectorAll("#app-form [name]").forEach(i => {
          const v = ["number", "integer"].includes(i.dataset.type) ? number(i.value, i.dataset.type === "integer") : i.value;
          if (v !== null && v !== "") values[i.name.slice(5)] = v;
        });
        const documents = [];
        for (const i of form.querySelectorAll("#app-docs [data-kind]")) if (i.files[0]) documents.push(Object.assign({kind: i.dataset.kind}, await docPayload(i.files[0])));
        const progress = $("app-progress"); progress.hidden = false; progress.value = 0;
        const r = await MPP.upload("POST", "/api/v1/applications", {permit_type_id: $("app-type").value, form: values, documents,
          applicant: {nik: $("app-nik").value.trim(), name: $("app-name").value.trim(), phone: $("app-phone").value.trim(), language: MPP.lang}},
          {"Idempotency-Key": fileKey}, f => { progress.value = f; });
        progress.hidden = true; fileKey = null;
        if (r.created === false) {  // a retry of a filing already received: its code and PIN went to the applicant's phone
          $("apply-out").replaceChildren(el("p", {class: "ok"}, MPP.serverText(r.message)));
          return;
        }
        const promise = promised(types.find(x => x.id === $("app-type").value));
        $("apply-out").replaceChildren(el("p", {class: "ok"}, t("po_filed")),
          dl([[t("po_code"), el("strong", {id: "tracking-code", class: "big-code"}, r.tracking_code)], [t("po_pin"), el("strong", {id: "tracking-pin", class: "big-code"}, r.pin)]]),
          promise ? el("p", {class: "promise", id: "filed-promise"}, promise) : "",
          confirmPhone($("app-phone").value.trim(), "apply"));
        $("st-code").value = r.tracking_code; $("st-pin").value = r.pin;
      } catch (e) { $("app-progress").hidden = true; MPP.formErrors(form, e); }
    });
  });

  // -- following an application, correcting it, the permit -------------------------------
  async function showStatus() {
    const {code, pin} = followed;
    const r = await api("GET", "/api/v1/applications/" + encodeURIComponent(code), undefined, {"X-Application-Pin": pin});
    const pt = types.find(x => x.id === r.permit_type_id);
    const last = (r.history || [])[r.history.length - 1] || {};
    const facts = [[t("permit_title"), pt ? name(pt) : "–"], [t("po_filed_at"), fmt.dateTime(r.filed_at)]];
    if (r.sla && r.sla.due_at && r.sla.mode !== "stopped") facts.push([t("po_due"), fmt.dueDate(r.sla.due_at)]);
    // the fee of the application's own terms when the status carries it, else its type's
    const fee = r.fee != null ? r.fee : (pt ? pt.fee : 0);
    if (fee) facts.push([t("po_fee"), rupiah(fee)]);
    const parts = [el("p", {id: "app-state", class: "state"}, serverText(r.state_label)), dl(facts)];
    if (r.state === "awaiting_payment") parts.push(el("p", {id: "pay-hint", class: "info"}, t("po_pay_hint", {fee: rupiah(fee)})));
    if ((r.remaining || []).length) {  // what is left after the agency has the file, in plain words
      parts.push(el("h3", {}, t("po_remaining")), el("ul", {id: "app-remaining", class: "remaining"},
        ...r.remaining.map(step => el("li", {class: step.done ? "done" : ""},
          (step.done ? "✓ " : "○ ") + label(step) + " · " + t(step.done ? "po_step_done" : "po_step_waiting")))));
    }
    if (r.permit) {
      parts.push(el("p", {id: "permit"}, t("permit_no") + ": ", el("strong", {}, r.permit.permit_number)),
        el("p", {}, el("button", {type: "button", id: "permit-pdf", onclick: ev => MPP.busy(ev.currentTarget, () => downloadPermit(code, pin).catch(e => MPP.say(e.message, "error")))}, t("permit_pdf")),
          " ", el("a", {href: r.permit.verify_url}, t("verify"))));
    }
    parts.push(el("h3", {}, t("po_history")), el("ol", {class: "history"}, (r.history || []).map(h => el("li", {},
      el("span", {class: "when"}, fmt.dateTime(h.at)), " · ", serverText(h.to_label || h.to), h.note ? el("span", {class: "note"}, " · " + h.note) : ""))));
    $("status-out").replaceChildren(...parts);
    $("prefs").hidden = false;
    const correctable = (r.available_actions || []).includes("resubmit");
    $("correct").hidden = !correctable;
    if (correctable) {
      $("correct-reason").textContent = t("po_reason") + ": " + (last.note || "–");
      $("correct-docs").replaceChildren(...((pt && pt.requirements) || []).map(q => el("div", {class: "field"},
        el("label", {for: "c-" + q.kind}, t("po_replace", {name: name(q)})), el("input", {type: "file", id: "c-" + q.kind, name: q.kind, "data-kind": q.kind, accept: "application/pdf,image/jpeg,image/png"}))));
    }
  }
  $("status").addEventListener("submit", ev => {
    ev.preventDefault();
    const form = ev.currentTarget; MPP.formErrors(form);
    followed = {code: $("st-code").value.trim().toUpperCase(), pin: $("st-pin").value.trim()};
    MPP.busy(form.querySelector("button"), () => showStatus().catch(e => { $("status-out").replaceChildren(); $("correct").hidden = true; MPP.formErrors(form, e); }));
  });
  $("correct").addEventListener("submit", ev => {
    ev.preventDefault();
    const form = ev.currentTarget; MPP.formErrors(form);
    MPP.busy($("correct-send"), async () => {
      try {
        const chosen = [...form.querySelectorAll("[data-kind]")].filter(i => i.files[0]);
        if (!chosen.length) { form.querySelector("[role=alert]").textContent = t("po_pick_file"); return; }
        const progress = $("correct-progress"); progress.hidden = false;
        for (const [n, i] of chosen.entries()) {
          const d = await docPayload(i.files[0]);
          await MPP.upload("POST", "/api/v1/applications/" + encodeURIComponent(followed.code) + "/documents",
            {pin: followed.pin, kind: i.dataset.kind, filename: d.filename, media_type: d.media_type, content_b64: d.content},
            undefined, f => { progress.value = (n + f) / chosen.length; });
        }
        await api("POST", "/api/v1/applications/" + encodeURIComponent(followed.code) + "/applicant-actions", {pin: followed.pin, action: "resubmit"});
        progress.hidden = true;
        MPP.say(t("po_resubmitted"));
        await showStatus();
      } catch (e) { $("correct-progress").hidden = true; MPP.formErrors(form, e); }
    });
  });
  $("prefs").addEventListener("submit", ev => {
    ev.preventDefault();
    const form = ev.currentTarget; MPP.formErrors(form);
    const channels = [...form.querySelectorAll("input[name=channel]:checked")].map(i => i.value);
    const stop = $("pf-stop").checked;
    if (!channels.length && !stop) { MPP.formErrors(form, {message: t("po_fix"), fields: {channels: [t("po_pick_channel")]}}); return; }
    const all = ["whatsapp", "sms", "email"];
    const preferences = {phone: $("pf-phone").value.trim() || null, email: $("pf-email").value.trim() || null, language: $("pf-lang").value,
      channels: channels.length ? channels : all, opt_out: stop ? all : all.filter(c => !channels.includes(c))};
    MPP.busy($("prefs-send"), () => api("PUT", "/api/v1/applications/" + encodeURIComponent(followed.code) + "/notification-preferences", {pin: followed.pin, preferences})
      .then(() => { form.querySelector("[role=alert]").textContent = ""; const msg = stop ? t("po_prefs_stopped") : t("po_prefs_saved"); MPP.say(msg);
        form.querySelector("p.muted").textContent = msg; })
      .catch(e => MPP.formErrors(form, e)));
  });
  // The PIN travels in a header, never in a URL: the PDF is fetched and handed over as a blob.
  async function downloadPermit(code, pin) {
    const r = await fetch("/api/v1/applications/" + encodeURIComponent(code) + "/permit.pdf", {headers: {"X-Application-Pin": pin, "Accept-Language": MPP.lang}});
    if (!r.ok) throw new Error(serverText((await r.json()).detail || String(r.status)));
    const a = el("a", {href: URL.createObjectURL(await r.blob()), download: "izin-" + code + ".pdf"});
    document.body.append(a); a.click(); a.remove();
    MPP.say(t("po_pdf_ready"));
  }

  // -- verifying a permit ----------------------------------------------------------------
  async function verify(number, hash) {
    const q = hash ? "?hash=" + encodeURIComponent(hash) : "";
    const r = await api("GET", "/api/v1/permits/" + encodeURIComponent(number) + "/verify" + q);
    const pairs = [[t("permit_no"), r.permit_number || number], [t("permit_title"), (MPP.lang === "en" && r.title_en) || r.title || "–"],
      [t("agency"), r.agency_name || "–"]];
    if (r.holder) pairs.push([t("po_holder"), r.holder]);
    pairs.push([t("valid_until"), r.valid_until ? fmt.date(r.valid_until) : "–"]);
    // the standard the permit was issued under: its type's, found by name within its agency
    const type = r.agency && types.find(p => p.agency === r.agency && (p.name === r.title || (r.title_en && p.name_en === r.title_en)));
    $("verify-out").replaceChildren(el("p", {id: "verify-status", class: "state"}, serverText(r.status_label || r.status)), dl(pairs),
      r.agency ? el("p", {}, standardLink(type ? "permit_type=" + encodeURIComponent(type.id) : "agency=" + encodeURIComponent(r.agency))) : "");
  }
  $("verify").addEventListener("submit", ev => {
    ev.preventDefault();
    const form = ev.currentTarget; MPP.formErrors(form);
    MPP.busy(form.querySelector("button"), () => verify($("permit-number").value.trim()).catch(e => MPP.formErrors(form, e)));
  });

  (async () => {
    const d = await api("GET", "/api/v1/agencies");
    MPP.setZone(d.timezone);
    d.agencies.forEach(a => { agencies[a.code] = a; a.services.forEach(s => { services[s.id] = Object.assign({agency: a.code}, s); }); });
    $("book-service").replaceChildren(...d.agencies.filter(a => a.services.length).map(a => el("optgroup", {label: name(a)}, a.services.map(s => el("option", {value: s.id}, name(s))))));
    types = d.agencies.flatMap(a => a.permit_types || []);
    // without the standards service the portal still works, only without promises
    standards = await api("GET", "/api/v1/public/standards").then(r => r.standards || []).catch(() => []);
    $("app-type").replaceChildren(...types.map(p => el("option", {value: p.id}, name(p))));
    $("book-date").min = new Date().toISOString().slice(0, 10);
    typeForm();
    const kept = keptBooking();
    if (kept) showBooking(kept, kept.phone);
    // A permit's QR code opens /verify?n=<number>&h=<record hash>: verify it straight away.
    const qr = new URLSearchParams(location.search);
    if (location.pathname === "/verify" && qr.get("n")) {
      $("permit-number").value = qr.get("n");
      await verify(qr.get("n"), qr.get("h")).catch(e => MPP.formErrors($("verify"), e));
      $("s-verify").scrollIntoView();
    }
    await track();
    // a ticket's QR opens the page: the ticket comes first on the screen, not the menu
    if (location.hash.includes("track=")) $("s-track").scrollIntoView();
  })().catch(e => MPP.say(e.message, "error"));
  window.addEventListener("hashchange", () => track().catch(e => MPP.say(e.message, "error")));
  // A language switch renames the form's labels; what was typed and chosen stays.
  function relabel() {
    document.querySelectorAll("#app-form label[data-id], #app-docs label[data-id]").forEach(l => { l.textContent = MPP.lang === "en" ? l.dataset.en : l.dataset.id; });
    const pt = types.find(x => x.id === $("app-type").value);
    if (pt) $("type-info").replaceChildren(typeInfo(pt));
    [...$("app-type").options].forEach(o => { const p = types.find(x => x.id === o.value); if (p) o.textContent = name(p); });
  }
  document.addEventListener("mpp:lang", () => { relabel(); if (followed) showStatus().catch(() => null); track().catch(() => null); });
})();
