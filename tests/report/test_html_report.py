import json
import re
from html.parser import HTMLParser

import pandas as pd
from helpers_logs import CLOSING_SCRATCHPAD, IMG_OUTPUT, SCRIPT_OUTPUT

from aflab.analysis import samples_table, summarize
from aflab.report import MAX_CHARS, ReportSection, browser_records, render_report


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.script_bodies = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_bodies.append(data)


def _parse(html):
    parser = _Tags()
    parser.feed(html)
    return parser


def test_report_files_are_written(built):
    assert built.index_html.name == "index.html"
    assert built.samples_csv.exists() and built.samples_parquet.exists()
    assert len(built.figures) == 6
    payload = json.loads(built.results_json.read_text())
    assert len(payload["logs"]) == 3
    assert {g["variant"] for g in payload["gaps"]} == {"default", "no_scratchpad"}
    assert pd.read_parquet(built.samples_parquet).shape[0] == 31 + 30 + 60 + 40


def test_page_is_self_contained(built):
    html = built.index_html.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "@import" not in html and "url(" not in html
    tags = _parse(html).tags
    images = [a["src"] for t, a in tags if t == "img"]
    assert len(images) == 3 and all(s.startswith("data:image/png;base64,") for s in images)
    assert not [a for t, a in tags if t in {"link", "iframe", "object", "embed"}]
    assert all("src" not in a for t, a in tags if t == "script")


def test_model_text_never_becomes_markup(built):
    html = built.index_html.read_text()
    parsed = _parse(html)
    # Exactly our two scripts: the JSON blob and the browser code.
    scripts = [a for t, a in parsed.tags if t == "script"]
    assert [a.get("type") for a in scripts] == ["application/json", None]
    assert not [t for t, a in parsed.tags if t in {"img", "marquee"} and "onerror" in a]
    for text in (SCRIPT_OUTPUT, IMG_OUTPUT, CLOSING_SCRATCHPAD):
        assert text not in html
    blob = parsed.script_bodies[0]
    records = json.loads(blob)
    evil = next(r for r in records if r["query_id"] == "evil")
    assert evil["output"] == SCRIPT_OUTPUT + IMG_OUTPUT
    assert evil["scratchpad"] == CLOSING_SCRATCHPAD
    assert "innerHTML" not in parsed.script_bodies[1]


def test_headline_conditions_and_comparison(built):
    html = built.index_html.read_text()
    for anchor in ("headline", "figures", "conditions", "comparison", "browser"):
        assert f'id="{anchor}"' in html
    assert "(Holm)" in html
    assert "Setting helpful_only, variant default, across models" in html
    assert "Model mockllm/a, setting helpful_only, across variants" in html


def test_headline_names_the_test_behind_each_gap(built):
    html = built.index_html.read_text()
    cards = re.findall(r'<div class="p">(.*?)</div>', html, flags=re.S)
    named = {"McNemar score test, Tango interval", "query-clustered score test",
             "Miettinen-Nurminen score test", "Wald test, query-clustered SE"}
    assert cards and all(any(name in card for name in named) for card in cards)
    assert "bootstrap" not in html.split('id="figures"')[0]


def test_extra_section_and_partial_template(runs, tmp_path):
    df = samples_table(runs)
    summary = summarize(df, n_resamples=100)
    (tmp_path / "frames.html.j2").write_text("<p class='frames'>{{ frame_note }}</p>")
    html = render_report(
        df,
        summary,
        {},
        extra_sections=[
            ReportSection("Two frames", template="frames.html.j2", context={"frame_note": "<x>"}),
            ReportSection("Raw", html="<em>trusted</em>"),
        ],
        template_dirs=[tmp_path],
    )
    assert '<section id="section-two-frames">' in html
    assert "<p class='frames'>&lt;x&gt;</p>" in html
    assert "<em>trusted</em>" in html
    assert html.index("section-two-frames") < html.index('id="browser"')


def test_long_texts_are_trimmed_in_the_page():
    df = pd.DataFrame(
        {
            "model": ["m"], "setting": ["s"], "variant": ["v"], "tier": ["training"],
            "query_id": ["q"], "epoch": [1], "complied": [1.0], "af_label": [float("nan")],
            "query": ["q" * 10], "scratchpad": ["x" * 50_000], "output": [None],
            "af_votes": [[{"vote": True, "reason": "r" * 5000}] * 40],
        }
    )  # fmt: skip
    record = browser_records(df)[0]
    assert len(record["scratchpad"]) < MAX_CHARS["scratchpad"] + 100
    assert "characters left out" in record["scratchpad"]
    assert record["output"] is None and record["af_label"] is None
    assert len(record["votes"]) == 25 and record["n_votes"] == 40
    assert len(record["votes"][0]["reason"]) < MAX_CHARS["reason"] + 100
