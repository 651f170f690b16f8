// How a service standard reads, shared by the public page (/standards) and the staff page
// (/standards/manage): the fourteen components in plain words (delivery first, then
// management), times, fees, groups and outcomes by their names. Everything is textContent.
"use strict";
const STD = (() => {
  const {t, el, fmt} = MPP;
  const DELIVERY = ["requirements", "procedure", "time", "cost", "product", "complaints"];
  const MANAGEMENT = ["legal_basis", "facilities", "competence", "oversight", "staff_count", "guarantee", "security", "evaluation"];
  const GROUPS = ["users", "community", "academics", "business", "press"];
  const OUTCOMES = ["accepted", "partly", "rejected"];
  const has = key => Object.prototype.hasOwnProperty.call(window.MPP_TEXT || {}, key);
  const named = (prefix, code) => (has(prefix + code) ? t(prefix + code) : t("sd_a_other"));
  const nameOf = x => (MPP.lang === "en" && x.name_en) || x.name || "";
  const title = s => (MPP.lang === "en" && s.title_en) || s.title || "";
  const subjectName = s => (MPP.lang === "en" && s.subject_name_en) || s.subject_name || title(s);
  const agencyName = (s, agencies) => {
    const a = agencies && agencies[s.agency];
    return a ? MPP.name(a) : ((MPP.lang === "en" && s.agency_name_en) || s.agency_name || "");
  };
  function timeText(time) {
    if (!time) return "–";
    if (time.working_days != null) return t("sd_working_days", {n: fmt.number(time.working_days)});
    if (time.minutes != null) return t("sd_minutes", {n: fmt.number(time.minutes)});
    return "–";
  }
  function costText(cost) {
    if (!cost || !cost.fee) return t("sd_free");
    return t("sd_fee", {n: fmt.number(cost.fee)});
  }
  const lines = text => String(text || "").split(/\n+/).map(x => x.trim()).filter(Boolean);
  // one component's value as elements
  function value(key, c) {
    const v = c[key];
    if (key === "requirements") return v && v.length ? el("ul", {}, v.map(r => el("li", {}, nameOf(r), r.required === false ? " (" + t("sd_optional") + ")" : ""))) : "–";
    if (key === "procedure") return v && v.length ? el("ol", {}, v.map(p => el("li", {}, nameOf(p)))) : "–";
    if (key === "time") return timeText(v);
    if (key === "cost") return el("div", {}, el("p", {}, costText(v)), v && v.legal_basis ? el("p", {class: "muted"}, t("sd_fee_basis", {text: v.legal_basis})) : "");
    if (key === "complaints") return Array.isArray(v) && v.length ? el("ul", {}, v.map(x => el("li", {}, x))) : (v ? String(v) : "–");
    if (key === "staff_count") return v == null || v === "" ? "–" : t("sd_people", {n: fmt.number(v)});
    const parts = lines(v);
    return parts.length > 1 ? el("ul", {}, parts.map(x => el("li", {}, x))) : (parts[0] || "–");
  }
  // A queue service's hours in the standard: "Senin–Jumat 07.30–16.00; Sabtu 08.00–12.00"
  const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const dayName = d => new Intl.DateTimeFormat(MPP.lang === "en" ? "en-GB" : "id-ID", {weekday: "long", timeZone: "UTC"})
    .format(new Date(Date.UTC(2026, 11, 7 + WEEKDAYS.indexOf(d))));  // 7 December 2026 is a Monday
  const hm = x => (MPP.lang === "en" ? x : x.replace(":", "."));
  function hoursText(hours) {
    const span = h => (typeof h[0] === "string" ? [h] : h).map(p => hm(p[0]) + "–" + hm(p[1])).join(", ");
    const groups = [];
    WEEKDAYS.filter(d => hours && hours[d]).forEach(d => {
      const last = groups[groups.length - 1], text = span(hours[d]);
      if (last && last.text === text && WEEKDAYS.indexOf(d) === WEEKDAYS.indexOf(last.to) + 1) last.to = d; else groups.push({from: d, to: d, text});
    });
    return groups.map(g => dayName(g.from) + (g.to !== g.from ? "–" + dayName(g.to) : "") + " " + g.text).join("; ") || "–";
  }
  function section(headingKey, keys, c, level) {
    return el("section", {class: "std-part"}, el("h" + level, {}, t(headingKey)),
      el("dl", {class: "std-components"}, keys.flatMap(k => [el("dt", {}, t("sd_c_" + k)), el("dd", {"data-component": k}, value(k, c))])));
  }
  function components(doc, level = 3) {
    const c = doc.components || {};
    const delivery = section("sd_delivery", DELIVERY, c, level);
    if (doc.opening_hours) {  // a queue service's standard promises its hours too
      const time = delivery.querySelector('[data-component="time"]');
      time.after(el("dt", {}, t("sd_hours")), el("dd", {"data-component": "opening_hours"}, hoursText(doc.opening_hours)));
    }
    return [delivery, section("sd_management", MANAGEMENT, c, level)];
  }
  const statusName = s => named("sd_status_", s);
  const groupName = g => named("sd_g_", g);
  const outcomeName = o => named("sd_o_", o);
  const actionName = a => named("sd_a_", a);
  return {DELIVERY, MANAGEMENT, GROUPS, OUTCOMES, components, timeText, costText, statusName, groupName,
          outcomeName, actionName, title, subjectName, agencyName, nameOf};
})();
