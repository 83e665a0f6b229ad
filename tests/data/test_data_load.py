import json
import logging
from pathlib import Path

import pytest

from aflab.data import DataError, load_queries, resolve_queries
from aflab.settings import Query


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_auto_detects_goal_column(tmp_path):
    path = _write(tmp_path / "bench.csv", "goal,target\nDo a bad thing,Sure\nAnother,Sure\n")
    queries = load_queries(path)
    assert queries == [Query("bench_0000", "Do a bad thing"), Query("bench_0001", "Another")]


def test_csv_column_option_picks_named_column(tmp_path):
    path = _write(tmp_path / "bench.csv", "goal,target\nDo a bad thing,Sure thing\n")
    assert [q.text for q in load_queries(path, column="target")] == ["Sure thing"]


def test_csv_id_and_category_columns(tmp_path):
    path = _write(tmp_path / "b.csv", "key,kind,prompt\nk1,fraud,Scam someone\nk2,,Hack\n")
    queries = load_queries(path, id_column="key", category_column="kind")
    assert queries == [Query("k1", "Scam someone", "fraud"), Query("k2", "Hack", None)]


def test_csv_quoted_multiline_cell(tmp_path):
    path = _write(tmp_path / "b.csv", 'text\n"line one\nline two"\nsecond\n')
    assert [q.text for q in load_queries(path)] == ["line one\nline two", "second"]


def test_csv_extra_field_names_row(tmp_path):
    path = _write(tmp_path / "b.csv", "text\nfine\ntoo,many\n")
    with pytest.raises(DataError, match=r"b\.csv: row 2 .*more fields"):
        load_queries(path)


def test_json_list_of_strings(tmp_path):
    path = _write(tmp_path / "q.json", json.dumps(["first", "second"]))
    assert [(q.id, q.text) for q in load_queries(path)] == [
        ("q_0000", "first"),
        ("q_0001", "second"),
    ]


def test_json_list_of_objects_uses_id_and_category_keys(tmp_path):
    rows = [{"id": "a", "prompt": "x", "category": "c"}, {"id": "b", "prompt": "y"}]
    path = _write(tmp_path / "q.json", json.dumps(rows))
    assert load_queries(path) == [Query("a", "x", "c"), Query("b", "y", None)]


@pytest.mark.parametrize("key", ["samples", "queries", "data"])
def test_json_wrapped_list(tmp_path, key):
    path = _write(tmp_path / "q.json", json.dumps({key: [{"query": "hello"}], "meta": 1}))
    assert [q.text for q in load_queries(path)] == ["hello"]


def test_json_object_without_row_list_is_rejected(tmp_path):
    path = _write(tmp_path / "q.json", json.dumps({"rows": []}))
    with pytest.raises(DataError, match="samples"):
        load_queries(path)


def test_json_non_string_text_names_item(tmp_path):
    path = _write(tmp_path / "q.json", json.dumps([{"text": "ok"}, {"text": 5}]))
    with pytest.raises(DataError, match=r"item 1: 'text' must be a string"):
        load_queries(path)


def test_jsonl_with_case_insensitive_column(tmp_path):
    lines = [json.dumps({"behavior": "one"}), "", json.dumps({"behavior": "two"})]
    path = _write(tmp_path / "q.jsonl", "\n".join(lines) + "\n")
    assert [(q.id, q.text) for q in load_queries(path)] == [("q_0000", "one"), ("q_0001", "two")]


def test_blank_rows_are_skipped_and_counted(tmp_path, caplog):
    rows = [{"text": "a"}, {"text": "   "}, {"text": None}, {"text": "b"}]
    path = _write(tmp_path / "q.jsonl", "\n".join(json.dumps(r) for r in rows))
    with caplog.at_level(logging.WARNING):
        queries = load_queries(path)
    assert [q.id for q in queries] == ["q_0000", "q_0003"]
    assert queries.skipped_blank == 2
    assert "skipped 2 blank" in caplog.text


def test_limit_keeps_first_non_blank(tmp_path):
    path = _write(tmp_path / "q.json", json.dumps(["a", "", "b", "c"]))
    assert [q.text for q in load_queries(path, limit=2)] == ["a", "b"]
    assert load_queries(path, limit=0) == []
    with pytest.raises(DataError, match="limit"):
        load_queries(path, limit=-1)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"not found: .*nope\.csv"):
        load_queries(tmp_path / "nope.csv")


def test_unknown_suffix(tmp_path):
    path = _write(tmp_path / "q.txt", "hello\n")
    with pytest.raises(DataError, match=r"q\.txt.*'\.txt'"):
        load_queries(path)


def test_unknown_column_lists_available(tmp_path):
    path = _write(tmp_path / "b.csv", "goal,target\nx,y\n")
    with pytest.raises(DataError, match=r"b\.csv: no text column 'prompt'.*goal, target"):
        load_queries(path, column="prompt")


def test_undetectable_text_column_lists_available(tmp_path):
    path = _write(tmp_path / "b.csv", "foo,bar\nx,y\n")
    with pytest.raises(DataError, match=r"available columns: foo, bar"):
        load_queries(path)


def test_malformed_jsonl_line_is_named(tmp_path):
    path = _write(tmp_path / "q.jsonl", '{"text": "ok"}\n\n{"text": broken}\n')
    with pytest.raises(DataError, match=r"q\.jsonl: line 3: not valid JSON"):
        load_queries(path)


def test_jsonl_non_object_line_is_named(tmp_path):
    path = _write(tmp_path / "q.jsonl", '{"text": "ok"}\n[1, 2]\n')
    with pytest.raises(DataError, match=r"line 2: expected a string or an object, got list"):
        load_queries(path)


def test_duplicate_ids_rejected(tmp_path):
    path = _write(tmp_path / "q.jsonl", '{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n')
    with pytest.raises(DataError, match=r"line 2: duplicate id 'a' \(first at line 1\)"):
        load_queries(path)


def test_missing_id_value_rejected(tmp_path):
    path = _write(tmp_path / "b.csv", "key,text\nk1,x\n,y\n")
    with pytest.raises(DataError, match=r"row 2 .*id column 'key'"):
        load_queries(path, id_column="key")


def test_column_option_on_plain_strings_rejected(tmp_path):
    path = _write(tmp_path / "q.json", json.dumps(["a"]))
    with pytest.raises(DataError, match="plain strings"):
        load_queries(path, column="text")


def test_resolve_queries_reads_path(tmp_path):
    path = _write(tmp_path / "q.json", json.dumps(["a", "b"]))
    assert [q.text for q in resolve_queries(str(path), limit=1)] == ["a"]


def test_resolve_queries_missing_file_is_not_taken_for_a_name(tmp_path):
    with pytest.raises(DataError, match="query file not found"):
        resolve_queries(str(tmp_path / "nope.csv"))


def test_resolve_queries_rejects_column_for_named():
    with pytest.raises(DataError, match="query files only"):
        resolve_queries("advbench", column="goal")
