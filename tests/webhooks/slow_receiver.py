"""Receivers that are slow on purpose, on a loopback socket (no HTTP framework in between, so
nothing buffers or times out on their side).

- `drip`: reads the whole request, then answers one byte every `interval` seconds: each byte
  arrives well within a per-read socket timeout, so only a deadline on the whole attempt ends it.
- `never_read`: reads the request's headers, then never reads its body: the sender blocks once
  the (deliberately small) buffers are full.

Requests are counted by their `webhook-id` header, and connections the sender has not closed
yet are counted too (an attempt still running).
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Literal

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
# Long enough to outlast any deadline under test, short enough that a forgotten receiver
# cannot wedge the run.
GIVE_UP_SECONDS = 120.0


class SlowReceiver:
    def __init__(self, mode: Literal["drip", "never_read"], interval: float) -> None:
        self.mode = mode
        self.interval = interval
        self.by_webhook_id: Counter[str] = Counter()
        self.arrivals: list[tuple[str, float]] = []
        self.open_connections = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if mode == "never_read":
            # Inherited by accepted sockets: the sender's body fills it after a few kilobytes.
            self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/hooks"
        self._acceptor = threading.Thread(target=self._accept, daemon=True)

    def requests_for(self, webhook_id: str) -> int:
        with self._lock:
            return self.by_webhook_id[webhook_id]

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with self._lock:
            self.open_connections += 1
        try:
            with connection:
                connection.settimeout(GIVE_UP_SECONDS)
                head, body = self._read_head(connection)
                headers = _parse_headers(head)
                with self._lock:
                    self.by_webhook_id[headers.get("webhook-id", "")] += 1
                    self.arrivals.append((headers.get("webhook-id", ""), time.monotonic()))
                if self.mode == "never_read":
                    self._until_closed(connection)
                    return
                length = int(headers.get("content-length", "0"))
                while len(body) < length:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    body += chunk
                for byte in ANSWER:
                    if self._stopping.wait(self.interval):
                        return
                    connection.sendall(bytes([byte]))
                self._until_closed(connection)
        except OSError:
            return
        finally:
            with self._lock:
                self.open_connections -= 1

    def _until_closed(self, connection: socket.socket) -> None:
        """Until the sender gives up on the connection (we never read what it still sends)."""
        connection.settimeout(0.1)
        while not self._stopping.is_set():
            try:
                if self.mode == "never_read":
                    # Peeking reads nothing: the buffer stays full, so the sender stays blocked;
                    # a closed connection still shows (empty peek or an error).
                    if not connection.recv(1, socket.MSG_PEEK):
                        return
                    time.sleep(0.1)
                elif not connection.recv(65536):
                    return
            except TimeoutError:
                continue

    @staticmethod
    def _read_head(connection: socket.socket) -> tuple[bytes, bytes]:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(1024)
            if not chunk:
                raise ConnectionError("closed before the headers ended")
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        return head, body

    def start(self) -> None:
        self._acceptor.start()

    def stop(self) -> None:
        self._stopping.set()
        with suppress(OSError):
            self._listener.close()


def _parse_headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines)
    }


@contextmanager
def slow_receiving(
    mode: Literal["drip", "never_read"] = "drip", *, interval: float = 1.0
) -> Iterator[SlowReceiver]:
    receiver = SlowReceiver(mode, interval)
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
