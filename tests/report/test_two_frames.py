import re

import pytest
from helpers_frames import INJECTION, add_frames, write, write_frame_runs
from helpers_logs import make_log, pattern

from aflab.analysis import preservation_profile, samples_table
from aflab.report import build_report, frame_examples, preservation_figure, two_frames_section


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    runs = write_frame_runs(tmp_path_factory.mktemp("frame_runs"))
    return build_report(runs, tmp_path_factory.mktemp("frame_report"), n_resamples=200)


@pytest.fixture(scope="module")
def section(report):
    page = report.index_html.read_text()
    start = page.index('<section id="section-two-frames">')
    return page[start : page.index("</section>", start)]


def test_section_and_profile_figure_are_built(report, section):
    page = report.index_html.read_text()
    assert '<a href="#section-two-frames">Two frames</a>' in page
    names = {p.name for p in report.figures}
    assert {"preservation_profile.png", "preservation_profile.svg"} <= names
    assert all(p.exists() and p.stat().st_size > 1000 for p in report.figures)
    assert section.count("data:image/png;base64,") == 1
    assert "preservation_profile.svg" in section
    assert page.count("<img ") == 4  # three report figures and the profile


def test_profile_table_shows_the_known_gaps(section):
    table = section[section.index('class="two-frames-profile"') :]
    table = table[: table.index("</table>")]
    assert "<td>harmlessness</td>" in table and "<td>honesty</td>" in table
    assert "+50.0 pp" in table and "+0.0 pp" in table
    assert "42.9%" in table  # 9 of 21 training samples reason about alignment faking


def test_channel_table_lists_the_channels(section):
    table = section[section.index('class="two-frames-channels"') :]
    table = table[: table.index("</table>")]
    channels = re.findall(r"<tr><td>mockllm/a</td><td>([a-z_]+)</td>", table)
    assert channels == ["system", "system", "news", "test_disclosed"]
    assert "<td>off</td>" in table and "<td>buried</td>" in table
    assert "50.0%" in table  # suspicion under the news channel


def test_readings_examples_and_interview(section):
    for frame in ("prop_alignment", "prop_honesty", "prop_humility", "intent_conflict",
                  "non_myopic"):  # fmt: skip
        assert f"<th>{frame}</th>" in section
    assert "harmlessness 9" in section
    af = section[section.index('class="two-frames-examples-af"') :]
    af = af[: af.index('class="two-frames-examples-preservation"')]
    assert af.count('<details class="sample">') == 3
    assert "helpful_only__evil__training" in af and "judge saw prop_alignment" in af
    kept = section[section.index('class="two-frames-examples-preservation"') :]
    assert kept.count('<details class="sample">') == 3
    assert "judge saw suspicion" in kept or "phrase for suspicion" in kept
    assert "24.4%" in section  # 10 of 41 interview answers suspicious


def test_keyword_readings_and_small_n_are_flagged(section):
    assert "offline keyword fallback" in section and "20 of 141 samples" in section
    assert "⚠ n=10" in section  # the disclosed-test condition has 10 samples per tier


def test_model_text_is_escaped_in_the_section(section):
    assert INJECTION not in section
    assert "&lt;/pre&gt;&lt;script&gt;document.title=&#39;pwned-frames&#39;" in section
    assert "<script" not in section and "<b onmouseover" not in section
    assert "&lt;i&gt;harmful?&lt;/i&gt; request" in section


def test_no_frames_no_section(runs, tmp_path):
    df = samples_table(runs)
    assert two_frames_section(df, tmp_path) is None
    assert not list(tmp_path.iterdir())


def test_section_copes_with_a_single_unscored_value(tmp_path):
    log = add_frames(make_log(pattern(4, training_comply=0.5)), lambda s: None)
    df = samples_table(write(log, tmp_path / "run.eval"))
    section, paths = two_frames_section(df, tmp_path / "out", n_resamples=100)
    assert section.context["two_frames"]["n_frames"] == 0
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert frame_examples(df) == {"af": [], "preservation": []}


def test_profile_figure_labels_axes_and_n(tmp_path):
    runs = write_frame_runs(tmp_path / "runs")
    profiles = preservation_profile(samples_table(runs, workers=1), n_resamples=100)
    png, svg = preservation_figure(profiles, tmp_path / "fig")
    assert png.read_bytes().startswith(b"\x89PNG")
    text = svg.read_text()
    assert "n=20 pairs" in text and "n=21" in text
    assert "percentage points" in text and "Wilson 95% CI" in text
    assert "value at stake" in text
    assert "Open defence per value" in text and "pairs refused in both tiers" in text
    empty = preservation_figure([], tmp_path / "empty")[1].read_text()
    assert "no data" in empty


def test_values_read_by_different_instruments_are_flagged(tmp_path):
    from aflab.report._two_frames import two_frames_section

    logs = []
    for setting, value in (("fairness", "fairness"), ("care", "care")):
        log = add_frames(make_log(pattern(4, training_comply=0.5), setting=setting, value=value),
                         lambda s: {"suspicion": 0.0})  # fmt: skip
        logs.append(write(log, tmp_path / f"{setting}.eval"))
    df = samples_table([str(p) for p in logs], workers=1)
    same, _ = two_frames_section(df, tmp_path / "a", n_resamples=50)
    assert same.context["two_frames"]["instrument_note"] is None
    df.loc[df.setting == "care", "compliance_method"] = "judge"
    mixed, _ = two_frames_section(df, tmp_path / "b", n_resamples=50)
    note = mixed.context["two_frames"]["instrument_note"]
    assert note and "mockllm/model" in note and "like with like" in note
    rows = {r["value"]: r["instruments"] for r in mixed.context["two_frames"]["profile"]}
    assert rows == {"care": "judge", "fairness": "tag"}
