import textwrap
from pathlib import Path

import pytest

from auditor import config
from auditor.errors import ConfigError

ROOT = Path(__file__).parent.parent

BASE = textwrap.dedent("""
    campaign:
      id: "1476/TLĐ"
      start: 2017-09-20
      end: 2018-09-30
      columns:
        - {id: thiet_che_cong_doan, name: "Thiết chế Công đoàn"}
    outlets:
      - {id: a, name: A, kind: website, url: "http://127.0.0.1:1/"}
""")


def test_shipped_config_is_valid():
    cfg = config.load(ROOT / "config.yaml")
    assert [c.id for c in cfg.campaign.columns] == [
        "loi_ich_doan_vien",
        "thiet_che_cong_doan",
        "dai_hoi_cong_doan",
    ]
    assert cfg.campaign.min_articles_per_week == 2
    assert str(cfg.campaign.start) == "2017-09-20"
    assert {"laodong", "nld", "laodongthudo"} <= {o.id for o in cfg.outlets if o.enabled}
    assert all(o.url or not o.enabled for o in cfg.outlets)


def test_defaults():
    cfg = config.parse(BASE)
    assert cfg.timezone == "Asia/Ho_Chi_Minh"
    assert cfg.http.max_body_mb == 20 and cfg.store_path == "audit.db"
    assert cfg.outlets[0].wordpress == "auto"


BAD = {
    "unknown top-level key": (BASE + "colour: red\n", "colour", "unknown key"),
    "unknown http key": (BASE + "http: {timeout: 3}\n", "http.timeout", "unknown key"),
    "wrong type": (BASE + "http: {timeout_s: soon}\n", "http.timeout_s", "expected a number"),
    "bad date": (BASE.replace("2017-09-20", "2017-13-01"), "campaign.start", "expected a date"),
    "end before start": (BASE.replace("2018-09-30", "2016-01-01"), "campaign.end", "before"),
    "duplicate outlet": (
        BASE + '  - {id: a, name: B, kind: website, url: "http://x/"}\n',
        "outlets[1].id",
        "duplicate outlet id",
    ),
    "bad kind": (
        BASE.replace("kind: website", "kind: radio"),
        "outlets[0].kind",
        "expected one of",
    ),
    "unknown column in override": (
        BASE.replace(
            'url: "http://127.0.0.1:1/"}',
            'url: "http://127.0.0.1:1/", columns: {nope: {category: X}}}',
        ),
        "outlets[0].columns.nope",
        "unknown column id",
    ),
    "override with two kinds": (
        BASE.replace(
            'url: "http://127.0.0.1:1/"}',
            'url: "http://127.0.0.1:1/", columns: {thiet_che_cong_doan: {category: X, tag: Y}}}',
        ),
        "outlets[0].columns.thiet_che_cong_doan",
        "exactly one",
    ),
    "missing url": (BASE.replace(', url: "http://127.0.0.1:1/"', ""), "outlets[0].url", "required"),
    "bad time zone": (BASE + "timezone: Mars/Olympus\n", "timezone", "unknown time zone"),
    "not yaml": ("campaign: [\n", "", "not valid YAML"),
}


@pytest.mark.parametrize("text,path,problem", BAD.values(), ids=BAD.keys())
def test_errors_name_key_and_problem(text, path, problem):
    with pytest.raises(ConfigError) as e:
        config.parse(text)
    assert e.value.path == path
    assert problem in e.value.problem


def test_disabled_outlet_may_lack_url():
    text = BASE.replace(', url: "http://127.0.0.1:1/"', ", enabled: false")
    assert config.parse(text).outlets[0].url == ""


def test_the_fast_yaml_loader_reads_what_the_pure_one_reads():
    """libyaml's parser (issue 14: a 1,000-outlet config in every command) with the same
    resolvers: dates stay text, other scalars as before; errors keep the pure parser's words."""
    import pathlib

    import yaml

    from auditor import config as config_mod

    shipped = (pathlib.Path(__file__).resolve().parent.parent / "config.yaml").read_text()
    text = shipped + "\nx: {d: 2017-09-20, b: yes, n: ~, f: 1e3, o: 0o17, t: '12:30'}\n"
    assert config_mod._load(text) == yaml.load(text, Loader=config_mod._Loader)
    assert config_mod._load("d: 2017-09-20") == {"d": "2017-09-20"}
    with pytest.raises(config_mod.ConfigError, match="line 1, column"):
        config_mod.parse("x: [1, 2")
