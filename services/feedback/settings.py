"""The feedback service's settings: its zone, the survey token key, the survey page and the
IKM elements (configured, or kept in the feedback database)."""
import secrets

from services.common import settings
from services.common.config import timezone_name
from services.feedback import ikm, store

_generated_secrets = {}  # database name -> the development secret stored there


def tz(config):
    return timezone_name(config)


def secret(db, config):
    """``FEEDBACK_SECRET`` or, in development, one generated once and kept in the DB
    (the first instance to insert it wins; every instance then reads the same)."""
    configured = settings.get(config, "FEEDBACK_SECRET")
    if configured:
        return str(configured)
    if settings.is_production(config):
        raise settings.SettingsError("FEEDBACK_SECRET is not set (required in production)")
    known = _generated_secrets.get(db.name)
    if known is None:  # once per process: it never changes once stored
        store.put(db, "settings", {"_id": "secret", "value": secrets.token_urlsafe(32)})
        known = _generated_secrets[db.name] = store.setting(db, "secret")
    return known


def survey_base(config):
    return settings.get(config, "FEEDBACK_SURVEY_URL")


def mpp_name(config):
    return settings.get(config, "MPP_NAME")


def elements(db):
    return ikm.elements_from(store.setting(db, "elements"))
