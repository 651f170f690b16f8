"use strict";
(() => {
  const {t, api, el, show, name} = MPP;
  const step = document.getElementById("step");
  let agencies = [];
  const GROUPS = [null, "lansia", "disabilitas", "ibu_hamil"];
  function buttons(items, label, pick) {
    step.replaceChildren(el("h2", {}, label), el("div", {class: "grid"},
      items.map(i => el("button", {type: "button", onclick: () => pick(i)}, i.label))));
    const first = step.querySelector("button"); if (first) first.focus();
  }
  function chooseAgency() {
    buttons(agencies.map(a => ({label: name(a), a})), t("choose_agency"), i => chooseService(i.a));
  }
  function chooseService(agency) {
    buttons(agency.services.map(s => ({label: s.prefix + " · " + name(s), s})), t("service"), i => chooseGroup(i.s));
  }
  function chooseGroup(service) {
    buttons(GROUPS.map(g => ({label: t(g || "regular"), g})), t("group"), i => issue(service, i.g));
  }
  async function issue(service, group) {
    show("err");
    try {
      const key = "kiosk-" + Date.now() + "-" + Math.random().toString(36).slice(2);
      const ticket = await api("POST", "/api/v1/tickets", {service_id: service.id, priority_group: group, language: MPP.lang}, {"Idempotency-Key": key});
      const qr = await fetch("/api/v1/tickets/" + encodeURIComponent(ticket.id) + "/qr.svg?token=" + encodeURIComponent(ticket.access_token)).then(r => r.text());
      const box = el("div", {class: "ticket", id: "ticket"}, el("div", {}, t("mpp")), el("div", {}, name(service)),
        el("div", {}, t("your_number")), el("div", {class: "big", id: "ticket-number"}, ticket.number),
        el("div", {}, t("ahead") + ": " + (ticket.ahead ?? "–")), el("div", {class: "qr"}), el("small", {}, t("scan")),
        el("div", {class: "muted"}, new Date(ticket.issued_at).toLocaleString(MPP.lang === "id" ? "id-ID" : "en-GB")));
      box.querySelector(".qr").innerHTML = qr.startsWith("<svg") ? qr : "";
      step.replaceChildren(box, el("div", {class: "noprint"}, el("button", {type: "button", onclick: () => window.print()}, t("print")),
        el("button", {type: "button", class: "secondary", onclick: chooseAgency}, t("again"))));
    } catch (e) { show("err", e); }
  }
  api("GET", "/api/v1/agencies").then(d => { agencies = d.agencies.filter(a => a.services.length); chooseAgency(); }).catch(e => show("err", e));
  document.addEventListener("mpp:lang", () => { if (!document.getElementById("ticket")) chooseAgency(); });
})();
