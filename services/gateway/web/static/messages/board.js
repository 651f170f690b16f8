// The display board's messages (board.html), Bahasa Indonesia first.
Object.assign(window.MPP_TEXT = window.MPP_TEXT || {}, /* JSON */ {
  "board_start_hint": {"id": "Layar ini memanggil nomor antrean dengan bunyi bel dan suara. Peramban baru boleh membunyikan suara setelah ada yang menekan tombol.", "en": "This screen calls queue numbers with a chime and a voice. The browser may play sound only after someone presses a button."},
  "board_unlock": {"id": "Aktifkan suara", "en": "Turn on sound"},
  "board_start_key": {"id": "Atau tekan tombol apa saja pada papan ketik.", "en": "Or press any key on the keyboard."},
  "board_calling": {"id": "Nomor dipanggil", "en": "Now calling"},
  "board_counters": {"id": "Sedang dilayani di loket", "en": "Being served at the counters"},
  "board_waiting": {"id": "Menunggu per layanan", "en": "Waiting per service"},
  "board_page": {"id": "halaman {n} dari {total}", "en": "page {n} of {total}"},
  "board_to_counter": {"id": "silakan ke {counter}", "en": "please go to {counter}"},
  "board_mode_voice": {"id": "Suara: bel dan pengumuman bahasa Indonesia", "en": "Sound: chime and Indonesian announcement"},
  "board_mode_chime": {"id": "Suara: bel saja (suara bahasa Indonesia tidak tersedia di perangkat ini)", "en": "Sound: chime only (no Indonesian voice on this device)"},
  "board_mode_off": {"id": "Suara belum aktif", "en": "Sound is not on"},
  "board_offline": {"id": "Koneksi terputus, menyambung ulang…", "en": "Connection lost, reconnecting…"},
  "board_speech": {"id": "Nomor antrean {number}, silakan ke {counter}", "en": "Queue number {number}, please go to {counter}"},
  "board_no_counter": {"id": "Belum ada loket yang buka.", "en": "No counter is open yet."},
  "board_idle": {"id": "Belum ada panggilan", "en": "No call yet"}
});
