// The satisfaction survey reached from the invitation link (/survey#t=<token>), and the
// complaint form. Everything a citizen wrote or the API returned is shown with textContent.
"use strict";
(() => {
  const $ = id => document.getElementById(id);
  const {t, el} = MPP;
  const token = new URLSearchParams(location.hash.slice(1)).get("t");
  let form = null, agencies = {}, complaintKey = null;

  function label(item) { return MPP.lang === "en" ? (item.label_en || item.name_en || item.label || item.name) : (item.label || item.name); }
  const agencyName = code => (agencies[code] ? MPP.name(agencies[code]) : "");

  function renderSurvey() {
    if (!form) return;
    $("survey").hidden = false;
    $("survey-about").textContent = [form.service_name, agencyName(form.agency)].filter(Boolean).join(" · ");
    const chosen = Object.fromEntries([...document.querySelectorAll("#elements input:checked")].map(i => [i.name, i.value]));
    $("elements").replaceChildren(...form.elements.map((element, i) => el("fieldset", {class: "choices", "data-field": "answers." + element.code},
      el("legend", {}, (i + 1) + ". " + label(element)),
      ...form.scale.map(point => el("label", {class: "choice"},
        el("input", {type: "radio", name: element.code, value: point.value, checked: chosen[element.code] === String(point.value)}),
        " " + point.value + " · " + label(point))))));
    if (form.answered) done(t("survey_answered"));
  }
  function done(text) { $("survey-form").hidden = true; const p = $("survey-done"); p.hidden = false; p.textContent = text; }

  async function loadSurvey() {
    if (!token) return;
    try { form = await MPP.api("GET", "/api/v1/surveys/" + encodeURIComponent(token)); renderSurvey(); }
    catch (err) { $("survey").hidden = false; $("survey-form").hidden = true; MPP.say(err.message, "error"); }
  }

  // a question answered after "rate every question" was said loses its message at once
  $("elements").addEventListener("change", ev => {
    const set = ev.target.closest("fieldset");
    const note = set && set.nextElementSibling;
    if (note && note.classList.contains("field-error")) { note.remove(); set.removeAttribute("aria-invalid"); set.removeAttribute("aria-describedby"); }
    if (!$("elements").querySelector(".field-error")) $("survey-form").querySelector("[role=alert]").textContent = "";
  });
  $("survey-form").addEventListener("submit", ev => {
    ev.preventDefault();
    const f = ev.currentTarget; MPP.formErrors(f);
    const answers = {}, missing = {};
    form.elements.forEach(e => { const c = f.querySelector("input[name='" + e.code + "']:checked"); if (c) answers[e.code] = Number(c.value); else missing["answers." + e.code] = [t("sv_rate_all")]; });
    if (Object.keys(missing).length) { MPP.formErrors(f, {message: t("sv_fix"), fields: missing}); return; }
    const text = $("survey-text").value.trim();
    MPP.busy(f.querySelector("button[type=submit]"), () => MPP.api("POST", "/api/v1/surveys/" + encodeURIComponent(token), {answers, text: text || null, language: MPP.lang})
      .then(() => done(t("survey_thanks"))).catch(err => MPP.formErrors(f, err)));
  });

  async function loadAgencies() {
    const data = await MPP.api("GET", "/api/v1/agencies");
    MPP.setZone(data.timezone);
    data.agencies.forEach(a => { agencies[a.code] = a; $("c-agency").append(el("option", {value: a.code}, MPP.name(a))); });
    renderSurvey();
  }

  $("complaint-form").addEventListener("input", () => { complaintKey = null; });
  $("complaint-form").addEventListener("submit", ev => {
    ev.preventDefault();
    const f = ev.currentTarget; MPP.formErrors(f);
    const text = $("c-text").value.trim();
    if (text.length < 10) { MPP.formErrors(f, {message: t("sv_fix"), fields: {text: [text ? t("sv_too_short") : t("sv_required")]}}); return; }
    const body = {kind: f.querySelector("input[name=kind]:checked").value, text, language: MPP.lang,
                  reference: $("c-ref").value.trim() || null, agency: $("c-agency").value || null};
    complaintKey = complaintKey || MPP.newKey();
    MPP.busy(f.querySelector("button[type=submit]"), async () => {
      try {
        const filed = await MPP.api("POST", "/api/v1/complaints", body, {"Idempotency-Key": complaintKey});
        complaintKey = null;
        const out = $("complaint-done"); out.hidden = false;
        out.replaceChildren(el("p", {class: "ok"}, t("complaint_thanks")),
          el("p", {}, t("complaint_id") + ": ", el("strong", {class: "big-code", id: "complaint-id"}, filed.id)),
          el("p", {id: "complaint-due"}, t("complaint_due") + ": " + MPP.fmt.dueDate(filed.due_at)));
        f.reset();
        out.scrollIntoView();
      } catch (err) { MPP.formErrors(f, err); }
    });
  });

  document.addEventListener("mpp:lang", renderSurvey);
  loadAgencies().catch(err => MPP.say(err.message, "error")).then(loadSurvey);
})();
