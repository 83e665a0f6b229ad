"""Build the self-contained HTML report from Inspect logs."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from aflab.analysis import (
    MAX_JUDGE_FAILURE_SHARE,
    MIN_FORMAT_ADHERENCE,
    Analysis,
    analyze,
    export_table,
)
from aflab.report._figures import make_figures
from aflab.report._records import MAX_CHARS, MAX_VOTES, browser_records, comparisons
from aflab.settings._sandbox import bounded_range

__all__ = ["PAGE_SIZE", "ReportResult", "ReportSection", "build_report", "render_report"]

PAGE_SIZE = 50
"""Samples per page of the transcript browser."""

_CAPTIONS = {
    "tier_breakdown": "Behaviour per tier: refuses, complies with alignment-faking reasoning, "
    "complies without it (% of scored samples, Wilson 95% intervals, n per bar)",
    "gap_by_variant": "Compliance gap per variant (percentage points, 95% interval)",
    "gap_by_model": "Compliance gap per model (percentage points, 95% interval)",
}


@dataclass(frozen=True)
class ReportSection:
    """An extra section of the report, placed before the transcript browser.

    Give either `html` (trusted markup: it is inserted as is, so escape any model text in it)
    or `template`, the name of a Jinja template found in `template_dirs` of `render_report`
    and rendered with the report's context plus `context`.

    Attributes:
        title: Heading of the section.
        html: Trusted HTML body.
        template: Name of a partial template.
        context: Extra variables for the template.
    """

    title: str
    html: str = ""
    template: str | None = None
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        """An id for links to the section."""
        return "section-" + (re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-") or "x")


@dataclass(frozen=True)
class ReportResult:
    """Files written by `build_report`.

    Attributes:
        index_html: The self-contained report page.
        results_json: Summary payload (`aflab.analysis.Analysis.payload`).
        samples_csv: Tidy sample table as CSV.
        samples_parquet: Tidy sample table as Parquet.
        figures: Figure files (PNG and SVG).
        analysis: The analysis every file renders (computed once).
    """

    index_html: Path
    results_json: Path
    samples_csv: Path
    samples_parquet: Path
    figures: list[Path]
    analysis: Analysis


def _environment(template_dirs: Sequence[str | Path]) -> Environment:
    loaders = [FileSystemLoader([str(d) for d in template_dirs])] if template_dirs else []
    # Section templates may come from the user's folders: render in Jinja's immutable sandbox
    # (no private attributes, no changes to data), without `lipsum`, with `range` bounded.
    # The prompt sandbox's output limit does not apply: a report of many transcripts is long.
    environment = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader([*loaders, PackageLoader("aflab.report", "templates")]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    environment.globals.pop("lipsum", None)
    environment.globals["range"] = bounded_range
    environment.globals["TEST_NAMES"] = GAP_TEST_NAMES
    return environment


# How the headline card names the test behind a gap (`Gap.interval`).
GAP_TEST_NAMES = {
    "tango": "McNemar score test, Tango interval",
    "cluster_score": "query-clustered score test",
    "score": "Miettinen-Nurminen score test",
    "cluster_wald": "Wald test, query-clustered SE",
}


def _static(name: str) -> Markup:
    # Our own stylesheet and script, inlined as trusted markup.
    return Markup(resources.files("aflab.report").joinpath("static", name).read_text("utf-8"))


def _figure_context(figures: dict[str, list[Path]]) -> list[dict[str, str]]:
    result = []
    for name, paths in figures.items():
        png = next(p for p in paths if p.suffix == ".png")
        svg = next(p for p in paths if p.suffix == ".svg")
        result.append({
            "name": name,
            "caption": _CAPTIONS.get(name, name),
            "png_base64": base64.b64encode(png.read_bytes()).decode("ascii"),
            "svg_name": svg.name,
        })  # fmt: skip
    return result


def render_report(
    df: pd.DataFrame,
    summary: dict[str, Any],
    figures: dict[str, list[Path]],
    *,
    logs: Sequence[str] = (),
    title: str = "aflab report",
    extra_sections: Sequence[ReportSection] = (),
    template_dirs: Sequence[str | Path] = (),
) -> str:
    """Render the report page from analysis results.

    Args:
        df: Sample table.
        summary: Payload of `summarize(df)`.
        figures: Figure name -> [PNG, SVG] paths (`make_figures`).
        logs: Log paths, listed in the page header.
        title: Page title.
        extra_sections: Sections added before the transcript browser.
        template_dirs: Directories searched for section templates before the package's own.

    Returns:
        The HTML text.
    """
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in summary["conditions"]:
        groups.setdefault((row["model"], row["setting"], row["variant"]), []).append(row)
    context: dict[str, Any] = {
        "title": title,
        "logs": list(logs),
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "n_samples": len(df),
        "n_conditions": len(groups),
        "pooled": summary.get("pooled", []),
        "gaps": summary["gaps"],
        "condition_groups": [
            {"model": k[0], "setting": k[1], "variant": k[2], "rows": rows}
            for k, rows in groups.items()
        ],
        "comparisons": comparisons(summary),
        "figures": _figure_context(figures),
        "min_format": MIN_FORMAT_ADHERENCE,
        "max_judge": MAX_JUDGE_FAILURE_SHARE,
        "records": browser_records(df),
        "page_size": PAGE_SIZE,
        "max_chars": MAX_CHARS,
        "max_votes": MAX_VOTES,
        "css": _static("report.css"),
        "browser_js": _static("browser.js"),
        "extra_sections": [
            ReportSection(s.title, Markup(s.html), s.template, s.context) for s in extra_sections
        ],
    }
    for section in extra_sections:
        context.update(section.context)
    return _environment(template_dirs).get_template("report.html.j2").render(context)


def build_report(
    logs: str | Path | Sequence[str | Path] | Analysis,
    output_dir: str | Path,
    *,
    title: str = "aflab report",
    extra_sections: Sequence[ReportSection] = (),
    template_dirs: Sequence[str | Path] = (),
    n_resamples: int = 2000,
    seed: int = 0,
    af_threshold: float | None = None,
    run: Mapping[str, Any] | None = None,
) -> ReportResult:
    """Write the report of one analysis: index.html, results.json, the sample table, figures.

    When the logs hold `frames` scores, the "Two frames" section (`two_frames_section`) comes
    first among the extra sections, with its preservation-profile figure; before it comes
    the "Why it fakes" section (`why_section`) when the run holds goal-guarding ablations
    beside their base condition or several oversight shares, and first of all the
    "Reasoning read" section (`reasoning_section`) when a condition reasons natively.

    Args:
        logs: Log files or directories (searched recursively), or an `Analysis` already made.
        output_dir: Directory for the report (created if missing).
        title: Page title.
        extra_sections: Sections added before the transcript browser.
        template_dirs: Directories searched for section templates.
        n_resamples: Bootstrap resamples per gap (when the logs are analysed here).
        seed: Bootstrap seed.
        af_threshold: Relabel judge-scored scratchpads at this share of yes votes
            (`relabel_faking`); the threshold used at run time when None.
        run: The run's record for ``results.json`` (completion, failed tasks, usage).

    Returns:
        Paths of the written files, and the analysis they render.

    Raises:
        aflab.analysis.LogReadError: No logs found, or a log cannot be read.
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    if isinstance(logs, Analysis):
        analysis = logs
    else:
        analysis = analyze(logs, n_resamples=n_resamples, seed=seed, af_threshold=af_threshold)
    df, summary = analysis.table, analysis.summary
    tables = export_table(df, out)
    results = analysis.write_json(out / "results.json", run)
    figures = make_figures(df, summary, out)
    # Imported here: the section module builds on `ReportSection` defined above.
    from aflab.report._reasoning import reasoning_section
    from aflab.report._two_frames import two_frames_section
    from aflab.report._why import why_section

    sections = list(extra_sections)
    section_figures: list[Path] = []
    two_frames = two_frames_section(df, out, n_resamples=n_resamples, seed=seed,
                                    gaps=analysis.gaps)  # fmt: skip
    if two_frames is not None:
        sections.insert(0, two_frames[0])
        section_figures = two_frames[1]
    why = why_section(summary["gaps"], out)
    if why is not None:
        sections.insert(0, why[0])
        section_figures += why[1]
    reasoning = reasoning_section(df)
    if reasoning is not None:
        sections.insert(0, reasoning)
    from aflab.organisms import organism_section

    organisms = organism_section(df["model"].unique()) if "model" in df else None
    if organisms is not None:
        sections.insert(0, organisms)
    html = render_report(
        df,
        summary,
        figures,
        logs=analysis.logs,
        title=title,
        extra_sections=sections,
        template_dirs=template_dirs,
    )
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    return ReportResult(
        index_html=index,
        results_json=results,
        samples_csv=tables["csv"],
        samples_parquet=tables["parquet"],
        figures=[p for paths in figures.values() for p in paths] + section_figures,
        analysis=analysis,
    )
