"""Survey invitations: one per ticket or application, answered once, by an unguessable token.

The token is ``HMAC-SHA256(secret, "survey:<reference>")`` (base64url, 43 chars): derived, so
a redelivered ``ticket_completed`` invites with the *same* link and the invitation insert is
idempotent; unguessable without the secret (``FEEDBACK_SECRET``, or one generated and kept in
the feedback database). Only its SHA-256 is stored, as the invitation's ``_id``: a read of
the database gives no usable link, and the lookup is by ``_id`` (FerretDB's fast path).
The answer's ``_id`` is the invitation's, so a unique insert lets one answer in and refuses
every later one, however many browsers submit at once.
"""
import base64
import hashlib
import hmac
import re

from services.common.errors import NotFound

TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
UNKNOWN = ("Tautan survei tidak dikenal atau tidak valid / Unknown or invalid survey link")
ANSWERED = "Survei ini sudah diisi, terima kasih / This survey was already answered, thank you"


def token_for(secret, reference):
    mac = hmac.new(secret.encode("utf-8"), "survey:{}".format(reference).encode("utf-8"),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def token_hash(token):
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def check_token(token):
    """The stored key of a well-formed token; ``NotFound`` for anything else (no DB read)."""
    if not isinstance(token, str) or not TOKEN.match(token):
        raise NotFound(UNKNOWN)
    return token_hash(token)


def survey_url(base, token):
    """The link in the invitation. The token travels in the fragment, which browsers never
    send to a server, so it is in no access log or ``Referer``."""
    return "{}#t={}".format(base, token)
