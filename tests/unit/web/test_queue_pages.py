"""The kiosk, the display board and the counter console as files: the mall is named only by
the server (``[data-mpp-name]`` filled from ``GET /api/v1/agencies``), each page loads its
own messages after the shared ones, the TV shows no navigation, nothing runs inline."""
import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[3] / "services" / "gateway" / "web"
PAGES = ("kiosk", "board", "counter")


@pytest.mark.parametrize("page", PAGES)
def test_the_mall_is_named_by_the_server(page):
    texts = [WEB / "{}.html".format(page), WEB / "static" / "{}.js".format(page),
             WEB / "static" / "messages" / "{}.js".format(page)]
    for path in texts:
        assert "Kapuas" not in path.read_text(encoding="utf-8"), path.name
    assert "data-mpp-name" in texts[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_messages_load_in_order_and_nothing_runs_inline(page):
    html = (WEB / "{}.html".format(page)).read_text(encoding="utf-8")
    order = ["/static/messages/common.js", "/static/messages/{}.js".format(page),
             "/static/common.js", "/static/{}.js".format(page)]
    assert [html.index(src) for src in order] == sorted(html.index(src) for src in order)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script"
    assert not re.search(r"\sstyle=|<style|\son[a-z]+=", html), "inline style or handler"


def test_the_board_shows_no_navigation():
    html = (WEB / "board.html").read_text(encoding="utf-8")
    assert "<a " not in html and "<nav" not in html and 'id="lang"' not in html
