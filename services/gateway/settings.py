"""Gateway settings: the nameko config first (``config/nameko.yaml``), then the environment.

| key | default | meaning |
|---|---|---|
| ``GATEWAY_JWT_SECRET`` | random per process (warned) | HS256 key of staff tokens; set it, and the same on every gateway instance |
| ``GATEWAY_ACCESS_TOKEN_SECONDS`` | 900 | lifetime of an access token |
| ``GATEWAY_REFRESH_TOKEN_SECONDS`` | 43200 | lifetime of a refresh token (a working day) |
| ``GATEWAY_CORS_ORIGINS`` | empty (closed) | comma-separated origins allowed to call the API from a browser |
| ``GATEWAY_RATE_LIMIT_PER_MINUTE`` | 120 | public requests per client address per minute (per gateway instance) |
| ``GATEWAY_RATE_LIMIT_BURST`` | 40 | bucket size |
| ``GATEWAY_TRUSTED_PROXIES`` | empty | addresses whose ``X-Forwarded-For`` names the client |
| ``GATEWAY_STREAM_MAX`` | 2000 | open live-update (SSE) connections per gateway instance |
| ``GATEWAY_MAX_UPLOAD_BYTES`` | 8 MiB | JSON bodies that carry documents (base64) |
| ``GATEWAY_CONNECTOR_SECRETS`` | empty | ``agency=secret,agency2=secret2`` (or a mapping in YAML): HMAC keys of connector callbacks |
| ``CONNECTOR_SECRETS_KEY`` | empty | Fernet key unsealing the agencies' secrets set through the admin API (``services.common.secretbox``; the webhook connector needs it too) |
"""
import os


def setting(config, key, default=None):
    value = config.get(key) if config is not None else None
    if value in (None, ""):
        value = os.environ.get(key)
    return default if value in (None, "") else value


def int_setting(config, key, default):
    try:
        return int(setting(config, key, default))
    except (TypeError, ValueError):
        return default


def list_setting(config, key):
    value = setting(config, key, "")
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def mapping_setting(config, key):
    value = setting(config, key, "")
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    out = {}
    for part in str(value).split(","):
        if "=" in part:
            name, secret = part.split("=", 1)
            if name.strip() and secret.strip():
                out[name.strip()] = secret.strip()
    return out
