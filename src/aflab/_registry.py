"""Inspect AI entry point: registers aflab's tasks and its model provider."""

# ruff: noqa: F401
from aflab.providers._registry import aflab_llamacpp
from aflab.tasks import alignment_faking
