// Shared by every page: language switch (Bahasa Indonesia first), API calls, staff session.
"use strict";
const MPP = (() => {
  let lang = localStorage.getItem("mpp.lang") || "id";
  const T = window.MPP_TEXT || {};
  function t(key) { const e = T[key]; return e ? (e[lang] || e.id) : key; }
  function apply() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach(el => { el.textContent = t(el.dataset.i18n); });
    const b = document.getElementById("lang"); if (b) b.textContent = lang === "id" ? "English" : "Bahasa Indonesia";
  }
  function toggle() { lang = lang === "id" ? "en" : "id"; localStorage.setItem("mpp.lang", lang); apply(); document.dispatchEvent(new Event("mpp:lang")); }
  function session() { try { return JSON.parse(sessionStorage.getItem("mpp.session") || "null"); } catch (e) { return null; } }
  async function api(method, path, body, extra) {
    const headers = Object.assign({"Accept": "application/json"}, extra || {});
    const s = session(); if (s && !headers.Authorization) headers.Authorization = "Bearer " + s.access_token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let r = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    if (r.status === 401 && s && s.refresh_token && !path.includes("/auth/")) {
      const f = await fetch("/api/v1/auth/refresh", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({refresh_token: s.refresh_token})});
      if (f.ok) { sessionStorage.setItem("mpp.session", JSON.stringify(await f.json())); return api(method, path, body, extra); }
    }
    const data = r.headers.get("Content-Type", "").includes("json") ? await r.json() : await r.text();
    if (!r.ok) { const err = new Error((data && (data.detail || data.title)) || r.status); err.status = r.status; err.data = data; throw err; }
    return data;
  }
  async function login(username, password) {
    const s = await api("POST", "/api/v1/auth/login", {username, password});
    sessionStorage.setItem("mpp.session", JSON.stringify(s)); return s;
  }
  function logout() { sessionStorage.removeItem("mpp.session"); location.reload(); }
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => { if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v); });
    children.flat().forEach(c => e.append(c && c.nodeType ? c : document.createTextNode(c == null ? "" : c)));
    return e;
  }
  function show(target, error) { const n = document.getElementById(target); if (n) n.textContent = error ? (error.message || String(error)) : ""; }
  // A UTC ISO time as the MPP's wall clock reads it (zone from /api/v1/agencies).
  let zone = "Asia/Jakarta";
  function setZone(z) { if (z) zone = z; }
  function when(iso) {
    if (!iso) return "–";
    return new Date(iso).toLocaleString(lang === "en" ? "en-GB" : "id-ID", {timeZone: zone, dateStyle: "medium", timeStyle: "short"});
  }
  function name(obj) { return (lang === "en" && obj.name_en) ? obj.name_en : obj.name; }
  document.addEventListener("DOMContentLoaded", () => { const b = document.getElementById("lang"); if (b) b.addEventListener("click", toggle); apply(); });
  return {t, api, login, logout, session, el, show, name, when, setZone, get lang() { return lang; }, apply};
})();
