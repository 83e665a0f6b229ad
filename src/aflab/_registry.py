"""Inspect AI entry point: registers aflab's tasks and its model provider."""

# ruff: noqa: E402, F401
from aflab._offline import ensure_tiktoken_encoding

ensure_tiktoken_encoding()

from aflab.providers._registry import aflab_llamacpp
from aflab.tasks import alignment_faking, classify_transcripts
