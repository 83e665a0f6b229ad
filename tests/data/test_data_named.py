import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from aflab.data import NAMED_DATASETS, DataError, load_named, locate_named, resolve_queries

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
needs_shared = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason=f"reference data folder {SHARED_DATA} is absent"
)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(#x?[0-9a-fA-F]+|[a-zA-Z]+);")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    monkeypatch.delenv("AFLAB_DATA_DIR", raising=False)
    monkeypatch.setenv("AFLAB_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


@needs_shared
@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("advbench", 520),
        ("strongreject", 313),
        ("strongreject_small", 60),
        ("harmbench", 159),
        ("harmbench_val", 41),
        ("paper_helpful", 352),
        ("paper_animal_welfare", 599),
    ],
)
def test_named_counts_and_unique_ids(name, count, offline):
    queries = load_named(name, data_dir=SHARED_DATA)
    assert len(queries) == count
    assert len({q.id for q in queries}) == count
    assert all(q.text.strip() == q.text and q.text for q in queries)


@needs_shared
def test_named_ids_are_stable(offline):
    assert load_named("advbench", data_dir=SHARED_DATA)[3].id == "advbench_0003"
    first = load_named("harmbench", data_dir=SHARED_DATA)[0]
    assert first.id == "korean_war_north_defensive"
    assert first.category == "misinformation_disinformation"


@needs_shared
def test_harmbench_keeps_standard_only(offline):
    ids = {q.id for q in load_named("harmbench", data_dir=SHARED_DATA)}
    # A copyright behaviour of the test split is left out.
    assert not any(i.startswith("lyrics_") or i.startswith("passage_") for i in ids)


@needs_shared
def test_strongreject_has_categories(offline):
    categories = {q.category for q in load_named("strongreject", data_dir=SHARED_DATA)}
    assert len(categories) == 6


@needs_shared
def test_paper_animal_welfare_has_no_html(offline):
    queries = load_named("paper_animal_welfare", data_dir=SHARED_DATA)
    assert not [q.id for q in queries if _TAG.search(q.text) or _ENTITY.search(q.text)]
    assert "\xa0" not in "".join(q.text for q in queries)


@needs_shared
def test_data_dir_from_environment(monkeypatch, offline):
    monkeypatch.setenv("AFLAB_DATA_DIR", str(SHARED_DATA))
    assert len(load_named("strongreject_small", limit=5)) == 5
    assert len(resolve_queries("advbench", limit=7)) == 7


def test_offline_download_raises_with_hint(tmp_path, offline):
    with pytest.raises(DataError) as caught:
        load_named("advbench", data_dir=tmp_path / "empty")
    message = str(caught.value)
    assert "download" in message and "failed" in message
    assert "--data-dir" in message and "AFLAB_DATA_DIR" in message
    assert "advbench/harmful_behaviors.csv" in message


def test_local_only_dataset_raises_with_hint(tmp_path, offline):
    with pytest.raises(DataError, match=r"no public download.*--data-dir.*AFLAB_DATA_DIR"):
        load_named("paper_helpful", data_dir=tmp_path)


def test_download_lands_in_cache_and_is_reused(tmp_path, monkeypatch):
    calls = []

    class _Response:
        def __init__(self, body):
            self.body = body

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return self.body

    def fake_urlopen(url, timeout):
        calls.append((url, timeout))
        return _Response(b"goal,target\nFirst goal,Sure\nSecond goal,Sure\n")

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    queries = load_named("advbench")
    assert [q.text for q in queries] == ["First goal", "Second goal"]
    assert calls[0][0] == NAMED_DATASETS["advbench"].url and calls[0][1] > 0
    assert (tmp_path / "cache" / "advbench" / "harmful_behaviors.csv").is_file()
    assert locate_named("advbench") == tmp_path / "cache" / "advbench" / "harmful_behaviors.csv"
    assert len(calls) == 1


def test_harmbench_without_functional_category_is_rejected(tmp_path, offline):
    target = tmp_path / "harmbench" / "harmbench_behaviors_text_test.csv"
    target.parent.mkdir()
    target.write_text("Behavior,BehaviorID\nx,y\n", encoding="utf-8")
    with pytest.raises(DataError, match="FunctionalCategory"):
        load_named("harmbench", data_dir=tmp_path)


def test_unknown_name_lists_known(tmp_path):
    with pytest.raises(DataError, match=r"unknown dataset 'nope'.*advbench"):
        load_named("nope", data_dir=tmp_path)


def test_every_spec_is_consistent():
    for name, spec in NAMED_DATASETS.items():
        assert spec.name == name
        assert spec.url is None or spec.url.startswith("https://raw.githubusercontent.com/")
    assert NAMED_DATASETS["paper_helpful"].url is None
