"""Cutting a paraphrase template into passages and putting rewordings back."""

from __future__ import annotations

from aflab.settings._paraphrase import SOURCE
from aflab.settings._paraphrase_template import TemplateText, read_passages

SOURCE_TEXT = SOURCE.read_text(encoding="utf-8")


def test_unchanged_passages_give_back_the_source_exactly() -> None:
    text = TemplateText(SOURCE_TEXT)
    assert text.assemble({}) == SOURCE_TEXT
    assert len(text.passages) >= 10
    assert all(p.text == p.text.strip() and p.text for p in text.passages)
    assert any("{{company}}" in p.placeholders for p in text.passages)


def test_rewording_keeps_structure_and_replaces_prose() -> None:
    text = TemplateText("{% macro a() %}\nHello {{ company }}.\n{% endmacro %}\n")
    (passage,) = text.passages
    assert passage.text == "Hello {{ company }}." and passage.placeholders == ("{{company}}",)
    assert text.check_passage(1, "Greetings, {{company}}!") is None
    assert text.assemble({1: "Greetings, {{company}}!"}) == (
        "{% macro a() %}\nGreetings, {{company}}!\n{% endmacro %}\n"
    )


def test_placeholders_must_be_kept_and_no_other_syntax_added() -> None:
    text = TemplateText("{% macro a() %}Built by {{ company }} for {{ company }}.{% endmacro %}")
    assert "dropped {{company}}" in str(text.check_passage(1, "Built by {{ company }}."))
    added = text.check_passage(1, "{{ company }} {{ company }} {{ secret }}")
    assert "added {{secret}}" in str(added)
    injected = "{{ company }} and {{ company }} {% for x in range(9) %}x{% endfor %}"
    assert "template syntax" in str(text.check_passage(1, injected))
    assert "template syntax" in str(text.check_passage(1, "{{ company }}{{ company }} }}"))
    assert "empty" in str(text.check_passage(1, "{{ company }}{{ company }}"))


def test_reply_parser_reads_tagged_passages_and_ignores_junk() -> None:
    reply = 'intro <passage id="2">\n two \n</passage> <passage id="x">no</passage>'
    reply += '<passage id="2">dup</passage><passage id="3">unclosed'
    assert read_passages(reply) == {2: "two"}


def test_reply_parser_survives_unclosed_tags_and_stray_braces() -> None:
    hostile = '<passage id="1">' * 5000 + "{{" * 5000
    assert read_passages(hostile) == {}
    text = TemplateText("{% macro a() %}Hi {{ company }}.{% endmacro %}")
    assert "placeholders changed" in str(text.check_passage(1, "Hi " + "{{" * 5000))
