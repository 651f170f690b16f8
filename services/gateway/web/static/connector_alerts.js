// The back office's banner: an agency connector that suspended itself, for the supervisors
// of its agency (and the admin), with a button that resumes it. It asks the API every 30
// seconds and right after signing in; nothing is shown to other roles.
(function () {
  const {t, api, el, session, when, busy, say, serverText, name} = MPP;
  let agencyNames = null;

  async function agencyName(code) {
    if (!agencyNames) {
      agencyNames = {};
      try { (await api("GET", "/api/v1/agencies")).agencies.forEach(a => { agencyNames[a.code] = a; }); } catch (e) { /* the code then */ }
    }
    return agencyNames[code] ? name(agencyNames[code]) : code;
  }
  const ROLES = ["supervisor", "admin"];

  function box() {
    let node = document.getElementById("connector-alerts");
    if (!node) {
      node = el("section", {id: "connector-alerts", role: "alert", class: "card alert", hidden: true});
      document.querySelector("main").prepend(node);
    }
    return node;
  }

  async function check() {
    const s = session();
    if (!s || !s.account || !ROLES.includes(s.account.role)) return;
    let connectors = [];
    try { connectors = (await api("GET", "/api/v1/admin/connectors")).connectors; } catch (e) { return; }
    const stopped = connectors.filter(c => c.state === "suspended");
    const parts = stopped.length ? [el("h2", {}, t("connector_suspended_title"))] : [];
    for (const c of stopped) {
      const agencies = await Promise.all((c.agency ? [c.agency] : c.agencies).map(agencyName));
      const button = el("button", {type: "button"}, t("connector_resume"));
      button.addEventListener("click", () => busy(button, async () => {
        try {
          await api("POST", "/api/v1/admin/connectors/" + encodeURIComponent(c.name) + "/resume");
          say(t("connector_resumed"));
          await check();
        } catch (e) { say(e.message, "error"); }
      }));
      parts.push(el("p", {}, t("connector_suspended_line", {
        agency: agencies.join(", "), since: when(c.suspended_at),
        reason: serverText(c.reason || "-")})), button);
    }
    const node = box();
    node.replaceChildren(...parts);
    node.hidden = parts.length === 0;
  }

  const signIn = MPP.login;
  MPP.login = async (...args) => { const s = await signIn(...args); check(); return s; };
  document.addEventListener("DOMContentLoaded", check);
  setInterval(check, 30000);
})();
