"""Compatibility names over the one settings schema (``services.common.settings``).

Settings are read with ``settings.get(config, NAME)``, typed and defaulted by the schema; these
helpers exist so code written against the earlier names keeps working. A name that is not in the
schema fails (add it there: ``tests/unit/common/test_settings_schema.py`` lists every read)."""
from services.common import settings


def setting(config, key, default=None):
    value = settings.get(config, key)
    return default if value in (None, "", [], {}) else value


def int_setting(config, key, default=None):
    return int(setting(config, key, default))


def list_setting(config, key):
    return list(settings.get(config, key))


def mapping_setting(config, key):
    return dict(settings.get(config, key))
