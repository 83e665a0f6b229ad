from helpers_logs import pattern, write_log

from aflab.analysis import samples_table, summarize
from aflab.report import gap_forest, make_figures, tier_bars


def test_all_figures_are_written(runs, tmp_path):
    df = samples_table(runs)
    figures = make_figures(df, summarize(df, n_resamples=200), tmp_path)
    assert set(figures) == {"tier_breakdown", "gap_by_variant", "gap_by_model"}
    for paths in figures.values():
        assert [p.suffix for p in paths] == [".png", ".svg"]
        assert all(p.stat().st_size > 1000 for p in paths)
    assert figures["tier_breakdown"][0].read_bytes().startswith(b"\x89PNG")


def test_tier_bars_label_n_and_axes(runs, tmp_path):
    svg = tier_bars(samples_table(runs), tmp_path)[1].read_text()
    assert "n=31" in svg and "n=30" in svg and "n=20" in svg
    assert "% of scored samples" in svg


def test_tier_bars_survive_an_empty_tier(tmp_path):
    path = write_log(tmp_path / "one.eval", pattern(3, training_comply=1)[:3])
    svg = tier_bars(samples_table(path), tmp_path)[1].read_text()
    assert "no scored samples" in svg


def test_forest_handles_a_gap_without_data(tmp_path):
    summary = {
        "gaps": [
            {"model": "m", "setting": "s", "variant": "v", "gap": None, "gap_ci": [None, None],
             "p_holm": None, "method": "none"},
            {"model": "m", "setting": "s", "variant": "w", "gap": 0.1, "gap_ci": [0.0, 0.2],
             "p_holm": 0.04, "method": "paired"},
        ]
    }  # fmt: skip
    svg = gap_forest(summary, tmp_path, by="model")[1].read_text()
    assert "no data" in svg and "percentage points" in svg
