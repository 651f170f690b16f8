"""The two papers a standard produces, as PDF bytes (fpdf2, as permits' permit PDF), in Bahasa
Indonesia. Pure: the standard and its consultation in, bytes out; the same input gives the
same bytes (the creation date is the standard's own last change).

- *Berita acara* of the Forum Konsultasi Publik (PermenPAN-RB 16/2017): when and where the
  forum met, the consultation period, participants counted per invited group (no names),
  the summary, every comment with its follow-up (accepted, partly, rejected and why), the
  conclusion, signature places for the agency and the public's representative.
- *Maklumat Pelayanan* (PermenPAN-RB 15/2014): the pledge in its usual words, the promised
  requirements, time, cost, product and complaint channels, the effective date, the agency
  head's signature place.

Each ends with the standard's id, version and the hash of its newest history entry, so a
printed paper can be matched to the hash-chained record.
"""
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal
from fpdf import FPDF

from services.common import clock as clk
from services.common.pdftext import latin
from services.contracts import standards as sc

PLEDGE = ("DENGAN INI, KAMI MENYATAKAN SANGGUP MENYELENGGARAKAN PELAYANAN SESUAI STANDAR "
          "PELAYANAN YANG TELAH DITETAPKAN DAN APABILA TIDAK MENEPATI JANJI INI, KAMI SIAP "
          "MENERIMA SANKSI SESUAI DENGAN KETENTUAN PERATURAN PERUNDANG-UNDANGAN YANG BERLAKU.")


def long_date(value):
    """``2026-12-07`` -> ``Senin, 7 Desember 2026``."""
    day = value if isinstance(value, date) else date.fromisoformat(value)
    return format_date(day, format="EEEE, d MMMM y", locale="id")


def short_date(value):
    day = value if isinstance(value, date) else date.fromisoformat(value)
    return format_date(day, format="d MMMM y", locale="id")


def rupiah(amount):
    if not amount:
        return "Gratis (Rp0)"
    return "Rp" + format_decimal(amount, locale="id")


def promised_time(time):
    time = time or {}
    if "working_days" in time:
        return "{} hari kerja".format(time["working_days"])
    if "minutes" in time:
        return "{} menit".format(time["minutes"])
    return "-"


class _Paper(FPDF):
    def __init__(self, title, at):
        super().__init__(format="A4")
        self.set_creation_date(clk.parse(at))
        self.set_title(latin(title))
        self.set_producer("MPP Suite")
        self.set_creator("MPP Suite")
        self.set_auto_page_break(True, margin=18)
        self.add_page()
        self.width = self.w - self.l_margin - self.r_margin

    def heading(self, text, size=14):
        self.set_font("Helvetica", "B", size)
        self.multi_cell(self.width, 7, latin(text), align="C", new_x="LMARGIN", new_y="NEXT")

    def para(self, text, style="", size=10.5, align="J"):
        self.set_font("Helvetica", style, size)
        self.multi_cell(self.width, 5.5, latin(text), align=align, new_x="LMARGIN",
                        new_y="NEXT")
        self.ln(1.5)

    def row(self, label, value, label_width=55):
        self.set_font("Helvetica", "B", 10)
        y = self.get_y()
        self.multi_cell(label_width, 5.5, latin(label), new_x="LMARGIN", new_y="NEXT")
        below = self.get_y()
        self.set_xy(self.l_margin + label_width, y)
        self.set_font("Helvetica", "", 10)
        self.multi_cell(self.width - label_width, 5.5, latin(value if value not in (None, "")
                                                             else "-"),
                        new_x="LMARGIN", new_y="NEXT")
        self.set_xy(self.l_margin, max(self.get_y(), below))

    def footer_note(self, standard):
        self.ln(4)
        self.set_font("Helvetica", "I", 8)
        self.multi_cell(self.width, 4, new_x="LMARGIN", new_y="NEXT", text=latin(
            "Standar {} versi {} - jejak riwayat {}".format(
                standard["id"], standard["version"],
                (standard.get("history") or [{}])[-1].get("hash", "-"))))


def _group(code):
    return sc.GROUP_LABELS.get(code, (code, code))[0]


def _signatures(pdf, left, right, place_date=None):
    pdf.ln(8)
    if place_date:
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(pdf.width, 5.5, latin(place_date), align="R", new_x="LMARGIN", new_y="NEXT")
    half = pdf.width / 2
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(half, 5.5, latin(left), align="C")
    pdf.cell(half, 5.5, latin(right), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(20)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(half, 5.5, "(.................................)" if left else "", align="C")
    pdf.cell(half, 5.5, "(.................................)", align="C", new_x="LMARGIN",
             new_y="NEXT")


def berita_acara(standard, comments, agency_name, mpp_name):
    """The minutes of the Forum Konsultasi Publik. ``comments`` as the public list gives
    them (with answers, without names)."""
    consultation = standard.get("consultation") or {}
    forum = consultation.get("forum") or {}
    pdf = _Paper("Berita Acara Forum Konsultasi Publik - " + standard["title"],
                 standard["updated_at"])
    pdf.heading(agency_name.upper(), 12)
    pdf.heading(mpp_name, 11)
    pdf.ln(3)
    pdf.heading("BERITA ACARA")
    pdf.heading("FORUM KONSULTASI PUBLIK", 12)
    pdf.para("Penyusunan Standar Pelayanan: {} (versi {})".format(
        standard["title"], standard["version"]), "B", 11, "C")
    pdf.ln(2)
    pdf.para(
        "Pada hari ini, {}, bertempat di {}, telah dilaksanakan Forum Konsultasi Publik "
        "rancangan standar pelayanan tersebut di atas sebagaimana diatur dalam Peraturan "
        "Menteri PANRB Nomor 16 Tahun 2017 tentang Pedoman Penyelenggaraan Forum Konsultasi "
        "Publik di Lingkungan Unit Penyelenggara Pelayanan Publik. Rancangan standar dibuka "
        "untuk masukan masyarakat sejak {} sampai dengan {}.".format(
            long_date(forum["held_on"]), forum.get("place") or "-",
            short_date(consultation["opens_on"]), short_date(consultation["closes_on"])))
    pdf.para("Peserta forum menurut unsur:", "B")
    participants = forum.get("participants") or {}
    for code in sc.GROUPS:
        if code in participants or code in consultation.get("invited_groups", []):
            pdf.row("  " + _group(code), "{} orang".format(participants.get(code, 0)), 80)
    pdf.row("  Jumlah", "{} orang".format(sum(participants.values())), 80)
    pdf.ln(3)
    pdf.para("Ringkasan pembahasan:", "B")
    pdf.para(forum.get("summary") or "-")
    pdf.para("Masukan masyarakat dan tindak lanjutnya:", "B")
    if not comments:
        pdf.para("Tidak ada masukan tertulis selama masa konsultasi.")
    for number, comment in enumerate(comments, start=1):
        answer = comment.get("answer")
        who = _group(comment["group"]) if comment.get("group") else "Masyarakat"
        pdf.para("{}. {} ({}): \"{}\"".format(number, who, short_date(comment["at"][:10]),
                                             comment["text"]))
        if answer:
            pdf.para("    Tindak lanjut: {}. {}".format(
                sc.OUTCOME_LABELS[answer["outcome"]][0], answer["reason"]), "I")
        else:
            pdf.para("    Tindak lanjut: belum dijawab.", "I")
    pdf.para("Kesimpulan:", "B")
    if standard["status"] in (sc.ADOPTED, sc.SUPERSEDED):
        pdf.para("Seluruh masukan telah ditindaklanjuti dan rancangan standar pelayanan "
                 "disepakati untuk ditetapkan, berlaku mulai {}.".format(
                     short_date(standard["effective_from"])))
    else:
        pdf.para("Masukan masyarakat ditindaklanjuti sebelum standar pelayanan ditetapkan.")
    _signatures(pdf, "Wakil Penyelenggara", "Wakil Masyarakat",
                "{}, {}".format(mpp_name, short_date(forum["held_on"])))
    pdf.footer_note(standard)
    return bytes(pdf.output())


def maklumat(standard, agency_name, mpp_name):
    """The service pledge of an adopted standard."""
    components = standard.get("components") or {}
    pdf = _Paper("Maklumat Pelayanan - " + standard["title"], standard["updated_at"])
    pdf.heading(agency_name.upper(), 12)
    pdf.heading(mpp_name, 11)
    pdf.ln(6)
    pdf.heading("MAKLUMAT PELAYANAN", 18)
    pdf.para(standard["title"], "B", 12, "C")
    pdf.ln(4)
    pdf.para(PLEDGE, "B", 11.5, "C")
    pdf.ln(4)
    requirements = components.get("requirements") or []
    pdf.row("Persyaratan", "\n".join("- {}{}".format(
        r["name"], "" if r.get("required", True) else " (jika ada)") for r in requirements))
    pdf.row("Jangka waktu", promised_time(components.get("time")))
    cost = components.get("cost") or {}
    pdf.row("Biaya/tarif", rupiah(cost.get("fee")) + (
        " - " + cost["legal_basis"] if cost.get("legal_basis") else ""))
    pdf.row("Produk pelayanan", components.get("product"))
    pdf.row("Pengaduan", "\n".join("- " + c for c in components.get("complaints") or []))
    if standard.get("opening_hours"):
        pdf.row("Jam pelayanan", opening_hours_text(standard["opening_hours"]))
    pdf.row("Berlaku mulai", short_date(standard["effective_from"])
            if standard.get("effective_from") else "-")
    _signatures(pdf, "", "Kepala " + agency_name,
                "{}, {}".format(mpp_name, short_date(standard["effective_from"])))
    pdf.footer_note(standard)
    return bytes(pdf.output())


DAY_NAMES = {"mon": "Senin", "tue": "Selasa", "wed": "Rabu", "thu": "Kamis", "fri": "Jumat",
             "sat": "Sabtu", "sun": "Minggu"}


def opening_hours_text(hours):
    lines = []
    for day, name in DAY_NAMES.items():
        spec = (hours or {}).get(day)
        if not spec:
            continue
        pairs = [spec] if isinstance(spec[0], str) else spec
        lines.append("{}: {}".format(name, ", ".join(
            "{}-{}".format(a, b).replace(":", ".") for a, b in pairs)))
    return "\n".join(lines) or "-"
