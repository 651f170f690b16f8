// The staff standards page (/standards/manage), for an agency's supervisors and the MPP admin:
// draft a standard for a permit type or queue service (the fourteen components; requirements,
// procedure, time and cost as structured inputs, filled in from what runs today), open its
// public consultation, answer every comment, record the forum, close and adopt. What a
// standard offers comes from its stage; a refusal from the server is shown where it happened.
"use strict";
(() => {
  const {t, api, el, say, busy, formErrors, session, fmt} = MPP;
  const $ = id => document.getElementById(id);
  let agencies = {}, agencyCode = null, standards = [];
  const names = {};

  // -- small builders (the admin page's shapes: a 422's field messages land by name) ------
  let seq = 0;
  function field(name, label, opts = {}) {
    const id = "s" + (++seq);
    const help = opts.help ? el("p", {class: "help", id: id + "-help"}, opts.help) : null;
    const attrs = Object.assign({id, name, "aria-describedby": help ? id + "-help" : null}, opts.attrs || {});
    let input;
    if (opts.options) input = el("select", attrs, opts.options.map(([v, text]) => el("option", {value: v, selected: v === opts.value}, text)));
    else if (opts.textarea) { input = el("textarea", Object.assign({rows: opts.rows || 2}, attrs)); input.value = opts.value == null ? "" : opts.value; }
    else input = el("input", Object.assign({type: opts.type || "text", value: opts.value == null ? null : opts.value}, attrs));
    return el("div", {class: "field" + (opts.wide ? " wide" : "")}, el("label", {for: id}, label), input, help);
  }
  function check(name, label, checked, attrs) {
    const id = "s" + (++seq);
    return el("div", {class: "check"}, el("input", Object.assign({type: "checkbox", id, name, checked}, attrs || {})), el("label", {for: id}, label));
  }
  function form(title, children, submitLabel, onsubmit, extra) {
    const f = el("form", {novalidate: true, class: "adm-form"}, title ? el("h3", {}, title) : null, ...children,
      el("p", {class: "error", role: "alert"}), el("button", {type: "submit"}, submitLabel), extra || null);
    f.addEventListener("submit", ev => {
      ev.preventDefault();
      const button = f.querySelector("button[type=submit]");
      busy(button, async () => {
        formErrors(f);
        const label = button.textContent; button.textContent = t("sm_saving");
        try { await onsubmit(f); } catch (e) {
          formErrors(f, e);
          if (!Object.keys(e.fields || {}).length) say(e.message, "error");
        } finally { button.textContent = label; }
      });
    });
    return f;
  }
  const val = (f, name) => { const i = f.elements.namedItem(name); return i ? i.value.trim() : ""; };
  const intOrText = v => (v === "" ? null : (/^-?\d+$/.test(v) ? Number(v) : v));
  function today(offsetDays = 0) {
    const d = new Date(Date.now() + offsetDays * 86400000);
    return new Intl.DateTimeFormat("en-CA", {timeZone: MPP.zone, year: "numeric", month: "2-digit", day: "2-digit"}).format(d);
  }
  const subjectKey = s => s.subject.kind + ":" + s.subject.id;
  const subjectName = s => { const item = names[subjectKey(s)]; return item ? MPP.name(item) : STD.subjectName(s); };
  const pdfUrl = (s, which) => "/api/v1/public/standards/" + encodeURIComponent(s.id) + "/" + which + ".pdf";

  // -- rows of a list (requirements, procedure): named "<list>.<n>.<key>" --------------------
  function rows(list, itemLabel, make) {
    const box = el("div", {class: "rows", "data-field": "components." + list});
    const renumber = () => Array.from(box.children).forEach((row, n) => {
      row.querySelector("legend").textContent = t(itemLabel, {n: n + 1});
      row.querySelectorAll("[data-key]").forEach(i => { i.name = "components." + list + "." + n + "." + i.dataset.key; });
      const rm = row.querySelector("button.remove"); rm.setAttribute("aria-label", t("sm_remove_named", {name: t(itemLabel, {n: n + 1})}));
    });
    const add = (item, focus) => {
      const row = el("fieldset", {class: "list-row"}, el("legend", {}), el("div", {class: "row"}, ...make(item || {})),
        el("button", {type: "button", class: "secondary small remove", onclick: () => { row.remove(); renumber(); }}, t("sm_remove")));
      row._item = item || {};
      box.append(row); renumber();
      if (focus) row.querySelector("input").focus();
    };
    return {box, add};
  }
  const keyed = (node, key) => { node.querySelectorAll("input, select").forEach(i => { i.dataset.key = key; }); return node; };

  // -- the draft form ------------------------------------------------------------------------
  function subjects() {
    const a = agencies[agencyCode] || {};
    return [...(a.permit_types || []).map(p => ["permit_type:" + p.id, MPP.name(p) + " (" + t("sd_kind_permit_type") + ")"]),
      ...(a.services || []).map(s => ["queue_service:" + s.id, MPP.name(s) + " (" + t("sd_kind_queue_service") + ")"])];
  }
  // what a new draft starts from: the requirements, time and fee that run today
  function defaults(key) {
    const [kind, id] = key.split(":");
    const item = names[key] || {};
    const lines = text => text.split("\n");
    if (kind === "permit_type") {
      return {requirements: (item.requirements || []).map(r => ({kind: r.kind, name: r.name, name_en: r.name_en, required: r.required !== false})),
        procedure: lines(t("sm_default_steps")).map((name, n) => ({step: n + 1, name})),
        time: {working_days: item.sla_working_days || 1}, cost: {fee: item.fee || 0, legal_basis: ""},
        complaints: lines(t("sm_default_complaints")), product: MPP.name(item)};
    }
    return {requirements: [], procedure: lines(t("sm_default_queue_steps")).map((name, n) => ({step: n + 1, name})),
      time: {minutes: item.default_service_minutes || 10}, cost: {fee: 0, legal_basis: ""},
      complaints: lines(t("sm_default_complaints")), product: MPP.name(item)};
  }
  function draftForm(existing) {
    const c = existing ? existing.components || {} : null;
    const choices = subjects();
    const subject = field("subject", t("sm_subject"), {options: choices, value: existing ? subjectKey(existing) : null, help: t("sm_subject_help"),
      attrs: {disabled: !!existing}});
    const titleF = field("title", t("sm_std_title"), {value: existing ? existing.title : "", attrs: {required: true, maxlength: 200}});
    const titleEn = field("title_en", t("sm_std_title_en"), {value: existing ? existing.title_en : ""});
    const reqs = rows("requirements", "sm_req_n", r => [keyed(field("", t("sm_req_name"), {value: r.name, attrs: {maxlength: 200}}), "name"),
      keyed(check("", t("sm_req_required"), r.required !== false), "required")]);
    const steps = rows("procedure", "sm_step_n", p => [keyed(field("", t("sm_step_name"), {value: p.name, wide: true, attrs: {maxlength: 200}}), "name")]);
    const time = field("components.time.working_days", t("sm_time"), {type: "number", attrs: {required: true, min: 1, inputmode: "numeric", class: "short"}});
    const unit = field("time_unit", t("sm_time_unit"), {options: [["working_days", t("sm_unit_working_days")], ["minutes", t("sm_unit_minutes")]]});
    const fee = field("components.cost.fee", t("sm_fee"), {type: "number", value: "0", attrs: {min: 0, inputmode: "numeric"}});
    const basis = field("components.cost.legal_basis", t("sm_fee_basis"), {attrs: {maxlength: 500}});
    const product = field("components.product", t("sm_product"), {attrs: {maxlength: 500}, wide: true});
    const complaints = field("components.complaints", t("sm_complaints"), {textarea: true, rows: 3, wide: true});
    const texts = ["legal_basis", "facilities", "competence", "oversight", "guarantee", "security", "evaluation"]
      .map(k => field("components." + k, t("sd_c_" + k), {textarea: true, rows: 2, help: t("sm_text_help"), wide: true, attrs: {maxlength: 4000}}));
    const staff = field("components.staff_count", t("sm_staff_count"), {type: "number", attrs: {min: 0, inputmode: "numeric", class: "short"}});
    const fill = comps => {
      reqs.box.replaceChildren(); (comps.requirements || []).forEach(r => reqs.add(r));
      steps.box.replaceChildren(); (comps.procedure || []).forEach(p => steps.add(p));
      const tm = comps.time || {};
      time.querySelector("input").value = tm.working_days != null ? tm.working_days : (tm.minutes != null ? tm.minutes : "");
      unit.querySelector("select").value = tm.minutes != null && tm.working_days == null ? "minutes" : "working_days";
      syncUnit();
      fee.querySelector("input").value = (comps.cost && comps.cost.fee) || 0;
      basis.querySelector("input").value = (comps.cost && comps.cost.legal_basis) || "";
      product.querySelector("input").value = comps.product || "";
      complaints.querySelector("textarea").value = (comps.complaints || []).join("\n");
      texts.forEach(n => { const i = n.querySelector("textarea"); i.value = comps[i.name.slice(11)] || ""; });
      staff.querySelector("input").value = comps.staff_count == null ? "" : comps.staff_count;
    };
    // the time's input is named by its unit, so a 422 on either lands beside it
    function syncUnit() { time.querySelector("input").name = "components.time." + unit.querySelector("select").value; }
    unit.querySelector("select").addEventListener("change", syncUnit);
    const subjectSelect = subject.querySelector("select");
    const suggestTitle = () => {
      const item = names[subjectSelect.value];
      if (item && !titleF.querySelector("input").dataset.typed) titleF.querySelector("input").value = t("sm_title_default", {name: MPP.name(item)});
    };
    titleF.querySelector("input").addEventListener("input", ev => { ev.target.dataset.typed = "1"; });
    subjectSelect.addEventListener("change", () => { fill(defaults(subjectSelect.value)); suggestTitle(); });
    const f = form(existing ? t("sm_edit_title") : t("sm_new_title"), [
      el("div", {class: "row"}, subject, titleF, titleEn),
      el("fieldset", {}, el("legend", {}, t("sd_delivery")),
        el("fieldset", {"data-field": "components.requirements"}, el("legend", {}, t("sm_requirements")), reqs.box,
          el("button", {type: "button", class: "secondary", onclick: () => reqs.add({}, true)}, t("sm_add_requirement"))),
        el("fieldset", {"data-field": "components.procedure"}, el("legend", {}, t("sm_procedure")), steps.box,
          el("button", {type: "button", class: "secondary", onclick: () => steps.add({}, true)}, t("sm_add_step"))),
        el("div", {class: "row", "data-field": "components.time"}, time, unit),
        el("div", {class: "row", "data-field": "components.cost"}, fee, basis),
        el("div", {class: "row"}, product, complaints)),
      el("fieldset", {}, el("legend", {}, t("sd_management")), el("div", {class: "row"}, ...texts, staff)),
    ], t("sm_save_draft"), async f => {
      // what is plainly missing is said beside its field before anything is sent
      if (!val(f, "title")) throw {message: t("sm_fix"), fields: {title: [t("sm_required")]}};
      const [kind, id] = (existing ? subjectKey(existing) : subjectSelect.value).split(":");
      const n = intOrText(time.querySelector("input").value.trim());
      const tm = unit.querySelector("select").value === "minutes" ? {minutes: n} : {working_days: n};
      const components = {
        requirements: Array.from(reqs.box.children).map(row => {
          const name = row.querySelector('[data-key="name"]').value.trim();
          const was = row._item || {};
          return {kind: was.kind || slug(name), name, name_en: was.name === name ? (was.name_en || null) : null,
            required: row.querySelector('[data-key="required"]').checked};
        }),
        procedure: Array.from(steps.box.children).map((row, i) => {
          const name = row.querySelector('[data-key="name"]').value.trim(); const was = row._item || {};
          return {step: i + 1, name, name_en: was.name === name ? (was.name_en || null) : null};
        }),
        time: tm, cost: {fee: intOrText(val(f, "components.cost.fee")), legal_basis: val(f, "components.cost.legal_basis")},
        product: val(f, "components.product"),
        complaints: val(f, "components.complaints").split("\n").map(x => x.trim()).filter(Boolean),
        staff_count: intOrText(val(f, "components.staff_count")),
      };
      texts.forEach(node => { const i = node.querySelector("textarea"); components[i.name.slice(11)] = i.value.trim(); });
      // a draft may leave a component out: what is empty is not sent
      Object.keys(components).forEach(k => { if (components[k] === "" || components[k] === null) delete components[k]; });
      const body = {title: val(f, "title"), title_en: val(f, "title_en") || null, components};
      const saved = existing
        ? await api("PUT", "/api/v1/standards/" + encodeURIComponent(existing.id), body)
        : await api("POST", "/api/v1/standards", Object.assign({agency: agencyCode, subject: {kind, id}}, body));
      say(t("sm_draft_saved", {name: subjectName(saved)}));
      go("#std/" + encodeURIComponent(saved.id));
    }, el("a", {href: existing ? "#std/" + encodeURIComponent(existing.id) : "#list", class: "btn secondary"}, t("sm_cancel")));
    if (existing) { fill(c); } else if (choices.length) { fill(defaults(choices[0][0])); suggestTitle(); }
    return f;
  }
  // a requirement typed here gets a code from its name (what permits files documents under)
  function slug(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50) || "dokumen";
  }

  // -- data and views ------------------------------------------------------------------------
  async function loadCatalogue() {
    const d = await api("GET", "/api/v1/agencies");
    MPP.setZone(d.timezone);
    agencies = {};
    (d.agencies || []).forEach(a => {
      agencies[a.code] = a;
      (a.services || []).forEach(s => { names["queue_service:" + s.id] = s; });
      (a.permit_types || []).forEach(p => { names["permit_type:" + p.id] = p; });
    });
  }
  async function loadStandards() {
    standards = (await api("GET", "/api/v1/standards?agency=" + encodeURIComponent(agencyCode))).standards || [];
  }
  const VIEWS = {list: viewList, "new": viewNew, std: viewStandard};
  async function render() {
    const [name, arg] = (location.hash.slice(1) || "list").split("/");
    const view = VIEWS[name] ? name : "list";
    seq = 0;
    try {
      $("view").replaceChildren(...await VIEWS[view](arg ? decodeURIComponent(arg) : null));
    } catch (e) {
      $("view").replaceChildren(el("p", {class: "error", role: "alert"}, e.message));
    }
  }
  let keepStatus = false;
  function go(hash) { if (location.hash === hash) render(); else { keepStatus = true; location.hash = hash; } }

  function agencyPicker() {
    const s = session();
    if (s.account.role !== "admin") return null;
    const pick = field("agency", t("sm_agency"), {options: Object.values(agencies).sort((a, b) => MPP.name(a).localeCompare(MPP.name(b), "id")).map(a => [a.code, MPP.name(a)]), value: agencyCode});
    pick.classList.add("filter");
    pick.querySelector("select").addEventListener("change", ev => { agencyCode = ev.target.value; sessionStorage.setItem("mpp.std.agency", agencyCode); go("#list"); });
    return pick;
  }

  async function viewList() {
    await loadCatalogue(); await loadStandards();
    const rowsOut = standards.map(s => [subjectName(s), el("span", {}, STD.statusName(s.status), s.review_overdue ? el("strong", {class: "badge overdue"}, t("sm_review_due_list")) : ""),
      fmt.number(s.version), fmt.dateTime(s.updated_at || s.created_at),
      el("a", {href: "#std/" + encodeURIComponent(s.id), class: "btn secondary small", "aria-label": t("sm_manage_named", {name: subjectName(s)})}, t("sm_manage"))]);
    const table = rowsOut.length ? el("table", {}, el("thead", {}, el("tr", {}, ["sm_col_service", "sm_col_stage", "sm_col_version", "sm_col_updated", "sm_col_actions"].map(k => el("th", {scope: "col"}, t(k))))),
      el("tbody", {}, rowsOut.map(r => el("tr", {}, r.map(c => el("td", {}, c)))))) : el("p", {class: "muted"}, t("sm_none"));
    return [agencyPicker(), el("h2", {}, t("sm_list_title") + " · " + MPP.name(agencies[agencyCode] || {name: ""})), table,
      subjects().length ? draftForm(null) : null].filter(Boolean);
  }
  async function viewNew() { await loadCatalogue(); return [draftForm(null)]; }

  async function viewStandard(id) {
    await loadCatalogue();
    const s = await api("GET", "/api/v1/standards/" + encodeURIComponent(id));
    const parts = [el("p", {}, el("a", {href: "#list"}, "← " + t("sm_back"))),
      el("h2", {}, STD.title(s) || subjectName(s)),
      el("p", {}, el("span", {class: "badge"}, STD.statusName(s.status)), " ", t("sd_version") + " " + fmt.number(s.version),
        s.effective_from ? " · " + t("sd_effective") + " " + fmt.date(s.effective_from) : "",
        s.review_overdue ? el("strong", {class: "badge overdue"}, t("sd_review_overdue")) : "")];
    if (s.status === "draft") {
      parts.push(draftForm(s), consultationForm(s));
    } else {
      parts.push(el("section", {class: "card", "aria-labelledby": "h-comp"}, el("h3", {id: "h-comp"}, t("sm_components")), ...STD.components(s, 4)));
    }
    if (s.consultation) parts.push(...await consultationWork(s));
    if (s.status !== "draft") {
      parts.push(el("p", {class: "std-links"},
        el("a", {href: "/standards?id=" + encodeURIComponent(s.id), class: "btn secondary"}, t("sm_view_public")),
        s.consultation && s.consultation.forum ? el("a", {href: pdfUrl(s, "berita-acara"), class: "btn secondary", download: true}, t("sm_berita_acara")) : "",
        s.status === "adopted" ? el("a", {href: pdfUrl(s, "maklumat"), class: "btn secondary", download: true}, t("sm_maklumat")) : ""));
    }
    return parts;
  }

  function consultationForm(s) {
    const groups = el("fieldset", {"data-field": "invited_groups"}, el("legend", {}, t("sm_invite")),
      ...STD.GROUPS.map(g => check("group", STD.groupName(g), true, {value: g})));
    return form(t("sm_open_consultation"), [el("div", {class: "row"},
      field("opens_on", t("sm_opens_on"), {type: "date", value: today(), attrs: {required: true}}),
      field("closes_on", t("sm_closes_on"), {type: "date", value: today(14), attrs: {required: true}})), groups],
    t("sm_open_consultation"), async f => {
      await api("POST", "/api/v1/standards/" + encodeURIComponent(s.id) + "/consultation", {opens_on: val(f, "opens_on"), closes_on: val(f, "closes_on"),
        invited_groups: Array.from(f.querySelectorAll("input[name=group]:checked")).map(i => i.value)});
      await render(); say(t("sm_consultation_opened"));
    });
  }

  async function consultationWork(s) {
    const comments = (await api("GET", "/api/v1/standards/" + encodeURIComponent(s.id) + "/comments")).comments || [];
    const unanswered = comments.filter(c => !c.answer).length;
    const c = s.consultation;
    const closed = !!c.closed_at || s.status !== "consultation";
    const out = [];
    const list = el("ol", {class: "comments"}, comments.map((cm, n) => el("li", {class: "comment", "aria-label": t("sm_comment_n", {n: n + 1})},
      el("p", {class: "who"}, el("strong", {}, cm.name || t("sd_anonymous")), cm.group ? " · " + STD.groupName(cm.group) : "", cm.at ? el("span", {class: "muted"}, " · " + fmt.dateTime(cm.at)) : ""),
      el("p", {class: "text"}, cm.text),
      cm.answer ? el("div", {class: "answer"}, el("p", {}, el("span", {class: "badge outcome-" + cm.answer.outcome}, STD.outcomeName(cm.answer.outcome)), " ", cm.answer.reason))
        : s.status === "consultation" ? answerForm(s, cm, n + 1) : el("p", {class: "muted"}, t("sd_not_answered")))));
    out.push(el("section", {class: "card", "aria-labelledby": "h-comments"}, el("h3", {id: "h-comments"}, t("sm_comments_title")),
      el("p", {id: "unanswered", class: unanswered ? "adm-warn" : "adm-ok"}, unanswered ? t("sm_unanswered_n", {n: fmt.number(unanswered)}) : (comments.length ? t("sm_all_answered") : t("sd_no_comments"))),
      list));
    if (s.status !== "consultation") return out;
    out.push(el("section", {class: "card", "aria-labelledby": "h-forum"}, el("h3", {id: "h-forum"}, t("sd_forum")),
      c.forum ? el("dl", {}, [[t("sd_forum_when"), fmt.date(c.forum.held_on)], [t("sd_forum_place"), c.forum.place],
        [t("sd_forum_participants"), Object.entries(c.forum.participants || {}).filter(([, n]) => n).map(([g, n]) => STD.groupName(g) + ": " + fmt.number(n)).join(", ")],
        [t("sd_forum_summary"), c.forum.summary]].flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v || "–")])) : null,
      forumForm(s)));
    const closeButton = closed ? null : el("button", {type: "button", class: "secondary", onclick: ev => busy(ev.currentTarget, async () => {
      await api("POST", "/api/v1/standards/" + encodeURIComponent(s.id) + "/consultation/close");
      await render(); say(t("sm_closed"));
    }).catch(e => say(e.message, "error"))}, t("sm_close"));
    out.push(el("section", {class: "card", "aria-labelledby": "h-adopt"}, el("h3", {id: "h-adopt"}, t("sm_adopt_title")),
      el("p", {class: "help"}, t("sm_adopt_help")), closeButton ? el("p", {}, closeButton) : null, adoptForm(s, unanswered, closed)));
    return out;
  }

  function answerForm(s, comment, n) {
    const f = form(null, [el("div", {class: "row"},
      field("outcome", t("sm_outcome"), {options: STD.OUTCOMES.map(o => [o, STD.outcomeName(o)])}),
      field("reason", t("sm_reason"), {textarea: true, rows: 2, wide: true, attrs: {required: true, maxlength: 2000}}))],
    t("sm_answer_send"), async f => {
      await api("POST", "/api/v1/standards/" + encodeURIComponent(s.id) + "/comments/" + encodeURIComponent(comment.id) + "/answer",
        {outcome: val(f, "outcome"), reason: val(f, "reason")});
      await render(); say(t("sm_answered"));
    });
    f.setAttribute("aria-label", t("sm_answer_for", {n}));
    return f;
  }

  function forumForm(s) {
    const was = (s.consultation && s.consultation.forum) || {};
    const counts = el("fieldset", {class: "participants", "data-field": "participants"}, el("legend", {}, t("sm_forum_participants")),
      ...STD.GROUPS.map(g => field("participants." + g, STD.groupName(g), {type: "number", value: (was.participants || {})[g] || 0, attrs: {min: 0, inputmode: "numeric"}})),
      el("p", {class: "help"}, t("sm_forum_help")));
    return form(t("sm_forum_title"), [el("div", {class: "row"},
      field("held_on", t("sm_forum_held_on"), {type: "date", value: was.held_on || today(), attrs: {required: true}}),
      field("place", t("sm_forum_place"), {value: was.place, attrs: {required: true, maxlength: 200}})), counts,
      field("summary", t("sm_forum_summary"), {textarea: true, rows: 3, value: was.summary, attrs: {required: true, maxlength: 4000}})],
    t("sm_forum_send"), async f => {
      const participants = {};
      STD.GROUPS.forEach(g => { participants[g] = intOrText(val(f, "participants." + g)) || 0; });
      await api("POST", "/api/v1/standards/" + encodeURIComponent(s.id) + "/forum", {held_on: val(f, "held_on"), place: val(f, "place"), participants, summary: val(f, "summary")});
      await render(); say(t("sm_forum_saved"));
    });
  }

  function adoptForm(s, unanswered, closed) {
    return form(null, [field("effective_from", t("sm_effective_from"), {type: "date", value: today(), attrs: {required: true}})],
      t("sm_adopt_send"), async f => {
        try {
          await api("POST", "/api/v1/standards/" + encodeURIComponent(s.id) + "/adopt", {effective_from: val(f, "effective_from")});
        } catch (e) {
          // the server's refusal, said in the page's own words when the reason is known here
          const left = (e.data && e.data.details && e.data.details.unanswered) || unanswered;
          if (e.status === 409 && left) e.message = t("sm_adopt_refused_unanswered", {n: fmt.number(left)});
          else if (e.status === 409 && !closed) e.message = t("sm_adopt_refused_open");
          if (e.status === 409) { e.fields = {}; f.querySelector("[role=alert]").textContent = e.message; }
          throw e;
        }
        await render(); say(t("sm_adopted"));
      });
  }

  // -- session ---------------------------------------------------------------------------------
  async function start() {
    const s = session(); if (!s) return;
    $("login-box").hidden = true; $("manage").hidden = false;
    $("who").textContent = t("sm_signed_in_as", {name: s.account.username});
    if (!["supervisor", "admin"].includes(s.account.role)) { $("view").replaceChildren(el("p", {class: "error", role: "alert"}, t("sm_not_allowed"))); return; }
    await loadCatalogue();
    agencyCode = s.account.agency || sessionStorage.getItem("mpp.std.agency") || new URLSearchParams(location.search).get("agency") || Object.keys(agencies)[0];
    await render();
  }
  MPP.signInForm(start);
  window.addEventListener("hashchange", () => {
    if ($("manage").hidden) return;
    const status = $("mpp-status");
    if (status && !keepStatus) status.textContent = "";
    keepStatus = false;
    render().then(() => $("view").focus());
  });
  document.addEventListener("mpp:lang", () => {
    if ($("manage").hidden) return;
    const s = session(); if (s) $("who").textContent = t("sm_signed_in_as", {name: s.account.username});
    render();
  });
  start().catch(e => say(e.message, "error"));
})();
