import hashlib

import pytest

from services.common.errors import ValidationFailed
from services.permits import documents

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 50
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50
SALT = b"s" * 32
NIK = "6203015708900001"


@pytest.mark.parametrize("content,declared,expected", [
    (PDF, "application/pdf", "application/pdf"), (JPEG, "image/jpeg", "image/jpeg"),
    (PNG, "image/png", "image/png"), (JPEG, "Image/JPG", "image/jpeg"),
    (PDF, "application/pdf; charset=binary", "application/pdf")])
def test_accepted(content, declared, expected):
    result = documents.inspect_upload("ktp.pdf", declared, content)
    assert result == {"filename": "ktp.pdf", "media_type": expected, "size": len(content),
                      "sha256": hashlib.sha256(content).hexdigest()}


def _refused(field, *args, **kwargs):
    with pytest.raises(ValidationFailed) as err:
        documents.inspect_upload(*args, **kwargs)
    assert list(err.value.fields) == [field]
    message = err.value.fields[field][0]
    assert " / " in message
    return message


def test_size_limit_default_and_configurable():
    limit = documents.DEFAULT_MAX_BYTES
    assert limit == 5 * 1024 * 1024
    exact = PDF + b"0" * (limit - len(PDF))
    assert documents.inspect_upload("a.pdf", "application/pdf", exact)["size"] == limit
    assert "5 MiB" in _refused("content", "a.pdf", "application/pdf", exact + b"0")
    _refused("content", "a.pdf", "application/pdf", PDF, max_bytes=len(PDF) - 1)
    documents.inspect_upload("a.pdf", "application/pdf", PDF, max_bytes=len(PDF))


@pytest.mark.parametrize("declared", ["text/html", "application/zip", "image/gif",
                                      "image/svg+xml", "", None, {"$gt": ""}])
def test_forbidden_types(declared):
    _refused("media_type", "a.pdf", declared, PDF)


@pytest.mark.parametrize("content,declared", [
    (PNG, "application/pdf"), (PDF, "image/png"), (JPEG, "image/png"),
    (b"<html><script>", "application/pdf"), (b"MZ\x90\x00", "image/jpeg"),
    (b" %PDF-1.4", "application/pdf")])
def test_content_must_match_the_declared_type(content, declared):
    _refused("content", "x", declared, content)


def test_empty_and_non_bytes():
    _refused("content", "a.pdf", "application/pdf", b"")
    _refused("content", "a.pdf", "application/pdf", "%PDF-1.4 as text")


@pytest.mark.parametrize("raw,safe", [
    ("../../etc/passwd", "passwd"), ("..\\..\\boot.ini", "boot.ini"),
    ("/var/tmp/ktp.pdf", "ktp.pdf"), ("ktp\x00.pdf", "ktp.pdf"), ("a\nb\r\tc.png", "abc.png"),
    ("..", "dokumen.pdf"), ("", "dokumen.pdf"), (None, "dokumen.pdf"),
    (".hidden.pdf", "hidden.pdf"), ('a<b>c:d"e|f?g*.pdf', "a_b_c_d_e_f_g_.pdf"),
    ("Surat\u202eFDP.exe", "SuratFDP.exe"), ("Akta Kelahiran Ñ.pdf", "Akta Kelahiran Ñ.pdf")])
def test_filename_sanitised(raw, safe):
    assert documents.sanitise_filename(raw, "application/pdf") == safe


def test_long_filename_keeps_extension():
    name = documents.sanitise_filename("x" * 500 + ".pdf")
    assert len(name) == documents.MAX_FILENAME and name.endswith(".pdf")


def test_reuse_keys():
    key = documents.applicant_key(NIK, SALT)
    assert NIK not in key and len(key) == 64
    assert key == documents.applicant_key(NIK, SALT)
    assert key != documents.applicant_key("6203015708900002", SALT)
    assert key != documents.applicant_key(NIK, b"t" * 32)
    sha = hashlib.sha256(PDF).hexdigest()
    same = documents.reuse_key(key, sha)
    assert same == documents.reuse_key(documents.applicant_key(NIK, SALT), sha)
    assert same != documents.reuse_key(documents.applicant_key("6203015708900002", SALT), sha)
    assert same != documents.reuse_key(key, hashlib.sha256(PNG).hexdigest())
    with pytest.raises(ValueError):
        documents.applicant_key("123", SALT)
    with pytest.raises(ValueError):
        documents.applicant_key(NIK, b"short")
    with pytest.raises(ValueError):
        documents.reuse_key(key, "nothex")


REQS = [{"kind": "ktp", "name": "KTP"}, {"kind": "str", "name": "STR"},
        {"kind": "foto", "name": "Foto", "required": False}]


def test_requirements():
    assert documents.missing_requirements(REQS, [{"kind": "ktp"}]) == ["str"]
    documents.check_requirements(REQS, [{"kind": "ktp"}, {"kind": "str"}])
    with pytest.raises(ValidationFailed) as err:
        documents.check_requirements(REQS, [{"kind": "ktp"}, {"kind": "npwp"}])
    assert set(err.value.fields["documents"]) == {"str", "npwp"}
