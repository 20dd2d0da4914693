"""POSTs hand-off packets to a help desk's webhook, off the request path: a reader who
escalates never waits for (or notices) a slow or failing help desk.

One thread sends from a bounded queue, with a timeout per attempt and retries with
exponential backoff; when the queue is full a packet is dropped and logged rather than
holding up readers.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import urllib.error
import urllib.request
from typing import Any

log = logging.getLogger(__name__)


class Webhook:
    def __init__(
        self,
        url: str,
        *,
        timeout: float = 5.0,
        retries: int = 3,
        backoff: float = 0.5,
        capacity: int = 1000,
    ) -> None:
        self.url, self.timeout, self.retries, self.backoff = url, timeout, retries, backoff
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(capacity)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="helpflow-webhook", daemon=True)
        self._thread.start()

    def send(self, packet: dict[str, Any]) -> None:
        try:
            self._queue.put_nowait(packet)
        except queue.Full:
            log.error("hand-off webhook queue full; dropped a packet for %s", self.url)

    def close(self, wait: float = 10.0) -> None:
        """Send what is queued (for up to `wait` seconds), then stop."""
        self._queue.put(None)
        self._thread.join(wait)
        self._stopping.set()

    def _run(self) -> None:
        while (packet := self._queue.get()) is not None:
            self._deliver(json.dumps(packet, ensure_ascii=False).encode())

    def _deliver(self, body: bytes) -> None:
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(
                self.url, data=body, method="POST", headers={"content-type": "application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    if response.status < 300:
                        return
            except (urllib.error.URLError, OSError, ValueError) as exc:
                log.warning("hand-off webhook attempt %d failed: %s", attempt + 1, exc)
            if attempt < self.retries and self._stopping.wait(self.backoff * 2**attempt):
                break
        log.error("hand-off webhook gave up on a packet after %d attempts", self.retries + 1)
