// Messages of the connector alert banner (static/connector_alerts.js), Bahasa Indonesia first.
Object.assign(window.MPP_TEXT = window.MPP_TEXT || {}, /* JSON */ {
  "connector_suspended_title": {"id": "Sambungan ke sistem instansi berhenti", "en": "The link to an agency's system has stopped"},
  "connector_suspended_line": {"id": "Sambungan ke sistem {agency} berhenti sejak {since}. Sebab: {reason}. Permohonan yang diteruskan ke instansi menunggu dan tidak hilang.", "en": "The link to the system of {agency} stopped at {since}. Cause: {reason}. Applications forwarded to the agency are waiting, none are lost."},
  "connector_resume": {"id": "Jalankan lagi", "en": "Resume"},
  "connector_resumed": {"id": "Konektor berjalan lagi; permohonan yang menunggu sedang dikirim.", "en": "The connector is running again; waiting applications are being sent."}
});
