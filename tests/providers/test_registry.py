"""The embedded provider's engines: xllamacpp is a dependency, llama-cpp-python an extra."""

import sys
import tomllib
from pathlib import Path

import pytest

from aflab.providers import EmbeddedModelMissingError
from aflab.providers._registry import create_embedded_api

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _project() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]


def test_the_default_engine_is_a_dependency_and_the_compiled_one_an_extra():
    names = [r.split(">")[0].split("=")[0] for r in _project()["dependencies"]]
    assert "xllamacpp" in names and "llama-cpp-python" not in names
    assert any(r.startswith("llama-cpp-python") for r in _project()["optional-dependencies"]
               ["llamacpp"])  # fmt: skip


def test_missing_llama_cpp_python_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import llama_cpp now fails
    with pytest.raises(EmbeddedModelMissingError, match=r"aflab\[llamacpp\]"):
        create_embedded_api("smollm2", engine="llama-cpp-python")
