// The public standards page: every adopted standard and every one in consultation, per
// agency and service; one standard's components in plain words, its review date, the
// Maklumat Pelayanan (page and PDF), and while the consultation is open its comment form
// (anonymous or with a name the citizen chooses to show). Addresses it answers:
// /standards?agency=<code>, ?id=<standard>, ?permit_type=<id> or ?service=<id> (the links on
// tickets, permits, the kiosk and the portal).
"use strict";
(() => {
  const {t, api, el, fmt} = MPP;
  const $ = id => document.getElementById(id);
  let agencies = {}, standards = [], current = null, commentKey = null;
  const names = {};  // "permit_type:<id>" / "queue_service:<id>" -> the catalogue's item

  const subjectName = s => { const item = names[s.subject.kind + ":" + s.subject.id]; return item ? MPP.name(item) : STD.subjectName(s); };
  const agencyName = s => STD.agencyName(s, agencies);
  const dl = pairs => pairs.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v == null ? "–" : v)]);
  const params = () => new URLSearchParams(location.search);

  function badge(s) {
    const kind = s.status === "adopted" ? "ok" : s.status === "consultation" ? "state-called" : "off";
    return el("span", {class: "badge " + kind}, STD.statusName(s.status));
  }
  function reviewMarker(s) {
    if (!s.review_overdue) return "";
    return el("strong", {class: "badge overdue"}, t("sd_review_overdue"));
  }

  // -- the list ------------------------------------------------------------------------
  function renderList() {
    const chosen = $("agency").value;
    const shown = standards.filter(s => !chosen || s.agency === chosen);
    if (!shown.length) { $("list").replaceChildren(el("p", {class: "muted"}, t("sd_none"))); return; }
    const byAgency = {};
    shown.forEach(s => { (byAgency[s.agency] = byAgency[s.agency] || []).push(s); });
    const codes = Object.keys(byAgency).sort((a, b) => agencyName(byAgency[a][0]).localeCompare(agencyName(byAgency[b][0]), "id"));
    $("list").replaceChildren(...codes.map(code => el("section", {class: "card std-agency", "aria-label": agencyName(byAgency[code][0])},
      el("h3", {}, agencyName(byAgency[code][0])),
      el("ul", {class: "std-list"}, byAgency[code].sort((a, b) => subjectName(a).localeCompare(subjectName(b), "id")).map(s => el("li", {},
        el("div", {}, el("strong", {}, subjectName(s)), " ", el("span", {class: "muted"}, t("sd_kind_" + s.subject.kind))),
        el("div", {}, badge(s), reviewMarker(s),
          s.components && s.components.time ? el("span", {class: "muted"}, " " + STD.timeText(s.components.time) + " · " + STD.costText(s.components.cost)) : ""),
        el("a", {href: "/standards?id=" + encodeURIComponent(s.id), class: "btn secondary small", "aria-label": t("sd_open_named", {name: subjectName(s)}),
          onclick: ev => { ev.preventDefault(); go({id: s.id}); }}, t("sd_open"))))))));
  }

  // -- one standard ----------------------------------------------------------------------
  async function open(id) {
    const s = await api("GET", "/api/v1/public/standards/" + encodeURIComponent(id));
    current = s;
    $("detail-h").textContent = t("sd_title") + ": " + subjectName(s);
    $("detail-marker").replaceChildren(badge(s), reviewMarker(s));
    const facts = [[t("sd_agency"), agencyName(s)], [t("sd_service"), subjectName(s) + " (" + t("sd_kind_" + s.subject.kind) + ")"],
      [t("sd_version"), fmt.number(s.version)]];
    if (s.effective_from) facts.push([t("sd_effective"), fmt.date(s.effective_from)]);
    if (s.review_due) facts.push([t("sd_review_due"), fmt.date(s.review_due)]);
    $("detail-facts").replaceChildren(...dl(facts));
    $("detail-components").replaceChildren(...STD.components(s, 3));
    const adopted = s.status === "adopted";
    $("maklumat").hidden = !adopted;
    if (adopted) {
      $("maklumat-text").textContent = t("sd_maklumat_text");
      $("maklumat-by").textContent = t("sd_maklumat_by", {agency: agencyName(s), date: fmt.date(s.effective_from)});
      $("maklumat-pdf").href = "/api/v1/public/standards/" + encodeURIComponent(s.id) + "/maklumat.pdf";
    }
    await consultation(s);
    $("history").replaceChildren(...(s.history || []).map(h => el("li", {}, el("span", {class: "when"}, fmt.dateTime(h.at)), " · ", STD.actionName(h.action))));
    document.title = subjectName(s) + " · " + t("sd_title");
    // shown once whole: the components, the pledge, the consultation and its answers
    $("s-list").hidden = true; $("detail").hidden = false;
  }

  async function consultation(s) {
    const c = s.consultation;
    $("consultation").hidden = !c;
    if (!c) return;
    const facts = [];
    if (c.opens_on && c.closes_on) facts.push([t("sd_period"), t("sd_period_value", {from: fmt.date(c.opens_on), to: fmt.date(c.closes_on)})]);
    if (c.closed_at) facts.push([t("sd_closed_on"), fmt.dateTime(c.closed_at)]);
    if ((c.invited_groups || []).length) facts.push([t("sd_invited"), c.invited_groups.map(STD.groupName).join(", ")]);
    $("consultation-facts").replaceChildren(...dl(facts));
    const f = c.forum;
    $("forum").replaceChildren(f ? el("dl", {}, dl([[t("sd_forum_when"), fmt.date(f.held_on)], [t("sd_forum_place"), f.place],
      [t("sd_forum_participants"), Object.entries(f.participants || {}).filter(([, n]) => n).map(([g, n]) => STD.groupName(g) + ": " + fmt.number(n)).join(", ") || "–"],
      [t("sd_forum_summary"), f.summary]])) : el("p", {class: "muted"}, t("sd_forum_none")));
    $("berita-acara-box").hidden = !f;
    $("berita-acara-pdf").href = "/api/v1/public/standards/" + encodeURIComponent(s.id) + "/berita-acara.pdf";
    const open = s.status === "consultation" && !!s.consultation_open;
    $("comment").hidden = !open; $("comment-closed").hidden = open || s.status !== "consultation" || !c.closed_at;
    await comments(s.id);
  }

  async function comments(id) {
    const r = await api("GET", "/api/v1/public/standards/" + encodeURIComponent(id) + "/comments");
    const items = r.comments || [];
    $("comments").replaceChildren(...(items.length ? items.map(c => el("li", {class: "comment"},
      el("p", {class: "who"}, el("strong", {}, c.named ? t("sd_named") : t("sd_anonymous")), c.group ? " · " + STD.groupName(c.group) : "", c.at ? el("span", {class: "muted"}, " · " + fmt.dateTime(c.at)) : ""),
      el("p", {class: "text"}, c.text),
      c.answer ? el("div", {class: "answer"}, el("p", {}, el("strong", {}, t("sd_answer") + ": "), el("span", {class: "badge outcome-" + c.answer.outcome}, STD.outcomeName(c.answer.outcome))), el("p", {}, c.answer.reason))
        : el("p", {class: "muted"}, t("sd_not_answered")))) : [el("li", {class: "muted"}, t("sd_no_comments"))]));
  }

  $("comment").addEventListener("input", () => { commentKey = null; });
  $("comment").addEventListener("submit", ev => {
    ev.preventDefault();
    const form = ev.currentTarget; MPP.formErrors(form);
    const text = $("c-text").value.trim();
    if (!text) { MPP.formErrors(form, {message: t("sd_comment_required"), fields: {text: [t("sd_comment_required")]}}); return; }
    commentKey = commentKey || MPP.newKey();
    MPP.busy($("comment-send"), async () => {
      try {
        await api("POST", "/api/v1/public/standards/" + encodeURIComponent(current.id) + "/comments",
          {text, name: $("c-name").value.trim() || null, group: $("c-group").value || null}, {"Idempotency-Key": commentKey});
        commentKey = null;
        form.reset();
        MPP.say(t("sd_comment_thanks"));
        await comments(current.id);
      } catch (e) { MPP.formErrors(form, e); }
    });
  });

  // -- navigation: ?id= opens a standard; ?permit_type= / ?service= the one of that service --
  function go(query) {
    const q = new URLSearchParams(query).toString();
    history.pushState(null, "", "/standards" + (q ? "?" + q : ""));
    route().catch(e => MPP.say(e.message, "error"));
  }
  async function route() {
    const p = params();
    let id = p.get("id");
    const subject = p.get("permit_type") ? "permit_type:" + p.get("permit_type") : p.get("service") ? "queue_service:" + p.get("service") : null;
    if (!id && subject) {
      const of = standards.filter(s => s.subject.kind + ":" + s.subject.id === subject);
      const best = of.find(s => s.status === "adopted") || of[0];
      if (best) id = best.id;
    }
    if (p.get("agency") && agencies[p.get("agency")]) $("agency").value = p.get("agency");
    if (id) { await open(id); $("detail").focus(); return; }
    current = null; $("detail").hidden = true; $("s-list").hidden = false;
    document.title = t("sd_title") + " · MPP";
    renderList();
  }
  $("back").addEventListener("click", ev => { ev.preventDefault(); go($("agency").value ? {agency: $("agency").value} : {}); });
  $("agency").addEventListener("change", () => go($("agency").value ? {agency: $("agency").value} : {}));
  window.addEventListener("popstate", () => route().catch(e => MPP.say(e.message, "error")));

  function fillChoices() {
    const chosen = $("agency").value || params().get("agency") || "";
    const withStandards = new Set(standards.map(s => s.agency));
    $("agency").replaceChildren(el("option", {value: ""}, t("sd_all_agencies")),
      ...Object.values(agencies).filter(a => withStandards.has(a.code)).sort((a, b) => MPP.name(a).localeCompare(MPP.name(b), "id"))
        .map(a => el("option", {value: a.code, selected: a.code === chosen}, MPP.name(a))));
    const group = $("c-group").value;
    $("c-group").replaceChildren(el("option", {value: ""}, t("sd_no_group")), ...STD.GROUPS.map(g => el("option", {value: g, selected: g === group}, STD.groupName(g))));
  }

  // opened from the hall's kiosk: its way back, and back by itself after a minute untouched
  if (params().get("kiosk")) {
    document.body.classList.add("from-kiosk");
    const home = document.querySelector("header nav a"); home.href = "/kiosk";
    let idle = null;
    const touched = () => { clearTimeout(idle); idle = setTimeout(() => { location.href = "/kiosk"; }, 60000); };
    ["pointerdown", "keydown", "touchstart"].forEach(k => document.addEventListener(k, touched, {passive: true}));
    touched();
  }

  (async () => {
    const d = await MPP.loadSite();
    (d.agencies || []).forEach(a => {
      agencies[a.code] = a;
      (a.services || []).forEach(s => { names["queue_service:" + s.id] = s; });
      (a.permit_types || []).forEach(p => { names["permit_type:" + p.id] = p; });
    });
    standards = (await api("GET", "/api/v1/public/standards")).standards || [];
    fillChoices();
    await route();
  })().catch(e => MPP.say(e.message, "error"));
  document.addEventListener("mpp:lang", () => { fillChoices(); route().catch(() => null); });
})();
