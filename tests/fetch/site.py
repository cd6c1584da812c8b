"""A small fake of the HMI Probation website, served for real on 127.0.0.1 by a ThreadingHTTPServer."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LISTING_PATH = "/hmiprobation/inspections"
LISTING_QUERY = "probation-inspection-type=probation&year=2024"
UPLOADS = "/wp-content/uploads/sites/5/2024"
LAST_MODIFIED = "Mon, 01 Jul 2024 10:00:00 GMT"


def pdf_bytes(label: str, size: int = 0) -> bytes:
    body = f"%PDF-1.4\n% fake report: {label}\n".encode()
    return body + b"0" * max(0, size - len(body))


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    is_file: bool = False  # a report file (what "downloads" counts)
    etag: bool = True
    last_modified: bool = True
    send_length: bool = True
    failures: list[str] = field(default_factory=list)  # consumed one per request: "503", "429", "drop"
    retry_after: str = "0"

    @property
    def tag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Hit:
    path: str
    status: int
    headers: dict[str, str]


def result_html(results: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<div class="result inspection"><h4><a href="{href}">{title}</a></h4><p>summary</p></div>'
        for href, title in results
    )
    return f"<html><body><nav><a href='/hmiprobation/'>Home</a></nav><div id='results'>{items}</div></body></html>"


def report_page(title: str, published: str, links: list[tuple[str, str]]) -> str:
    anchors = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return (
        f"<html><head><title>{title} - HMI Probation</title></head><body><h1>{title}</h1>"
        f'<div id="inspection-meta"><dl><dt>Inspection type</dt><dd>Probation</dd>'
        f"<dt>Date of publication</dt><dd>{published}</dd></dl></div><ul>{anchors}</ul></body></html>"
    )


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Resource] = {}  # raw path (percent-encoding kept) -> resource
        self.listing: dict[int, list[tuple[str, str]]] = {}  # page number -> (href, title)
        self.redirects: dict[str, str] = {}  # raw path -> Location
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    # -- building --------------------------------------------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def listing_url(self) -> str:
        return f"{self.base}{LISTING_PATH}?{LISTING_QUERY}&paged=0"

    def add_page(self, path: str, html: str) -> None:
        self.routes[path] = Resource(html.encode())

    def add_file(self, path: str, body: bytes, content_type: str = "application/pdf", **kw) -> Resource:
        resource = Resource(body, content_type=content_type, is_file=True, **kw)
        self.routes[path] = resource
        return resource

    def add_old_report(self, slug: str, title: str, pdf_path: str, body: bytes, link_text: str | None = None, **kw):
        """An old-site report page with a data-annexe PDF first and the report PDF second."""
        page = f"/hmiprobation/inspections/{slug}/"
        links = [
            (f"{UPLOADS}/07/{slug}-data-annexe.pdf", "Data annexe (PDF, 80 kB)"),
            (pdf_path, link_text or f"{title} (PDF, 1 MB)"),
        ]
        self.add_page(page, report_page(title, "12 July 2024", links))
        return page, self.add_file(pdf_path, body, **kw)

    # -- querying --------------------------------------------------------------------------------------------------

    def file_downloads(self) -> list[Hit]:
        """Report files actually sent with a body (status 200)."""
        return [h for h in self.hits if h.status == 200 and self.routes.get(h.path, Resource(b"")).is_file]

    def requests_to(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]

    def clear(self) -> None:
        with self.lock:
            self.hits.clear()

    # -- serving ---------------------------------------------------------------------------------------------------

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _send(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
                with site.lock:
                    site.hits.append(Hit(self.path, status, dict(self.headers)))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path == LISTING_PATH:
                    page = int(parse_qs(parts.query).get("paged", ["0"])[0])
                    html = result_html(site.listing.get(page, [])).encode()
                    return self._send(200, {"Content-Type": "text/html", "Content-Length": str(len(html))}, html)
                if self.path in site.redirects:
                    return self._send(302, {"Location": site.redirects[self.path], "Content-Length": "0"})
                resource = site.routes.get(self.path)
                if resource is None:
                    return self._send(404, {"Content-Length": "9"}, b"not found")
                if resource.failures:
                    failure = resource.failures.pop(0)
                    if failure == "drop":  # close the connection without any response
                        with site.lock:
                            site.hits.append(Hit(self.path, 0, dict(self.headers)))
                        self.close_connection = True
                        return None
                    return self._send(int(failure), {"Retry-After": resource.retry_after, "Content-Length": "0"})
                headers = {"Content-Type": resource.content_type}
                if resource.etag:
                    headers["ETag"] = resource.tag
                if resource.last_modified:
                    headers["Last-Modified"] = LAST_MODIFIED
                if (resource.etag and self.headers.get("If-None-Match") == resource.tag) or (
                    not resource.etag
                    and resource.last_modified
                    and self.headers.get("If-Modified-Since") == LAST_MODIFIED
                ):
                    return self._send(304, headers)
                if resource.send_length:
                    headers["Content-Length"] = str(len(resource.body))
                else:
                    self.close_connection = True
                return self._send(200, headers, resource.body)

        return Handler

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
