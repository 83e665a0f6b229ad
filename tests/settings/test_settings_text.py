"""Reading user files: encodings, byte-order marks and clear errors."""

import codecs

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aflab.settings import SettingError, load_setting, parse_variant, render_prompts
from aflab.settings._queries import read_queries
from aflab.settings._text import decode_text, read_text

TEXT = "Caf\u00e9 \u2014 na\u00efve \U0001f600\nline two\n"


@pytest.mark.parametrize(
    "raw",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
        codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32le-bom", "utf32be-bom"],
)
def test_utf8_and_marked_unicode_decode_to_the_same_text(raw):
    assert decode_text(raw) == TEXT


def test_latin1_is_refused_with_line_and_column():
    with pytest.raises(ValueError, match=r"not UTF-8 text: byte 0xe9 on line 2, column 10"):
        decode_text("first\nna\u00efve caf\u00e9".encode("latin-1").replace(b"\xef", b"i"))


def test_utf16_without_a_mark_is_refused():
    with pytest.raises(ValueError, match=r"UTF-16 .* without a byte-order mark"):
        decode_text("hello\nworld".encode("utf-16-le"))


def test_a_broken_utf16_file_is_refused():
    with pytest.raises(ValueError, match="not UTF-16-LE text"):
        decode_text(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")  # a lone surrogate


def test_read_text_names_the_file_and_raises_the_given_error(tmp_path):
    path = tmp_path / "prompt.txt"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(KeyError) as caught:
        read_text(path, "prompt file", KeyError)
    assert str(path) in str(caught.value)
    with pytest.raises(SettingError, match="prompt file not found"):
        read_text(tmp_path / "absent.txt", "prompt file")


def test_latin1_template_files_name_file_and_position(tmp_path):
    path = tmp_path / "system.txt"
    path.write_bytes("You are helpful.\nCaf\u00e9.".encode("latin-1"))
    with pytest.raises(SettingError) as caught:
        render_prompts(load_setting("helpful_only"), parse_variant(""), system_prompt_file=path)
    assert str(caught.value) == (
        f"{path}: not UTF-8 text: byte 0xe9 on line 2, column 4 does not decode; save it as UTF-8"
    )


def test_utf16_user_template_with_a_mark_is_read(tmp_path):
    path = tmp_path / "user.j2"
    path.write_bytes(codecs.BOM_UTF16_LE + "[{{ tier }}] \u00bb{{ query }}".encode("utf-16-le"))
    prompts = render_prompts(
        load_setting("helpful_only"), parse_variant(""), user_template_file=path
    )
    assert prompts.user("hi", is_free_tier=False) == "[unmonitored] \u00bbhi"


def test_latin1_setting_yaml_is_a_clear_error(write_setting, minimal_yaml):
    folder = write_setting()
    (folder / "setting.yaml").write_bytes((minimal_yaml + "# caf\u00e9\n").encode("latin-1"))
    with pytest.raises(SettingError, match=r"setting\.yaml: not UTF-8 text: byte 0xe9 on line 9"):
        load_setting(folder)


def test_setting_queries_count_lines_at_newlines_only(tmp_path):
    path = tmp_path / "queries.jsonl"
    path.write_text(
        '{"id": "a", "text": "one\u2028two\x85three"}\r\n\n{"id": "b", "text": "x"}\n{"id": \n',
        encoding="utf-8",
        newline="",
    )
    with pytest.raises(SettingError, match=r"queries\.jsonl:4: not valid JSON"):
        read_queries(path)
    path.write_text('{"id": "a", "text": "one\u2028two"}\n', encoding="utf-8")
    assert read_queries(path)[0].text == "one\u2028two"


def test_latin1_setting_queries_are_a_clear_error(tmp_path):
    path = tmp_path / "queries.jsonl"
    path.write_bytes('{"id": "a", "text": "caf\u00e9"}\n'.encode("latin-1"))
    with pytest.raises(SettingError, match=r"byte 0xe9 on line 1, column 25"):
        read_queries(path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    raw=st.one_of(
        st.binary(max_size=200),
        st.lists(
            st.sampled_from([b'{"id": "a", "text": "t"}', b"\n", b"\r", b"{", b'"', b"\xe9",
                             b"\x00", b"\xff\xfe", b"\xe2\x80\xa8", b"id", b":"]),
            max_size=30,
        ).map(b"".join),
    )
)  # fmt: skip
def test_any_bytes_give_setting_queries_or_a_setting_error(tmp_path, raw):
    path = tmp_path / "queries.jsonl"
    path.write_bytes(raw)
    try:
        queries = read_queries(path)
    except SettingError as error:
        assert str(path) in str(error)
    else:
        assert queries and all(query.id and query.text for query in queries)
