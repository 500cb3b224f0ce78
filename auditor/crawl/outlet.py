"""One crawl of one outlet, as the object its readers share.

The REST, feed and section readers (wordpress.py, feeds.py, sections.py, catfeeds.py) each
take an OutletCrawl: what the crawl has learnt so far (the Harvest), how it asks (the
outlet's client), what the store knew before (state), the settings it reads by, and the
clock. Nothing here does HTTP; it only holds what the readers would otherwise pass along.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from auditor.fetch import Client
from auditor.types import Campaign, Config, Harvest, Outlet, OutletState


@dataclass(frozen=True)
class Settings:
    """The few parts of the Config an outlet's crawl reads: the readers never see the rest
    (the store's path, the schedule, alerts, the other outlets)."""

    campaign: Campaign
    tz: ZoneInfo  # weeks, and dates written without a zone, are local to the outlets
    max_feed_pages: int
    max_rest_pages: int
    max_section_pages: int
    max_article_pages: int
    full_listing_every: timedelta  # a complete REST listing (and the homepage) this often
    # A poll asks only what is new: no homepage unless the feeds or the API must be found,
    # no older feed pages than the last crawl reached, no complete listing once one exists.
    poll: bool = False

    @classmethod
    def of(cls, config: Config, *, poll: bool = False) -> Settings:
        http = config.http
        return cls(
            campaign=config.campaign,
            tz=ZoneInfo(config.timezone),
            max_feed_pages=http.max_feed_pages,
            max_rest_pages=http.max_rest_pages,
            max_section_pages=http.max_section_pages,
            max_article_pages=http.max_article_pages,
            full_listing_every=timedelta(days=config.crawl.full_listing_every_days),
            poll=poll,
        )


class Budget:
    """Requests still allowed for one purpose, spent one at a time."""

    def __init__(self, allowed: int):
        self.left = allowed

    def take(self) -> bool:
        """Spend one if any is left; False (nothing spent) once the budget is gone."""
        if self.left <= 0:
            return False
        self.left -= 1
        return True


@dataclass
class OutletCrawl:
    h: Harvest
    client: Client
    state: OutletState
    settings: Settings
    now: Callable[[], datetime]
    # Article pages read to date undated items: feed items and section items each have
    # max_article_pages per crawl, as they had before the readers shared this object
    # (one shared budget would change which items get dated).
    feed_article_pages: Budget = field(init=False)
    section_article_pages: Budget = field(init=False)

    def __post_init__(self) -> None:
        self.feed_article_pages = Budget(self.settings.max_article_pages)
        self.section_article_pages = Budget(self.settings.max_article_pages)

    @property
    def outlet(self) -> Outlet:
        return self.h.outlet
