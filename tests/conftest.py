"""Shared test configuration."""

from pathlib import Path

import pytest

from aflab._offline import ensure_tiktoken_encoding

# mockllm counts tokens with tiktoken; give it its encoding without a network.
ensure_tiktoken_encoding()

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """The reference data folder beside the project (skips when absent)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA
