import json

import pytest

from aflab.settings import Query, SettingError, list_settings, load_setting


@pytest.fixture
def make_setting(write_setting):
    def make(lines: list[str] | None):
        folder = write_setting()
        if lines is not None:
            (folder / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return load_setting(folder)

    return make


def test_load_queries(make_setting):
    setting = make_setting(
        [
            json.dumps({"id": "k_001", "text": "Be nice?", "category": "tone"}),
            "",
            json.dumps({"id": "k_002", "text": "Say hi"}),
        ]
    )
    assert setting.load_queries() == [
        Query("k_001", "Be nice?", "tone"),
        Query("k_002", "Say hi", None),
    ]


def test_missing_queries_file(make_setting):
    setting = make_setting(None)
    with pytest.raises(SettingError, match=r"queries file not found.*queries.jsonl"):
        setting.load_queries()


@pytest.mark.parametrize(
    ("bad_line", "pattern"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({"id": "k_002"}), "'text' must be a non-empty string"),
        (json.dumps({"id": "", "text": "x"}), "'id' must be a non-empty string"),
        (json.dumps({"id": "k_002", "text": "x", "category": 3}), "'category'"),
        (json.dumps({"id": "k_002", "text": "x", "prompt": "y"}), "unknown key"),
        (json.dumps({"id": "k_001", "text": "again"}), "duplicate query id 'k_001'"),
    ],
)
def test_malformed_line_is_named(make_setting, bad_line, pattern):
    good = json.dumps({"id": "k_001", "text": "fine"})
    setting = make_setting([good, bad_line])
    with pytest.raises(SettingError, match=pattern) as info:
        setting.load_queries()
    assert "queries.jsonl:2" in str(info.value)


def test_empty_queries_file(make_setting):
    setting = make_setting([""])
    with pytest.raises(SettingError, match="no queries"):
        setting.load_queries()


@pytest.mark.parametrize("name", list_settings())
def test_shipped_queries_are_valid(name):
    setting = load_setting(name)
    if not setting.queries_path.is_file():
        pytest.skip(f"{name} has no queries.jsonl yet")
    queries = setting.load_queries()
    assert queries
    assert all(query.text.strip() for query in queries)
