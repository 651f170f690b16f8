// Shared by every page: language (Bahasa Indonesia first), the message catalogue
// (static/messages/), formats for the id locale in the MPP's zone, API calls with
// problem+json errors shown next to their fields, busy buttons, the staff session.
"use strict";
const MPP = (() => {
  let lang = localStorage.getItem("mpp.lang") || "id";
  const T = window.MPP_TEXT || {};

  // -- language and messages -------------------------------------------------------------
  function t(key, vars) {
    const e = T[key];
    let text = e ? (e[lang] || e.id) : key;
    if (vars) text = text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));
    return text;
  }
  // Server messages come as "Bahasa Indonesia / English": show the half of the chosen language.
  function serverText(text) {
    if (typeof text !== "string") return text;
    const halves = text.split(" / ");
    return halves.length === 2 ? (lang === "en" ? halves[1] : halves[0]) : text;
  }
  function apply() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach(el => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll("[data-i18n-label]").forEach(el => { el.setAttribute("aria-label", t(el.dataset.i18nLabel)); });
    const b = document.getElementById("lang"); if (b) b.textContent = lang === "id" ? "English" : "Bahasa Indonesia";
    if (site.name) document.querySelectorAll("[data-mpp-name]").forEach(n => { n.textContent = site.name; });
  }
  function setLang(value, remember = true) {
    lang = value === "en" ? "en" : "id";
    if (remember) localStorage.setItem("mpp.lang", lang);
    apply(); document.dispatchEvent(new Event("mpp:lang"));
  }
  function toggle() { setLang(lang === "id" ? "en" : "id"); }

  // -- formats (id locale, the MPP's zone whatever the browser's) -------------------------
  let zone = "Asia/Jakarta";
  const site = {};
  const ZONE_ABBR = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"};
  function setZone(z) { if (z) zone = z; }
  function locale() { return lang === "en" ? "en-GB" : "id-ID"; }
  function toDate(value) {
    if (value instanceof Date) return value;
    // a bare calendar date is a day of the MPP, not a UTC midnight
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value + "T12:00:00Z");
    return new Date(value);
  }
  const fmt = {
    number(x, digits = 0) {
      if (x == null || Number.isNaN(Number(x))) return "–";
      return new Intl.NumberFormat(locale(), {maximumFractionDigits: digits, minimumFractionDigits: 0}).format(x);
    },
    // 1,5 menit · 1.5 min
    minutes(x, digits = 1) { return x == null ? "–" : fmt.number(x, digits) + " " + t(Number(x) === 1 ? "minute" : "minutes"); },
    percent(x, digits = 0) { return x == null ? "–" : fmt.number(x, digits) + " %"; },
    // Senin, 7 Desember 2026
    date(value) {
      if (!value) return "–";
      const d = toDate(value);
      const z = /^\d{4}-\d{2}-\d{2}$/.test(value) ? "UTC" : zone;
      return new Intl.DateTimeFormat(locale(), {weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: z}).format(d);
    },
    // 07.30 WIB
    time(value) {
      if (!value) return "–";
      const hm = new Intl.DateTimeFormat(locale(), {hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone}).format(toDate(value));
      return hm.replace(":", lang === "en" ? ":" : ".") + " " + (ZONE_ABBR[zone] || zone);
    },
    // A deadline that ends at midnight belongs to the day before it: "until Friday", not
    // "Saturday 00.00". Shown as that day's date.
    dueDate(value) {
      if (!value) return "–";
      const d = toDate(value);
      const hm = new Intl.DateTimeFormat("en-GB", {hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone}).format(d);
      return fmt.date(hm === "00:00" ? new Date(d.getTime() - 60000) : d);
    },
    // Senin, 7 Desember 2026 07.30 WIB
    dateTime(value) { return value ? fmt.date(value) + " " + fmt.time(value) : "–"; },
  };
  function when(iso) { return fmt.dateTime(iso); }

  // -- the MPP itself: its name and zone come from the server (GET /api/v1/agencies "mpp"),
  // never from a page. ``loadSite()`` asks once per page load and answers the whole catalogue.
  let siteAnswer = null;
  function loadSite(fresh = false) {
    if (!siteAnswer || fresh) {
      siteAnswer = fetch("/api/v1/agencies", {headers: {"Accept": "application/json"}})
        .then(r => { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(d => {
          const m = d.mpp || {};
          if (m.name) site.name = m.name;
          setZone(m.timezone || d.timezone); site.timezone = zone;
          apply(); return d;
        })
        .catch(e => { siteAnswer = null; const err = new Error(t("offline")); err.status = 0; err.cause = e; throw err; });
    }
    return siteAnswer;
  }

  // -- API -------------------------------------------------------------------------------
  // Idempotency keys are random (never guessable from the time): a retry reuses the same key.
  function newKey() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, x => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function session() { try { return JSON.parse(sessionStorage.getItem("mpp.session") || "null"); } catch (e) { return null; } }
  async function api(method, path, body, extra) {
    const headers = Object.assign({"Accept": "application/json", "Accept-Language": lang}, extra || {});
    const s = session(); if (s && !headers.Authorization) headers.Authorization = "Bearer " + s.access_token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let r;
    try {
      r = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    } catch (e) {
      const err = new Error(t("offline")); err.status = 0; throw err;
    }
    if (r.status === 401 && s && s.refresh_token && !path.includes("/auth/")) {
      const f = await fetch("/api/v1/auth/refresh", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({refresh_token: s.refresh_token})});
      if (f.ok) { sessionStorage.setItem("mpp.session", JSON.stringify(await f.json())); return api(method, path, body, extra); }
    }
    const type = r.headers.get("Content-Type") || "";
    const data = type.includes("json") ? await r.json() : await r.text();
    if (!r.ok) {
      const err = new Error(serverText((data && (data.detail || data.title)) || String(r.status)));
      err.status = r.status; err.data = data; err.fields = (data && data.errors) || {};
      throw err;
    }
    return data;
  }
  // ``api`` for large bodies (documents): XMLHttpRequest, so ``progress(fraction)`` can show
  // how much of the upload has gone; the same problem+json errors as ``api``.
  function upload(method, path, body, extra, progress) {
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open(method, path);
      Object.entries(Object.assign({"Accept": "application/json", "Accept-Language": lang, "Content-Type": "application/json"}, extra || {}))
        .forEach(([k, v]) => x.setRequestHeader(k, v));
      if (progress) x.upload.onprogress = ev => { if (ev.lengthComputable) progress(ev.loaded / ev.total); };
      x.onerror = () => { const err = new Error(t("offline")); err.status = 0; reject(err); };
      x.onload = () => {
        let data = x.responseText;
        try { data = JSON.parse(x.responseText); } catch (e) { /* not JSON: keep the text */ }
        if (x.status >= 200 && x.status < 300) { if (progress) progress(1); resolve(data); return; }
        const err = new Error(serverText((data && (data.detail || data.title)) || String(x.status)));
        err.status = x.status; err.data = data; err.fields = (data && data.errors) || {};
        reject(err);
      };
      x.send(JSON.stringify(body));
    });
  }
  async function login(username, password) {
    const s = await api("POST", "/api/v1/auth/login", {username, password});
    sessionStorage.setItem("mpp.session", JSON.stringify(s)); return s;
  }
  function logout() { sessionStorage.removeItem("mpp.session"); location.reload(); }
  // A staff page's sign-in form (#login with #u and #p) and its #logout button; ``start``
  // draws the page once signed in. A refusal is shown beside the form's fields.
  function signInForm(start) {
    document.getElementById("login").addEventListener("submit", ev => {
      ev.preventDefault();
      const f = ev.target;
      busy(f.querySelector("button"), async () => {
        formErrors(f);
        try { await login(document.getElementById("u").value.trim(), document.getElementById("p").value); await start(); } catch (e) { formErrors(f, e); }
      });
    });
    document.getElementById("logout").addEventListener("click", logout);
  }

  // -- DOM, feedback, forms ---------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v == null || v === false) return;
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? "" : v);
    });
    children.flat().forEach(c => e.append(c && c.nodeType ? c : document.createTextNode(c == null ? "" : c)));
    return e;
  }
  function show(target, error) { const n = document.getElementById(target); if (n) n.textContent = error ? (error.message || String(error)) : ""; }
  // A polite live region every page has (created on demand): what just happened, in words.
  function say(message, kind = "ok") {
    let box = document.getElementById("mpp-status");
    if (!box) { box = el("div", {id: "mpp-status", role: "status", "aria-live": "polite"}); document.body.append(box); }
    box.className = "status " + kind; box.textContent = message;
  }
  // Disable ``button`` while ``work`` runs, so one tap is one request; the label says so.
  async function busy(button, work) {
    if (!button || button.disabled) return undefined;
    button.disabled = true; button.setAttribute("aria-busy", "true");
    try { return await work(); } finally { button.disabled = false; button.removeAttribute("aria-busy"); }
  }
  // Field messages from a 422 next to their fields (``name`` or ``data-field``), the rest in
  // the form's alert; the first invalid field gets the focus.
  function formErrors(form, error) {
    form.querySelectorAll(".field-error").forEach(n => n.remove());
    // a field's own help text (its aria-describedby) stays described beside the error
    form.querySelectorAll("[aria-invalid]").forEach(n => {
      n.removeAttribute("aria-invalid");
      if (n.dataset.describedby) n.setAttribute("aria-describedby", n.dataset.describedby); else n.removeAttribute("aria-describedby");
    });
    const alert = form.querySelector("[role=alert]");
    if (alert) alert.textContent = "";
    if (!error) return;
    let first = null;
    const flat = (prefix, fields, out) => Object.entries(fields || {}).forEach(([k, v]) => {
      const name = prefix ? prefix + "." + k : k;
      if (Array.isArray(v)) out.push([name, v.map(serverText).join(" ")]); else if (v && typeof v === "object") flat(name, v, out);
    });
    const pairs = []; flat("", error.fields, pairs);
    const unplaced = [];
    pairs.forEach(([name, message]) => {
      const leaf = name.split(".").pop();
      const input = form.querySelector(`[name="${name}"], [data-field="${name}"], [name="${leaf}"], [data-field="${leaf}"]`);
      if (!input) { unplaced.push(message); return; }
      const id = (input.id || name.replace(/\W/g, "-")) + "-error";
      const note = el("p", {class: "field-error error", id}, message);
      const help = input.dataset.describedby || input.getAttribute("aria-describedby");
      if (help) input.dataset.describedby = help;
      input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", help ? id + " " + help : id);
      input.insertAdjacentElement("afterend", note);
      first = first || input;
    });
    if (alert) alert.textContent = [error.message].concat(unplaced).filter(Boolean).join(" ");
    if (first) first.focus();
  }
  // An SVG answer (QR codes) as an element to insert: parsed as HTML, the <svg> gets the SVG
  // namespace whether or not it declares one (segno's inline SVG does not) and nothing in it
  // runs. ``label`` names the image for screen readers. Null when the text is no SVG.
  function svgFrom(text, label) {
    const root = new DOMParser().parseFromString(String(text || ""), "text/html").querySelector("svg");
    if (!root) return null;
    const image = document.importNode(root, true);
    image.setAttribute("role", "img"); if (label) image.setAttribute("aria-label", label);
    return image;
  }
  function name(obj) { return (lang === "en" && obj.name_en) ? obj.name_en : obj.name; }

  document.addEventListener("DOMContentLoaded", () => {
    const b = document.getElementById("lang"); if (b) b.addEventListener("click", toggle); apply();
    if (document.querySelector("[data-mpp-name]")) loadSite().catch(() => {});
  });
  return {t, serverText, api, login, logout, signInForm, session, el, show, say, busy, upload, formErrors, name, when, fmt,
          newKey, setZone, setLang, site, loadSite, svgFrom, get zone() { return zone; }, get lang() { return lang; }, apply};
})();
