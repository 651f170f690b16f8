// The survey and complaint page's messages (services/gateway/web/survey.html), Bahasa Indonesia first.
Object.assign(window.MPP_TEXT = window.MPP_TEXT || {}, /* JSON */ {
  "sv_home": {"id": "Beranda", "en": "Home"},
  "sv_send": {"id": "Kirim penilaian", "en": "Send the rating"},
  "sv_complaint_send": {"id": "Kirim", "en": "Send"},
  "sv_agency_any": {"id": "Tidak tertentu / MPP", "en": "None in particular / the MPP"},
  "sv_rate_all": {"id": "Pilih satu nilai untuk setiap pertanyaan.", "en": "Choose one rating for every question."},
  "sv_fix": {"id": "Periksa lagi isian yang ditandai.", "en": "Please check the marked fields."},
  "sv_required": {"id": "Wajib diisi", "en": "Required"},
  "sv_too_short": {"id": "Paling sedikit 10 karakter", "en": "At least 10 characters"},
  "sv_due_note": {"id": "Tanggapan paling lambat {date}.", "en": "A response by {date} at the latest."}
});
