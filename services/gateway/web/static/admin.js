// The MPP admin's page: onboard an agency (services, counters, staff accounts, permit types),
// the working calendar (cuti bersama), connectors' state, staff accounts. Everything shown is
// a name; codes appear only where the admin types a new one (filled in from the name).
"use strict";
(() => {
  const {t, api, el, say, busy, formErrors, session, fmt} = MPP;
  const $ = id => document.getElementById(id);
  const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const FIELD_TYPES = ["string", "integer", "number", "date", "boolean", "enum"];
  const ROLES = ["officer", "supervisor"];
  const AGENCY_KINDS = ["regional_office", "vertical_agency", "state_enterprise", "regional_enterprise", "other"];
  let agencies = [], counters = [], accounts = null, connectors = null;
  let accountFilter = "";  // the accounts page's agency filter (also the new account's agency)

  // -- small builders -------------------------------------------------------------------
  let seq = 0;
  // A labelled input (or select) with its help text; ``name`` is the API's field name, so
  // a 422's field messages land next to it (MPP.formErrors).
  function field(name, label, opts = {}) {
    const id = "f" + (++seq);
    const help = opts.help ? el("p", {class: "help", id: id + "-help"}, opts.help) : null;
    const attrs = Object.assign({id, name, "aria-describedby": help ? id + "-help" : null}, opts.attrs || {});
    const input = opts.options
      ? el("select", attrs, opts.options.map(([v, text]) => el("option", {value: v, selected: v === opts.value}, text)))
      : el("input", Object.assign({type: opts.type || "text", value: opts.value == null ? null : opts.value}, attrs));
    return el("div", {class: "field" + (opts.wide ? " wide" : "")}, el("label", {for: id}, label, opts.optional ? " " + t("adm_optional") : ""), input, help);
  }
  function check(name, label, checked, attrs) {
    const id = "f" + (++seq);
    return el("div", {class: "check"}, el("input", Object.assign({type: "checkbox", id, name, checked}, attrs || {})), el("label", {for: id}, label));
  }
  function table(headers, rows, caption) {
    if (!rows.length) return el("p", {class: "muted"}, t("adm_none_yet"));
    return el("table", {}, caption ? el("caption", {class: "sr-only"}, caption) : null,
      el("thead", {}, el("tr", {}, headers.map(h => el("th", {scope: "col"}, h)))),
      el("tbody", {}, rows.map(r => el("tr", {}, r.map(c => el("td", {}, c))))));
  }
  function form(title, children, submitLabel, onsubmit, onCancel) {
    const f = el("form", {novalidate: true, class: "adm-form"}, el("h3", {}, title), ...children,
      el("p", {class: "error", role: "alert"}), el("button", {type: "submit"}, submitLabel),
      onCancel ? el("button", {type: "button", class: "secondary", onclick: onCancel}, t("adm_cancel")) : null);
    f.addEventListener("submit", ev => {
      ev.preventDefault();
      const button = f.querySelector("button[type=submit]");
      busy(button, async () => {
        formErrors(f);
        const label = button.textContent; button.textContent = t("adm_saving");
        try { await onsubmit(f); } catch (e) {
          formErrors(f, e);  // messages beside their fields, the first one focused
          if (!Object.keys(e.fields || {}).length) say(e.message, "error");
        } finally { button.textContent = label; }
      });
    });
    return f;
  }
  // A form to add one more of something already listed waits behind its title.
  function more(f, listed) {
    if (!listed) return f;
    const title = f.querySelector("h3"); title.classList.add("sr-only");
    return el("details", {class: "adm-more"}, el("summary", {}, title.textContent), f);
  }
  // What is being edited on the agency page: {kind: "service" | "counter", id}
  let editing = null;
  function editButton(kind, id, name) {
    return el("button", {type: "button", class: "secondary small", "aria-label": t("adm_edit_named", {name}),
      onclick: async () => { editing = {kind, id}; await render(); const i = document.querySelector(".adm-form.editing input:not([readonly])"); if (i) i.focus(); }}, t("adm_edit"));
  }
  const stopEditing = () => { editing = null; render(); };
  const val = (f, name) => { const i = f.elements.namedItem(name); return i ? i.value.trim() : ""; };
  const intOrNull = v => (v === "" ? null : (/^-?\d+$/.test(v) ? Number(v) : v));
  // "Kantor Urusan Agama Kapuas" -> "kantor-urusan-agama-kapuas" (a code the admin may change)
  function slug(text, sep = "-", max = 40) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, sep).replace(new RegExp("^" + sep + "+|" + sep + "+$", "g"), "").slice(0, max).replace(new RegExp(sep + "+$"), "");
  }
  // The code field follows the name until the admin types a code of their own.
  function follow(source, target, make) {
    target.addEventListener("input", () => { target.dataset.typed = "1"; });
    source.addEventListener("input", () => { if (!target.dataset.typed) target.value = make(source.value); });
  }
  const suggest = (f, from, to, make) => follow(f.elements.namedItem(from), f.elements.namedItem(to), make);
  const agencyName = code => { const a = agencies.find(x => x.code === code); return a ? MPP.name(a) : t("adm_mpp_wide"); };
  const roleName = role => t("adm_role_" + role);

  // -- data -----------------------------------------------------------------------------
  async function loadCatalogue() {
    // every agency, those being onboarded too (citizens see only live ones)
    const r = await api("GET", "/api/v1/admin/agencies");
    MPP.setZone(r.timezone);
    agencies = r.agencies.sort((a, b) => MPP.name(a).localeCompare(MPP.name(b), "id"));
    counters = (await api("GET", "/api/v1/counters")).counters;
  }
  async function loadAccounts() {
    accounts = (await api("GET", "/api/v1/admin/accounts")).accounts;
  }

  // -- routing: #agencies, #agency/<code>, #calendar, #connectors, #accounts ----------------
  const VIEWS = {agencies: viewAgencies, agency: viewAgency, calendar: viewCalendar, connectors: viewConnectors, accounts: viewAccounts};
  async function render(keep) {
    const [name, arg] = (location.hash.slice(1) || "agencies").split("/");
    const view = VIEWS[name] ? name : "agencies";
    document.querySelectorAll("#sections a").forEach(a => {
      const on = a.getAttribute("href") === "#" + (view === "agency" ? "agencies" : view);
      if (on) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    const saved = keep ? snapshot() : null;
    seq = 0;
    try {
      $("view").replaceChildren(...await VIEWS[view](arg ? decodeURIComponent(arg) : null));
    } catch (e) {
      $("view").replaceChildren(el("p", {class: "error", role: "alert"}, e.message));
    }
    if (saved) restore(saved);
  }
  // What the admin typed survives a language switch (the view is built again in the other language).
  function snapshot() { return Array.from($("view").querySelectorAll("input, select")).map(i => [i.id, i.type === "checkbox" ? i.checked : i.value, i.dataset.typed]); }
  function restore(saved) {
    saved.forEach(([id, v, typed]) => { const i = $(id); if (!i) return; if (i.type === "checkbox") i.checked = v; else i.value = v; if (typed) i.dataset.typed = typed; });
  }
  // the page's own navigation (after a save) keeps the confirmation it just showed
  let keepStatus = false;
  function go(hash) { if (location.hash === hash) render(); else { keepStatus = true; location.hash = hash; } }

  // -- agencies -------------------------------------------------------------------------
  async function viewAgencies() {
    await loadCatalogue();
    const rows = agencies.map(a => [
      MPP.name(a), fmt.number(a.services.length), fmt.number(counters.filter(c => c.agency === a.code).length),
      fmt.number((a.permit_types || []).length), stateText(a.state),
      el("a", {href: "#agency/" + encodeURIComponent(a.code), class: "btn secondary small", "aria-label": t("adm_manage_agency", {name: MPP.name(a)})}, t("adm_manage"))]);
    const f = form(t("adm_new_agency"), [
      el("div", {class: "row"},
        field("name", t("adm_agency_name"), {attrs: {required: true, maxlength: 200}}),
        field("name_en", t("adm_name_en"), {optional: true, help: t("adm_name_en_help")}),
        field("code", t("adm_agency_code"), {help: t("adm_code_help"), attrs: {required: true, maxlength: 50}}),
        kindField()),
    ], t("adm_save_agency"), async f => {
      const body = {code: val(f, "code"), name: val(f, "name")};
      if (val(f, "name_en")) body.name_en = val(f, "name_en");
      if (val(f, "kind")) body.kind = val(f, "kind");
      if (agencies.some(a => a.code === body.code)) {
        throw {message: MPP.serverText("Data tidak valid / Invalid data"), fields: {code: [t("adm_code_taken")]}};
      }
      await api("PUT", "/api/v1/admin/agencies", body);
      say(t("adm_agency_saved", {name: body.name}));
      go("#agency/" + encodeURIComponent(body.code));
    });
    suggest(f, "name", "code", v => slug(v, "-", 50));
    return [el("h2", {}, t("adm_agencies_title")), el("p", {}, t("adm_agencies_intro")),
      table([t("adm_col_agency"), t("adm_col_services"), t("adm_col_counters"), t("adm_col_permit_types"), t("adm_col_agency_state"), el("span", {class: "sr-only"}, t("adm_col_actions"))], rows),
      f];
  }

  let editingAgency = null;
  async function viewAgency(code) {
    if (editingAgency !== code) { editing = null; editingAgency = code; }
    await loadCatalogue();
    const agency = agencies.find(a => a.code === code);
    if (!agency) { location.hash = "#agencies"; return []; }
    const details = await Promise.all(agency.services.map(s => api("GET", "/api/v1/services/" + encodeURIComponent(s.id))));
    await loadAccounts().catch(() => { accounts = []; });
    const own = counters.filter(c => c.agency === code);
    const ready = await api("GET", "/api/v1/admin/agencies/" + encodeURIComponent(code) + "/onboarding").catch(e => ({error: e.message}));
    const serviceName = id => { const s = agency.services.find(x => x.id === id); return s ? MPP.name(s) : id; };
    return [
      el("p", {}, el("a", {href: "#agencies"}, "← " + t("adm_back"))),
      el("h2", {}, MPP.name(agency)),
      readiness(agency, ready),
      more(agencyNameForm(agency), true),
      el("section", {class: "card", "aria-labelledby": "h-services"}, el("h3", {id: "h-services"}, t("adm_services_title")),
        table([t("adm_col_service"), t("adm_col_prefix"), t("adm_col_hours"), t("adm_col_quota"), el("span", {class: "sr-only"}, t("adm_col_actions"))],
          details.map(s => [el("div", {}, MPP.name(s), driftNote(ready, "queue_service", s.id)), s.prefix, hoursText(s.opening_hours), s.daily_quota ? fmt.number(s.daily_quota) : t("adm_no_quota"), editButton("service", s.id, MPP.name(s))])),
        editing && editing.kind === "service" ? serviceForm(agency, details.find(s => s.id === editing.id)) : more(serviceForm(agency), details.length)),
      el("section", {class: "card", "aria-labelledby": "h-counters"}, el("h3", {id: "h-counters"}, t("adm_counters_title")),
        table([t("adm_col_counter"), t("adm_col_serves"), el("span", {class: "sr-only"}, t("adm_col_actions"))],
          own.map(c => [c.name, c.services.map(serviceName).join(", "), editButton("counter", c.id, c.name)])),
        editing && editing.kind === "counter" ? counterForm(agency, own.find(c => c.id === editing.id)) : more(counterForm(agency), own.length)),
      el("section", {class: "card", "aria-labelledby": "h-staff"}, el("h3", {id: "h-staff"}, t("adm_staff_title")),
        table([t("adm_col_username"), t("adm_col_role"), t("adm_col_account_state")],
          accounts.filter(a => a.agency === code).map(a => [a.username, roleName(a.role), isDisabled(a) ? t("adm_disabled") : t("adm_active")])),
        more(accountForm(code), accounts.some(a => a.agency === code))),
      el("section", {class: "card", "aria-labelledby": "h-types"}, el("h3", {id: "h-types"}, t("adm_types_title")),
        table([t("adm_col_type"), t("adm_col_sla"), t("adm_col_fee"), t("adm_col_requirements")],
          (agency.permit_types || []).map(p => [el("div", {}, MPP.name(p), driftNote(ready, "permit_type", p.id)), t("adm_working_days", {n: fmt.number(p.sla_working_days)}),
            p.fee ? "Rp" + fmt.number(p.fee) : t("adm_free"), (p.requirements || []).map(r => MPP.name(r)).join(", ") || "–"])),
        more(await permitTypeForm(agency), (agency.permit_types || []).length)),
    ];
  }
  // -- onboarding: the agency's state, its go-live checklist, drift from adopted standards --
  const stateText = state => state === "onboarding"
    ? el("strong", {class: "adm-warn"}, t("adm_state_onboarding")) : el("span", {class: "adm-ok"}, t("adm_state_live"));
  function kindField(value) {
    return field("kind", t("adm_agency_kind"), {options: [["", t("adm_kind_choose")]].concat(AGENCY_KINDS.map(k => [k, t("adm_agency_kind_" + k)])), value: value || ""});
  }
  // what an item still misses, by name ("name_en" etc. are the profile's fields)
  const missingText = item => item.missing.map(m => MPP_TEXT["adm_missing_" + m] ? t("adm_missing_" + m) : m).join(", ");
  function readiness(agency, ready) {
    if (!ready || ready.error) return el("p", {class: "card error", role: "alert"}, t("adm_ready_unavailable"));
    const live = ready.state === "live";
    const items = ready.items.map(item => el("li", {class: item.done ? "adm-done" : "adm-todo"},
      item.applicable === false ? el("span", {class: "muted"}, "– " + t("adm_item_na"))
        : el("span", {class: item.done ? "adm-ok" : "adm-warn"}, item.done ? "✓ " + t("adm_item_done") : "✗ " + t("adm_item_todo")), " ",
      el("strong", {}, t("adm_item_" + item.item)), " — ",
      item.done ? t("adm_item_" + item.item + (item.applicable === false ? "_na" : "_ok"))
        : t("adm_item_" + item.item + "_todo", {names: missingText(item)})));
    const result = el("p", {class: "adm-golive-result", role: "status"});
    const goLive = el("button", {type: "button", onclick: ev => busy(ev.currentTarget, async () => {
      result.textContent = "";
      try {
        await api("POST", "/api/v1/admin/agencies/" + encodeURIComponent(agency.code) + "/go-live");
        await render();  // the page says "live" before the confirmation does
        say(t("adm_went_live", {name: MPP.name(agency)}));
      } catch (e) {
        if (e.status !== 409) throw e;
        const todo = ready.items.filter(i => !i.done).map(i => t("adm_item_" + i.item)).join(", ");
        result.className = "adm-golive-result error";
        result.textContent = t("adm_golive_refused", {items: todo});
      }
    }).catch(e => say(e.message, "error"))}, t("adm_go_live"));
    return el("section", {class: "card", "aria-labelledby": "h-ready"},
      el("h3", {id: "h-ready"}, t("adm_ready_title")),
      el("p", {}, t("adm_state_is"), " ", stateText(ready.state), ". ", live ? t("adm_live_intro") : t("adm_onboarding_intro")),
      el("ul", {class: "adm-checklist"}, items),
      live ? null : el("div", {}, goLive, result));
  }
  // a running service that differs from its adopted standard: what differs, by name
  function driftNote(ready, kind, id) {
    const entry = ready && !ready.error ? (ready.drift || []).find(d => d.subject.kind === kind && d.subject.id === id) : null;
    if (!entry) return null;
    const parts = entry.differences.map(d => {
      const shown = v => (typeof v !== "number" ? null : d.field !== "fee" ? fmt.number(v) : v === 0 ? t("adm_free").toLowerCase() : "Rp" + fmt.number(v));
      const what = MPP_TEXT["adm_drift_" + d.field] ? t("adm_drift_" + d.field) : d.field;
      return shown(d.promised) != null && shown(d.running) != null
        ? t("adm_drift_values", {what, promised: shown(d.promised), running: shown(d.running)}) : what;
    });
    return el("p", {class: "adm-drift adm-warn"}, "⚠ " + t("adm_drift", {what: parts.join("; ")}));
  }
  // "07:30" as the reader writes a time: 07.30 in Indonesian, 07:30 in English
  const hhmm = x => (MPP.lang === "en" ? x : x.replace(":", "."));
  // The agency's names (a typo, a new name by decree); its code stays.
  function agencyNameForm(agency) {
    return form(t("adm_rename_agency"), [el("div", {class: "row"},
      field("name", t("adm_agency_name"), {value: agency.name, attrs: {required: true, maxlength: 200}}),
      field("name_en", t("adm_name_en"), {value: agency.name_en && agency.name_en !== agency.name ? agency.name_en : null, optional: true, help: t("adm_name_en_help")}),
      kindField(agency.kind))],
    t("adm_save_agency"), async f => {
      const body = {code: agency.code, name: val(f, "name")};
      if (val(f, "name_en")) body.name_en = val(f, "name_en");
      if (val(f, "kind")) body.kind = val(f, "kind");
      await api("PUT", "/api/v1/admin/agencies", body);
      say(t("adm_agency_renamed", {name: body.name}));
      render();
    });
  }
  function hoursText(hours) {
    const open = WEEKDAYS.filter(d => hours && hours[d]);
    if (!open.length) return t("adm_closed_day");
    const span = d => { const h = hours[d]; const pairs = typeof h[0] === "string" ? [h] : h; return pairs.map(p => hhmm(p[0]) + "–" + hhmm(p[1])).join(", "); };
    // runs of days with the same hours: "Senin–Jumat 07.30–16.00"
    const groups = [];
    open.forEach(d => { const last = groups[groups.length - 1]; const s = span(d);
      if (last && last.span === s && WEEKDAYS.indexOf(d) === WEEKDAYS.indexOf(last.to) + 1) last.to = d; else groups.push({from: d, to: d, span: s}); });
    return groups.map(g => t("adm_day_" + g.from) + (g.to !== g.from ? "–" + t("adm_day_" + g.to) : "") + " " + g.span).join("; ");
  }

  function serviceForm(agency, existing) {
    const was = (existing && existing.opening_hours) || null;
    const hours = el("fieldset", {class: "hours"}, el("legend", {}, t("adm_hours")),
      ...WEEKDAYS.map(d => {
        // a day with a break keeps its pairs unless the admin changes that day
        const pairs = was ? (was[d] ? (typeof was[d][0] === "string" ? [was[d]] : was[d]) : null) : undefined;
        const open = pairs === undefined ? !["sat", "sun"].includes(d) : !!pairs;
        const row = el("div", {class: "hour-row", "data-field": "opening_hours." + d},
          check("open_" + d, t("adm_day_" + d), open),
          el("input", {type: "time", name: "from_" + d, value: pairs ? pairs[0][0] : "07:30", "aria-label": t("adm_opens", {day: t("adm_day_" + d)})}),
          el("span", {"aria-hidden": "true"}, "–"),
          el("input", {type: "time", name: "to_" + d, value: pairs ? pairs[pairs.length - 1][1] : "16:00", "aria-label": t("adm_closes", {day: t("adm_day_" + d)})}));
        if (pairs && pairs.length > 1) {
          row.dataset.original = JSON.stringify(was[d]);
          row.append(el("span", {class: "help"}, t("adm_has_break", {hours: pairs.map(p => hhmm(p[0]) + "–" + hhmm(p[1])).join(", ")})));
          row.addEventListener("input", () => { delete row.dataset.original; }, {once: true});
        }
        return row;
      }));
    const e = existing || {};
    const f = form(existing ? t("adm_edit_service", {name: MPP.name(existing)}) : t("adm_new_service"), [
      el("div", {class: "row"},
        field("name", t("adm_service_name"), {value: e.name, attrs: {required: true, maxlength: 200}}),
        field("name_en", t("adm_name_en"), {value: e.name_en && e.name_en !== e.name ? e.name_en : null, optional: true, help: t("adm_name_en_help")}),
        field("id", t("adm_service_code"), {value: e.id, help: existing ? t("adm_code_fixed") : t("adm_code_help"), attrs: {required: true, maxlength: 100, readonly: !!existing}}),
        field("prefix", t("adm_prefix"), {value: e.prefix, help: t("adm_prefix_help"), attrs: {required: true, maxlength: 2, class: "short", autocapitalize: "characters"}}),
        field("daily_quota", t("adm_quota"), {type: "number", value: e.daily_quota, optional: true, help: t("adm_quota_help"), attrs: {min: 1, inputmode: "numeric", class: "short"}}),
        field("default_service_minutes", t("adm_minutes"), {type: "number", value: e.default_service_minutes || "10", help: t("adm_minutes_help"), attrs: {min: 1, max: 480, inputmode: "numeric", class: "short"}})),
      hours,
    ], t("adm_save_service"), async f => {
      const opening = {};
      WEEKDAYS.forEach(d => {
        const row = f.querySelector(`[data-field="opening_hours.${d}"]`);
        opening[d] = !f.elements.namedItem("open_" + d).checked ? null
          : row.dataset.original ? JSON.parse(row.dataset.original) : [val(f, "from_" + d), val(f, "to_" + d)];
      });
      const body = {id: val(f, "id"), agency: agency.code, prefix: val(f, "prefix").toUpperCase(), name: val(f, "name"),
        opening_hours: opening, daily_quota: intOrNull(val(f, "daily_quota")), default_service_minutes: intOrNull(val(f, "default_service_minutes")) ?? 10};
      if (val(f, "name_en")) body.name_en = val(f, "name_en");
      if (existing && existing.booking) body.booking = existing.booking;  // not edited here: kept
      try {
        await api("PUT", "/api/v1/admin/services", body);
      } catch (e) {
        if (e.status === 409) { e.fields = {prefix: [t("adm_prefix_taken")]}; }
        throw e;
      }
      say(t("adm_service_saved", {name: body.name}));
      editing = null; render();
    }, existing ? stopEditing : null);
    if (existing) f.classList.add("editing"); else suggest(f, "name", "id", v => slug(agency.code + " " + v, "-", 60));
    return f;
  }

  function counterForm(agency, existing) {
    if (!agency.services.length) return el("p", {class: "muted"}, t("adm_counter_needs_service"));
    const boxes = el("fieldset", {"data-field": "services"}, el("legend", {}, t("adm_counter_services")),
      ...agency.services.map(s => check("svc", MPP.name(s), existing ? existing.services.includes(s.id) : agency.services.length === 1, {value: s.id})));
    const e = existing || {};
    const f = form(existing ? t("adm_edit_counter", {name: existing.name}) : t("adm_new_counter"), [
      el("div", {class: "row"},
        field("name", t("adm_counter_name"), {value: e.name, help: t("adm_counter_name_help"), attrs: {required: true, maxlength: 60}}),
        field("id", t("adm_counter_code"), {value: e.id, help: existing ? t("adm_code_fixed") : t("adm_code_help"), attrs: {required: true, maxlength: 100, readonly: !!existing}})),
      boxes,
    ], t("adm_save_counter"), async f => {
      const services = Array.from(f.querySelectorAll("input[name=svc]:checked")).map(i => i.value);
      const body = {id: val(f, "id"), agency: agency.code, name: val(f, "name"), services};
      await api("PUT", "/api/v1/admin/counters", body);
      say(t("adm_counter_saved", {name: body.name}));
      editing = null; render();
    }, existing ? stopEditing : null);
    if (existing) f.classList.add("editing"); else suggest(f, "name", "id", v => slug(agency.code + " " + v, "-", 60));
    return f;
  }

  // An account for ``agency`` (or any agency: a choice of names) — the agency page and the
  // accounts page share it.
  function accountForm(agency) {
    const children = [el("div", {class: "row"},
      field("username", t("adm_username"), {help: t("adm_username_help"), attrs: {required: true, maxlength: 64, autocomplete: "off"}}),
      field("role", t("adm_role"), {options: ROLES.map(r => [r, roleName(r)])}),
      agency ? null : field("agency", t("adm_account_agency"), {options: agencies.map(a => [a.code, MPP.name(a)]), value: accountFilter}),
      field("password", t("adm_temp_password"), {type: "password", help: t("adm_temp_password_help"), attrs: {required: true, minlength: 8, autocomplete: "new-password"}}))];
    return form(t("adm_new_account"), children, t("adm_save_account"), async f => {
      const body = {username: val(f, "username"), password: f.elements.namedItem("password").value, role: val(f, "role"), agency: agency || val(f, "agency")};
      await api("POST", "/api/v1/admin/accounts", body);
      say(t("adm_account_saved", {name: body.username}));
      render();
    });
  }

  async function permitTypeForm(agency) {
    const known = await api("GET", "/api/v1/admin/connectors").then(r => r.connectors.filter(c => c.agency === agency.code).map(c => c.name)).catch(() => []);
    const decided = [["manual", t("adm_decided_manual")], ...known.map(n => [n, t("adm_decided_connector", {name: n})]), ["simulated", t("adm_decided_simulated")]];
    const reqs = el("div", {class: "rows"}), formFields = el("div", {class: "rows"});
    const f = form(t("adm_new_type"), [
      el("div", {class: "row"},
        field("name", t("adm_type_name"), {attrs: {required: true, maxlength: 200}}),
        field("name_en", t("adm_name_en"), {optional: true, help: t("adm_name_en_help")}),
        field("permit_type_id", t("adm_type_code"), {help: t("adm_code_help"), attrs: {required: true, maxlength: 50}}),
        field("sla_working_days", t("adm_sla_days"), {type: "number", attrs: {required: true, min: 1, max: 365, inputmode: "numeric", class: "short"}}),
        field("fee", t("adm_fee"), {type: "number", value: "0", help: t("adm_fee_help"), attrs: {required: true, min: 0, inputmode: "numeric"}}),
        field("effective_from", t("adm_effective_from"), {type: "date", value: today(), attrs: {required: true}}),
        field("validity_months", t("adm_validity"), {type: "number", optional: true, help: t("adm_validity_help"), attrs: {min: 1, max: 1200, inputmode: "numeric", class: "short"}}),
        field("approval_levels", t("adm_levels"), {type: "number", value: "1", help: t("adm_levels_help"), attrs: {min: 0, max: 5, inputmode: "numeric", class: "short"}}),
        field("connector", t("adm_decided_by"), {options: decided, wide: true})),
      el("fieldset", {"data-field": "requirements"}, el("legend", {}, t("adm_requirements")), reqs,
        el("button", {type: "button", class: "secondary", onclick: () => addRequirement(reqs)}, t("adm_add_requirement"))),
      el("fieldset", {"data-field": "form"}, el("legend", {}, t("adm_form_fields")), formFields,
        el("button", {type: "button", class: "secondary", onclick: () => addFormField(formFields)}, t("adm_add_field"))),
    ], t("adm_save_type"), async f => {
      const body = {permit_type_id: val(f, "permit_type_id"), version: 1, agency: agency.code, name: val(f, "name"),
        effective_from: val(f, "effective_from"), sla_working_days: intOrNull(val(f, "sla_working_days")),
        fee: intOrNull(val(f, "fee")), approval_levels: intOrNull(val(f, "approval_levels")), connector: val(f, "connector"),
        validity_months: intOrNull(val(f, "validity_months")),
        requirements: Array.from(reqs.children).map(row => ({name: rowVal(row, "name"), kind: rowVal(row, "kind"), required: row.querySelector("[type=checkbox]").checked})),
        form: Array.from(formFields.children).map(row => {
          const type = row.querySelector("select").value;
          const out = {label: rowVal(row, "label"), name: rowVal(row, "name"), type, required: row.querySelector("[type=checkbox]").checked};
          if (type === "enum") out.choices = rowVal(row, "choices").split(",").map(x => x.trim()).filter(Boolean);
          return out;
        })};
      if (val(f, "name_en")) body.name_en = val(f, "name_en");
      const existing = (agency.permit_types || []).find(p => p.id === body.permit_type_id);
      if (existing) body.version = existing.version + 1;  // a new version of a type in force
      await api("PUT", "/api/v1/admin/permit-types", body);
      say(t("adm_type_saved", {name: body.name}));
      render();
    });
    suggest(f, "name", "permit_type_id", v => slug(v, "-", 50));
    return f;
  }
  // Rows of a list field are named "<list>.<index>.<key>", the path of a 422's field message.
  const rowVal = (row, key) => { const i = row.querySelector(`[data-key="${key}"]`); return i ? i.value.trim() : ""; };
  function renumber(box, list) {
    Array.from(box.children).forEach((row, n) => {
      row.querySelector("legend").textContent = t(list === "requirements" ? "adm_requirement_n" : "adm_field_n", {n: n + 1});
      row.querySelectorAll("[data-key]").forEach(i => { i.name = list + "." + n + "." + i.dataset.key; });
    });
  }
  function listRow(box, list, parts) {
    const row = el("fieldset", {class: "list-row"}, el("legend", {}), ...parts);
    const remove = el("button", {type: "button", class: "secondary small", onclick: () => { row.remove(); renumber(box, list); }}, t("adm_remove"));
    row.append(remove);
    box.append(row); renumber(box, list);
    remove.setAttribute("aria-label", t("adm_remove_item", {name: row.querySelector("legend").textContent}));
    row.querySelector("input").focus();
    return row;
  }
  function keyed(node, key) { node.querySelectorAll("input, select").forEach(i => { if (i.type !== "checkbox" || key === "required") i.dataset.key = i.dataset.key || key; }); return node; }
  function addRequirement(box) {
    const name = keyed(field("", t("adm_doc_name"), {attrs: {maxlength: 200}}), "name");
    const kind = keyed(field("", t("adm_doc_code"), {help: t("adm_code_help"), attrs: {maxlength: 50}}), "kind");
    const row = listRow(box, "requirements", [el("div", {class: "row"}, name, kind, keyed(check("", t("adm_doc_required"), true), "required"))]);
    follow(row.querySelector('[data-key="name"]'), row.querySelector('[data-key="kind"]'), v => slug(v, "-", 50));
  }
  function addFormField(box) {
    const choices = keyed(field("", t("adm_field_choices"), {attrs: {maxlength: 2000}}), "choices");
    const type = keyed(field("", t("adm_field_type"), {options: FIELD_TYPES.map(x => [x, t("adm_ft_" + x)])}), "type");
    const row = listRow(box, "form", [el("div", {class: "row"},
      keyed(field("", t("adm_field_label"), {attrs: {maxlength: 200}}), "label"),
      keyed(field("", t("adm_field_code"), {help: t("adm_field_code_help"), attrs: {maxlength: 40}}), "name"),
      type, keyed(check("", t("adm_field_required"), false), "required"), choices)]);
    const select = row.querySelector("select");
    const sync = () => { choices.hidden = select.value !== "enum"; };
    select.addEventListener("change", sync); sync();
    follow(row.querySelector('[data-key="label"]'), row.querySelector('[data-key="name"]'), v => slug(v, "_", 40).replace(/^[^a-z]+/, ""));
  }
  function today() {
    return new Intl.DateTimeFormat("en-CA", {timeZone: MPP.zone, year: "numeric", month: "2-digit", day: "2-digit"}).format(new Date());
  }

  // -- the working calendar -------------------------------------------------------------
  async function viewCalendar() {
    const cal = await api("GET", "/api/v1/admin/calendar");
    const save = async (change, message, button) => busy(button, async () => {
      const next = {days_off: cal.days_off.slice(), working_days: cal.working_days.slice(), joint_holidays: cal.joint_holidays};
      change(next);
      next.days_off.sort(); next.working_days.sort();
      await api("PUT", "/api/v1/admin/calendar", next);
      say(message);
      await render();
    }).catch(e => say(e.message, "error"));
    const dayList = (list, key, empty) => list.length
      ? el("ul", {class: "days"}, list.map(d => el("li", {}, el("span", {}, fmt.date(d)), " ",
          el("button", {type: "button", class: "secondary small", "aria-label": t("adm_remove_item", {name: fmt.date(d)}),
            onclick: ev => save(next => { next[key] = next[key].filter(x => x !== d); }, t("adm_day_removed", {date: fmt.date(d)}), ev.currentTarget)}, t("adm_remove")))))
      : el("p", {class: "muted"}, empty);
    const addForm = (key, title) => form(title, [field("date", t("adm_date"), {type: "date", attrs: {required: true}})], t("adm_add"), async f => {
      const d = val(f, "date");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw {message: t("adm_date"), fields: {date: [MPP.serverText("Wajib diisi / Required.")]}};
      if (cal.days_off.includes(d) || cal.working_days.includes(d)) throw {message: t("adm_day_twice"), fields: {date: [t("adm_day_twice")]}};
      const next = {days_off: cal.days_off.slice(), working_days: cal.working_days.slice(), joint_holidays: cal.joint_holidays};
      next[key] = next[key].concat([d]).sort();
      try {
        await api("PUT", "/api/v1/admin/calendar", next);
      } catch (e) { if (e.fields && e.fields[key]) e.fields = {date: e.fields[key]}; throw e; }
      say(t("adm_day_added", {date: fmt.date(d)}));
      await render();
    });
    const suggested = Object.entries(cal.suggested_days_off || {});
    return [
      el("h2", {}, t("adm_calendar_title")), el("p", {}, t("adm_calendar_intro")),
      el("div", {class: "two"},
        el("section", {class: "card", "aria-labelledby": "h-off"}, el("h3", {id: "h-off"}, t("adm_days_off")),
          dayList(cal.days_off, "days_off", t("adm_no_days_off")), addForm("days_off", t("adm_add_day_off"))),
        el("section", {class: "card", "aria-labelledby": "h-sugg"}, el("h3", {id: "h-sugg"}, t("adm_suggested")),
          suggested.length ? el("ul", {class: "days"}, suggested.map(([d, name]) => el("li", {}, el("span", {}, fmt.date(d) + " · " + MPP.serverText(name)), " ",
            cal.days_off.includes(d) ? el("span", {class: "muted"}, "(" + t("adm_already_listed") + ")")
              : el("button", {type: "button", class: "secondary small", "aria-label": t("adm_add_named", {name: fmt.date(d)}),
                  onclick: ev => save(next => { next.days_off.push(d); next.working_days = next.working_days.filter(x => x !== d); }, t("adm_day_added", {date: fmt.date(d)}), ev.currentTarget)}, t("adm_add")))))
            : el("p", {class: "muted"}, t("adm_suggested_none")))),
      el("section", {class: "card", "aria-labelledby": "h-work"}, el("h3", {id: "h-work"}, t("adm_working_days_title")), el("p", {}, t("adm_working_days_intro")),
        dayList(cal.working_days, "working_days", t("adm_no_working_days")), addForm("working_days", t("adm_add_working_day"))),
    ];
  }

  // -- connectors -----------------------------------------------------------------------
  async function viewConnectors() {
    await loadCatalogue();
    const head = [el("h2", {}, t("adm_connectors_title")), el("p", {}, t("adm_connectors_intro"))];
    try {
      connectors = (await api("GET", "/api/v1/admin/connectors")).connectors;
    } catch (e) {
      if (e.status === 404 || e.status === 405) return head.concat([el("p", {class: "card"}, t("adm_connectors_unavailable"))]);
      throw e;
    }
    if (!connectors.length) return head.concat([el("p", {class: "muted"}, t("adm_no_connectors"))]);
    const state = c => c.state === "running" ? el("span", {class: "adm-ok"}, t("adm_state_running"))
      : c.state === "suspended" ? el("strong", {class: "adm-warn"}, t("adm_state_suspended", {when: fmt.dateTime(c.suspended_at)}))
      : el("span", {class: "muted"}, t("adm_state_unknown"));
    // a connector may serve several agencies ("agencies"); the contract names one ("agency")
    const served = c => (c.agencies && c.agencies.length ? c.agencies : [c.agency]).filter(Boolean).map(agencyName).join(", ") || "–";
    const kind = c => (c.kind && MPP_TEXT["adm_kind_" + c.kind]) ? t("adm_kind_" + c.kind) : (c.kind || "–");
    const queue = c => c.waiting == null && c.parked == null ? "–"
      : t("adm_queue_counts", {waiting: fmt.number(c.waiting || 0), parked: fmt.number(c.parked || 0)});
    const suspended = connectors.filter(c => c.state === "suspended").length;
    return head.concat([
      suspended ? el("p", {class: "card notice"}, t("adm_some_suspended", {n: fmt.number(suspended)})) : null,
      table([t("adm_col_connector"), t("adm_col_agency"), t("adm_col_kind"), t("adm_col_state"), t("adm_col_queue"), t("adm_col_last_seen"), t("adm_col_actions")],
        connectors.map(c => [c.name, served(c), kind(c),
          el("div", {}, state(c), c.reason ? el("div", {class: "help"}, MPP.serverText(c.reason)) : null),
          queue(c), c.last_seen_at ? fmt.dateTime(c.last_seen_at) : "–",
          c.state === "suspended" ? el("button", {type: "button", "aria-label": t("adm_resume_named", {name: c.name}), onclick: ev => busy(ev.currentTarget, async () => {
            await api("POST", "/api/v1/admin/connectors/" + encodeURIComponent(c.name) + "/resume");
            await render(); say(t("adm_resumed", {name: c.name}));
          }).catch(e => say(e.message, "error"))}, t("adm_resume")) : ""]))].filter(Boolean));
  }

  // -- staff accounts -------------------------------------------------------------------
  const isDisabled = a => a.disabled === true || a.active === false;
  function confirmDialog(text) {
    const d = $("confirm"); $("confirm-text").textContent = text;
    return new Promise(resolve => {
      d.addEventListener("close", () => resolve(d.returnValue === "yes"), {once: true});
      d.returnValue = ""; d.showModal(); $("confirm-yes").focus();
    });
  }
  async function accountAction(a, action, button) {
    const key = {"reset-password": "adm_confirm_reset", disable: "adm_confirm_disable", enable: "adm_confirm_enable"}[action];
    if (!await confirmDialog(t(key, {name: a.username}))) return;
    await busy(button, async () => {
      const r = await api("POST", "/api/v1/admin/accounts/" + encodeURIComponent(a.username) + "/" + action);
      await render();
      if (action === "reset-password") {
        // shown once, in a dialog the admin closes after noting it; never kept on the page
        const d = $("secret");
        $("secret-text").textContent = t("adm_temp_shown_once", {name: a.username});
        $("secret-value").textContent = r.temporary_password;
        d.addEventListener("close", () => { $("secret-value").textContent = ""; say(t("adm_password_reset", {name: a.username})); }, {once: true});
        d.showModal();
      } else {
        say(t(action === "disable" ? "adm_account_disabled" : "adm_account_enabled", {name: a.username}));
      }
    }).catch(e => say(e.status === 404 || e.status === 405 ? t("adm_not_available") : e.message, "error"));
  }
  async function viewAccounts() {
    await loadCatalogue();
    await loadAccounts();
    const me = (session() || {}).account || {};
    const created = accounts.some(a => a.created_at);  // older servers do not say when
    const order = a => (a.agency ? "1" + agencyName(a.agency) : "0") + " " + a.username;
    const shown = accounts.filter(a => !accountFilter || (a.agency || "") === accountFilter)
      .sort((x, y) => order(x).localeCompare(order(y), "id"));
    const filter = field("filter", t("adm_show_agency"), {options: [["", t("adm_all_agencies")]].concat(agencies.map(a => [a.code, MPP.name(a)])), value: accountFilter});
    filter.classList.add("filter");
    filter.querySelector("select").addEventListener("change", ev => { accountFilter = ev.target.value; render(); });
    const rows = shown.map(a => [
      a.username, roleName(a.role), agencyName(a.agency), isDisabled(a) ? el("strong", {class: "adm-warn"}, t("adm_disabled")) : t("adm_active"),
      ...(created ? [a.created_at ? fmt.date(a.created_at) : "–"] : []),
      a.username === me.username ? "" : el("span", {class: "actions"},
        el("button", {type: "button", class: "secondary small", "aria-label": t("adm_action_for", {action: t("adm_reset"), name: a.username}), onclick: ev => accountAction(a, "reset-password", ev.currentTarget)}, t("adm_reset")),
        isDisabled(a)
          ? el("button", {type: "button", class: "secondary small", "aria-label": t("adm_action_for", {action: t("adm_enable"), name: a.username}), onclick: ev => accountAction(a, "enable", ev.currentTarget)}, t("adm_enable"))
          : el("button", {type: "button", class: "danger small", "aria-label": t("adm_action_for", {action: t("adm_disable"), name: a.username}), onclick: ev => accountAction(a, "disable", ev.currentTarget)}, t("adm_disable")))]);
    return [el("h2", {}, t("adm_accounts_title")), el("p", {}, t("adm_accounts_intro")),
      filter,
      table([t("adm_col_username"), t("adm_col_role"), t("adm_col_agency"), t("adm_col_account_state"), ...(created ? [t("adm_col_created")] : []), t("adm_col_actions")], rows),
      accountForm(null)];
  }

  // -- session --------------------------------------------------------------------------
  async function start() {
    const s = session(); if (!s) return;
    $("login-box").hidden = true; $("admin").hidden = false;
    $("who").textContent = t("adm_signed_in_as", {name: s.account.username});
    if (s.account.role !== "admin") { $("sections").hidden = true; $("view").replaceChildren(el("p", {class: "error", role: "alert"}, t("adm_not_admin"))); return; }
    await render();
  }
  MPP.signInForm(start);
  window.addEventListener("hashchange", () => {
    if ($("admin").hidden) return;
    const status = $("mpp-status");  // a confirmation belongs to its view
    if (status && !keepStatus) status.textContent = "";
    keepStatus = false;
    render().then(() => $("view").focus());
  });
  document.addEventListener("mpp:lang", () => {
    if ($("admin").hidden) return;
    const s = session(); if (s) $("who").textContent = t("adm_signed_in_as", {name: s.account.username});
    if (s && s.account.role === "admin") render(true);
  });
  start().catch(e => say(e.message, "error"));
})();
