"""Bounding calls into vendor clients that set no timeout of their own (duo_universal blocks forever)."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# A worker outlives a call that timed out until the server answers or drops it. The executor's threads
# are not daemons (interpreter exit waits for them), so every provider call below has its own timeout.
_EXECUTOR = concurrent.futures.ThreadPoolExecutor(max_workers=16, thread_name_prefix="provider-call")


class CallTimedOut(TimeoutError):
    pass


def call_within(seconds: float, function: Callable[[], T]) -> T:
    """Run ``function`` and give up after ``seconds``; its exceptions pass through."""
    future = _EXECUTOR.submit(function)
    try:
        return future.result(timeout=seconds)
    except concurrent.futures.TimeoutError:
        future.cancel()
        raise CallTimedOut(f"no answer within {seconds:g} s") from None
