"""Message templates: one Jinja2 file per (language, event, channel), versioned.

Layout: ``templates/<lang>/<event>.<channel>.j2`` with ``lang`` in ``id`` (Bahasa Indonesia,
the fallback) and ``en``. Each file starts with a version header ``{# version: 3 #}``; the
version is recorded on every message (``template_version``) together with the template id
(``id/ticket_called.sms``), so support can always tell which wording a citizen received.

A template is a set of named blocks, rendered one by one (``Template.blocks``):

- ``whatsapp``: ``name`` (the provider-approved template name) and ``param_1`` … ``param_n``
  (the body parameters, in order); ``text`` is the full wording with the parameters in it
  (preview in the demo and the simulator; WhatsApp itself uses the approved text).
- ``sms``: ``text`` (keep it short: one 160-char GSM segment where possible).
- ``email``: ``subject`` and ``text`` (plain-text body).
- ``webhook``: ``payload``, which must render JSON (use ``|tojson``); it is parsed back.

Rendering uses ``StrictUndefined``: a variable missing from the context raises
``TemplateError`` instead of sending "Nomor antrean  , silakan ke loket ". Dates and times go
through the ``date``/``time``/``datetime`` filters (``iso`` for JSON payloads), which convert
to the MPP's zone (``Asia/Jakarta`` by default) and format with Babel for the message's locale (``id_ID``/``en``).
"""
import json
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal
from jinja2 import (Environment, FileSystemLoader, StrictUndefined, TemplateNotFound,
                    pass_context)
from jinja2 import TemplateError as JinjaTemplateError

from services.common import clock as clk

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LOCALES = {"id": "id_ID", "en": "en"}
CHANNELS = ("whatsapp", "sms", "email", "webhook")

#: event kind -> channels it has templates for. Citizen events go to a person; ``webhook``
#: templates go to the agency's system (the SLA warning only there).
EVENTS = {
    "ticket_issued": ("whatsapp", "sms", "email"),
    "ticket_near_front": ("whatsapp", "sms", "email"),
    "ticket_called": ("whatsapp", "sms", "email"),
    "booking_created": ("whatsapp", "sms", "email"),
    "booking_cancelled": ("whatsapp", "sms", "email"),
    "application_submitted": ("whatsapp", "sms", "email", "webhook"),
    "application_returned": ("whatsapp", "sms", "email"),
    "application_status_changed": ("whatsapp", "sms", "email"),
    "permit_issued": ("whatsapp", "sms", "email", "webhook"),
    "application_sla_warning": ("webhook",),
    # the new PIN a citizen asked for (after too many wrong ones)
    "application_pin_reissued": ("whatsapp", "sms", "email"),
    # from the feedback service: the satisfaction survey after a visit or a permit
    "survey_invited": ("whatsapp", "sms", "email"),
    # to an agency's supervisors (staff, not citizens): their connector suspended itself
    "connector_suspended": ("email",),
}

PERSON_CHANNELS = ("whatsapp", "sms", "email")
#: kinds a citizen hears of, and kinds an agency's system hears of (by webhook)
PERSON_EVENTS = frozenset(k for k, v in EVENTS.items() if set(v) & set(PERSON_CHANNELS))
AGENCY_EVENTS = frozenset(k for k, v in EVENTS.items() if "webhook" in v)

_BLOCKS = {
    "whatsapp": ("name", "text"),
    "sms": ("text",),
    "email": ("subject", "text"),
    "webhook": ("payload",),
}
_VERSION = re.compile(r"\A\{#-?\s*version:\s*([\w.\-]+)\s*-?#\}")


class TemplateError(Exception):
    """A template is missing, malformed, or the context lacks a variable it needs."""


def _moment(value, ctx):
    if isinstance(value, str):
        value = clk.parse(value)
    if isinstance(value, datetime):
        return clk.to_utc(value).astimezone(clk.zone(ctx["_zone"]))
    return value


def _plain(text):
    """Babel puts narrow/no-break spaces in times ("9:30\u202fAM"); SMS is GSM-7, which lacks
    them (one such character turns a 160-char SMS into a 70-char UCS-2 one)."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pass_context
def _f_datetime(ctx, value, fmt=None):
    """Default: medium date + short time ("4 Mar 2025 08.05", "Mar 4, 2025 8:05 AM")."""
    moment = _moment(value, ctx)
    if fmt is None:
        return _plain("{} {}".format(format_date(moment, "medium", locale=ctx["_locale"]),
                                     format_time(moment, "short", locale=ctx["_locale"])))
    return _plain(format_datetime(moment, fmt, locale=ctx["_locale"]))


@pass_context
def _f_date(ctx, value, fmt="long"):
    value = _moment(value, ctx)
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        value = date.fromisoformat(value)
    return _plain(format_date(value, fmt, locale=ctx["_locale"]))


@pass_context
def _f_time(ctx, value, fmt="short"):
    return _plain(format_time(_moment(value, ctx), fmt, locale=ctx["_locale"]))


@pass_context
def _f_number(ctx, value):
    return _plain(format_decimal(value, locale=ctx["_locale"]))


def _f_iso(value):
    """UTC ISO-8601 (``...Z``) for machine payloads; strings pass through unchanged."""
    if isinstance(value, datetime):
        return clk.iso(value)
    return value.isoformat() if isinstance(value, date) else value


def make_environment(loader):
    """A Jinja2 environment with our settings and filters over ``loader``."""
    env = Environment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=False,  # plain text and JSON only; never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(datetime=_f_datetime, date=_f_date, time=_f_time, number=_f_number,
                       iso=_f_iso)
    return env


@lru_cache(maxsize=1)
def environment():
    return make_environment(FileSystemLoader(str(TEMPLATE_DIR)))


def resolve_language(language):
    """The language actually used: the requested one if we have it, else Indonesian."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def template_path(language, event_kind, channel):
    return "{}/{}.{}.j2".format(language, event_kind, channel)


def _load(event_kind, channel, language):
    """``(template, language_used, source)``; falls back to Indonesian file by file."""
    return _loaded(environment(), event_kind, channel, language)


@lru_cache(maxsize=256)
def _loaded(env, event_kind, channel, language):
    """``_load`` once per environment, so once per process (the files ship with the code: a
    changed template needs a restart); reading and stat-ing the file for every message was
    ~3 % of the service's CPU."""
    if channel not in EVENTS.get(event_kind, ()):
        raise TemplateError("no {} template for event {}".format(channel, event_kind))
    for lang in dict.fromkeys((resolve_language(language), DEFAULT_LANGUAGE)):
        name = template_path(lang, event_kind, channel)
        try:
            source = env.loader.get_source(env, name)[0]
        except TemplateNotFound:
            continue
        return env.get_template(name), lang, source
    raise TemplateError("template {} not found".format(template_path(DEFAULT_LANGUAGE,
                                                                     event_kind, channel)))


def template_version(event_kind, channel, language=DEFAULT_LANGUAGE):
    """``(template_id, version)`` of the file that ``render`` would use."""
    _, lang, source = _load(event_kind, channel, language)
    return template_path(lang, event_kind, channel)[:-3], _version(source)


def _version(source):
    match = _VERSION.match(source)
    if not match:
        raise TemplateError("template has no '{# version: ... #}' header")
    return match.group(1)


def _block(template, name, context):
    try:
        render_block = template.blocks[name]
    except KeyError:
        raise TemplateError("template {} has no block {!r}".format(template.name, name))
    return "".join(render_block(template.new_context(context))).strip()


def render(event_kind, channel, language, context, zone_name=None):
    """Render one message. Returns::

        {"event": "ticket_called", "channel": "sms", "language": "id",   # language used
         "template": "id/ticket_called.sms", "template_version": "1",
         "content": {...}}

    ``content`` per channel: whatsapp ``{"name", "language", "parameters": [str], "text"}``,
    sms ``{"text"}``, email ``{"subject", "text"}``, webhook ``{"payload": {...}}``.
    Raises ``TemplateError`` for an unknown event/channel or a variable missing in ``context``.
    """
    template, lang, source = _load(event_kind, channel, language)
    ctx = dict(context)
    ctx.update(_locale=LOCALES[lang], _zone=zone_name or clk.DEFAULT_ZONE, _language=lang)
    try:
        blocks = {name: _block(template, name, ctx) for name in _BLOCKS[channel]}
        if channel == "whatsapp":
            params = sorted((n for n in template.blocks if n.startswith("param_")),
                            key=lambda n: int(n.split("_")[1]))
            blocks["parameters"] = [_block(template, n, ctx) for n in params]
            while blocks["parameters"] and not blocks["parameters"][-1]:
                blocks["parameters"].pop()   # an optional last parameter left out (the code)
    except JinjaTemplateError as exc:
        raise TemplateError("{}: {}".format(template.name, exc)) from exc

    if channel == "whatsapp":
        content = {"name": blocks["name"], "language": lang,
                   "parameters": blocks["parameters"], "text": blocks["text"]}
    elif channel == "webhook":
        try:
            content = {"payload": json.loads(blocks["payload"])}
        except ValueError as exc:
            raise TemplateError("{}: payload is not JSON".format(template.name)) from exc
    else:
        content = {name: blocks[name] for name in _BLOCKS[channel]}
    return {
        "event": event_kind,
        "channel": channel,
        "language": lang,
        "template": template_path(lang, event_kind, channel)[:-3],
        "template_version": _version(source),
        "content": content,
    }
