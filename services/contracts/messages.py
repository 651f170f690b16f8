"""The messages people read when a request is refused: one catalogue, Bahasa Indonesia first.

Every message is ``"Bahasa Indonesia / English"`` (the web client shows the half of the reader's
language). Field messages that marshmallow writes in English by default (``Missing data for
required field.``, ``Not a valid number.``, ``Longer than maximum length 300.`` …) become
bilingual here, in ``bilingual_fields``, which ``ValidationFailed.from_marshmallow`` applies to
every schema's errors; the English half stays marshmallow's text, word for word.
"""
import re

INVALID_DATA = "Data tidak valid / Invalid data"
SEPARATOR = " / "


def id_number(value):
    """A number as Indonesian writes it in a message: ``0,5``, not ``0.5``."""
    return str(value).replace(".", ",")


def _nums(match):
    return {k: id_number(v) for k, v in match.groupdict().items()}


_RANGE_OPS = {"greater than or equal to": "paling sedikit", "greater than": "lebih dari",
              "less than or equal to": "paling banyak", "less than": "kurang dari"}
_OP = "|".join(sorted(map(re.escape, _RANGE_OPS), key=len, reverse=True))

#: marshmallow's default English field messages -> the Indonesian half
FIELD_MESSAGES = [
    (r"Missing data for required field\.", lambda m: "Wajib diisi"),
    (r"Field may not be null\.", lambda m: "Wajib diisi"),
    (r"Invalid value\.", lambda m: "Isian tidak valid"),
    (r"Unknown field\.", lambda m: "Isian tidak dikenal"),
    (r"Invalid input type\.|Invalid type\.", lambda m: "Jenis data tidak sesuai"),
    (r"Not a valid string\.|Not a valid utf-8 string\.", lambda m: "Harus berupa teks"),
    (r"Not a valid number\.", lambda m: "Harus berupa angka"),
    (r"Not a valid integer\.", lambda m: "Harus berupa bilangan bulat"),
    (r"Number too large\.", lambda m: "Angka terlalu besar"),
    (r"Special numeric values \(nan or infinity\) are not permitted\.",
     lambda m: "Harus berupa angka biasa"),
    (r"Not a valid boolean\.", lambda m: "Harus ya atau tidak"),
    (r"Not a valid (?:date|datetime|aware datetime|naive datetime)\.|\".*\" cannot be "
     r"formatted as a (?:date|datetime)\.", lambda m: "Tanggal atau waktu tidak valid"),
    (r"Not a valid time\.", lambda m: "Waktu tidak valid"),
    (r"Not a valid email address\.", lambda m: "Alamat surel tidak valid"),
    (r"Not a valid URL\.", lambda m: "Alamat web (URL) tidak valid"),
    (r"Not a valid UUID\.", lambda m: "UUID tidak valid"),
    (r"Not a valid list\.|Not a valid tuple\.", lambda m: "Harus berupa daftar"),
    (r"Not a valid mapping type\.", lambda m: "Harus berupa objek"),
    (r"Shorter than minimum length (?P<min>\d+)\.",
     lambda m: "Paling sedikit {min} karakter".format(**_nums(m))),
    (r"Longer than maximum length (?P<max>\d+)\.",
     lambda m: "Paling banyak {max} karakter".format(**_nums(m))),
    (r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.",
     lambda m: "Panjang {min} sampai {max} karakter".format(**_nums(m))),
    (r"Length must be (?P<equal>\d+)\.", lambda m: "Harus {equal} karakter".format(**_nums(m))),
    (r"Must be (?P<op1>{op}) (?P<a>\S+) and (?P<op2>{op}) (?P<b>\S+)\.".format(op=_OP),
     lambda m: "Harus {} {} dan {} {}".format(_RANGE_OPS[m["op1"]], id_number(m["a"]),
                                              _RANGE_OPS[m["op2"]], id_number(m["b"]))),
    (r"Must be (?P<op>{op}) (?P<a>\S+)\.".format(op=_OP),
     lambda m: "Harus {} {}".format(_RANGE_OPS[m["op"]], id_number(m["a"]))),
    (r"Must be one of: (?P<choices>.*)\.",
     lambda m: "Pilih salah satu: {}".format(m["choices"])),
    (r"String does not match expected pattern\.", lambda m: "Format tidak sesuai"),
    (r"Must be equal to (?P<other>.*)\.", lambda m: "Harus sama dengan {}".format(m["other"])),
    (r"One or more of the choices you made was not in: (?P<choices>.*)\.",
     lambda m: "Ada pilihan di luar: {}".format(m["choices"])),
    (r"Invalid input\.", lambda m: "Isian tidak valid"),
]
_COMPILED = [(re.compile(r"\A(?:{})\Z".format(p), re.S), f) for p, f in FIELD_MESSAGES]


def bilingual(text):
    """``"Not a valid number."`` -> ``"Harus berupa angka / Not a valid number."``; a message
    that already has both halves (or one this catalogue does not know) is left as it is."""
    if not isinstance(text, str) or SEPARATOR in text:
        return text
    for pattern, indonesian in _COMPILED:
        match = pattern.match(text)
        if match:
            return indonesian(match) + SEPARATOR + text
    return text


def bilingual_fields(messages):
    """``bilingual`` applied to every message of marshmallow's (nested) field messages."""
    if isinstance(messages, dict):
        return {k: bilingual_fields(v) for k, v in messages.items()}
    if isinstance(messages, list):
        return [bilingual_fields(v) for v in messages]
    return bilingual(messages)
