// The back office: an agency's work list (SLA state in colour, due date in the MPP's zone),
// an application's details with the actions the workflow allows this user now (from the API),
// reasons asked in a form, documents, history and notification status; complaints; the
// supervisor's perception panel. Everything from the API is shown with textContent.
"use strict";
(() => {
  const {t, api, el, session, fmt} = MPP;
  const $ = id => document.getElementById(id);
  let agencies = {}, current = null, pending = null, replying = null;

  const serverText = MPP.serverText;
  const agencyName = code => (agencies[code] ? MPP.name(agencies[code]) : code) || "MPP";
  const typeName = row => (MPP.lang === "en" && row.permit_type_name_en) || row.permit_type_name || "–";
  // on time · past 50 % · past 80 % · late, or paused/finished when the clock is not running
  function slaBadge(sla) {
    if (!sla) return el("span", {}, "–");
    let key = "of_sla_on_time";
    if (sla.breached) key = "of_sla_late";
    else if (sla.mode === "paused") key = "of_sla_paused";
    else if (sla.mode === "stopped") key = "of_sla_stopped";
    else if (sla.percent_used >= 80) key = "of_sla_late_soon";
    else if (sla.percent_used >= 50) key = "of_sla_half";
    return el("span", {class: "sla " + key.slice(7).replace(/_/g, "-")},
      el("span", {class: "badge"}, t(key)), sla.due_at ? el("span", {class: "due"}, t("of_due") + " " + fmt.dueDate(sla.due_at)) : "");
  }

  async function start() {
    const s = session(); if (!s) return;
    $("login-box").hidden = true; $("office").hidden = false;
    const d = await api("GET", "/api/v1/agencies").catch(() => ({agencies: []}));
    MPP.setZone(d.timezone);
    agencies = Object.fromEntries((d.agencies || []).map(a => [a.code, a]));
    who();
    agencyPicker();
    await apps();
    await complaints().catch(e => MPP.say(e.message, "error"));
    const supervisor = ["supervisor", "admin"].includes(s.account.role);
    $("perception-box").hidden = !supervisor;
    $("broken-box").hidden = !supervisor;
    $("std-manage").hidden = !supervisor;
    if (supervisor) await perception().catch(e => MPP.say(e.message, "error"));
    if (supervisor) await brokenPromises().catch(() => { $("broken").replaceChildren(el("p", {class: "muted"}, t("of_broken_unavailable"))); });
  }

  // An agency's staff see their agency's list. The MPP admin sees every agency's (the ones
  // that issue permits), newest filing first, or one agency's, chosen in the picker.
  async function apps() {
    const s = session();
    const all = !s.account.agency;
    const chosen = all ? ($("of-agency").value ? [$("of-agency").value] : permitAgencies()) : [null];
    const lists = await Promise.all(chosen.map(code => api("GET", "/api/v1/applications" + (code ? "?agency=" + encodeURIComponent(code) : ""))
      .then(r => (r.items || []).map(a => Object.assign({agency: code}, a)))));
    const items = lists.flat().sort((a, b) => String(b.filed_at).localeCompare(String(a.filed_at)));
    const keys = ["of_code", "of_applicant", "of_type", "of_filed", "of_state", "of_sla", "of_actions"];
    if (all) keys.splice(2, 0, "agency");
    const head = el("tr", {}, keys.map(k => el("th", {scope: "col"}, t(k))));
    const rows = items.map(a => el("tr", {"data-code": a.tracking_code, "data-agency": a.agency || ""},
      el("td", {class: "code"}, a.tracking_code), el("td", {}, a.applicant_masked || "–"), all ? el("td", {}, agencyName(a.agency)) : "", el("td", {}, typeName(a)),
      el("td", {}, fmt.dateTime(a.filed_at)), el("td", {}, serverText(a.state_label)), el("td", {}, slaBadge(a.sla)),
      el("td", {}, el("button", {type: "button", class: "secondary", "aria-label": t("of_open_app", {code: a.tracking_code}),
        onclick: () => openApp(a.application_id).catch(e => MPP.say(e.message, "error"))}, t("of_open")))));
    $("apps").replaceChildren(el("thead", {}, head), el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", {colspan: keys.length}, t("of_empty")))));
  }
  function who() {
    const s = session();
    $("who").textContent = [t("of_signed_in") + " " + s.account.username, t("of_role_" + s.account.role)]
      .concat(s.account.agency ? [agencyName(s.account.agency)] : []).join(" · ");
  }
  const permitAgencies = () => Object.values(agencies).filter(a => (a.permit_types || []).length).map(a => a.code);
  function agencyPicker() {
    const s = session(), box = $("agency-pick");
    box.hidden = !!s.account.agency;
    if (box.hidden) return;
    const picked = $("of-agency").value;
    $("of-agency").replaceChildren(el("option", {value: ""}, t("of_all_agencies")),
      ...permitAgencies().map(code => el("option", {value: code}, agencyName(code))));
    $("of-agency").value = picked;
  }

  async function openApp(id) {
    const a = await api("GET", "/api/v1/applications/by-id/" + encodeURIComponent(id));
    current = a; pending = null; $("reason-form").hidden = true;
    const pt = a.permit_type || {};
    $("detail").hidden = false;
    $("detail-h").textContent = t("of_detail") + " " + a.tracking_code;
    $("detail-facts").replaceChildren(...[
      [t("of_applicant"), a.applicant.name], [t("of_nik"), a.applicant.nik_masked || "–"], [t("of_type"), a.permit_type_name || "–"],
      [t("of_filed"), fmt.dateTime(a.filed_at)], [t("of_state"), serverText(a.state_label)]].flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]),
      el("dt", {}, t("of_sla")), el("dd", {}, slaBadge(a.sla)));
    const labels = Object.fromEntries((a.form_fields || []).map(f => [f.name, (MPP.lang === "en" && f.label_en) || f.label]));
    $("detail-form").replaceChildren(...Object.entries(a.form || {}).flatMap(([k, v]) => [el("dt", {}, labels[k] || k), el("dd", {}, typeof v === "number" ? fmt.number(v, 2) : String(v))]));
    $("detail-docs").replaceChildren(...(a.documents || []).map(doc => el("li", {},
      el("button", {type: "button", class: "secondary", onclick: ev => openDocument(a, doc, ev.currentTarget)}, t("of_open_doc", {name: docName(a, doc)})),
      " ", el("span", {class: "muted"}, doc.filename + " · " + (doc.size < 1024 ? "< 1 KB" : fmt.number(doc.size / 1024, 1) + " KB")))));
    renderActions(a);
    $("detail-history").replaceChildren(el("thead", {}, el("tr", {}, ["of_when", "of_step", "of_by", "of_note"].map(k => el("th", {scope: "col"}, t(k))))),
      el("tbody", {}, (a.history || []).map(h => el("tr", {},
        el("td", {}, fmt.dateTime(h.at)), el("td", {}, h.to_label ? serverText(h.to_label) : actionLabel(h.action)),
        el("td", {}, actorName(h.actor)), el("td", {}, h.note || "")))));
    await notifications(a.tracking_code, $("detail-notif")).catch(e => $("detail-notif").replaceChildren(el("p", {class: "error"}, e.message)));
    $("detail").focus();
    return pt;
  }
  // staff by their user name; the applicant, the agency's own system and the clock by role
  function actorName(actor) {
    if (actor === "applicant") return t("of_applicant");
    if (/^connector:/.test(actor || "")) return t("ch_webhook");
    if (/^system(:|$)/.test(actor || "")) return t("of_system");
    return actor;
  }
  function docName(a, doc) {
    const r = (a.requirements || []).find(x => x.kind === doc.kind);
    return r ? MPP.name(r) : doc.kind;
  }
  function actionLabel(action) {
    const known = current && (current.actions || []).find(x => x.action === action);
    if (known) return MPP.lang === "en" ? known.label_en : known.label;
    return action === "submit" ? t("of_filing") : action;
  }

  function renderActions(a) {
    const box = $("detail-actions");
    if (!(a.actions || []).length) { box.replaceChildren(el("p", {class: "muted"}, t("of_no_actions"))); return; }
    box.replaceChildren(...a.actions.map(x => el("button", {type: "button", class: x.needs_reason ? "secondary" : "",
      "data-action": x.action, onclick: ev => choose(x, ev.currentTarget)}, MPP.lang === "en" ? x.label_en : x.label)));
  }
  function choose(x, button) {
    if (x.needs_reason) {
      pending = x; $("reason-form").hidden = false;
      $("reason-label").textContent = (MPP.lang === "en" ? x.label_en : x.label) + ": " + t("of_reason");
      MPP.formErrors($("reason-form")); $("reason").focus();
      return;
    }
    MPP.busy(button, () => take(x, null, null));
  }
  async function take(x, note, form) {
    try {
      const r = await api("POST", "/api/v1/applications/by-id/" + encodeURIComponent(current.application_id) + "/actions",
        {action: x.action, note: note || undefined, expected_seq: current.history_seq});
      MPP.say(t("of_done", {action: MPP.lang === "en" ? x.label_en : x.label, state: serverText(r.state_label)}));
      $("reason-form").hidden = true; $("reason").value = ""; pending = null;
      await apps(); await openApp(current.application_id);
    } catch (e) {
      if (form) MPP.formErrors(form, e); else MPP.say(e.message, "error");
    }
  }
  $("reason-form").addEventListener("submit", ev => {
    ev.preventDefault();
    if (pending) MPP.busy($("reason-send"), () => take(pending, $("reason").value.trim(), $("reason-form")));
  });
  $("reason-cancel").addEventListener("click", () => { pending = null; $("reason-form").hidden = true; });
  $("detail-close").addEventListener("click", () => { $("detail").hidden = true; current = null; });

  // Staff fetch the file with their token and hand it to the browser as a download.
  async function openDocument(a, doc, button) {
    await MPP.busy(button, async () => {
      const s = session();
      const r = await fetch("/api/v1/applications/by-id/" + encodeURIComponent(a.application_id) + "/documents/" + encodeURIComponent(doc.kind),
        {headers: {Authorization: "Bearer " + s.access_token}});
      if (!r.ok) { MPP.say(serverText((await r.json()).detail || String(r.status)), "error"); return; }
      const link = el("a", {href: URL.createObjectURL(await r.blob()), download: doc.filename});
      document.body.append(link); link.click(); link.remove();
    });
  }

  async function notifications(reference, box) {
    const r = await api("GET", "/api/v1/notifications?reference=" + encodeURIComponent(reference));
    if (!r.messages.length) { box.replaceChildren(el("p", {class: "muted"}, t("of_notif_none"))); return; }
    box.replaceChildren(el("table", {}, el("thead", {}, el("tr", {}, ["of_notif_kind", "of_notif_channel", "of_notif_status", "of_notif_at"].map(k => el("th", {scope: "col"}, t(k))))),
      el("tbody", {}, r.messages.map(m => el("tr", {}, el("td", {}, t("nk_" + m.kind)), el("td", {}, m.channel ? t("ch_" + m.channel) : "–"),
        el("td", {class: "ns-" + m.status}, t("ns_" + m.status)), el("td", {}, fmt.dateTime(m.created_at)))))));
  }
  $("notif").addEventListener("submit", ev => {
    ev.preventDefault();
    const form = ev.currentTarget;
    MPP.formErrors(form);
    MPP.busy(form.querySelector("button"), () => notifications($("ref").value.trim(), $("notif-out")).catch(e => MPP.formErrors(form, e)));
  });

  // Complaints of the officer's agency (an admin: all). Their text is a citizen's: text nodes only.
  async function complaints() {
    const r = await api("GET", "/api/v1/feedback/complaints");
    const next = {received: ["in_progress", "answered"], in_progress: ["answered", "closed"], answered: ["closed", "in_progress"], closed: []};
    $("complaints").replaceChildren(el("thead", {}, el("tr", {}, ["of_complaint_no", "complaint_kind", "of_complaint_text", "of_complaint_status", "complaint_due", "of_actions"].map(k => el("th", {scope: "col"}, t(k))))),
      el("tbody", {}, r.items.length ? [] : el("tr", {}, el("td", {colspan: 6}, t("of_no_complaints"))), r.items.map(c => el("tr", {}, el("td", {class: "code"}, c.id), el("td", {}, t("ck_" + c.kind)), el("td", {}, c.text),
        el("td", {}, serverText(c.status_label)), el("td", {class: c.overdue ? "error" : ""}, fmt.dueDate(c.due_at)),
        el("td", {}, ...next[c.status].map(s => el("button", {type: "button", class: "secondary", onclick: ev => reply(c, s, ev.currentTarget)}, t("to_" + s))))))));
  }
  function reply(c, status, button) {
    if (status === "answered") {
      replying = c; $("reply-form").hidden = false; MPP.formErrors($("reply-form"));
      $("reply-label").textContent = t("complaint_reply") + " · " + c.id; $("reply").focus();
      return;
    }
    MPP.busy(button, () => api("POST", "/api/v1/feedback/complaints/" + encodeURIComponent(c.id), {status})
      .then(complaints).catch(e => MPP.say(e.message, "error")));
  }
  $("reply-form").addEventListener("submit", ev => {
    ev.preventDefault();
    const form = ev.currentTarget;
    MPP.busy(form.querySelector("button[type=submit]"), () => api("POST", "/api/v1/feedback/complaints/" + encodeURIComponent(replying.id),
      {status: "answered", response: $("reply").value.trim()}).then(() => { form.hidden = true; $("reply").value = ""; return complaints(); })
      .catch(e => MPP.formErrors(form, e)));
  });
  $("reply-cancel").addEventListener("click", () => { $("reply-form").hidden = true; replying = null; });
  $("lapor-csv").addEventListener("click", ev => MPP.busy(ev.currentTarget, async () => {
    try {
      const text = await api("GET", "/api/v1/feedback/lapor-export?format=csv", undefined, {Accept: "text/csv"});
      const a = el("a", {href: URL.createObjectURL(new Blob([text], {type: "text/csv"})), download: "lapor.csv"});
      document.body.append(a); a.click(); a.remove();
    } catch (e) { MPP.say(e.message, "error"); }
  }));

  // Supervisors (and the MPP admin) only: officers never ask, so they never meet a 403.
  async function perception() {
    const r = await api("GET", "/api/v1/feedback/perception");
    const minutes = s => s == null ? "–" : fmt.minutes(s / 60);
    $("perception").replaceChildren(el("thead", {}, el("tr", {}, [t("of_service"), "IKM", t("waktu_score"), t("stats_wait_avg"), t("of_p90"), t("stats_sla")].map(h => el("th", {scope: "col"}, h)))),
      el("tbody", {}, r.items.length ? [] : el("tr", {}, el("td", {colspan: 6}, t("of_no_perception"))), r.items.map(i => { const w = i.elements.find(e => e.code === "waktu") || {};
        return el("tr", {}, el("td", {}, i.service_name), el("td", {}, i.ikm.score == null ? "–" : fmt.number(i.ikm.score, 2) + " " + (i.ikm.grade || "")),
          el("td", {}, w.score == null ? "–" : fmt.number(w.score, 2)), el("td", {}, minutes(i.measured.wait.average_seconds)), el("td", {}, minutes(i.measured.wait.p90_seconds)),
          el("td", {}, fmt.percent(i.measured.sla.percent, 1))); })));
  }

  // Which services broke their standard's promise this month, and why (the slowest steps).
  const rupiah = n => n === 0 ? t("of_broken_free") : "Rp" + fmt.number(n);
  function reasonText(r) {
    if (r.kind === "late_decisions") return t("of_broken_late", {late: fmt.number(r.late), decided: fmt.number(r.decided), days: fmt.number(r.promised_working_days)});
    if (r.kind === "fee_differs") return t("of_broken_fee", {charged: r.charged.map(rupiah).join(", "), promised: rupiah(r.promised)});
    if (r.kind === "slow_service") return t("of_broken_slow", {p90: fmt.number(r.p90_minutes, 1), promised: fmt.number(r.promised_minutes)});
    return "";
  }
  async function brokenPromises() {
    const r = await api("GET", "/api/v1/standards/broken");
    if (!r.broken.length) {
      $("broken").replaceChildren(el("p", {}, r.measured ? t("of_broken_none", {n: fmt.number(r.measured)}) : t("of_broken_nothing_measured")));
      return;
    }
    $("broken").replaceChildren(el("ul", {class: "broken-list"}, r.broken.map(b => el("li", {class: "card"},
      el("h3", {}, (MPP.lang === "en" && b.title_en) || b.title, (session().account || {}).role === "admin" ? " · " + agencyName(b.agency) : ""),
      el("ul", {}, b.reasons.map(x => el("li", {}, reasonText(x)))),
      b.slowest_steps.length ? el("p", {}, t("of_broken_slowest"), " ", b.slowest_steps.map(st => t("of_broken_step", {step: MPP.lang === "en" ? st.label_en : st.label, hours: fmt.number(st.median_hours, 1)})).join("; ")) : null))));
  }

  $("login").addEventListener("submit", ev => {
    ev.preventDefault();
    const form = ev.currentTarget;
    MPP.formErrors(form);
    MPP.busy(form.querySelector("button"), () => MPP.login($("u").value.trim(), $("p").value).then(start).catch(e => MPP.formErrors(form, e)));
  });
  $("logout").addEventListener("click", MPP.logout);
  $("refresh").addEventListener("click", ev => MPP.busy(ev.currentTarget, () => apps().catch(e => MPP.say(e.message, "error"))));
  $("of-agency").addEventListener("change", () => apps().catch(e => MPP.say(e.message, "error")));
  document.addEventListener("mpp:lang", () => { if (session()) { who(); agencyPicker(); apps().catch(() => null); if (current) openApp(current.application_id).catch(() => null); } });
  start().catch(e => MPP.say(e.message, "error"));
})();
