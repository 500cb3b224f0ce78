"""config.yaml → a validated, frozen Config.

Every problem is reported as a ConfigError naming the key path ("outlets[3].kind") and what
is wrong. Loading never writes anything. Defaults live in the dataclasses of types.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from auditor.errors import ConfigError
from auditor.types import (
    AlertSettings,
    Banner,
    Campaign,
    ColumnOverride,
    ColumnSpec,
    Config,
    CrawlSettings,
    HttpSettings,
    LogSettings,
    Outlet,
    ScheduleSettings,
    SmtpSettings,
)

OUTLET_KINDS = ("newspaper", "magazine", "website")
OVERRIDE_KINDS = ("category", "tag", "feed", "url_prefix", "section")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TOP_KEYS = {
    "timezone",
    "store",
    "http",
    "crawl",
    "campaign",
    "outlets",
    "schedule",
    "alerts",
    "logging",
}


def load(path: str | os.PathLike) -> Config:
    path = Path(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("", f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError("", f"cannot read {path}: {e}") from None
    config = parse(raw_text, source=str(path))
    return dataclasses.replace(config, source=str(path))


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so a bad date is reported with its key path."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# The same loader on libyaml's parser where PyYAML was built with it: the pure-Python parser
# took over a second for a config of 1,000 outlets, in every command (issue 14).
_FastLoader = type("_FastLoader", (getattr(yaml, "CSafeLoader", _Loader),), {})
_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _load(raw_text: str) -> object:
    try:
        return yaml.load(raw_text, Loader=_FastLoader)
    except yaml.YAMLError:  # the pure parser's words (and marks) for the error
        return yaml.load(raw_text, Loader=_Loader)


def parse(raw_text: str, source: str = "") -> Config:
    try:
        data = _load(raw_text)
    except yaml.YAMLError as e:
        raise ConfigError("", _yaml_problem(e, source)) from None
    root = _mapping(data, "(top level)", _TOP_KEYS, required={"campaign", "outlets"})
    timezone = _str(root.get("timezone", "Asia/Ho_Chi_Minh"), "timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("timezone", f"unknown time zone {timezone!r}") from None
    store = _mapping(root.get("store", {}), "store", {"path"})
    campaign = _campaign(root["campaign"])
    return Config(
        timezone=timezone,
        store_path=_str(store.get("path", "audit.db"), "store.path"),
        http=_settings(root.get("http", {}), "http", HttpSettings),
        crawl=_settings(root.get("crawl", {}), "crawl", CrawlSettings),
        schedule=_settings(root.get("schedule", {}), "schedule", ScheduleSettings),
        alerts=_alerts(root.get("alerts", {})),
        logging=_logging(root.get("logging", {})),
        campaign=campaign,
        outlets=_outlets(root["outlets"], campaign),
    )


def _yaml_problem(e: yaml.YAMLError, source: str) -> str:
    """One line: the file, the line and column, and what the parser found there."""
    mark = getattr(e, "problem_mark", None)
    where = source or "the config"
    if mark is not None:
        where += f", line {mark.line + 1}, column {mark.column + 1}"
    problem = getattr(e, "problem", None) or str(e)
    context = getattr(e, "context", None)
    return f"not valid YAML: {where}: {problem}" + (f" ({context})" if context else "")


def select_outlets(config: Config, outlet_ids: Iterable[str] | None) -> list[Outlet]:
    """The outlets named (each once), or every enabled one when none is."""
    if not outlet_ids:
        return [o for o in config.outlets if o.enabled]
    return [config.outlet(i) for i in dict.fromkeys(outlet_ids)]


def fingerprint(config: Config) -> str:
    """A short hash of the settings that decide verdicts, kept with each audit run."""
    text = repr((config.timezone, config.campaign, config.outlets))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# -- sections -------------------------------------------------------------------------------


def _campaign(value: Any) -> Campaign:
    keys = {"id", "title", "start", "end", "min_articles_per_week", "columns", "banner", "count"}
    m = _mapping(value, "campaign", keys, required={"id", "start", "end", "columns"})
    start, end = _date(m["start"], "campaign.start"), _date(m["end"], "campaign.end")
    if end < start:
        raise ConfigError("campaign.end", f"{end} is before campaign.start {start}")
    quota = _int(m.get("min_articles_per_week", 2), "campaign.min_articles_per_week", low=1)
    return Campaign(
        id=_str(m["id"], "campaign.id"),
        title=_str(m.get("title", ""), "campaign.title"),
        start=start,
        end=end,
        min_articles_per_week=quota,
        columns=_columns(m["columns"]),
        banner=_banner(m["banner"]) if m.get("banner") is not None else None,
        count=_choice(m.get("count", "column"), "campaign.count", ("column", "column_on_topic")),
    )


def _columns(value: Any) -> tuple[ColumnSpec, ...]:
    items = _list(value, "campaign.columns")
    if not items:
        raise ConfigError("campaign.columns", "at least one column is required")
    columns, seen = [], set()
    for i, item in enumerate(items):
        path = f"campaign.columns[{i}]"
        m = _mapping(item, path, {"id", "name", "aliases"}, required={"id", "name"})
        column_id = _ident(m["id"], f"{path}.id")
        if column_id in seen:
            raise ConfigError(f"{path}.id", f"duplicate column id {column_id!r}")
        seen.add(column_id)
        aliases = tuple(
            _str(a, f"{path}.aliases[{j}]")
            for j, a in enumerate(_list(m.get("aliases", []), f"{path}.aliases"))
        )
        columns.append(ColumnSpec(column_id, _str(m["name"], f"{path}.name"), aliases))
    return tuple(columns)


def _banner(value: Any) -> Banner:
    m = _mapping(value, "campaign.banner", {"text", "required_for"}, required={"text"})
    kinds = _list(m.get("required_for", ["newspaper", "website"]), "campaign.banner.required_for")
    for i, kind in enumerate(kinds):
        _choice(kind, f"campaign.banner.required_for[{i}]", OUTLET_KINDS)
    return Banner(_str(m["text"], "campaign.banner.text"), tuple(kinds))


def _outlets(value: Any, campaign: Campaign) -> tuple[Outlet, ...]:
    outlets, seen = [], set()
    for i, item in enumerate(_list(value, "outlets")):
        outlet = _outlet(item, f"outlets[{i}]", campaign)
        if outlet.id in seen:
            raise ConfigError(f"outlets[{i}].id", f"duplicate outlet id {outlet.id!r}")
        seen.add(outlet.id)
        outlets.append(outlet)
    return tuple(outlets)


def _outlet(value: Any, path: str, campaign: Campaign) -> Outlet:
    keys = {
        "id",
        "name",
        "kind",
        "url",
        "feeds",
        "wordpress",
        "enabled",
        "columns",
        "group",
        "crawl_interval_s",
        "redirect_hosts",
    }
    m = _mapping(value, path, keys, required={"id", "name", "kind"})
    enabled = _bool(m.get("enabled", True), f"{path}.enabled")
    if enabled and not m.get("url"):
        raise ConfigError(f"{path}.url", "required for an enabled outlet")
    feeds = m.get("feeds")
    if feeds is not None:
        feeds = tuple(
            _url(f, f"{path}.feeds[{j}]") for j, f in enumerate(_list(feeds, f"{path}.feeds"))
        )
    return Outlet(
        id=_ident(m["id"], f"{path}.id"),
        name=_str(m["name"], f"{path}.name"),
        kind=_choice(m["kind"], f"{path}.kind", OUTLET_KINDS),
        url=_url(m["url"], f"{path}.url") if m.get("url") else "",
        feeds=feeds,
        wordpress=_wordpress(m.get("wordpress", "auto"), f"{path}.wordpress"),
        enabled=enabled,
        overrides=_overrides(m.get("columns", {}), f"{path}.columns", campaign),
        group=_str(m.get("group", ""), f"{path}.group"),
        crawl_interval_s=(
            _int(m["crawl_interval_s"], f"{path}.crawl_interval_s", low=1)
            if "crawl_interval_s" in m
            else None
        ),
        redirect_hosts=_hosts(m.get("redirect_hosts", []), f"{path}.redirect_hosts"),
    )


_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9-]{1,63}$")


def _hosts(value: Any, path: str) -> tuple[str, ...]:
    """Bare host names (no scheme, port or path), lower-cased."""
    hosts = []
    for i, item in enumerate(_list(value, path)):
        host = _str(item, f"{path}[{i}]").strip().lower().rstrip(".")
        if not _HOST.match(host):
            raise ConfigError(
                f"{path}[{i}]", f"expected a host name such as tin.example.vn, got {item!r}"
            )
        hosts.append(host)
    return tuple(hosts)


def _overrides(value: Any, path: str, campaign: Campaign) -> tuple[ColumnOverride, ...]:
    known = {c.id for c in campaign.columns}
    m = _mapping(value or {}, path, None)
    overrides = []
    for column_id, spec in m.items():
        if column_id not in known:
            raise ConfigError(
                f"{path}.{column_id}", f"unknown column id; known: {', '.join(sorted(known))}"
            )
        s = _mapping(spec, f"{path}.{column_id}", set(OVERRIDE_KINDS))
        if len(s) != 1:
            raise ConfigError(
                f"{path}.{column_id}", f"give exactly one of {', '.join(OVERRIDE_KINDS)}"
            )
        kind, v = next(iter(s.items()))
        where = f"{path}.{column_id}.{kind}"
        v = _url(v, where) if kind in ("feed", "url_prefix", "section") else _str(v, where)
        overrides.append(ColumnOverride(column_id, kind, v))
    return tuple(overrides)


def _alerts(value: Any) -> AlertSettings:
    m = _mapping(
        value or {}, "alerts", {"smtp", "recipients", "webhook_url", "unreachable_days", "dry_run"}
    )
    smtp = _settings(m.get("smtp", {}), "alerts.smtp", SmtpSettings)
    _choice(smtp.tls, "alerts.smtp.tls", ("starttls", "ssl", "none"))
    recipients = []
    for group, emails in _mapping(m.get("recipients", {}), "alerts.recipients", None).items():
        where = f"alerts.recipients.{group}"
        listed = tuple(_str(e, f"{where}[{i}]") for i, e in enumerate(_list(emails, where)))
        for i, e in enumerate(listed):
            if "@" not in e:
                raise ConfigError(f"{where}[{i}]", f"{e!r} is not an e-mail address")
        recipients.append((group, listed))
    webhook = m.get("webhook_url", "")
    return AlertSettings(
        smtp=smtp,
        recipients=tuple(recipients),
        webhook_url=_url(webhook, "alerts.webhook_url") if webhook else "",
        unreachable_days=_int(m.get("unreachable_days", 3), "alerts.unreachable_days", low=1),
        dry_run=_bool(m.get("dry_run", False), "alerts.dry_run"),
    )


def _logging(value: Any) -> LogSettings:
    m = _mapping(value or {}, "logging", {"level", "json"})
    level = _choice(
        str(m.get("level", "INFO")).upper(), "logging.level", ("DEBUG", "INFO", "WARNING", "ERROR")
    )
    return LogSettings(level, _bool(m.get("json", False), "logging.json"))


def _settings(value: Any, path: str, cls: type) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    m = _mapping(value or {}, path, set(fields))
    kwargs = {}
    for key, v in m.items():
        default = fields[key].default
        where = f"{path}.{key}"
        if isinstance(default, bool):
            kwargs[key] = _bool(v, where)
        elif isinstance(default, int):
            kwargs[key] = _int(v, where, low=0)
        elif isinstance(default, float):
            kwargs[key] = _number(v, where)
        else:
            kwargs[key] = _str(v, where)
    if kwargs.get("concurrency", 1) < 1:
        raise ConfigError(f"{path}.concurrency", "must be at least 1")
    return cls(**kwargs)


# -- scalars --------------------------------------------------------------------------------


def _mapping(value: Any, path: str, allowed: set | None, required: set = frozenset()) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(path, f"expected a mapping, got {_kind(value)}")
    for key in value:
        if not isinstance(key, str):
            raise ConfigError(path, f"keys must be text, got {key!r}")
        if allowed is not None and key not in allowed:
            raise ConfigError(
                _join(path, key), f"unknown key; allowed: {', '.join(sorted(allowed))}"
            )
    for key in sorted(required):
        if key not in value:
            raise ConfigError(_join(path, key), "required key is missing")
    return value


def _join(path: str, key: str) -> str:
    return key if path == "(top level)" else f"{path}.{key}"


def _list(value: Any, path: str) -> list:
    if not isinstance(value, list):
        raise ConfigError(path, f"expected a list, got {_kind(value)}")
    return value


def _str(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(path, f"expected text, got {_kind(value)}")
    return value


def _ident(value: Any, path: str) -> str:
    value = _str(value, path)
    if not _ID.match(value):
        raise ConfigError(path, f"{value!r} is not an id (lowercase letters, digits, _ and -)")
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(path, f"expected true or false, got {_kind(value)}")
    return value


def _int(value: Any, path: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(path, f"expected a whole number, got {_kind(value)}")
    if value < low:
        raise ConfigError(path, f"must be at least {low}, got {value}")
    return value


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(path, f"expected a number, got {_kind(value)}")
    if value < 0:
        raise ConfigError(path, f"must not be negative, got {value}")
    return float(value)


def _date(value: Any, path: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(path, f"expected a date like 2017-09-20, got {value!r}")


def _url(value: Any, path: str) -> str:
    value = _str(value, path)
    if not re.match(r"^https?://[^/\s]+", value):
        raise ConfigError(path, f"expected an http(s) URL, got {value!r}")
    return value


def _choice(value: Any, path: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ConfigError(path, f"expected one of {', '.join(choices)}, got {value!r}")
    return value


def _wordpress(value: Any, path: str) -> str | bool:
    if value is False or value == "auto":
        return value
    if value is True:
        return "auto"
    if isinstance(value, str):
        return _url(value, path)
    raise ConfigError(path, f"expected auto, false or an API root URL, got {value!r}")


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: f"text {value!r}", bool: f"{value}"}.get(
        type(value), f"{type(value).__name__} {value!r}"
    )
