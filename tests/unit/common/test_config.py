from services.common import config as cfg


def test_defaults_come_from_the_yaml_file(monkeypatch):
    for key in ("AMQP_URI", "MONGO_URI", "GATEWAY_ADDRESS", "MONGO_DB_PREFIX", "MPP_TIMEZONE"):
        monkeypatch.delenv(key, raising=False)
    config = cfg.load()
    assert config["AMQP_URI"] == "pyamqp://guest:guest@127.0.0.1:5672/"
    assert config["WEB_SERVER_ADDRESS"] == "127.0.0.1:8000"
    assert cfg.timezone_name(config) == "Asia/Jakarta"
    assert cfg.database_name(config, "ticketing") == "mpp_ticketing"


def test_environment_overrides_the_file(monkeypatch):
    monkeypatch.setenv("GATEWAY_ADDRESS", "0.0.0.0:9000")
    monkeypatch.setenv("MONGO_DB_PREFIX", "kapuas")
    config = cfg.load()
    assert config["WEB_SERVER_ADDRESS"] == "0.0.0.0:9000"
    assert cfg.database_name(config, "permits") == "kapuas_permits"
