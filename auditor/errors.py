"""One exception tree for the whole tool.

AuditorError
 ├── ConfigError        a bad config file; names the key path
 ├── FetchError(url)    HTTP or network failure for one URL
 │    ├── NotModified   a conditional GET answered 304
 │    └── RobotsDenied  robots.txt forbids the URL
 ├── WordPressError     the REST API is off, blocked or answered nonsense
 ├── ParseError         bytes from an outlet that are not what they claim
 ├── StoreError         the SQLite store refused a write
 └── InputError         what a person gave cannot be used: a missing folder, an unknown id,
                        an unreadable input file (the CLI exits 2 with one line)
"""


class AuditorError(Exception):
    """Base of every error the tool raises on purpose."""


class ConfigError(AuditorError):
    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


class FetchError(AuditorError):
    def __init__(
        self,
        url: str,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        body: bytes = b"",
    ):
        self.url = url
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.body = body  # the start of an error page, for APIs that explain themselves
        super().__init__(f"{message} ({url})")


class NotModified(FetchError):
    def __init__(self, url: str):
        super().__init__(url, "not modified", status=304)


class RobotsDenied(FetchError):
    def __init__(self, url: str):
        super().__init__(url, "disallowed by robots.txt")


class WordPressError(AuditorError):
    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        super().__init__(f"WordPress REST API unusable: {reason} ({url})")


class ParseError(AuditorError):
    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        super().__init__(f"{reason} ({url})")


class StoreError(AuditorError):
    pass


class ModelError(AuditorError):
    """The classifier cannot be loaded, trained or used as asked."""


class InputError(AuditorError):
    """What the person asked for cannot be done as given; the message names the thing
    (a file, an id, an option) and the problem."""


class NoAuditRun(AuditorError):
    """Nothing to export: no audit run has been stored yet."""
