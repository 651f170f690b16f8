"""E-mail over SMTP with the standard library's ``smtplib`` (apprise: see ``channels``).

One plain-text message per send: ``Subject`` and body from the template, ``Message-ID`` made
here and kept as ``provider_id``, ``X-MPP-Message`` carrying the message id (the dedup key; no
personal data). The conversation is MAIL / RCPT / DATA step by step so each reply code is
known:

- DATA accepted (250) -> ``delivered`` (the receiving server took responsibility; SMTP has no
  standard delivery receipt), raw ``{"smtp_code": 250, "smtp_reply": "..."}``.
- 4xx at any step -> ``temporary_failure`` (greylisting, mailbox busy, server overloaded).
- 5xx at RCPT or DATA -> ``permanent_failure`` (no such mailbox, message refused).
- 5xx at MAIL FROM, authentication refused, no connection, TLS failure, timeout ->
  ``technical_failure`` (our sender or our server's problem, not the citizen's address).

Config keys (``config["email"]``): ``host``, ``port`` (default 25; 465 for ``ssl``),
``security`` (``"none"``, ``"starttls"``, ``"ssl"``), ``username``/``password`` (optional),
``from`` (``"MPP Kapuas <noreply@mpp.example>"``), optional ``timeout``.
"""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from services.notifications.channels.base import SendResult, channel_config, channel_send

CHANNEL = "email"


def build_message(message, from_header):
    content = message["content"]
    domain = parseaddr(from_header)[1].rpartition("@")[2] or "mpp.local"
    mail = EmailMessage()
    mail["From"] = from_header
    mail["To"] = message["to"]
    mail["Subject"] = content["subject"]
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    mail["Message-ID"] = make_msgid(domain=domain)
    mail["Content-Language"] = message.get("language") or "id"
    mail["X-MPP-Message"] = message["id"]
    mail.set_content(content["text"], charset="utf-8", cte="quoted-printable")
    return mail


def _reply(reply):
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _failure(stage, code, reply):
    if 400 <= code < 500:
        status = "temporary_failure"
    elif stage == "mail" or code in (530, 534, 535, 538):
        status = "technical_failure"
    else:
        status = "permanent_failure"
    return SendResult(status, None, {"smtp_stage": stage, "smtp_code": code,
                                     "smtp_reply": _reply(reply)})


def _connect(cfg):
    security = (cfg.get("security") or "none").lower()
    host, timeout = cfg["host"], cfg["timeout"]
    if security == "ssl":
        return smtplib.SMTP_SSL(host, int(cfg.get("port") or 465), timeout=timeout,
                                context=ssl.create_default_context())
    smtp = smtplib.SMTP(host, int(cfg.get("port") or 25), timeout=timeout)
    try:
        smtp.ehlo()
        if security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp


@channel_send(CHANNEL)
def send(message, config):
    cfg = channel_config(config, CHANNEL)
    if not cfg.get("host") or not cfg.get("from"):
        return SendResult("technical_failure", None, {"error": "email not configured"})
    mail = build_message(message, cfg["from"])
    sender = parseaddr(cfg["from"])[1]
    try:
        with _connect(cfg) as smtp:
            if cfg.get("username"):
                smtp.login(cfg["username"], cfg.get("password") or "")
            code, reply = smtp.mail(sender)
            if code != 250:
                return _failure("mail", code, reply)
            code, reply = smtp.rcpt(message["to"])
            if code not in (250, 251):
                return _failure("rcpt", code, reply)
            code, reply = smtp.data(mail.as_bytes())
            if code != 250:
                return _failure("data", code, reply)
    except smtplib.SMTPAuthenticationError as exc:
        return SendResult("technical_failure", None, {"smtp_stage": "auth",
                                                      "smtp_code": exc.smtp_code})
    except smtplib.SMTPResponseException as exc:  # e.g. DATA refused before the body
        return _failure("data", exc.smtp_code, exc.smtp_error)
    except (smtplib.SMTPException, OSError) as exc:
        return SendResult("technical_failure", None, {"error": type(exc).__name__})
    return SendResult("delivered", mail["Message-ID"], {"smtp_code": code,
                                                        "smtp_reply": _reply(reply)})
