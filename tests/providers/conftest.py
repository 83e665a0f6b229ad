"""Fixtures of the provider tests: a loopback OpenAI-compatible server with faults."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fake_openai_server import FakeOpenAIServer, running_server


@pytest.fixture
def fake_openai(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., FakeOpenAIServer]]:
    """Start fake servers (`fake_openai(faults, latency=..., ...)`); all stop at teardown.

    The API key of `openai-api/fake/...` is set; pass `server.base_url` as the base URL.
    """
    monkeypatch.setenv("FAKE_API_KEY", "not-a-secret")
    with ExitStack() as stack:

        def start(faults: Iterable[str] = (), **options: Any) -> FakeOpenAIServer:
            return stack.enter_context(running_server(faults, **options))

        yield start
