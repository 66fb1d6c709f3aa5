"""The download's deadline over TLS: https feeds read through planner's own SSL socket
class (the one that shrinks each read's timeout to the time left), against a real TLS
server on 127.0.0.1 with a certificate made for the test (``cryptography``, which
``keyring`` brings on Linux; skipped without it)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
from http.server import ThreadingHTTPServer

import pytest

from planner.core.storage import feed_download
from planner.core.storage.feed_download import FeedError, Limits, download
from tests.feed_server import Reply, Site, calendar, handler_for, vevent

x509 = pytest.importorskip("cryptography.x509")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

EVENT = vevent("a", "A", "20250509T173000", "20250509T200000")


def certificate(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def tls_site(tmp_path, monkeypatch):
    cert_file, key_file = certificate(tmp_path)
    found = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(found))
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    found.base = f"https://127.0.0.1:{server.server_address[1]}"
    # planner's own TLS settings, trusting the test's certificate instead of the system's.
    client = ssl.create_default_context(cafile=str(cert_file))
    client.sslsocket_class = feed_download._DeadlineSSLSocket
    monkeypatch.setattr(feed_download, "_tls", client)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield found
    found.stop.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_an_https_feed_is_read(tls_site):
    tls_site.replies["/a.ics"] = Reply(calendar(EVENT), gzip=True)
    fetched = download(tls_site.url("/a.ics"))
    assert fetched is not None and fetched.body == calendar(EVENT)


@pytest.mark.parametrize("reply", [Reply(calendar(EVENT), drip=0.05), Reply(drip_headers=0.05)])
def test_a_trickling_https_server_is_stopped_at_the_total_limit(tls_site, reply):
    tls_site.replies["/slow.ics"] = reply
    with pytest.raises(FeedError, match=r"took over 0\.4 s in all to send the calendar"):
        download(tls_site.url("/slow.ics"), limits=Limits(timeout=2.0, total_seconds=0.4))


def test_a_webcal_link_is_a_link_read_over_https(tls_site):
    """``webcal://`` (what "Add to Apple Calendar" buttons link to) typed or pasted into
    planner add is a link like any other, to the same file over https."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from planner.core.web.links import split_links
    from planner.core.web.reading import read_link

    tls_site.replies["/a.ics"] = Reply(calendar(EVENT), content_type="text/calendar")
    link = tls_site.url("/a.ics").replace("https://", "webcal://")
    assert split_links(f"{link}\nDrinks Friday 6pm").links == [(1, link)]
    toronto = ZoneInfo("America/Toronto")
    (item,) = read_link(link, toronto, datetime(2025, 5, 1, 9, tzinfo=toronto)).events
    assert item.event.summary == "A"
    assert [path for path, _ in tls_site.requests] == ["/a.ics"]
