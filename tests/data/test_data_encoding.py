"""Query files in any encoding, and any bytes at all: queries or a clear DataError."""

import codecs
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aflab.data import DataError, load_queries
from aflab.data._records import SUFFIXES, read_records

ROWS = [{"id": "q1", "text": "Caf\u00e9 au lait?"}, {"id": "q2", "text": "\u00bfQu\u00e9 tal?"}]


def jsonl(rows) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def csv_text(rows) -> str:
    return "id,text\r\n" + "".join(f"{row['id']},{row['text']}\r\n" for row in rows)


FORMATS = {
    ".jsonl": jsonl,
    ".json": lambda rows: json.dumps(rows, ensure_ascii=False),
    ".csv": csv_text,
}


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (b"", "utf-8"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_utf8_and_marked_utf16_files_load(tmp_path, suffix, bom, encoding):
    path = tmp_path / f"queries{suffix}"
    path.write_bytes(bom + FORMATS[suffix](ROWS).encode(encoding))
    assert [(q.id, q.text) for q in load_queries(path)] == [(r["id"], r["text"]) for r in ROWS]


@pytest.mark.parametrize("suffix", FORMATS)
def test_latin1_files_name_the_file_line_and_byte(tmp_path, suffix):
    path = tmp_path / f"queries{suffix}"
    path.write_bytes(FORMATS[suffix](ROWS).encode("latin-1"))
    with pytest.raises(DataError) as caught:
        load_queries(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: not UTF-8 text: byte 0xe9 on line ")
    assert message.endswith("save it as UTF-8")


@pytest.mark.parametrize("suffix", FORMATS)
def test_utf16_without_a_mark_is_a_clear_error(tmp_path, suffix):
    path = tmp_path / f"queries{suffix}"
    path.write_bytes(FORMATS[suffix](ROWS).encode("utf-16-le"))
    with pytest.raises(DataError, match="without a byte-order mark"):
        load_queries(path)


def test_jsonl_errors_name_the_line_as_editors_count_it(tmp_path):
    path = tmp_path / "queries.jsonl"
    # U+2028 and U+0085 are valid inside JSON strings and are not line breaks in JSONL.
    lines = ['{"text": "one\u2028two\u0085three"}', "", '{"text": "fine"}', '{"text": oops}']
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    with pytest.raises(DataError, match=r"queries\.jsonl: line 4: not valid JSON"):
        load_queries(path)
    path.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    assert [q.text for q in load_queries(path)] == ["one\u2028two\u0085three", "fine"]


def test_json_errors_name_the_line(tmp_path):
    path = tmp_path / "queries.json"
    path.write_text('[\n  "a",\n  "b"\n  "c"\n]', encoding="utf-8")
    with pytest.raises(DataError, match="line 4, column 3"):
        load_queries(path)


@pytest.mark.parametrize(("suffix", "body"), [(".jsonl", ""), (".json", "[]"), (".csv", "text\n")])
def test_a_file_without_queries_is_a_clear_error(tmp_path, suffix, body):
    path = tmp_path / f"queries{suffix}"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataError, match="no queries"):
        load_queries(path)


def test_a_file_of_blank_rows_says_so(tmp_path):
    path = tmp_path / "queries.jsonl"
    path.write_text('"  "\n{"text": ""}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"every row \(2\) has an empty text"):
        load_queries(path)


SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Bytes that look like the formats often enough to reach the parsers, plus raw noise.
FRAGMENTS = st.sampled_from(
    [b"{", b"}", b"[", b"]", b'"', b",", b":", b"\n", b"\r", b"id", b"text", b"\xe9", b"\x00",
     b"\xff\xfe", b"\xef\xbb\xbf", b"null", b"1", b"\\", b"\xe2\x80\xa8", b"a"]
)  # fmt: skip
NOISE = st.one_of(st.binary(max_size=200), st.lists(FRAGMENTS, max_size=40).map(b"".join))


@pytest.mark.parametrize("suffix", SUFFIXES)
@SETTINGS
@given(raw=NOISE)
def test_any_bytes_give_records_or_a_data_error(tmp_path, suffix, raw):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(raw)
    try:
        records = read_records(path)
    except DataError as error:
        assert str(path) in str(error)
    else:
        assert all(isinstance(record.value, str | dict) for record in records)


@pytest.mark.parametrize("suffix", SUFFIXES)
@SETTINGS
@given(raw=NOISE)
def test_any_bytes_give_queries_or_a_data_error(tmp_path, suffix, raw):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(raw)
    try:
        queries = load_queries(path)
    except DataError as error:
        assert str(path) in str(error)
    else:
        assert queries and all(q.text.strip() and q.id for q in queries)
