from pathlib import Path

import pytest

from aflab.providers import (
    DEFAULT_EMBEDDED_MODEL,
    GGUFNotFoundError,
    LlamaCppOptions,
    UnsupportedInputError,
    resolve_model_path,
)


def test_options_defaults() -> None:
    options = LlamaCppOptions.from_model_args({})
    assert options.n_ctx == 8192
    assert options.n_gpu_layers == 0
    assert options.prefix_cache is True
    assert options.threads >= 1


def test_options_convert_cli_strings() -> None:
    options = LlamaCppOptions.from_model_args(
        {"n_ctx": "2048", "prefix_cache": "false", "seed": "7", "chat_format": "chatml"}
    )
    assert options.n_ctx == 2048
    assert options.prefix_cache is False
    assert options.seed == 7
    assert options.chat_format == "chatml"


def test_options_reject_unknown_key() -> None:
    with pytest.raises(UnsupportedInputError, match="n_ctxx"):
        LlamaCppOptions.from_model_args({"n_ctxx": 10})


def test_options_reject_bad_values() -> None:
    with pytest.raises(UnsupportedInputError, match="n_ctx"):
        LlamaCppOptions.from_model_args({"n_ctx": "big"})
    with pytest.raises(UnsupportedInputError, match="prefix_cache"):
        LlamaCppOptions.from_model_args({"prefix_cache": "maybe"})
    with pytest.raises(UnsupportedInputError, match="prefix_cache_size"):
        LlamaCppOptions.from_model_args({"engine": "llama-cpp-python", "prefix_cache_size": 0})


def test_missing_gguf_path_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "model.gguf"
    with pytest.raises(GGUFNotFoundError, match=r"nowhere/model\.gguf"):
        resolve_model_path(str(missing))


def test_existing_path_resolves(tmp_path: Path) -> None:
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF")
    assert resolve_model_path(str(gguf)) == gguf.resolve()


def test_default_model_name() -> None:
    assert DEFAULT_EMBEDDED_MODEL == "aflab-llamacpp/smollm2"


def test_options_engine_defaults_to_prebuilt_server() -> None:
    assert LlamaCppOptions.from_model_args({}).engine == "xllamacpp"
    options = LlamaCppOptions.from_model_args({"engine": "llama-cpp-python"})
    assert options.engine == "llama-cpp-python"


def test_options_reject_unknown_engine_and_misplaced_args() -> None:
    with pytest.raises(UnsupportedInputError, match="unknown engine 'vllm'"):
        LlamaCppOptions.from_model_args({"engine": "vllm"})
    with pytest.raises(UnsupportedInputError, match="prefix_cache_size"):
        LlamaCppOptions.from_model_args({"prefix_cache_size": "2"})
    with pytest.raises(UnsupportedInputError, match="parallel applies only"):
        LlamaCppOptions.from_model_args({"engine": "llama-cpp-python", "parallel": 2})
    with pytest.raises(UnsupportedInputError, match="parallel must be at least 1"):
        LlamaCppOptions.from_model_args({"parallel": "0"})
    assert LlamaCppOptions.from_model_args({"parallel": "4"}).parallel == 4
