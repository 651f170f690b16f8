// The public statistics page's messages (services/gateway/web/statistics.html), Bahasa Indonesia first.
Object.assign(window.MPP_TEXT = window.MPP_TEXT || {}, /* JSON */ {
  "st_home": {"id": "Beranda", "en": "Home"},
  "st_avg": {"id": "rata-rata", "en": "average"},
  "st_p90": {"id": "9 dari 10 orang menunggu paling lama", "en": "9 in 10 people waited at most"},
  "st_p90_short": {"id": "persentil ke-90", "en": "90th percentile"},
  "st_no_data": {"id": "belum ada data", "en": "no data yet"},
  "st_visitors_today": {"id": "Pengunjung hari ini", "en": "Visitors today"},
  "st_visitors_month": {"id": "Pengunjung bulan ini", "en": "Visitors this month"},
  "st_grade": {"id": "Mutu", "en": "Grade"}
});
