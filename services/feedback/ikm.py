"""The public satisfaction index (IKM, *Indeks Kepuasan Masyarakat*) exactly as PermenPAN-RB
14/2017 computes it. Pure functions, no I/O.

- Each respondent rates elements on 1–4 (1 tidak baik … 4 sangat baik); answers are keyed by
  element *code*, never by position, so adding an element never shifts the others.
- Per element, NRR (*nilai rata-rata*) = sum of its ratings / number of respondents who
  answered it (a skipped element does not count as 0), kept to four decimals.
- IKM = Σ NRRᵢ × wᵢ on the 1–4 scale, where the weights are exact fractions (1/9 each for the
  nine regulated elements; the regulation's printed 0.111 is a rounding of 1/9, and using it
  would make a perfect score 99.9 instead of 100). Kept to four decimals.
- Unit score (*nilai IKM unit pelayanan*) = IKM × 25, rounded (half up) to two decimals only
  at the end; grade A ≥ 88.31, B ≥ 76.61, C ≥ 65.00, else D.

Weights are ``fractions.Fraction`` so that "1/9" nine times sums to exactly 1; a configured
set of elements (the nine plus any an MPP adds) is accepted only when its weights sum to 1.
"""
from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from services.common.errors import ValidationFailed

FOUR = Decimal("0.0001")
TWO = Decimal("0.01")
SCALE = (1, 2, 3, 4)

Element = namedtuple("Element", "code name name_en weight")

#: The nine elements of PermenPAN-RB 14/2017 (U1…U9), in the regulation's order.
REGULATED = (
    ("persyaratan", "Persyaratan", "Requirements"),
    ("prosedur", "Sistem, mekanisme dan prosedur", "System, mechanism and procedure"),
    ("waktu", "Waktu penyelesaian", "Completion time"),
    ("biaya", "Biaya/tarif", "Cost/fee"),
    ("produk", "Produk spesifikasi jenis pelayanan", "Service product specification"),
    ("kompetensi", "Kompetensi pelaksana", "Staff competence"),
    ("perilaku", "Perilaku pelaksana", "Staff behaviour"),
    ("pengaduan", "Penanganan pengaduan, saran dan masukan",
     "Handling of complaints, suggestions and input"),
    ("sarana", "Sarana dan prasarana", "Facilities and infrastructure"),
)
DEFAULT_ELEMENTS = tuple(Element(code, name, en, Fraction(1, 9)) for code, name, en in REGULATED)

#: (lowest unit score, grade, performance in Indonesian, in English), best first.
GRADES = (
    (Decimal("88.31"), "A", "Sangat Baik", "Very good"),
    (Decimal("76.61"), "B", "Baik", "Good"),
    (Decimal("65.00"), "C", "Kurang Baik", "Fair"),
    (Decimal("0"), "D", "Tidak Baik", "Poor"),
)


def q4(value):
    return Decimal(value).quantize(FOUR, rounding=ROUND_HALF_UP)


def q2(value):
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def _fraction(value):
    try:
        weight = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise ValueError("not a number or fraction: {!r}".format(value))
    if weight <= 0:
        raise ValueError("a weight must be positive")
    return weight


def elements_from(config):
    """Validated elements from ``[{"code", "name", "name_en", "weight"}, …]`` (weight as
    ``"1/10"``, ``"0.1"`` or a number); ``None``/empty gives the nine regulated ones.
    ``ValidationFailed`` unless codes are unique and weights are positive and sum to 1."""
    if not config:
        return DEFAULT_ELEMENTS
    fields, out, seen = {}, [], set()
    for i, item in enumerate(config):
        code = str((item or {}).get("code") or "").strip()
        if not code or code in seen:
            fields["{}.code".format(i)] = ["Kode kosong atau ganda / Missing or repeated code"]
            continue
        seen.add(code)
        try:
            weight = _fraction(item.get("weight"))
        except ValueError:
            fields["{}.weight".format(i)] = [
                "Bobot harus bilangan positif / Weight must be a positive number"]
            continue
        out.append(Element(code, item.get("name") or code, item.get("name_en") or
                           item.get("name") or code, weight))
    if not fields and sum(e.weight for e in out) != 1:
        fields["weights"] = ["Jumlah bobot harus tepat 1 (sekarang {}) / Weights must sum to "
                             "exactly 1 (now {})".format(*[sum(e.weight for e in out)] * 2)]
    if fields:
        raise ValidationFailed("Unsur IKM tidak valid / Invalid IKM elements", {"fields": fields})
    return tuple(out)


def elements_to_config(elements):
    return [{"code": e.code, "name": e.name, "name_en": e.name_en, "weight": str(e.weight)}
            for e in elements]


def grade(score):
    """``(grade, label_id, label_en)`` of a unit score (0–100)."""
    score = Decimal(score)
    for lowest, letter, label, label_en in GRADES:
        if score >= lowest:
            return letter, label, label_en
    return GRADES[-1][1:]


def nrr(responses, elements=DEFAULT_ELEMENTS):
    """``{code: (NRR to four decimals or None, respondents who answered)}``."""
    out = {}
    for element in elements:
        values = [r[element.code] for r in responses if r.get(element.code) in SCALE]
        out[element.code] = (q4(Decimal(sum(values)) / len(values)) if values else None,
                             len(values))
    return out


def index(nrrs, elements=DEFAULT_ELEMENTS):
    """``(IKM 1–4 to four decimals, unit score to two)`` from ``{code: NRR}``, or
    ``(None, None)`` while an element has no answer at all (no index can be fair then)."""
    if any(nrrs.get(e.code) is None for e in elements):
        return None, None
    exact = sum(Fraction(nrrs[e.code]) * e.weight for e in elements)
    ikm = q4(Decimal(exact.numerator) / Decimal(exact.denominator))
    return ikm, q2(ikm * 25)


def summarise(responses, elements=DEFAULT_ELEMENTS):
    """The whole result for a set of responses (one service, agency, MPP or period), as
    JSON-friendly strings so no float ever rounds the figures again."""
    per = nrr(responses, elements)
    ikm, score = index({code: value for code, (value, _) in per.items()}, elements)
    letter, label, label_en = grade(score) if score is not None else (None, None, None)
    return {
        "respondents": len(responses),
        "elements": [{"code": e.code, "name": e.name, "name_en": e.name_en,
                      "weight": str(e.weight),
                      "nrr": None if per[e.code][0] is None else str(per[e.code][0]),
                      "score": None if per[e.code][0] is None else str(q2(per[e.code][0] * 25)),
                      "answered": per[e.code][1]} for e in elements],
        "ikm": None if ikm is None else str(ikm),
        "score": None if score is None else str(score),
        "grade": letter, "grade_label": label, "grade_label_en": label_en,
    }
