"use strict";
(() => {
  const {t, api, el, show, name} = MPP;
  const $ = id => document.getElementById(id);
  let types = [];
  const kv = obj => el("dl", {}, Object.entries(obj).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v ?? "–"))]));
  async function track() {
    const p = new URLSearchParams(location.hash.slice(1));
    if (!p.get("track")) { $("track-out").textContent = "–"; return; }
    const tk = await api("GET", "/api/v1/tickets/" + encodeURIComponent(p.get("track")) + "?token=" + encodeURIComponent(p.get("token") || ""));
    $("track-out").replaceChildren(el("p", {class: "big"}, tk.number), kv({status: tk.status, [t("ahead")]: tk.ahead, ETA: (tk.eta_min_minutes ?? "–") + "–" + (tk.eta_max_minutes ?? "–") + " min"}));
    if (tk.status === "completed") {  // the same phone that followed the queue rates the service
      const s = await api("GET", "/api/v1/tickets/" + encodeURIComponent(p.get("track")) + "/survey?token=" + encodeURIComponent(p.get("token") || "")).catch(() => null);
      if (s) $("track-out").append(el("p", {}, el("a", {class: "btn", href: s.survey_url}, t("survey_title"))));
    }
  }
  const guard = fn => ev => { ev.preventDefault(); show("err"); fn().catch(e => show("err", e)); };
  async function verify(number, hash) {
    const q = hash ? "?hash=" + encodeURIComponent(hash) : "";
    const r = await api("GET", "/api/v1/permits/" + encodeURIComponent(number) + "/verify" + q);
    $("verify-out").replaceChildren(el("p", {id: "verify-status", class: "big", style: "font-size:2rem"}, r.status_label || r.status),
      kv({[t("permit_no")]: r.permit_number || number, [t("permit_title")]: (MPP.lang === "en" && r.title_en) || r.title || "–", [t("agency")]: r.agency_name || "–", [t("valid_until")]: r.valid_until || "–"}));
  }
  $("verify").addEventListener("submit", guard(() => verify($("permit-number").value.trim())));
  // A permit's QR code opens /verify?n=<number>&h=<record hash>: verify it straight away.
  const qr = new URLSearchParams(location.search);
  if (location.pathname === "/verify" && qr.get("n")) {
    $("permit-number").value = qr.get("n");
    verify(qr.get("n"), qr.get("h")).catch(e => show("err", e));
  }
  async function slots() {
    if (!$("book-service").value || !$("book-date").value) return;
    const r = await api("GET", "/api/v1/bookings/availability?service_id=" + encodeURIComponent($("book-service").value) + "&date=" + $("book-date").value);
    $("book-slot").replaceChildren(...r.slots.filter(s => s.bookable).map(s => el("option", {value: s.local.slice(0, 5)}, s.local + " (" + s.free + ")")));
  }
  $("book-service").addEventListener("change", () => slots().catch(e => show("err", e)));
  $("book-date").addEventListener("change", () => slots().catch(e => show("err", e)));
  $("book").addEventListener("submit", guard(async () => {
    const r = await api("POST", "/api/v1/bookings", {service_id: $("book-service").value, date: $("book-date").value, slot_start: $("book-slot").value,
      name: $("book-name").value, phone: $("book-phone").value, language: MPP.lang}, {"Idempotency-Key": "book-" + Date.now()});
    $("book-out").replaceChildren(el("p", {class: "big", id: "booking-code"}, r.code), kv({date: r.date, slot: r.slot_local}));
  }));
  function typeForm() {
    const pt = types.find(x => x.id === $("app-type").value); if (!pt) return;
    $("app-form").replaceChildren(...(pt.form || []).map(f => el("label", {}, (MPP.lang === "en" && f.label_en) || f.label || f.name,
      f.type === "enum" ? el("select", {"data-field": f.name, "data-type": f.type}, (f.choices || []).map(c => el("option", {value: c}, c)))
                        : el("input", {"data-field": f.name, "data-type": f.type, type: ["number", "integer"].includes(f.type) ? "number" : "text"}))));
    $("app-docs").replaceChildren(...(pt.requirements || []).map(r => el("label", {}, name(r), el("input", {type: "file", "data-kind": r.kind}))));
  }
  $("app-type").addEventListener("change", typeForm);
  const b64 = file => new Promise((ok, no) => { const fr = new FileReader(); fr.onload = () => ok(fr.result.split(",")[1]); fr.onerror = no; fr.readAsDataURL(file); });
  $("apply").addEventListener("submit", guard(async () => {
    const form = {};
    document.querySelectorAll("#app-form [data-field]").forEach(i => { form[i.dataset.field] = ["number", "integer"].includes(i.dataset.type) ? Number(i.value) : i.value; });
    const documents = [];
    for (const i of document.querySelectorAll("#app-docs [data-kind]")) {
      if (i.files[0]) documents.push({kind: i.dataset.kind, filename: i.files[0].name, media_type: i.files[0].type || "application/pdf", content: await b64(i.files[0])});
    }
    const r = await api("POST", "/api/v1/applications", {permit_type_id: $("app-type").value, form, documents,
      applicant: {nik: $("app-nik").value, name: $("app-name").value, phone: $("app-phone").value, language: MPP.lang}}, {"Idempotency-Key": "apply-" + Date.now()});
    $("apply-out").replaceChildren(el("p", {}, "Kode / Code: ", el("strong", {id: "tracking-code"}, r.tracking_code), " · PIN: ", el("strong", {id: "tracking-pin"}, r.pin)));
    $("st-code").value = r.tracking_code; $("st-pin").value = r.pin;
  }));
  // The PIN travels in a header, never in a URL: the PDF is fetched and handed over as a blob.
  async function downloadPermit(code, pin) {
    const r = await fetch("/api/v1/applications/" + encodeURIComponent(code) + "/permit.pdf", {headers: {"X-Application-Pin": pin}});
    if (!r.ok) throw new Error((await r.json()).detail || r.status);
    const a = el("a", {href: URL.createObjectURL(await r.blob()), download: "izin-" + code + ".pdf"});
    document.body.append(a); a.click(); a.remove();
  }
  $("status").addEventListener("submit", guard(async () => {
    const code = $("st-code").value.trim(), pin = $("st-pin").value.trim();
    const r = await api("GET", "/api/v1/applications/" + encodeURIComponent(code), undefined, {"X-Application-Pin": pin});
    const permit = r.permit ? el("p", {id: "permit"}, r.permit.permit_number + " · ",
      el("button", {type: "button", id: "permit-pdf", onclick: () => downloadPermit(code, pin).catch(e => show("err", e))}, t("permit_pdf")), " ",
      el("a", {href: r.permit.verify_url}, t("verify"))) : "";
    $("status-out").replaceChildren(el("p", {id: "app-state", class: "big", style: "font-size:2rem"}, r.state_label || r.state), permit,
      el("ol", {}, (r.history || []).map(h => el("li", {}, MPP.when(h.at) + " · " + (h.to_label || h.to) + (h.note ? " · " + h.note : "")))));
  }));
  (async () => {
    const d = await api("GET", "/api/v1/agencies");
    MPP.setZone(d.timezone);
    $("book-service").replaceChildren(...d.agencies.flatMap(a => a.services.map(s => el("option", {value: s.id}, name(a) + " · " + name(s)))));
    types = d.agencies.flatMap(a => a.permit_types || []);
    $("app-type").replaceChildren(...types.map(p => el("option", {value: p.id}, name(p))));
    typeForm();
    await track();
  })().catch(e => show("err", e));
  window.addEventListener("hashchange", () => track().catch(e => show("err", e)));
})();
