"""The whole-attempt deadline holds for https receivers too, and TLS is still checked.

A receiver that drips its TLS handshake ends at the deadline (the handshake runs under the
time left, not a fresh per-read timeout), and a certificate no trusted authority signed is
still refused after the connection classes changed to carry the deadline (RFC 9110 section
4.3.4: an https client verifies the server's certificate for the host name).

Outside sources: issue 14 ("Bound the whole attempt (connect + send + response) by the
timeout"); TLS 1.2/1.3 record layout (RFC 8446 section 5.1: a 5-byte header, content type 22
for handshake, then the announced length) for the dripping server.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.test import override_settings

from tests.support.receivers import ENVIRONMENT_ID, delivery_of_new_event
from webhooks.delivery import delivery_attempt
from webhooks.models import DeliveryStatus, WebhookAttempt
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db

DEADLINE = 2.0
# A handshake record announcing 16 KiB, then its bytes one a second: each read is answered
# within any per-read timeout, the record never completes.
HANDSHAKE_RECORD_HEADER = bytes([22, 3, 3, 0x40, 0x00])


@contextmanager
def _tcp_server(serve: object) -> Iterator[int]:
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            with suppress(TimeoutError, OSError):
                connection, _ = listener.accept()
                threading.Thread(target=serve, args=(connection, stop), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def _drip_handshake(connection: socket.socket, stop: threading.Event) -> None:
    with connection, suppress(OSError):
        connection.recv(65536)  # the ClientHello
        connection.sendall(HANDSHAKE_RECORD_HEADER)
        while not stop.is_set():
            connection.sendall(b"\x00")
            time.sleep(1.0)


def _self_signed(tmp_path: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


@override_settings(WEBHOOK_TIMEOUT_SECONDS=DEADLINE)
def test_it_times_out_an_https_receiver_dripping_its_handshake_at_the_deadline() -> None:
    with _tcp_server(_drip_handshake) as port:
        endpoint, _ = endpoint_create(
            environment_id=ENVIRONMENT_ID, url=f"https://localhost:{port}/hook"
        )
        delivery = delivery_of_new_event(endpoint)

        before = time.monotonic()
        delivery_attempt(delivery_id=delivery.pk)
        took = time.monotonic() - before

    [attempt] = WebhookAttempt.objects.filter(delivery=delivery)
    assert (attempt.error_class, attempt.error_message) == ("Timeout", "Timed out after 2 s.")
    assert DEADLINE <= took < 3 * DEADLINE
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING


@override_settings(WEBHOOK_TIMEOUT_SECONDS=DEADLINE)
def test_it_refuses_a_certificate_no_trusted_authority_signed(tmp_path: Path) -> None:
    context = _self_signed(tmp_path)
    received: list[bytes] = []

    def serve(connection: socket.socket, stop: threading.Event) -> None:
        with (
            suppress(OSError, ssl.SSLError),
            context.wrap_socket(connection, server_side=True) as tls,
        ):
            received.append(tls.recv(65536))

    with _tcp_server(serve) as port:
        endpoint, _ = endpoint_create(
            environment_id=ENVIRONMENT_ID, url=f"https://localhost:{port}/hook"
        )
        delivery = delivery_of_new_event(endpoint)
        delivery_attempt(delivery_id=delivery.pk)

    [attempt] = WebhookAttempt.objects.filter(delivery=delivery)
    assert attempt.status_code is None
    # urllib3's exception for a failed TLS verification; the request never reached the receiver.
    assert attempt.error_class == "SSLError"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert received == []
