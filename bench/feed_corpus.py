"""Feed ingestion on the peers' own test corpora: what feedparser parses versus what the
auditor stored, feed by feed, with every difference put down to a rule of issue 10.

At run time it downloads the source distributions of feedparser and reader from PyPI
(`pip download --no-deps --no-binary :all:`) into a temporary folder, serves each of their
test feeds on 127.0.0.1 as the only feed of one outlet (with the HTTP headers a feedparser
test declares in its comment), crawls all the outlets with the real crawl into a throwaway
store, and compares. Nothing of those packages is kept. The corpus links to example.com and
the like: article pages are never fetched (max_article_pages: 0), so nothing leaves
loopback.

    python3 bench/feed_corpus.py [--limit N] [--quiet]

Prints one line per feed, then the summary (the README quotes it).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import resource
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # a fresh clone, not installed

import feedparser

from auditor import config as config_mod
from auditor.crawl.run import crawl
from auditor.parse.dates import has_zone, is_day_first
from auditor.store import Store
from auditor.urls import canonical_url, url_key

PACKAGES = ("feedparser", "reader")
PIP_DOWNLOAD = (
    sys.executable,
    "-m",
    "pip",
    "download",
    "--quiet",
    "--no-deps",
    "--no-binary",
    ":all:",
)
_HEADER = re.compile(rb"^\s*Header:\s*([\w-]+):\s*(.*?)\s*$", re.M)
_FEEDPARSER_HOST = "http://localhost:8097/"  # where its tests say redirects go


# -- the corpus ------------------------------------------------------------------------------


@dataclass
class Feed:
    n: int
    name: str  # package/relative path
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def download(tmp: Path) -> dict[str, Path]:
    """Unpacked source distributions, by package name."""
    subprocess.run(
        [*PIP_DOWNLOAD, "--dest", str(tmp), *PACKAGES],
        check=True,
    )
    roots = {}
    for archive in sorted(tmp.glob("*.tar.gz")):
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        name = archive.name.split("-")[0]
        roots[name] = tmp / archive.name.removesuffix(".tar.gz")
    return roots


def corpus(roots: dict[str, Path]) -> list[Feed]:
    paths = []
    fp_tests = roots["feedparser"] / "tests"
    paths += [
        ("feedparser", p, fp_tests)
        for p in sorted(fp_tests.rglob("*"))
        if p.is_file() and p.suffix in (".xml", ".gz", ".z")
    ]
    rd = roots["reader"] / "tests" / "data"
    paths += [("reader", p, rd) for p in sorted(rd.rglob("*")) if p.is_file() and p.suffix != ".py"]
    feeds = []
    for n, (package, path, top) in enumerate(paths):
        feed = Feed(n, f"{package}/{path.relative_to(top)}", path.read_bytes())
        _declared_http(feed, path)
        feeds.append(feed)
    return feeds


def _declared_http(feed: Feed, path: Path) -> None:
    """feedparser's tests state their HTTP answer in a comment: "Header: Name: value"."""
    if path.suffix == ".gz":
        feed.headers["Content-Encoding"] = "gzip"
    if path.suffix == ".z":
        feed.headers["Content-Encoding"] = "deflate"
    for name, value in _HEADER.findall(feed.body[:4096]):
        name, value = name.decode(), value.decode("latin-1")
        if name.lower() == "status":
            feed.status = int(value)
        else:
            feed.headers[name] = value


# -- serving it on loopback ------------------------------------------------------------------


def serve(feeds: list[Feed]) -> ThreadingHTTPServer:
    by_path = {f"/f/{f.n}/{f.name}": f for f in feeds}
    by_name = {f.name: f for f in feeds}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path == "/robots.txt":
                return self._send(404, b"", {"Content-Type": "text/plain"})
            if path.startswith("/o/"):
                return self._send(200, b"<html><body>outlet</body></html>", {})
            if path == "/raw/-/return-304.xml":  # feedparser's test server answers so
                return self._send(304, b"", {})
            feed = by_path.get(path) or by_name.get(
                "feedparser/" + path.removeprefix("/raw/tests/")
            )
            if feed is None:
                return self._send(404, b"not found", {"Content-Type": "text/plain"})
            headers = dict(feed.headers)
            if "Location" in headers:
                host = f"http://127.0.0.1:{self.server.server_address[1]}/raw/"
                headers["Location"] = headers["Location"].replace(_FEEDPARSER_HOST, host)
            if not any(k.lower() == "content-type" for k in headers):
                headers["Content-Type"] = "application/xml"
            self._send(feed.status, feed.body, headers)

        def _send(self, status: int, body: bytes, headers: dict) -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def feed_url(base: str, feed: Feed) -> str:
    return f"{base}/f/{feed.n}/{feed.name}"


def write_config(base: str, feeds: list[Feed]) -> str:
    outlets = "\n".join(
        f'  - {{id: "f{f.n}", name: "f{f.n}", kind: website, url: "{base}/o/{f.n}/", '
        f'wordpress: false, feeds: ["{feed_url(base, f)}"]}}'
        for f in feeds
    )
    return f"""
timezone: Asia/Ho_Chi_Minh
http: {{timeout_s: 10, per_host_delay_s: 0, retries: 0, concurrency: 4, max_article_pages: 0}}
crawl: {{classify: false}}
campaign:
  id: corpus
  start: 2017-09-20
  end: 2018-09-30
  min_articles_per_week: 2
  columns:
    - {{id: k, name: "Thiết chế Công đoàn"}}
outlets:
{outlets}
"""


# -- comparing -------------------------------------------------------------------------------


@dataclass
class Tally:
    lines: list[str] = field(default_factory=list)
    counts: dict[str, Counter] = field(
        default_factory=lambda: {k: Counter() for k in ("entries", "titles", "dates", "links")}
    )
    unexplained: list[str] = field(default_factory=list)
    totals: Counter = field(default_factory=Counter)

    def add(self, aspect: str, verdict: str, feed: str = "", detail: str = "", n: int = 1) -> None:
        self.counts[aspect][verdict] += n
        if verdict.startswith("UNEXPLAINED"):
            self.unexplained.append(f"{feed}: {aspect}: {detail}")


def compare(feed: Feed, base: str, store: Store, tally: Tally) -> str:
    url = feed_url(base, feed)
    fp = feedparser.parse(url)  # feedparser's own HTTP reading of the same answer
    if _json_items(feed.body) is not None:  # feedparser 6 does not read JSON Feed
        fp = {"entries": _json_items(feed.body), "href": url}
    rows = store._q("SELECT * FROM articles WHERE outlet_id = ?", (f"f{feed.n}",))
    crawl_row = store._q("SELECT * FROM crawls WHERE outlet_id = ?", (f"f{feed.n}",))[0]
    entries = list(fp["entries"])
    _entries(feed, entries, rows, crawl_row, tally)
    index = _index(rows)
    final = fp.get("href") or url
    shared = Counter(id(index.get(_entry_key(e, final))) for e in entries)
    for e in entries:
        row = index.get(_entry_key(e, final)) or _by_guid(rows, e)
        if row is None:
            continue
        folded = shared[id(row)] > 1
        tally.add(
            "titles", _title(e, row, folded), feed.name, f"{e.get('title')!r} vs {row['title']!r}"
        )
        tally.add(
            "dates", _date(e, row, folded), feed.name, f"{_raw_date(e)!r} vs {row['published']}"
        )
        tally.add(
            "links", _link(e, row, final, fp), feed.name, f"{e.get('link')!r} vs {row['url']}"
        )
    skipped, folded = crawl_row["skipped"] or 0, _folded(crawl_row)
    tally.totals.update(
        {"feedparser entries": len(entries), "stored articles": len(rows), "skipped": skipped}
    )
    tally.totals.update({"folded": folded})
    return (
        f"{feed.name}: feedparser {len(entries)} entries, stored {len(rows)} "
        f"(skipped {skipped}, folded {folded}), crawl {crawl_row['status']}"
    )


def _json_items(body: bytes) -> list[dict] | None:
    """A JSON Feed's items in feedparser's shape, read here with json alone."""
    try:
        doc = json.loads(body)
    except ValueError:
        return None
    if not isinstance(doc, dict) or "jsonfeed" not in str(doc.get("version")):
        return None
    items = doc.get("items") if isinstance(doc.get("items"), list) else []
    return [_json_entry(i) for i in items]


def _json_entry(item) -> dict:
    if not isinstance(item, dict):
        return {}
    url, published = item.get("url"), item.get("date_published") or item.get("date_modified")
    fields = None
    try:
        when = datetime.fromisoformat(str(published).replace("Z", "+00:00"))
        fields = when.astimezone(UTC).timetuple() if when.tzinfo else None
    except ValueError:
        pass
    return {
        "id": str(item.get("id") or ""),
        "title": item.get("title") if isinstance(item.get("title"), str) else "",
        "links": [{"rel": "alternate", "href": url}] if isinstance(url, str) and url else [],
        "link": url if isinstance(url, str) else "",
        "published": published,
        "published_parsed": fields,
    }


def _entries(feed: Feed, entries: list, rows: list, crawl_row: dict, tally: Tally) -> None:
    skipped, folded = crawl_row["skipped"] or 0, _folded(crawl_row)
    gap = len(entries) - len(rows)
    if crawl_row["status"] == "error":
        reason = _refusal(crawl_row["error"] or "")
        if reason.startswith("UNEXPLAINED"):
            tally.add("entries", reason, feed.name, crawl_row["error"])
        elif not entries:
            tally.add("entries", f"feed refused, feedparser found no entry either: {reason}")
        else:
            tally.add("entries", f"feed refused ({len(entries)} entries lost): {reason}")
        return
    if gap == 0 and not skipped and not folded:
        tally.add("entries", "same count")
    elif gap == skipped + folded:
        for reason, n in _skip_reasons(crawl_row):
            tally.add("entries", f"entries skipped and counted: {reason} ({_RULE[reason]})", n=n)
        if folded:
            tally.add("entries", "entries folded into another copy (rule 1)", n=folded)
    else:
        tally.add("entries", "UNEXPLAINED count", feed.name, f"{len(entries)} vs {len(rows)}")


_RULE = {
    "no link and no http(s) guid": "rule 4",
    "link is not http(s)": "rule 4",
    "link is the site's homepage": "rule 1: a homepage identifies no article",
}


def _skip_reasons(crawl_row: dict) -> list[tuple[str, int]]:
    m = re.search(r"entries skipped \((.*?)\)(?:;|$)", crawl_row["notes"] or "")
    if not m:
        return []
    return [(r.strip(), int(n)) for r, n in re.findall(r"([^,:]+): (\d+)", m.group(1))]


def _refusal(error: str) -> str:
    if "declares XML entities" in error:
        return "DOCTYPE internal subset declares entities (rule 5)"
    if "redirect without Location" in error:
        return "3xx without Location is an error (rule 5)"
    if re.search(r"HTTP (4\d\d|5\d\d|304)", error):
        return "HTTP error status (the test feed says so)"
    if "not a feed" in error:
        return "not a feed"
    return "UNEXPLAINED refusal"


def _folded(crawl_row: dict) -> int:
    m = re.search(r"(\d+) duplicate entries folded", crawl_row["notes"] or "")
    return int(m.group(1)) if m else 0


def _index(rows: list[dict]) -> dict:
    index = {}
    for r in rows:
        for u in [r["url"], *json.loads(r["aliases"] or "[]")]:
            index[url_key(u)] = r
    return index


def _entry_key(e: dict, final: str) -> str:
    href = next(
        (
            lk.get("href")
            for lk in e.get("links") or []
            if lk.get("rel", "alternate") == "alternate"
        ),
        None,
    )
    guid = str(e.get("id") or "")
    if not href and guid.lower().startswith(("http://", "https://")):
        href = guid
    return url_key(urljoin(final, href)) if href else ""


def _by_guid(rows: list[dict], e: dict) -> dict | None:
    return next((r for r in rows if e.get("id") and r["guid"] == e.get("id")), None)


def _title(e: dict, row: dict, folded: bool) -> str:
    theirs, ours = e.get("title") or "", row["title"] or ""
    if theirs == ours:
        return "same"
    if " ".join(unicodedata.normalize("NFC", theirs).split()) == ours:
        return "same text; stored NFC, spaces collapsed (rule 2)"
    if folded:
        return "copy folded: the newest copy's title (rule 1)"
    if "html" in (e.get("title_detail") or {}).get("type", ""):
        return "declared HTML shown as text by an HTML parser (rule 2)"
    return "UNEXPLAINED title"


def _raw_date(e: dict) -> str:
    return str(e.get("published") or e.get("updated") or "")


def _date(e: dict, row: dict, folded: bool) -> str:
    fields = e.get("published_parsed") or e.get("updated_parsed")
    theirs = None
    if fields:
        try:
            theirs = datetime(*fields[:6], tzinfo=UTC).isoformat()
        except ValueError:
            theirs = None
    ours, raw = row["published"], _raw_date(e)
    if theirs == ours:
        return "same" if ours else "undated in both"
    if folded:
        return "copy folded: the newest copy's dates (rule 1)"
    if ours and raw and is_day_first(raw):
        return "day-first form feedparser misreads or misses, read by the fallback (rule 3)"
    if ours and theirs is None:
        return "form feedparser does not read, read by the fallback (rule 3)"
    if ours and raw and not has_zone(raw):
        return "no zone written: campaign time, not UTC (rule 3)"
    if ours and not e.get("published_parsed") and e.get("published"):
        return "published unreadable: updated used (rule 3)"
    return "UNEXPLAINED date"


def _link(e: dict, row: dict, final: str, fp: dict) -> str:
    theirs = e.get("link") or ""
    if theirs == row["url"]:
        return "same"
    if theirs and canonical_url(theirs) == row["url"]:
        return "same page; canonical URL stored (rule 1)"
    own = _entry_key(e, final)
    if own and own != url_key(row["url"]):
        return "copy folded: another copy's URL, this one kept as alias (rule 1)"
    if not any(lk.get("rel", "alternate") == "alternate" for lk in e.get("links") or []):
        return "no link: the http(s) guid stands in (rule 4)"
    if (fp.get("headers") or {}).get("content-location") or theirs != urljoin(final, theirs):
        return "resolved against the feed's URL and xml:base, not Content-Location (rule 4)"
    if url_key(theirs) == url_key(row["url"]):
        return "same page; canonical URL stored (rule 1)"
    return "UNEXPLAINED link"


# -- the run ---------------------------------------------------------------------------------


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--limit", type=int, default=0, help="only the first N feeds")
    args.add_argument("--quiet", action="store_true", help="the summary only")
    opts = args.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # the per-outlet crawl log is not the point
    with tempfile.TemporaryDirectory(prefix="feed-corpus-") as tmp_name:
        tmp = Path(tmp_name)
        roots = download(tmp)
        feeds = corpus(roots)[: opts.limit or None]
        server = serve(feeds)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        store = Store(tmp / "corpus.db")
        started = time.monotonic()
        reports = crawl(config_mod.parse(write_config(base, feeds)), store)
        took = time.monotonic() - started
        tally = Tally()
        for feed in feeds:
            line = compare(feed, base, store, tally)
            if not opts.quiet:
                print(line)
        crashes = [r for r in reports if "internal error" in (r.error or "")]
        server.shutdown()
        summary(roots, feeds, reports, crashes, took, tally)
        store.close()
    return 1 if crashes or tally.unexplained else 0


def summary(roots, feeds, reports, crashes, took, tally: Tally) -> None:
    versions = ", ".join(p.name for p in roots.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n## Feed corpus: {versions}")
    print(
        f"{len(feeds)} feeds served on 127.0.0.1 as {len(reports)} outlets, crawled in "
        f"{took:.0f} s; crashes: {len(crashes)}; peak memory {peak:.0f} MB"
    )
    print(", ".join(f"{k}: {v}" for k, v in tally.totals.items()))
    for aspect, counts in tally.counts.items():
        unit = "entries skipped or folded, feeds otherwise" if aspect == "entries" else "entries"
        print(f"\n{aspect} ({unit}):")
        for verdict, n in counts.most_common():
            print(f"  {n:6d}  {verdict}")
    print(f"\nunexplained differences: {len(tally.unexplained)}")
    for line in tally.unexplained[:40]:
        print("  " + line)


if __name__ == "__main__":
    sys.exit(main())
