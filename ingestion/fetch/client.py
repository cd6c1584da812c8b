"""A small, polite HTTP client: one User-Agent, throttling, retries with backoff, host allow-list, size limits.

Every network access of the fetcher goes through `PoliteClient`, so the politeness and safety rules live in one place.
"""

from __future__ import annotations

import email.utils
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

USER_AGENT = "probation-inspections-pipeline/0.1 (+open-source data pipeline)"
DEFAULT_HOSTS = ("www.justiceinspectorates.gov.uk", "hmiprobation.justiceinspectorates.gov.uk")
MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class FetchError(Exception):
    """A request that failed for good. `reason` is one line for humans and the manifest."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class ClientConfig:
    user_agent: str = USER_AGENT
    delay_seconds: float = 1.0  # minimum gap between two requests
    timeout_seconds: float = 30.0
    retries: int = 3  # extra attempts after the first one
    backoff_seconds: float = 1.0  # first retry waits this long, then doubles
    max_retry_after_seconds: float = 60.0  # cap on a server's Retry-After
    allowed_hosts: tuple[str, ...] = DEFAULT_HOSTS
    max_bytes: int = 50 * 1024 * 1024


@dataclass(frozen=True)
class Page:
    url: str  # final URL after redirects
    text: str


@dataclass(frozen=True)
class Download:
    """Outcome of a conditional download: `path` is a temporary file in the target folder, or None on 304."""

    url: str
    path: Path | None
    sha256: str | None = None
    size: int = 0
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


@dataclass
class PoliteClient:
    config: ClientConfig = field(default_factory=ClientConfig)
    sleep: Callable[[float], None] = time.sleep  # injectable so tests can record waits
    session: requests.Session = field(default_factory=requests.Session)
    _last_request: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = self.config.user_agent

    def check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"}:
            raise FetchError(f"refused: unsupported URL scheme {parts.scheme!r}")
        if host_of(url) not in self.config.allowed_hosts:
            raise FetchError(f"refused: host {host_of(url)!r} is not in the allowed hosts")

    # -- public API ------------------------------------------------------------------------------------------------

    def get_page(self, url: str) -> Page:
        """GET an HTML page (listing or report page) within the size limit."""
        response = self._request(url, {})
        try:
            body = b"".join(self._capped_chunks(response))
        except requests.RequestException as exc:
            raise FetchError(f"connection error while reading: {type(exc).__name__}") from exc
        finally:
            response.close()
        encoding = response.encoding or "utf-8"
        return Page(url=response.url, text=body.decode(encoding, errors="replace"))

    def download(
        self,
        url: str,
        folder: Path,
        expect: str,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Download:
        """Conditional GET of a report file into a temporary file inside `folder` (same filesystem: os.replace works).

        `expect` is "pdf" or "html". Raises FetchError on refusal; the temporary file is removed then.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = self._request(url, headers)
        try:
            if response.status_code == 304:
                # A 304 may carry fresher validators; keep the ones we sent otherwise.
                return Download(
                    url=url,
                    path=None,
                    etag=response.headers.get("ETag") or etag,
                    last_modified=response.headers.get("Last-Modified") or last_modified,
                )
            return self._save(response, url, folder, expect)
        except requests.RequestException as exc:
            raise FetchError(f"connection error while reading: {type(exc).__name__}") from exc
        finally:
            response.close()

    # -- internals -------------------------------------------------------------------------------------------------

    def _save(self, response: requests.Response, url: str, folder: Path, expect: str) -> Download:
        media = _media_type(response)
        if expect == "html" and media not in {"text/html", "application/xhtml+xml"}:
            raise FetchError(f"rejected: expected an HTML page, got content type {media or 'none'!r}")
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        # Dot-prefixed so the landing-folder scan ignores it while it is being written.
        fd, tmp_name = tempfile.mkstemp(prefix=".partial-", dir=folder)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                first = True
                for chunk in self._capped_chunks(response):
                    if first and expect == "pdf" and not chunk.startswith(b"%PDF-"):
                        raise FetchError(f"rejected: expected a PDF (%PDF- magic), got content type {media!r}")
                    first = False
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                if first and expect == "pdf":
                    raise FetchError("rejected: empty response where a PDF was expected")
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return Download(
            url=url,
            path=tmp,
            sha256=digest.hexdigest(),
            size=size,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=media,
        )

    def _capped_chunks(self, response: requests.Response) -> Iterable[bytes]:
        """Body chunks, refusing as soon as the running count passes the limit (Content-Length can lie or be absent)."""
        limit = self.config.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(f"rejected: Content-Length {declared} bytes exceeds the {limit}-byte limit")
        total = 0
        buffer = b""
        for chunk in response.iter_content(CHUNK):
            total += len(chunk)
            if total > limit:
                raise FetchError(f"rejected: body exceeds the {limit}-byte limit")
            buffer += chunk
            # Hold back tiny first chunks so the PDF magic check sees at least 5 bytes.
            if len(buffer) >= 5:
                yield buffer
                buffer = b""
        if buffer:
            yield buffer

    def _throttle(self) -> None:
        wait = self._last_request + self.config.delay_seconds - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self._last_request = time.monotonic()

    def _request(self, url: str, headers: dict[str, str]) -> requests.Response:
        """GET, retrying connection errors, 429 and 5xx; redirects are followed by hand so each hop is host-checked."""
        cfg = self.config
        attempt = 0
        while True:
            wait = cfg.backoff_seconds * (2**attempt)
            try:
                response = self._get_following_redirects(url, headers)
            except requests.RequestException as exc:
                problem = f"connection error: {type(exc).__name__}"
            else:
                status = response.status_code
                if status < 400:
                    return response
                response.close()
                if status != 429 and status < 500:
                    raise FetchError(f"HTTP {status}", status=status)
                problem = f"HTTP {status}"
                advised = _retry_after(response.headers.get("Retry-After"))
                if advised is not None:
                    wait = min(advised, cfg.max_retry_after_seconds)
            if attempt >= cfg.retries:
                raise FetchError(f"gave up after {attempt + 1} attempts: {problem}")
            attempt += 1
            self.sleep(wait)

    def _get_following_redirects(self, url: str, headers: dict[str, str]) -> requests.Response:
        for _ in range(MAX_REDIRECTS + 1):
            self.check_url(url)
            self._throttle()
            response = self.session.get(
                url, headers=headers, stream=True, timeout=self.config.timeout_seconds, allow_redirects=False
            )
            if not response.is_redirect:
                return response
            location = response.headers.get("Location", "")
            response.close()
            url = urljoin(url, location)
        raise FetchError(f"refused: more than {MAX_REDIRECTS} redirects")
