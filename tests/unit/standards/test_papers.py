"""The berita acara and the maklumat as a reader finds them: Bahasa Indonesia, the forum's
participants by group without names, every comment with its follow-up, the pledge and the
promised requirements, time and cost; the same standard gives the same bytes."""
import re
import zlib

from services.standards import papers

STANDARD = {
    "id": "pt-reklame-v1", "version": 1, "agency": "dpmptsp", "status": "adopted",
    "title": "Standar Pelayanan Izin Reklame", "effective_from": "2026-12-07",
    "updated_at": "2026-12-07T02:00:00Z", "opening_hours": None,
    "components": {
        "requirements": [{"kind": "ktp", "name": "KTP pemohon", "required": True},
                         {"kind": "npwp", "name": "NPWP", "required": False}],
        "time": {"working_days": 7}, "cost": {"fee": 150000, "legal_basis": "Perda 1/2024"},
        "product": "Surat Izin Reklame", "complaints": ["SP4N-LAPOR!", "Kotak pengaduan"]},
    "consultation": {"opens_on": "2026-12-01", "closes_on": "2026-12-05",
                     "invited_groups": ["users", "business", "press"],
                     "closed_at": "2026-12-05T09:00:00Z",
                     "forum": {"held_on": "2026-12-03", "place": "Aula MPP Kapuas",
                               "participants": {"users": 12, "business": 5},
                               "summary": "Peserta membahas biaya dan waktu."}},
    "history": [{"hash": "ab" * 32}],
}
COMMENTS = [
    {"id": "K-1", "text": "Biaya terlalu mahal untuk UMKM.", "group": "business",
     "named": True, "at": "2026-12-02T01:00:00Z",
     "answer": {"outcome": "partly", "reason": "Keringanan diatur Perda.",
                "at": "2026-12-04T01:00:00Z"}},
    {"id": "K-2", "text": "Mohon waktu dipercepat.", "group": None, "named": False,
     "at": "2026-12-02T02:00:00Z",
     "answer": {"outcome": "accepted", "reason": "Waktu menjadi 7 hari kerja.",
                "at": "2026-12-04T02:00:00Z"}},
]


A4_WIDTH = 595.28  # points


def text_of(pdf):
    """The words drawn on the A4 pages (fpdf2 writes each line as ``BT x y Td (text) Tj ET``
    in a deflated content stream); a line drawn beyond the page's right edge is not read."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream
        out += [text.decode("latin-1") for x, text in re.findall(
            rb"BT ([0-9.]+) [0-9.]+ Td (?:[0-9.]+ Tw )?\((.*?)(?<!\\)\) Tj", content)
            if float(x) < A4_WIDTH]
    return " ".join(" ".join(out).split()).replace("\\(", "(").replace("\\)", ")")


def test_the_berita_acara_records_the_forum_and_every_follow_up():
    pdf = papers.berita_acara(STANDARD, COMMENTS, "Dinas Penanaman Modal dan PTSP",
                              "MPP Kabupaten Kapuas")
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    for expected in ("BERITA ACARA", "FORUM KONSULTASI PUBLIK", "MPP Kabupaten Kapuas",
                     "Penyusunan Standar Pelayanan: Standar Pelayanan Izin Reklame (versi 1)",
                     "Kamis, 3 Desember 2026",
                     "Aula MPP Kapuas", "Pengguna layanan", "12 orang", "Dunia usaha",
                     "Media massa", "Jumlah", "17 orang", "Biaya terlalu mahal",
                     "Diterima sebagian", "Keringanan diatur Perda", "Diterima.",
                     "Wakil Masyarakat", "7 Desember 2026", "Peraturan"):
        assert expected in text, expected
    assert papers.berita_acara(STANDARD, COMMENTS, "Dinas Penanaman Modal dan PTSP",
                               "MPP Kabupaten Kapuas") == pdf


def test_the_maklumat_states_the_pledge_and_the_promise():
    text = text_of(papers.maklumat(STANDARD, "Dinas Penanaman Modal dan PTSP",
                                   "MPP Kabupaten Kapuas"))
    for expected in ("MPP Kabupaten Kapuas", "Standar Pelayanan Izin Reklame",
                     "MAKLUMAT PELAYANAN", "SANGGUP MENYELENGGARAKAN PELAYANAN",
                     "KTP pemohon", "NPWP (jika ada)", "7 hari kerja", "Rp150.000",
                     "Perda 1/2024", "Surat Izin Reklame", "SP4N-LAPOR!",
                     "Kepala Dinas Penanaman Modal dan PTSP", "7 Desember 2026"):
        assert expected in text, expected


def test_a_queue_services_maklumat_shows_its_hours_and_minutes_and_free():
    queue = dict(STANDARD, opening_hours={"mon": ["07:30", "15:00"],
                                          "fri": [["07:30", "11:00"], ["13:00", "15:00"]]},
                 components=dict(STANDARD["components"], time={"minutes": 15},
                                 cost={"fee": 0, "legal_basis": ""}))
    text = text_of(papers.maklumat(queue, "Disdukcapil", "MPP Kabupaten Kapuas"))
    for expected in ("15 menit", "Gratis (Rp0)", "Senin: 07.30-15.00",
                     "Jumat: 07.30-11.00, 13.00-15.00"):
        assert expected in text, expected
