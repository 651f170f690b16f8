"""Checks on an uploaded document, and the key that lets an applicant reuse one.

``inspect_upload(filename, media_type, content)`` refuses (``ValidationFailed`` with field
messages, nothing else happens) a file that is empty, over the size limit (default 5 MiB), of a
media type other than PDF/JPEG/PNG, or whose first bytes (magic number) are not those of its
declared type; it answers ``{"filename", "media_type", "size", "sha256"}`` with the file name
made safe (no directories, no control or reserved characters, at most 120 characters, the
extension kept).

Reuse: ``applicant_key(nik, salt)`` is an HMAC-SHA256 of the NIK under a server salt (the NIK
itself never becomes a key), ``reuse_key(applicant_key, sha256)`` names "this file, on file for
this applicant". A store indexing documents by ``reuse_key`` can answer "already on file" without
keeping a second copy, and can never hand one applicant's file to another.
"""
import hashlib
import hmac
import posixpath
import re
import unicodedata

from services.common.errors import ValidationFailed
from services.contracts.permits import DEFAULT_MAX_DOCUMENT_BYTES

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = DEFAULT_MAX_DOCUMENT_BYTES
MAX_FILENAME = 120

#: media type -> (magic prefixes, default extension)
MEDIA_TYPES = {
    "application/pdf": ((b"%PDF-",), ".pdf"),
    "image/jpeg": ((b"\xff\xd8\xff",), ".jpg"),
    "image/png": ((b"\x89PNG\r\n\x1a\n",), ".png"),
}
ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "application/x-pdf":
           "application/pdf"}
_RESERVED = re.compile(r'[<>:"/\\|?*]')


def _refuse(field, message):
    raise ValidationFailed("Dokumen ditolak / Document refused", {"fields": {field: [message]}})


def normalise_media_type(declared):
    """``"Image/JPG; charset=x"`` -> ``"image/jpeg"``; ``None`` if not a string."""
    if not isinstance(declared, str):
        return None
    base = declared.split(";", 1)[0].strip().lower()
    return ALIASES.get(base, base)


def sniff(content):
    """The media type the content's first bytes show, or ``None``."""
    for media_type, (magics, _) in MEDIA_TYPES.items():
        if any(content.startswith(m) for m in magics):
            return media_type
    return None


def sanitise_filename(name, media_type=None):
    """A safe base name: no path, no control/reserved characters, NFC, ≤ 120 characters."""
    if not isinstance(name, str):
        name = ""
    name = unicodedata.normalize("NFC", name).replace("\\", "/")
    name = posixpath.basename(name)
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = _RESERVED.sub("_", name).strip().lstrip(".").strip()
    if name in ("", ".", ".."):
        name = ""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ("." + ext) if ext else ""
    if len(ext) > 10:
        stem, ext = name, ""
    if not stem:
        stem = "dokumen"
        if not ext and media_type in MEDIA_TYPES:
            ext = MEDIA_TYPES[media_type][1]
    return stem[:MAX_FILENAME - len(ext)] + ext


def inspect_upload(filename, media_type, content, max_bytes=DEFAULT_MAX_BYTES):
    """Check one upload: ``{"filename", "media_type", "size", "sha256"}`` or ValidationFailed."""
    if not isinstance(content, (bytes, bytearray, memoryview)):
        _refuse("content", "Isi berkas tidak valid / Not file content.")
    content = bytes(content)
    size = len(content)
    if size == 0:
        _refuse("content", "Berkas kosong / The file is empty.")
    if size > max_bytes:
        _refuse("content", "Berkas melebihi {lim} / The file is larger than {lim}.".format(
            lim=_human(max_bytes)))
    declared = normalise_media_type(media_type)
    if declared not in MEDIA_TYPES:
        _refuse("media_type", "Jenis berkas tidak diizinkan; gunakan PDF, JPEG atau PNG / "
                              "File type not allowed; use PDF, JPEG or PNG.")
    actual = sniff(content)
    if actual != declared:
        _refuse("content", "Isi berkas bukan {t} seperti yang dinyatakan / The content is "
                           "not the declared {t}.".format(t=declared))
    return {
        "filename": sanitise_filename(filename, declared),
        "media_type": declared,
        "size": size,
        "sha256": hashlib.sha256(content).hexdigest(),
    }


def _human(n):
    if n % MiB == 0:
        return "{} MiB".format(n // MiB)
    if n % 1024 == 0:
        return "{} KiB".format(n // 1024)
    return "{} bytes".format(n)


def applicant_key(nik, salt):
    """HMAC-SHA256 hex of the NIK under the server ``salt`` (bytes, ≥ 16)."""
    if not isinstance(salt, (bytes, bytearray)) or len(salt) < 16:
        raise ValueError("the salt must be at least 16 bytes")
    if not (isinstance(nik, str) and re.fullmatch(r"[0-9]{16}", nik)):
        raise ValueError("a NIK is 16 digits")
    return hmac.new(bytes(salt), nik.encode("ascii"), hashlib.sha256).hexdigest()


def reuse_key(applicant_key_hex, sha256_hex):
    """sha256 hex of ``applicant_key:sha256``: this file, on file for this applicant."""
    for value in (applicant_key_hex, sha256_hex):
        if not (isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value)):
            raise ValueError("expected 64 lowercase hex characters")
    return hashlib.sha256("{}:{}".format(applicant_key_hex, sha256_hex).encode()).hexdigest()


def missing_requirements(requirements, documents):
    """Kinds a permit type version requires that ``documents`` (each with ``kind``) lack."""
    given = {d.get("kind") for d in documents}
    return [r["kind"] for r in requirements if r.get("required", True) and r["kind"] not in given]


def check_requirements(requirements, documents):
    """``ValidationFailed`` naming each missing kind, and each kind the type does not know."""
    known = {r["kind"] for r in requirements}
    problems = {}
    for kind in missing_requirements(requirements, documents):
        problems[kind] = ["Dokumen wajib belum dilampirkan / Required document missing."]
    for d in documents:
        if d.get("kind") not in known:
            problems[str(d.get("kind"))] = ["Jenis dokumen tidak dikenal untuk izin ini / "
                                            "Document kind not used by this permit type."]
    if problems:
        raise ValidationFailed("Dokumen tidak lengkap / Documents incomplete",
                               {"fields": {"documents": problems}})
