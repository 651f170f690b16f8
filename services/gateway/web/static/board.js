"use strict";
// The display board on the hall's TV (1920x1080). A start screen asks for the one click (or
// key) browsers need before they play sound, then goes full screen. Calls and recalls chime
// and, when the device has an Indonesian (id-ID) voice, are spoken; the board says which.
// Waiting counts per service rotate in pages when they do not fit. The live stream
// reconnects by itself; every (re)connection reloads the snapshot.
(() => {
  const {t, api, el, fmt} = MPP;
  const $ = id => document.getElementById(id);
  const agency = new URLSearchParams(location.search).get("agency") || "";
  const q = agency ? "?agency=" + encodeURIComponent(agency) : "";
  const PAGE_MS = 8000, SETTLE_MS = 3000;
  let audio = null, voice = null, unlocked = false, services = {}, snapshot = null;
  let banner = null, pages = [], pageAt = 0, source = null, retry = 1000, announcements = 0;

  MPP.setLang("id", false);  // the hall hears and reads Indonesian

  // -- sound ----------------------------------------------------------------------------------
  // An Indonesian voice: exactly id-ID first, then any Indonesian one ("id", "id_ID", and
  // "in-ID", the old code some Android devices still report); a local voice before a network one.
  function findVoice() {
    if (!("speechSynthesis" in window)) return null;
    const rank = v => (/^id[-_]ID$/i.test(v.lang) ? 0 : /^(id|in)([-_]|$)/i.test(v.lang) ? 2 : 9) + (v.localService === false ? 1 : 0);
    const voices = speechSynthesis.getVoices().filter(v => rank(v) < 9).sort((a, b) => rank(a) - rank(b));
    return voices[0] || null;
  }
  function soundMode() {
    voice = findVoice();
    const box = $("sound-mode");
    box.textContent = !unlocked ? t("board_mode_off") : voice ? t("board_mode_voice") : t("board_mode_chime");
    box.dataset.mode = !unlocked ? "off" : voice ? "voice" : "chime";
  }
  function unlock() {
    if (unlocked) return;
    unlocked = true;
    try { audio = new (window.AudioContext || window.webkitAudioContext)(); audio.resume(); } catch (e) { audio = null; }
    if ("speechSynthesis" in window) {
      // a silent utterance inside the click lets later ones speak (Chromium's autoplay rule)
      const u = new SpeechSynthesisUtterance(" "); u.volume = 0; speechSynthesis.speak(u);
      speechSynthesis.addEventListener("voiceschanged", soundMode);
    }
    $("start").hidden = true; $("board").hidden = false;
    const root = document.documentElement;
    if (root.requestFullscreen) root.requestFullscreen().catch(() => {});
    soundMode(); layoutWaiting();
  }
  function chime() {
    if (!audio) return;
    [660, 880].forEach((f, i) => {
      const o = audio.createOscillator(), g = audio.createGain(), at = audio.currentTime + i * .35;
      o.frequency.value = f; o.connect(g); g.connect(audio.destination);
      g.gain.setValueAtTime(.25, at); g.gain.exponentialRampToValueAtTime(.001, at + .3);
      o.start(at); o.stop(at + .32);
    });
  }
  // "A-003" is said "A 0 0 3" (a nol nol tiga), as the number printed on the ticket reads,
  // never "A dash three"; the counter by its name ("Loket 1"), never its code
  const spoken = number => String(number).replace(/-/g, "").split("").join(" ");
  function speak(ev) {
    if (!voice) return;
    const u = new SpeechSynthesisUtterance(t("board_speech", {number: spoken(ev.number), counter: ev.counter_name}));
    u.lang = "id-ID"; u.voice = voice; u.rate = .9;
    setTimeout(() => speechSynthesis.speak(u), 800);
  }

  // -- a call: the big number, the chime, the voice -----------------------------------------
  function announce(ev, fromSnapshot = false, recall = false) {
    // the call a snapshot already brought (its event came late): shown, not announced twice
    if (!recall && banner && banner.fromSnapshot && banner.number === ev.number && banner.counter_id === ev.counter_id
        && Date.now() - banner.at < SETTLE_MS) { banner.service_id = ev.service_id; showBanner(); return; }
    banner = {number: ev.number, counter_id: ev.counter_id, counter_name: ev.counter_name, service_id: ev.service_id, at: Date.now(), fromSnapshot};
    announcements += 1;
    $("announce").dataset.count = String(announcements);
    showBanner();
    if (snapshot) render(snapshot);
    const box = $("announce"); box.classList.remove("flash"); void box.offsetWidth; box.classList.add("flash");
    if (unlocked) { chime(); speak(ev); }
  }
  function showBanner() {
    $("call-number").textContent = banner ? banner.number : t("board_idle");
    $("call-number").classList.toggle("idle", !banner);
    $("call-counter").textContent = banner ? t("board_to_counter", {counter: banner.counter_name}) : "";
    $("call-service").textContent = banner && services[banner.service_id] ? MPP.name(services[banner.service_id]) : "";
  }

  // -- the snapshot ---------------------------------------------------------------------------
  const naturally = (a, b) => a.name.localeCompare(b.name, "id", {numeric: true});
  // A call the board did not hear of (its event lost while the stream reconnected) still
  // reaches the hall: a snapshot whose newest call is one the board has not shown announces
  // it. The first snapshot only sets what is known.
  let knownCall;
  function newestCall(b) {
    const c = b.last_called[0];
    const key = c ? [c.number, c.counter_id, c.at].join("|") : null;
    if (knownCall === undefined) { knownCall = key; return; }
    if (!key || key === knownCall) return;
    knownCall = key;
    if (!banner || banner.number !== c.number || banner.counter_id !== c.counter_id) {
      announce({number: c.number, counter_id: c.counter_id, counter_name: c.counter_name}, true);
    }
  }
  function render(b) {
    snapshot = b;
    newestCall(b);
    // A snapshot taken just before the call being announced does not list it yet: the call
    // (which is newer) is shown on its counter and in the last calls all the same.
    const stale = banner && !b.last_called.some(c => c.number === banner.number && c.counter_id === banner.counter_id);
    if (stale) {
      b = Object.assign({}, b, {
        counters: b.counters.map(c => (c.id === banner.counter_id ? Object.assign({}, c, {now_serving: banner.number}) : c)),
        last_called: [{number: banner.number, counter_id: banner.counter_id, counter_name: banner.counter_name}].concat(b.last_called)});
    }
    const shown = b.counters.filter(c => c.status === "open" || c.now_serving).sort(naturally);
    $("counters").replaceChildren(...(shown.length ? shown.map(c => el("li", {class: "counter-card" + (c.now_serving ? " busy" : ""), "data-counter": c.id},
      el("span", {class: "c-name"}, c.name), el("span", {class: "c-now"}, c.now_serving || "–"))) : [el("li", {class: "muted"}, t("board_no_counter"))]));
    // a called ticket that its counter no longer serves (completed, skipped, transferred)
    // leaves the big banner; it stays in the last calls. A snapshot taken before the call
    // (it does not list the call yet) says nothing about it.
    // A snapshot read while the call was being written may list the call but not yet the
    // counter's new ticket: an empty counter clears the banner only a few seconds on.
    if (banner && !stale) {
      const c = b.counters.find(x => x.id === banner.counter_id);
      const now = c ? c.now_serving : null;
      if (now !== banner.number && (now || Date.now() - banner.at > SETTLE_MS)) { banner = null; showBanner(); }
    }
    const seen = new Set();
    const last = b.last_called.filter(c => !seen.has(c.number) && seen.add(c.number)).slice(0, 5);
    $("last").replaceChildren(...last.map(c => el("li", {}, el("span", {class: "l-num"}, c.number), el("span", {class: "l-to"}, "→ " + c.counter_name))));
    layoutWaiting();
  }
  // Every service by name with its count; pages of what fits, rotating.
  function layoutWaiting() {
    if (!snapshot || $("board").hidden) return;
    const rows = Object.entries(snapshot.waiting).map(([id, n]) => ({name: services[id] ? MPP.name(services[id]) : "", n}))
      .filter(r => r.name).sort((a, b) => a.name.localeCompare(b.name, "id"));
    const table = $("waiting"), box = $("waiting-box");
    table.replaceChildren(...rows.map(r => row(r)));
    const fits = [];
    let page = [], used = 0;
    const limit = box.clientHeight;
    Array.from(table.rows).forEach((tr, i) => {
      const h = tr.getBoundingClientRect().height;
      if (page.length && used + h > limit) { fits.push(page); page = []; used = 0; }
      page.push(rows[i]); used += h;
    });
    if (page.length) fits.push(page);
    pages = fits; pageAt = Math.min(pageAt, Math.max(0, pages.length - 1));
    showPage();
  }
  function row(r) { return el("tr", {}, el("td", {class: "w-name"}, r.name), el("td", {class: "w-n"}, fmt.number(r.n))); }
  function showPage() {
    $("waiting").replaceChildren(...(pages[pageAt] || []).map(row));
    $("waiting-page").textContent = pages.length > 1 ? "(" + t("board_page", {n: pageAt + 1, total: pages.length}) + ")" : "";
  }
  setInterval(() => { if (pages.length > 1) { pageAt = (pageAt + 1) % pages.length; showPage(); } }, PAGE_MS);

  // -- live, reconnecting by itself -------------------------------------------------------------
  const load = () => api("GET", "/api/v1/board" + q).then(render);
  function connect() {
    if (source) source.close();
    source = new EventSource("/api/v1/stream/board" + q);
    source.addEventListener("open", () => { retry = 1000; $("link-state").textContent = ""; document.body.classList.remove("offline"); load().catch(() => {}); });
    source.addEventListener("board", e => render(JSON.parse(e.data).board));
    source.addEventListener("ticket_called", e => { announce(JSON.parse(e.data)); load().catch(() => {}); });
    source.addEventListener("ticket_recalled", e => announce(JSON.parse(e.data), false, true));
    source.addEventListener("error", () => {
      $("link-state").textContent = t("board_offline"); document.body.classList.add("offline");
      // the browser retries a dropped stream itself; one it gave up on (an error answer
      // while the gateway restarts) is opened again here, waiting longer each time
      if (source.readyState === EventSource.CLOSED) { setTimeout(connect, retry); retry = Math.min(retry * 2, 30000); }
    });
  }

  function tick() { $("clock").textContent = fmt.date(new Date()) + " · " + fmt.time(new Date()); }
  $("unlock").addEventListener("click", unlock);
  document.addEventListener("keydown", unlock);
  // the box's height moves with the last calls above it and the top line: pages follow it
  new ResizeObserver(() => layoutWaiting()).observe($("waiting-box"));
  soundMode(); showBanner();
  MPP.loadSite().then(d => {
    d.agencies.forEach(a => a.services.forEach(s => { services[s.id] = s; }));
    tick(); setInterval(tick, 15000);
    connect();
  }).catch(() => setTimeout(() => location.reload(), 10000));
  $("unlock").focus();
})();
