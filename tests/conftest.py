"""Shared test configuration."""

from pathlib import Path

import pytest
from hypothesis import settings

from aflab._offline import ensure_tiktoken_encoding

# Property tests check behaviour, not speed: no per-example deadline on a loaded CI machine.
settings.register_profile("aflab", deadline=None, max_examples=200)
settings.load_profile("aflab")

# mockllm counts tokens with tiktoken; give it its encoding without a network.
ensure_tiktoken_encoding()

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """The reference data folder beside the project (skips when absent)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA
