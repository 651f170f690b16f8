// The satisfaction survey reached from the invitation link (/survey#t=<token>), and the
// complaint form. Everything a citizen wrote or the API returned is shown with textContent.
"use strict";
(() => {
  const $ = id => document.getElementById(id);
  const token = new URLSearchParams(location.hash.slice(1)).get("t");
  let form = null;

  function label(item) { return MPP.lang === "en" ? (item.label_en || item.name_en || item.label || item.name) : (item.label || item.name); }

  function fieldErrors(err) {
    const errors = (err.data && err.data.errors) || {};
    return Object.entries(errors).map(([k, v]) => k + ": " + [].concat(v).join(" ")).join(" · ");
  }
  function fail(err) { $("err").textContent = (err.message || String(err)) + (fieldErrors(err) ? " — " + fieldErrors(err) : ""); }

  function renderSurvey() {
    if (!form) return;
    $("survey").hidden = false;
    $("survey-about").textContent = form.service_name + " · " + form.agency;
    const box = $("elements"); box.replaceChildren();
    form.elements.forEach((element, i) => {
      const set = MPP.el("fieldset", {class: "card"}, MPP.el("legend", {}, (i + 1) + ". " + label(element)));
      form.scale.forEach(point => {
        const id = "e-" + element.code + "-" + point.value;
        set.append(MPP.el("input", {type: "radio", name: element.code, value: point.value, id}),
                   MPP.el("label", {for: id, style: "display:inline;margin-right:1rem;font-weight:400"}, point.value + " " + label(point)));
      });
      box.append(set);
    });
    if (form.answered) done(MPP.t("survey_answered"));
  }
  function done(text) { $("survey-form").hidden = true; const p = $("survey-done"); p.hidden = false; p.textContent = text; }

  async function loadSurvey() {
    if (!token) return;
    try { form = await MPP.api("GET", "/api/v1/surveys/" + encodeURIComponent(token)); renderSurvey(); }
    catch (err) { fail(err); }
  }

  $("survey-form").addEventListener("submit", async ev => {
    ev.preventDefault(); $("err").textContent = "";
    const answers = {};
    form.elements.forEach(e => { const c = document.querySelector("input[name='" + e.code + "']:checked"); if (c) answers[e.code] = Number(c.value); });
    const text = $("survey-text").value.trim();
    try {
      await MPP.api("POST", "/api/v1/surveys/" + encodeURIComponent(token), {answers, text: text || null, language: MPP.lang});
      done(MPP.t("survey_thanks"));
    } catch (err) { fail(err); }
  });

  async function loadAgencies() {
    try {
      const data = await MPP.api("GET", "/api/v1/agencies");
      data.agencies.forEach(a => $("c-agency").append(MPP.el("option", {value: a.code}, MPP.name(a))));
    } catch (err) { fail(err); }
  }

  $("complaint-form").addEventListener("submit", async ev => {
    ev.preventDefault(); $("err").textContent = "";
    const body = {kind: $("c-kind").value, text: $("c-text").value, language: MPP.lang,
                  reference: $("c-ref").value.trim() || null, agency: $("c-agency").value || null};
    try {
      const filed = await MPP.api("POST", "/api/v1/complaints", body, {"Idempotency-Key": "c-" + Date.now() + "-" + Math.random().toString(36).slice(2)});
      const out = $("complaint-done"); out.hidden = false;
      out.replaceChildren(MPP.el("p", {}, MPP.t("complaint_thanks")),
        MPP.el("p", {}, MPP.t("complaint_id") + ": ", MPP.el("strong", {}, filed.id)),
        MPP.el("p", {}, MPP.t("complaint_due") + ": " + MPP.when(filed.due_at)));
      $("complaint-form").reset();
    } catch (err) { fail(err); }
  });

  document.addEventListener("mpp:lang", renderSurvey);
  loadSurvey(); loadAgencies();
})();
