"""Word-anchored patterns give the same matches as the plain patterns, in linear time."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aflab.classifiers import _frame_keywords as keywords
from aflab.classifiers._frame_regex import AnchoredPattern

WORDS = (
    "a", "an", "test", "a test", "xa test", "being tested", "my values", "core values", "values",
    "animal welfare", "animal-welfare", "xanimal", "animals", "i know what my values",
    "ski know", "i'm going to refuse", "i’m going to decline", "future me", "long-term",
    "harmless", "honesty", "so the raters see", "can't verify", "if this is even true", "my",
    "retrain", "retrained me", "preserve my core values", "strategic", "xstrategically",
)  # fmt: skip
GLUE = (" ", "", "-", "\n", "_", "'", ".", "é", "<", "*")


def _patterns() -> list[AnchoredPattern]:
    found: list[AnchoredPattern] = [keywords._VALUE_TALK]
    for value in vars(keywords).values():
        if isinstance(value, tuple) and value and isinstance(value[0], AnchoredPattern):
            found.extend(value)
    for _, patterns in keywords._matchers(None):
        found.extend(patterns)
    return found


PATTERNS = _patterns()
texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GLUE)), max_size=40).map(
    lambda parts: "".join(word + glue for word, glue in parts)
)


def test_the_frame_patterns_are_all_split() -> None:
    assert len(PATTERNS) > 100
    assert all(p._lead is not None for p in PATTERNS)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_same_first_match_and_count_as_the_plain_pattern(text: str) -> None:
    for pattern in PATTERNS:
        plain = re.compile(pattern.pattern)
        expected = plain.search(text)
        got = pattern.search(text)
        assert (got and (got.span(), got.group(0))) == (expected and (expected.span(),
                                                                      expected.group(0)))
        assert pattern.count(text) == len(plain.findall(text))


@pytest.mark.parametrize(
    ("pattern", "text", "start"),
    [(r"\bi know\b", "ski know; i know", 10), (r"(?<!\w)cow(?!\w)", "scow cow", 5),
     (r"\bfoo|bar", "xbar", 1), (r"\b", "ab", 0)],
)  # fmt: skip
def test_leading_assertion_checked(pattern: str, text: str, start: int) -> None:
    found = AnchoredPattern(pattern).search(text)
    assert found is not None and found.start() == start


def test_a_top_level_alternation_is_left_whole() -> None:
    assert AnchoredPattern(r"\bfoo|bar")._lead is None
    assert AnchoredPattern(r"\b(?:foo|bar)")._lead is not None
    assert AnchoredPattern(r"\b[|]foo")._lead is not None


def test_many_candidates_that_fail_the_assertion() -> None:
    rng = random.Random(0)
    text = "".join(rng.choice(("xknow ", "know ", "knowx ")) for _ in range(5_000))
    pattern = AnchoredPattern(r"\bknow\b")
    assert pattern.count(text) == len(re.findall(r"\bknow\b", text)) > 1_000
