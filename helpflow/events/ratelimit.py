"""A token bucket per client address, in memory only (addresses are never stored), so one
client flooding the events endpoint is refused without slowing anyone else."""

from __future__ import annotations

import time
from collections import OrderedDict
from threading import Lock


class RateLimiter:
    def __init__(self, *, rate: float = 20.0, burst: int = 120, clients: int = 10_000) -> None:
        self.rate, self.burst, self.clients = rate, burst, clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = Lock()

    def allow(self, client: str, cost: int = 1) -> bool:
        """Spend `cost` of the client's allowance; False when it has not enough left."""
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            allowed = tokens >= cost
            self._buckets[client] = (tokens - cost if allowed else tokens, now)
            while len(self._buckets) > self.clients:  # bounded memory under many addresses
                self._buckets.popitem(last=False)
            return allowed
