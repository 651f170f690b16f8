"""The web client's one message catalogue (services/gateway/web/static/messages/): every
message in Bahasa Indonesia and English, every key defined once across the catalogue."""
import json
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[3] / "services" / "gateway" / "web" / "static" / "messages"


def _load(path):
    text = path.read_text(encoding="utf-8")
    body = text[text.index("/* JSON */") + len("/* JSON */"):text.rindex(");")]

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        duplicated = {k for k in keys if keys.count(k) > 1}
        assert not duplicated, "{}: defined twice: {}".format(path.name, sorted(duplicated))
        return dict(pairs)

    return json.loads(body, object_pairs_hook=no_duplicates)


def test_every_message_has_both_languages_and_one_home():
    files = sorted(CATALOGUE.glob("*.js"))
    assert any(f.name == "common.js" for f in files)
    home = {}
    for path in files:
        for key, message in _load(path).items():
            assert key not in home, "{!r} in both {} and {}".format(key, home.get(key), path.name)
            home[key] = path.name
            assert set(message) == {"id", "en"}, (path.name, key)
            assert message["id"].strip() and message["en"].strip(), (path.name, key)


def test_every_page_loads_the_shared_messages_before_its_script():
    web = CATALOGUE.parents[1]
    for page in web.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "/static/common.js" in html:
            assert html.index("/static/messages/common.js") < html.index("/static/common.js"), page.name
