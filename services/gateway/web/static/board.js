"use strict";
(() => {
  const {t, api, el} = MPP;
  const agency = new URLSearchParams(location.search).get("agency") || "";
  const q = agency ? "?agency=" + encodeURIComponent(agency) : "";
  let audio;
  function render(b) {
    document.getElementById("counters").replaceChildren(el("tr", {}, el("th", {}, t("counter")), el("th", {}, t("now_serving"))),
      ...b.counters.filter(c => c.status === "open" || c.now_serving).map(c => el("tr", {"data-counter": c.id}, el("td", {}, c.name), el("td", {class: "now"}, c.now_serving || "–"))));
    document.getElementById("last").replaceChildren(...b.last_called.slice(0, 6).map(c => el("li", {}, c.number + " → " + c.counter_name)));
    document.getElementById("waiting").replaceChildren(...Object.entries(b.waiting).map(([s, n]) => el("tr", {}, el("td", {}, s), el("td", {}, String(n)))));
  }
  function chime() {
    try { audio = audio || new AudioContext(); [660, 880].forEach((f, i) => { const o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = f; o.connect(g); g.connect(audio.destination); g.gain.setValueAtTime(.2, audio.currentTime + i * .35);
      g.gain.exponentialRampToValueAtTime(.001, audio.currentTime + i * .35 + .3); o.start(audio.currentTime + i * .35); o.stop(audio.currentTime + i * .35 + .32); }); } catch (e) { /* no audio */ }
  }
  function announce(ev) {
    const loket = (ev.counter_name || "").replace(/^Loket\s*/i, "");
    const text = MPP.lang === "en" ? "Queue number " + ev.number + ", please go to counter " + loket
                                   : "Nomor antrean " + ev.number + ", silakan ke loket " + loket;
    const box = document.getElementById("announce"); box.textContent = ev.number + " → " + ev.counter_name;
    box.classList.remove("flash"); void box.offsetWidth; box.classList.add("flash");
    chime();
    if ("speechSynthesis" in window) { const u = new SpeechSynthesisUtterance(text); u.lang = MPP.lang === "en" ? "en-US" : "id-ID"; setTimeout(() => speechSynthesis.speak(u), 800); }
  }
  const load = () => api("GET", "/api/v1/board" + q).then(render).catch(() => {});
  const source = new EventSource("/api/v1/stream/board" + q);
  source.addEventListener("open", load);
  source.addEventListener("board", e => render(JSON.parse(e.data).board));
  source.addEventListener("ticket_called", e => announce(JSON.parse(e.data)));
  source.addEventListener("ticket_recalled", e => announce(JSON.parse(e.data)));
  document.body.addEventListener("click", chime, {once: true});
  load();
})();
