"""The polite client on its own: headers, throttling, retries, Retry-After, host and scheme checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.fetch.client import USER_AGENT, ClientConfig, FetchError, PoliteClient

from .site import Site, pdf_bytes


def client(sleeps: list[float], **overrides) -> PoliteClient:
    config = ClientConfig(delay_seconds=0, backoff_seconds=0.5, retries=3, allowed_hosts=("127.0.0.1",), **overrides)
    return PoliteClient(config, sleep=sleeps.append)


def test_user_agent_names_the_project(site: Site) -> None:
    site.add_page("/p", "<html></html>")
    client([]).get_page(f"{site.base}/p")
    assert site.hits[0].headers["User-Agent"] == USER_AGENT
    assert "probation-inspections-pipeline" in USER_AGENT


def test_retry_after_is_honoured_and_capped(site: Site, tmp_path: Path) -> None:
    site.add_file("/f.pdf", pdf_bytes("f"), failures=["429", "503"], retry_after="3600")
    sleeps: list[float] = []
    got = client(sleeps, max_retry_after_seconds=2).download(f"{site.base}/f.pdf", tmp_path, "pdf")
    assert got.path is not None and got.path.read_bytes() == pdf_bytes("f")
    assert sleeps == [2, 2]
    assert [h.status for h in site.hits] == [429, 503, 200]


def test_exponential_backoff_without_retry_after_then_give_up(site: Site, tmp_path: Path) -> None:
    site.add_file("/f.pdf", pdf_bytes("f"), failures=["drop", "drop", "drop", "drop"])
    sleeps: list[float] = []
    with pytest.raises(FetchError, match="gave up after 4 attempts: connection error"):
        client(sleeps).download(f"{site.base}/f.pdf", tmp_path, "pdf")
    assert sleeps == [0.5, 1.0, 2.0]
    assert list(tmp_path.iterdir()) == []


def test_no_retry_on_client_errors(site: Site) -> None:
    sleeps: list[float] = []
    with pytest.raises(FetchError) as caught:
        client(sleeps).get_page(f"{site.base}/missing")
    assert caught.value.status == 404 and sleeps == [] and len(site.hits) == 1


def test_delay_between_requests(site: Site) -> None:
    site.add_page("/p", "<html></html>")
    sleeps: list[float] = []
    polite = PoliteClient(ClientConfig(delay_seconds=30, allowed_hosts=("127.0.0.1",)), sleep=sleeps.append)
    polite.get_page(f"{site.base}/p")
    polite.get_page(f"{site.base}/p")
    assert len(sleeps) == 1 and 29 < sleeps[0] <= 30


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x.pdf", "file:///etc/passwd", "http://localhost:1/x.pdf"])
def test_refuses_other_schemes_and_hosts(url: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="refused"):
        client([]).download(url, tmp_path, "pdf")


def test_redirects_are_followed_only_within_allowed_hosts(site: Site, tmp_path: Path) -> None:
    site.add_file("/target.pdf", pdf_bytes("t"))
    site.redirects["/moved.pdf"] = "/target.pdf"
    site.redirects["/away.pdf"] = f"http://localhost:{site.server.server_address[1]}/target.pdf"
    polite = client([])
    got = polite.download(f"{site.base}/moved.pdf", tmp_path, "pdf")
    assert got.path is not None and got.path.read_bytes() == pdf_bytes("t")
    site.clear()
    with pytest.raises(FetchError, match="not in the allowed hosts"):
        polite.download(f"{site.base}/away.pdf", tmp_path, "pdf")
    assert site.requests_to("/target.pdf") == []  # the foreign hop was never made


def test_html_expected_but_pdf_served_is_rejected(site: Site, tmp_path: Path) -> None:
    site.add_file("/doc", pdf_bytes("x"))
    with pytest.raises(FetchError, match="expected an HTML page"):
        client([]).download(f"{site.base}/doc", tmp_path, "html")
