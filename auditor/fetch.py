"""HTTP: the only module that imports requests.

One Fetcher per run holds the requests.Session, the robots.txt cache, the per-host clocks
and the conditional-GET validators. Each outlet gets a Client of its own, which records
every request it makes (URL, status, bytes, time, error) for the store.
"""

from __future__ import annotations

import contextlib
import email.utils
import os
import socket
import threading
import time
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego
from requests.adapters import HTTPAdapter

from auditor import __version__
from auditor.clock import utcnow
from auditor.errors import FetchError, NotModified, RobotsDenied
from auditor.rules.redirects import (
    RedirectAllowance,
    host_key,
    is_public,
    own_hosts,
    redirect_problem,
    target_problem,
    url_host,
)
from auditor.text import strip_marks
from auditor.types import Fetched, HttpSettings, Outlet, RequestRecord
from auditor.urls import canonical_url

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK = 64 * 1024
ROBOTS_TTL = timedelta(hours=24)  # RFC 9309 allows caching robots.txt for up to a day


def user_agent(settings: HttpSettings) -> str:
    """HTTP headers are Latin-1: Vietnamese letters in the config lose their marks here."""
    base = settings.user_agent or f"auditor/{__version__}"
    text = f"{base} ({settings.contact})" if settings.contact else base
    return strip_marks(text).encode("ascii", "ignore").decode()


class Fetcher:
    """Shared by all outlets of one run; thread-safe."""

    def __init__(
        self,
        settings: HttpSettings,
        validators: dict[str, dict] | None = None,
        *,
        robots: dict[str, tuple[datetime, str]] | None = None,
        sleep: Callable[[float], None] | None = None,
        now: Callable[[], datetime] = utcnow,
        stop: threading.Event | None = None,
        resolve: Callable[[str], list[str]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.settings = settings
        self.resolve = resolve or resolve_host  # a seam: tests give made-up addresses
        self._clock = clock  # for per-host spacing; tests inject one
        self.validators = dict(validators or {})
        self.stop = stop or threading.Event()
        self._sleep = sleep or self.stop.wait
        self._now = now
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._host_last: dict[str, float] = {}
        self._robots: dict[str, Protego | FetchError | None] = {}
        self.robots_texts = dict(robots or {})  # origin → (fetched at, text) from earlier runs
        self.fresh_robots: dict[str, tuple[datetime, str]] = {}
        self._mounts: dict[str, HTTPAdapter] = {}  # transports given in place of sockets
        # The environment's proxies and CA bundle, read once: requests (trust_env) read
        # every variable of the environment again before each request
        self.proxies = urllib.request.getproxies()
        self._verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()

    def client(self, outlet: Outlet | None = None) -> Client:
        """A client for one outlet; its configured hosts bound where redirects may go."""
        return Client(self, outlet)

    def mount(self, prefix: str, adapter: HTTPAdapter) -> None:
        """Serve URLs under prefix through adapter (tests and benchmarks: no sockets)."""
        self._mounts[prefix] = adapter

    def new_session(self) -> requests.Session:
        """One outlet's session: its connections are its own, kept between its requests
        to one host (robots.txt, then the feed), and no thread waits on another outlet's
        pool (one pool manager shared by every thread was a fifth of a crawl's time)."""
        session = requests.Session()
        session.headers["User-Agent"] = user_agent(self.settings)
        # the codings decode_body undoes; asking for others would bring bodies it cannot read
        session.headers["Accept-Encoding"] = "gzip, deflate"
        session.max_redirects = self.settings.max_redirects
        session.auth = _NoCredentials()
        session.trust_env = False  # the environment is read once, above
        session.verify = self._verify or True
        adapter = HTTPAdapter(pool_maxsize=1, max_retries=0)  # one request at a time per host
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        for prefix, mounted in self._mounts.items():
            session.mount(prefix, mounted)
        with self._sessions_lock:
            self._sessions.append(session)
        return session

    def proxies_for(self, url: str) -> dict[str, str]:
        """The proxies the environment names for url ({} when NO_PROXY covers its host)."""
        if not self.proxies:
            return {}
        host = urlsplit(url).hostname or ""
        if urllib.request.proxy_bypass_environment(host, self.proxies):
            return {}
        return {scheme: address for scheme, address in self.proxies.items() if scheme != "no"}

    def close(self) -> None:
        with self._sessions_lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def release(self, session: requests.Session) -> None:
        """Close one outlet's session once its crawl is done."""
        with self._sessions_lock:
            if session in self._sessions:
                self._sessions.remove(session)
        session.close()

    # -- politeness -------------------------------------------------------------------------

    def _host_lock(self, host: str) -> threading.Lock:
        with self._lock:
            return self._host_locks.setdefault(host, threading.Lock())

    def wait_turn(self, host: str) -> None:
        """Space requests to one host by per_host_delay_s, whichever outlet sends them."""
        with self._host_lock(host):
            self._space(host)

    @contextlib.contextmanager
    def turn(self, host: str) -> Iterator[None]:
        """One request at a time per host, whichever outlet sends it (two outlets may share
        a host), their starts spaced by per_host_delay_s; the first waits for nothing."""
        with self._host_lock(host):
            self._space(host)
            yield

    def _space(self, host: str) -> None:
        last = self._host_last.get(host)
        if last is not None:
            wait = last + self.settings.per_host_delay_s - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._host_last[host] = self._clock()

    def robots_for(self, client: Client, url: str) -> Protego | None:
        origin = _origin(url)
        with self._host_lock("robots:" + origin):
            if origin not in self._robots:
                self._robots[origin] = self._load_robots(client, origin)
        cached = self._robots[origin]
        if isinstance(cached, FetchError):
            raise FetchError(
                url,
                f"robots.txt unavailable, so the site is treated as "
                f"closed (RFC 9309): {cached.message}",
            )
        return cached

    def robots_known(self, urls: list[str]) -> bool:
        """Whether the rules of every URL's site are at hand without a request (read in
        this run, or stored by an earlier one and still fresh)."""
        origins = {_origin(url) for url in urls}
        return all(o in self._robots or self._stored_robots(o) is not None for o in origins)

    def _stored_robots(self, origin: str) -> str | None:
        """The rules an earlier run stored for origin, while fresh ("" when it had none)."""
        known = self.robots_texts.get(origin)
        return known[1] if known and self._now() - known[0] < ROBOTS_TTL else None

    def warm_robots(self, client: Client, urls: list[str]) -> None:
        """Load the rules of each URL's site ahead of its crawl; a failure is kept and
        met again, with its message, by the request it stops."""
        for url in urls:
            if self.stop.is_set():
                return
            with contextlib.suppress(FetchError):
                self.robots_for(client, url)

    def _load_robots(self, client: Client, origin: str) -> Protego | FetchError | None:
        stored = self._stored_robots(origin)
        if stored is not None:
            return Protego.parse(stored) if stored else None
        try:
            with client.purpose("robots"):
                fetched = client.get(origin + "/robots.txt", check_robots=False)
        except FetchError as e:
            # RFC 9309: 4xx means no rules; 5xx or unreachable means "assume disallowed"
            if e.status is not None and 400 <= e.status < 500:
                self.fresh_robots[origin] = (self._now(), "")
                return None
            return e
        # Sites without rewrite rules answer /robots.txt with their homepage: no rules
        html = "html" in fetched.content_type.lower()
        text = "" if html else fetched.body.decode("utf-8", "replace")
        self.fresh_robots[origin] = (self._now(), text)
        return Protego.parse(text) if text else None


class _NoCredentials(requests.auth.AuthBase):
    """Outlets are sent no credentials: not the machine's ~/.netrc (which requests would
    also look for on disk before every request), not a user:password written in a link."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


class Client:
    """One outlet's view of the Fetcher; keeps that outlet's request records."""

    def __init__(self, fetcher: Fetcher, outlet: Outlet | None = None):
        self.fetcher = fetcher
        self._session: requests.Session | None = None
        self.settings = fetcher.settings
        self.outlet = outlet
        self._allowance: RedirectAllowance | None = None
        self.records: list[RequestRecord] = []
        self.new_validators: dict[str, dict] = {}
        self.retry_after: float | None = None  # the longest one any answer asked for
        self._purpose = "listing"
        # each URL once per crawl: what it answered (or how it failed), by canonical URL
        self._answers: dict[str, Fetched | FetchError] = {}

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            self._session = self.fetcher.new_session()
        return self._session

    def close(self) -> None:
        """Done with this outlet: its connections are closed."""
        if self._session is not None:
            self.fetcher.release(self._session)
            self._session = None

    @contextlib.contextmanager
    def purpose(self, why: str) -> Iterator[None]:
        """Requests made inside are recorded as made for `why` (one of labels.PURPOSES)."""
        before, self._purpose = self._purpose, why
        try:
            yield
        finally:
            self._purpose = before

    def get(self, url: str, *, conditional: bool = False, check_robots: bool = True) -> Fetched:
        """GET with robots, retries and caps; raises FetchError, NotModified or RobotsDenied.
        A URL asked again in the same crawl (after canonicalisation) gets the first answer
        without a second request; only a body wanted after a 304 is fetched again."""
        key = canonical_url(url)
        known = self._answers.get(key)
        if isinstance(known, Fetched):
            return known
        if known is not None and (conditional or not isinstance(known, NotModified)):
            raise known
        try:
            fetched = self._get(url, conditional, check_robots)
        except FetchError as e:
            self._answers[key] = e
            raise
        self._answers[key] = fetched
        return fetched

    def _get(self, url: str, conditional: bool, check_robots: bool) -> Fetched:
        if check_robots and self.settings.obey_robots:
            robots = self.fetcher.robots_for(self, url)
            if robots is not None and not robots.can_fetch(url, user_agent(self.settings)):
                self._record(url, None, 0, 0, "disallowed by robots.txt")
                raise RobotsDenied(url)
        attempts = self.settings.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return self._once(url, conditional, attempt)
            except FetchError as e:
                if not self._should_retry(e, attempt, attempts):
                    raise
                self.fetcher._sleep(self._delay(e, attempt))
        raise AssertionError("unreachable")

    def _should_retry(self, error: FetchError, attempt: int, attempts: int) -> bool:
        if isinstance(error, NotModified) or attempt >= attempts or self.fetcher.stop.is_set():
            return False
        if error.retry_after is not None and error.retry_after > self.settings.max_retry_after_s:
            return False
        return error.status is None or error.status in RETRY_STATUSES

    def _delay(self, error: FetchError, attempt: int) -> float:
        if error.retry_after is not None:
            return error.retry_after
        return self.settings.backoff_s * 2 ** (attempt - 1)

    def _once(self, url: str, conditional: bool, attempt: int) -> Fetched:
        if self.fetcher.stop.is_set():
            raise FetchError(url, "stopped before the request was sent")
        with self.fetcher.turn(urlsplit(url).netloc.lower()):
            return self._exchange(url, conditional, attempt)

    def _exchange(self, url: str, conditional: bool, attempt: int) -> Fetched:
        headers = self._conditional_headers(url) if conditional else {}
        started, at = time.monotonic(), self.fetcher._now()
        status, size = None, 0
        try:
            response = self._send(url, headers)
            status = response.status_code
            body = self._read(url, response, started)
            size = len(body)
            result = self._result(url, response, body, conditional)
        except NotModified:
            self._record(url, 304, size, _ms(started), "", attempt, at)
            raise
        except FetchError as e:
            self._record(url, e.status or status, size, _ms(started), e.message, attempt, at)
            raise
        self._record(url, status, size, _ms(started), "", attempt, at)
        return result

    def _send(self, url: str, headers: dict) -> requests.Response:
        timeout = self.settings.timeout_s
        try:
            return self.session.get(
                url,
                headers=headers,
                proxies=self.fetcher.proxies_for(url),
                stream=True,
                timeout=(min(10.0, timeout), min(self.settings.read_timeout_s, timeout)),
                hooks={"response": lambda r, **_: self._check_redirect(url, r)},
            )
        except requests.TooManyRedirects:
            raise FetchError(url, f"more than {self.settings.max_redirects} redirects") from None
        except requests.Timeout:
            raise FetchError(url, f"timed out after {timeout:g} s") from None
        except requests.RequestException as e:
            raise FetchError(url, f"connection failed: {_reason(e)}") from None

    # -- redirects ---------------------------------------------------------------------------

    def _check_redirect(self, url: str, response: requests.Response) -> None:
        """Called by requests on every answer, before it follows a redirect."""
        location = self.session.get_redirect_target(response)
        if not response.is_redirect or location is None:
            return
        target = urljoin(response.url, location)
        own, allowance = self._own_hosts(url), self._allowance_for(url)
        # the name is judged first, so a refused host is never even looked up
        problem = target_problem(own, target, allowance) or redirect_problem(
            own, target, self.fetcher.resolve(url_host(target)), allowance
        )
        if problem:
            response.close()
            raise FetchError(url, problem, status=response.status_code)

    def _own_hosts(self, url: str) -> frozenset[str]:
        return own_hosts(outlet_urls(self.outlet) if self.outlet else [url])

    def _allowance_for(self, url: str) -> RedirectAllowance:
        """Non-public targets are allowed when the outlet's own host is non-public."""
        if self.outlet is None:
            return RedirectAllowance(private=_non_public(self.fetcher.resolve(url_host(url))))
        if self._allowance is None:
            home = url_host(self.outlet.url) or url_host(url)
            self._allowance = RedirectAllowance(
                hosts=frozenset(host_key(h) for h in self.outlet.redirect_hosts),
                private=_non_public(self.fetcher.resolve(home)),
            )
        return self._allowance

    def _read(self, url: str, response: requests.Response, started: float) -> bytes:
        """Stream the body, cut at the size cap and at the whole-request deadline."""
        cap = int(self.settings.max_body_mb * 1024 * 1024)
        chunks, total = [], 0
        try:
            while chunk := response.raw.read1(CHUNK, decode_content=False):
                total += len(chunk)
                if total > cap:
                    raise FetchError(
                        url,
                        f"body larger than {self.settings.max_body_mb:g} MB, cut off",
                        status=response.status_code,
                    )
                if time.monotonic() - started > self.settings.timeout_s:
                    raise FetchError(
                        url,
                        f"body still arriving after {self.settings.timeout_s:g} s, cut off",
                        status=response.status_code,
                    )
                chunks.append(chunk)
        except FetchError:
            raise
        except Exception as e:  # urllib3 raises many kinds while reading a bad body
            raise FetchError(
                url, f"reading the body failed: {_reason(e)}", status=response.status_code
            ) from None
        finally:
            response.close()
        return decode_body(url, b"".join(chunks), response.headers.get("content-encoding", ""), cap)

    def _result(
        self, url: str, response: requests.Response, body: bytes, conditional: bool
    ) -> Fetched:
        status = response.status_code
        if status == 304 and conditional:
            raise NotModified(url)
        if 300 <= status < 400:  # requests follows every redirect that says where to
            what = "a redirect without Location" if status != 304 else "not asked for"
            raise FetchError(url, f"HTTP {status}: {what}", status=status)
        if status >= 400:
            retry_after = _retry_after(response.headers.get("Retry-After"), self.fetcher._now())
            if retry_after is not None:
                self.retry_after = max(self.retry_after or 0.0, retry_after)
            raise FetchError(
                url, f"HTTP {status}", status=status, retry_after=retry_after, body=body[:4096]
            )
        headers = {k.lower(): v for k, v in response.headers.items()}
        if conditional:
            self._keep_validators(url, headers)
        return Fetched(url, response.url, status, headers, body)

    def _conditional_headers(self, url: str) -> dict:
        known = self.new_validators.get(url) or self.fetcher.validators.get(url) or {}
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return headers

    def _keep_validators(self, url: str, headers: dict) -> None:
        etag, last_modified = headers.get("etag"), headers.get("last-modified")
        if etag or last_modified:
            self.new_validators[url] = {"etag": etag or "", "last_modified": last_modified or ""}

    def _record(
        self,
        url: str,
        status: int | None,
        size: int,
        ms: int,
        error: str,
        attempt: int = 1,
        at: datetime | None = None,
    ) -> None:
        why = "retry" if attempt > 1 else self._purpose
        self.records.append(
            RequestRecord(url, status, size, ms, at or self.fetcher._now(), error, attempt, why)
        )


def decode_body(url: str, body: bytes, coding: str, cap: int) -> bytes:
    """Undo Content-Encoding as browsers do: a body labelled gzip or deflate that is not
    compressed (a misconfigured server or cache) is taken as it is. The size cap holds for
    the decompressed body too."""
    for name in reversed([c.strip().lower() for c in coding.split(",") if c.strip()]):
        if name in ("gzip", "x-gzip") and body[:2] == b"\x1f\x8b":
            body = _inflate(url, body, 31, cap, need_end=False) or body
        elif name == "deflate":
            zlib_header = (
                len(body) > 1 and body[0] & 0x0F == 8 and int.from_bytes(body[:2]) % 31 == 0
            )
            body = _inflate(url, body, 15 if zlib_header else -15, cap, need_end=True) or body
    return body


def _inflate(url: str, body: bytes, wbits: int, cap: int, need_end: bool) -> bytes | None:
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(body, cap + 1)
    except zlib.error:
        return None
    if len(out) > cap:
        raise FetchError(url, f"body larger than {cap / 1048576:g} MB once decompressed")
    if need_end and not inflater.eof:
        return None  # not really deflate: plain text that happened to start like it
    return out


def outlet_urls(outlet: Outlet) -> list[str]:
    """Every URL the config gives for an outlet: their hosts are the outlet's own."""
    urls = [outlet.url, *(outlet.feeds or ())]
    if isinstance(outlet.wordpress, str) and outlet.wordpress.startswith("http"):
        urls.append(outlet.wordpress)
    urls += [o.value for o in outlet.overrides if o.kind in ("feed", "url_prefix", "section")]
    return [u for u in urls if u]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def resolve_host(host: str) -> list[str]:
    """The addresses a host name resolves to; empty if it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def _non_public(addresses: list[str]) -> bool:
    return any(not is_public(a) for a in addresses)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) < 200 else text[:200] + "…"


def _retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def post_json(url: str, payload: object, settings: HttpSettings) -> int:
    """POST a JSON document (the alerts webhook); returns the status, raises FetchError."""
    try:
        response = requests.post(
            url,
            json=payload,
            timeout=settings.timeout_s,
            headers={"User-Agent": user_agent(settings)},
        )
    except requests.RequestException as e:
        raise FetchError(url, f"webhook failed: {_reason(e)}") from None
    if response.status_code >= 400:
        raise FetchError(
            url, f"webhook answered HTTP {response.status_code}", status=response.status_code
        )
    return response.status_code
