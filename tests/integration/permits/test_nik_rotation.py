"""``PERMITS_NIK_KEY`` rotates in place: every stored NIK names its key; with the old key in
``PERMITS_NIK_KEY_PREVIOUS`` permits still reads the NIKs sealed under it, and
``python -m scripts.rekey_nik`` reseals them under the new key (resuming where a walk stopped,
harmless to run again); after that the old key can go. A NIK no configured key opens is left
alone and makes the command fail, naming how many."""
import base64
import hashlib
import json
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from nameko.standalone.rpc import ClusterRpcProxy

from services.permits import keys
from services.permits.service import PermitsService
from tests.integration.permits.conftest import APPLICANT, CATALOGUE, filing
from tests.integration.test_operations_commands import run

OLD, NEW, LOST = "old-nik-key-0123456789", "new-nik-key-9876543210", "lost-nik-key-000000000"


def _legacy_seal(key, nik):
    """A NIK as stored before ciphertexts named their key (``enc1:``)."""
    nonce = os.urandom(12)
    sealed = AESGCM(hashlib.sha256(key.encode()).digest()).encrypt(nonce, nik.encode(), b"nik")
    return "enc1:" + base64.b64encode(nonce + sealed).decode()


def _start(runner_factory, config, **keys_):
    keys._cache.clear()   # a restarted process loads its keys afresh
    runner = runner_factory(dict(config, **keys_), PermitsService)
    runner.start()
    return runner


def _masked(rpc, app_id):
    return rpc.permits.get_application(app_id, "dpmptsp")["applicant"]["nik_masked"]


def _stored(pdb):
    return {d["_id"]: d["applicant"]["nik"] for d in pdb.applications.find({})}


def test_the_nik_key_rotates_in_place(runner_factory, config, pdb):
    runner = _start(runner_factory, config, PERMITS_NIK_KEY=OLD)
    with ClusterRpcProxy(config, timeout=30) as rpc:
        rpc.permits.load_catalogue(CATALOGUE)
        ids = [rpc.permits.file_application(filing("sip"))["application_id"] for _ in range(4)]
    # one filed before ciphertexts named their key, one under a key since lost
    pdb.applications.update_one({"_id": ids[0]}, {"$set": {
        "applicant.nik": _legacy_seal(OLD, APPLICANT["nik"])}})
    runner.stop()

    runner = _start(runner_factory, config, PERMITS_NIK_KEY=NEW, PERMITS_NIK_KEY_PREVIOUS=[OLD])
    with ClusterRpcProxy(config, timeout=30) as rpc:
        # the old key reads: staff still see the NIK masked, every one
        assert {_masked(rpc, i) for i in ids} == {"6203********0001"}
        # a walk stopped after its first batch resumes there
        first = rpc.permits.rekey_nik(1)
        assert first["resealed"] == 1 and not first["done"]
        new_id = first["key_id"]
        rpc.permits.file_application(filing("sip"))  # filed meanwhile: under the new key
    rekeyed = run("rekey_nik", "--batch", "2", config=config)
    assert rekeyed.returncode == 0, rekeyed.stderr
    total = json.loads(rekeyed.stdout.splitlines()[-1])
    assert total["resealed"] == 3 and total["unreadable"] == 0
    stored = _stored(pdb)
    assert all(v.startswith("enc2:{}:".format(new_id)) for v in stored.values())
    assert APPLICANT["nik"] not in repr(stored)
    # harmless to run again: nothing to reseal
    again = run("rekey_nik", config=config)
    assert again.returncode == 0 and json.loads(again.stdout.splitlines()[-1])["resealed"] == 0
    runner.stop()

    # the old key can go now
    runner = _start(runner_factory, config, PERMITS_NIK_KEY=NEW)
    with ClusterRpcProxy(config, timeout=30) as rpc:
        assert {_masked(rpc, i) for i in _stored(pdb)} == {"6203********0001"}
    # a NIK under a key nobody configured: left alone, counted, the command fails
    pdb.applications.update_one({"_id": ids[1]}, {"$set": {
        "applicant.nik": _legacy_seal(LOST, APPLICANT["nik"])}})
    lost = run("rekey_nik", config=config)
    assert lost.returncode == 1
    assert json.loads(lost.stdout.splitlines()[-1])["unreadable"] == 1
    assert _stored(pdb)[ids[1]].startswith("enc1:")
    runner.stop()


def test_an_agency_connector_gets_the_nik_itself(permits):
    """The agency's back office decides on the NIK: it gets it opened, not the ciphertext."""
    filed = permits.permits.file_application(filing("sip"))
    sent = permits.permits.get_application_for_connector(filed["application_id"], "manual")
    assert sent["applicant"]["nik"] == APPLICANT["nik"]
