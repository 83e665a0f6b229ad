"""Doctest collection over src/aflab skips the modules of optional extras that are not installed."""

import importlib.util

# The llama-cpp-python engine is the optional `[llamacpp]` extra (compiled by pip); its modules
# import it at load time. Their tests live in tests/providers and skip on their own.
collect_ignore = (
    []
    if importlib.util.find_spec("llama_cpp") is not None
    else [
        "src/aflab/providers/_chat.py",
        "src/aflab/providers/_prefix_cache.py",
        "src/aflab/providers/llama_cpp.py",
    ]
)
