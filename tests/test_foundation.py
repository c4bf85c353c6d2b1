"""The one context's parts: settings from the environment, pilot labels, the formatter, Markdown."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from crosspilot.config import Config
from crosspilot.formatting import Formatter
from crosspilot.markdown import to_html
from crosspilot.pilots import PilotLabels
from layouts.markdown import markdown
from tests.helpers import text_of


def test_config_reads_every_setting_from_the_environment_once():
    env = {
        "CROSSPILOT_DATA": "/data/x",
        "CROSSPILOT_CACHE": "off",
        "DATABASE_URL": "postgres://u:p@h/db",
        "SECRET_KEY": "s3",
        "CROSSPILOT_ADMIN_PASSWORD": "adm",
        "CROSSPILOT_LANGUAGE": "fi",
    }
    config = Config.from_env(env, port=9000)
    assert config.data_dir == Path("/data/x") and config.cache_dir is None and config.port == 9000
    assert config.database() == "postgresql+psycopg://u:p@h/db"
    assert (config.secret(), config.admin_password, config.language) == ("s3", "adm", "fi")
    assert "s3" not in repr(config) and "adm" not in repr(config)


def test_without_settings_the_database_and_key_live_in_the_instance_folder(tmp_path):
    config = Config(instance_dir=tmp_path)
    assert config.database() == f"sqlite:///{tmp_path / 'crosspilot.db'}"
    key = config.secret()
    assert len(key) == 64 and Config(instance_dir=tmp_path).secret() == key


def test_one_label_per_pilot_unique_even_when_two_share_a_place():
    rows = [
        ("hull", "My Direction", "GB", "Hull (and the East Riding)"),
        ("hull2", "Second", "GB", "Hull"),
        ("hu", "Household economy", "HU", "10 disadvantaged rural settlements, unconfirmed"),
    ]
    pilots = pd.DataFrame(rows, columns=["pilot_id", "name", "country", "place"])
    labels = PilotLabels.of(pilots)
    assert labels.short == {"hull": "Hull (hull)", "hull2": "Hull (hull2)", "hu": "Hungary"}
    assert labels.long["hu"] == "Hungary: Household economy"
    assert labels("nowhere") == "nowhere"


def test_numbers_read_the_same_on_every_page_and_follow_the_locale():
    en = Formatter("en")
    assert [en.number(v) for v in (1234, 12.34567, 1234.56, None, float("nan"))] == [
        "1,234",
        "12.35",
        "1,234.6",
        "",
        "",
    ]
    assert (en.percent(0.09), en.value(9, "%"), en.value(1500, "people")) == ("9%", "9%", "1,500\u00a0people")
    assert en.date("2026-12-02T10:00:00+00:00") == "2 December 2026"
    assert Formatter("fi").number(1500.5) == "1\u00a0500,5"
    assert Formatter("es").number(1500.5) == "1.500,5"


def test_markdown_lists_render_as_lists_on_pages_and_in_exports_and_no_markup_gets_in():
    text = "- one\n- two\n\n[ok](https://example.org) [bad](javascript:alert(1)) <script>x</script>"
    html_out = to_html(text)
    assert "<ul>\n<li>one</li>" in html_out and '<a href="https://example.org">' in html_out
    assert "<script>" not in html_out and 'href="javascript' not in html_out
    page = markdown(text)
    assert text_of(page).startswith("one two ok") and "<script>x</script>" in text_of(page)
    links = [c for c in page.children[1].children if hasattr(c, "href")]
    assert [a.href for a in links] == ["https://example.org"]


def test_forwarded_headers_are_trusted_only_from_the_configured_proxies(tmp_path):
    from flask import request

    from tests.conftest import make_app

    seen = {}
    for proxies in (0, 1):
        app = make_app(trusted_proxies=proxies, database_url=f"sqlite:///{tmp_path / 'p.db'}")

        @app.server.before_request
        def _remember(proxies=proxies):  # what the app takes as the client's address and scheme
            seen[proxies] = (request.remote_addr, request.scheme)

        app.server.test_client().get(
            "/healthz", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
        )
    assert seen[0] == ("127.0.0.1", "http")
    assert seen[1] == ("203.0.113.7", "https")
    assert Config.from_env({"CROSSPILOT_TRUSTED_PROXIES": "2"}).trusted_proxies == 2
