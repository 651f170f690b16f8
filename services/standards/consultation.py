"""The Forum Konsultasi Publik of a standard (PermenPAN-RB 16/2017): public comments while the
consultation is open, the agency's answer to each, the forum meeting's record, closing.

Comments are public input, so they get the guards complaints get: bounded text (10 to 4000
characters, the complaint's bounds), an idempotency key a retried request is recognised by,
and on top a daily number per client address and standard (``STANDARDS_COMMENTS_PER_DAY``,
each place a unique insert, exact under concurrency; the gateway's per-address rate limit
comes first). The address is kept only as a keyed hash; a name only when the commenter gives
one, and the public never sees it.
"""
import hashlib
import hmac
import secrets

from marshmallow import ValidationError

from services.common import clock as clk
from services.common.errors import Conflict, NotFound, TooManyAttempts, ValidationFailed
from services.common.schemas import load
from services.contracts import standards as sc
from services.contracts.fields import key
from services.contracts.messages import INVALID_DATA
from services.standards import rules, store
from services.standards.ledger import NOT_FOUND

COMMENT_NOT_FOUND = "Masukan tidak ditemukan / Comment not found"
TOO_MANY = ("Batas masukan hari ini untuk standar ini tercapai; coba lagi besok / Today's "
            "limit of comments on this standard is reached; try again tomorrow")
_IDEMPOTENCY = key(128)


def client_parts(client):
    """``client``: the caller's address (``str``) or ``{"address", "idempotency_key"}``."""
    if isinstance(client, dict):
        address, idem = client.get("address"), client.get("idempotency_key")
    else:
        address, idem = client, None
    if idem is not None:
        try:
            _IDEMPOTENCY(idem)
        except ValidationError:  # the key is not one of ours
            raise ValidationFailed(INVALID_DATA, {"fields": {"idempotency_key": [
                "Kunci tidak valid / Invalid key."]}}) from None
    return str(address or "unknown"), idem


class Consultation:
    def __init__(self, ledger):
        self.ledger = ledger
        self.db = ledger.db

    def _client_hash(self, address):
        secret = store.setting_once(self.db, "client_key", secrets.token_hex(32))
        return hmac.new(secret.encode(), address.encode("utf-8"),
                        hashlib.sha256).hexdigest()[:24]

    # -- the public ---------------------------------------------------------------------------

    def add_comment(self, standard_id, data, client):
        body = load(sc.CommentSchema, data or {})
        address, idem = client_parts(client)
        doc = self.ledger.raw(standard_id)
        today = self.ledger.today()
        if doc["status"] == sc.DRAFT:
            raise NotFound(NOT_FOUND, {"id": standard_id})
        rules.check_can_comment(doc, today)
        hashed = self._client_hash(address)
        comment_id = ("K-" + hashlib.sha256("{}:{}:{}".format(standard_id, hashed, idem).encode(
            )).hexdigest()[:16].upper()) if idem else "K-" + secrets.token_hex(8).upper()
        existing = store.get_comment(self.db, standard_id, comment_id)
        if existing is not None:
            return rules.public_comment(existing, None)
        if store.claim_comment_slot(self.db, standard_id, hashed, today.isoformat(),
                                    self.ledger.settings.comments_per_day) is None:
            raise TooManyAttempts(TOO_MANY, {"retry_after": 3600, "locked": False})
        comment = {"standard_id": standard_id, "comment_id": comment_id,
                   "text": body["text"].strip(), "name": body["name"] or None,
                   "group": body["group"], "at": clk.iso(self.ledger.now()), "client": hashed}
        comment, _ = store.insert_comment(self.db, comment)
        return rules.public_comment(comment, None)

    def comments(self, standard_id, public=True):
        doc = self.ledger.raw(standard_id)
        if public and doc["status"] == sc.DRAFT:
            raise NotFound(NOT_FOUND, {"id": standard_id})
        answers = store.answers(self.db, standard_id)
        return [rules.public_comment(c, answers.get(c["comment_id"]), with_name=not public)
                for c in store.comments(self.db, standard_id)]

    def unanswered(self, doc):
        answers = store.answers(self.db, doc["_id"])
        return sum(1 for c in store.comments(self.db, doc["_id"])
                   if c["comment_id"] not in answers)

    # -- the agency ---------------------------------------------------------------------------

    def answer(self, actor, standard_id, comment_id, data):
        load(sc.StandardIdSchema, {"standard_id": standard_id, "comment_id": comment_id})
        body = load(sc.AnswerSchema, data or {})
        doc = self.ledger.raw(standard_id)
        rules.check_manager(actor, doc)
        rules.check_step(doc["status"], "comment_answered")
        comment = store.get_comment(self.db, standard_id, comment_id)
        if comment is None:
            raise NotFound(COMMENT_NOT_FOUND, {"comment_id": comment_id})
        by, _ = rules.who(actor)
        answer = {"standard_id": standard_id, "comment_id": comment_id,
                  "outcome": body["outcome"], "reason": body["reason"], "by": by,
                  "at": clk.iso(self.ledger.now())}
        if not store.insert_answer(self.db, answer):
            raise Conflict("Masukan ini sudah dijawab / This comment is answered already",
                           {"comment_id": comment_id})
        self.ledger.step(doc, actor, "comment_answered", {"note": {
            "comment_id": comment_id, "outcome": body["outcome"], "reason": body["reason"]}},
            retry=True)
        return rules.public_comment(comment, answer, with_name=True)

    def record_forum(self, actor, standard_id, data):
        body = load(sc.ForumSchema, data or {})
        doc = self.ledger.raw(standard_id)
        rules.check_manager(actor, doc)
        forum = dict(body, held_on=body["held_on"].isoformat())
        doc = self.ledger.step(doc, actor, "forum_recorded", {"consultation": {"forum": forum}},
                               retry=True)
        return self.ledger.view(doc)

    def close(self, actor, standard_id):
        doc = self.ledger.raw(standard_id)
        rules.check_manager(actor, doc)
        rules.check_step(doc["status"], "consultation_closed")
        if (doc.get("consultation") or {}).get("closed_at"):
            raise Conflict("Konsultasi sudah ditutup / The consultation is closed already",
                           {"id": standard_id})
        doc = self.ledger.step(doc, actor, "consultation_closed", {"consultation": {
            "closed_at": clk.iso(self.ledger.now())}})
        return self.ledger.view(doc)
