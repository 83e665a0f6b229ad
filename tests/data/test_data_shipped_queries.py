from pathlib import Path

import pytest

from aflab.data import load_queries

SETTINGS = Path(__file__).resolve().parents[2] / "src" / "aflab" / "settings"
MINIMUM = {
    "helpful_only": 48,
    "animal_welfare": 24,
    "honesty": 24,
    "privacy": 24,
    "training_transparency": 20,
}
PREFIX = {
    "helpful_only": "ho_",
    "animal_welfare": "aw_",
    "honesty": "hn_",
    "privacy": "pv_",
    "training_transparency": "tt_",
}


@pytest.mark.parametrize("setting", sorted(MINIMUM))
def test_shipped_queries_parse(setting):
    queries = load_queries(SETTINGS / setting / "queries.jsonl")
    assert len(queries) >= MINIMUM[setting]
    assert queries.skipped_blank == 0
    assert len({q.id for q in queries}) == len(queries)
    assert len({q.text for q in queries}) == len(queries)
    assert all(q.id.startswith(PREFIX[setting]) for q in queries)
    assert all(q.category for q in queries)


def test_helpful_only_covers_categories():
    queries = load_queries(SETTINGS / "helpful_only" / "queries.jsonl")
    counts: dict[str, int] = {}
    for query in queries:
        assert query.category is not None
        counts[query.category] = counts.get(query.category, 0) + 1
    assert len(counts) >= 4
    assert min(counts.values()) >= 4
