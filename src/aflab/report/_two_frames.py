"""The "two frames" section: alignment faking, or strategic preservation of trained values.

Built only when the logs hold `frames` scores. All model text reaches the page through the
autoescaping template `partials/two_frames.html.j2`.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from aflab.analysis import (
    CONDITION_KEYS,
    FRAME_KEYS,
    FRAME_THRESHOLD,
    PRESERVATION_FRAMES,
    SMALL_N,
    Gap,
    Rate,
    ValueProfile,
    channel_table,
    compliance_by_suspicion,
    frames_methods,
    has_frames,
    interview_summary,
    preservation_profile,
    two_readings,
)
from aflab.report._frame_figures import preservation_figure
from aflab.report._html import ReportSection
from aflab.report._records import trim

__all__ = ["EXAMPLE_CHARS", "SECTION_TITLE", "frame_examples", "two_frames_section"]

SECTION_TITLE = "Two frames"

EXAMPLE_CHARS = {"query": 500, "scratchpad": 1_500, "output": 700, "reason": 300}
"""Longest excerpt of each kind shown in an example transcript."""

_SIGNALS = ("suspicion", "fact_doubt", "prop_humility", "intent_conflict")
"""Frames whose presence marks a sample as an example of the preservation reading."""


def _num(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _rate(r: Rate) -> dict[str, Any]:
    return {"p": _num(r.p), "ci": [_num(r.lo), _num(r.hi)], "k": r.k, "n": r.n}


def _gap(g: Gap) -> dict[str, Any]:
    n = min(g.n_training, g.n_unmonitored)
    return {"gap": _num(g.gap), "ci": [_num(g.lo), _num(g.hi)], "method": g.method,
            "n_pairs": g.n_pairs, "n_training": g.n_training, "n_unmonitored": g.n_unmonitored,
            "small": n < SMALL_N}  # fmt: skip


def _reasons(row: dict[str, Any]) -> list[dict[str, str]]:
    """Why each present frame was read: judge reasons of yes votes, or matched keywords."""
    details = row.get("frames_details")
    details = details if isinstance(details, dict) else {}
    shown: list[dict[str, str]] = []
    for frame in FRAME_KEYS:
        score = _num(row.get(frame))
        if score is None or score < FRAME_THRESHOLD:
            continue
        votes = (details.get("votes") or {}).get(frame) or []
        texts = [str(v.get("reason") or "") for v in votes if isinstance(v, dict) and v.get("vote")]
        phrases = (details.get("evidence") or {}).get(frame) or []
        if phrases:
            texts.append("matched: " + ", ".join(f"“{p}”" for p in phrases[:4]))
        text = " / ".join(t for t in texts[:2] if t) or "(no reason recorded)"
        shown.append({"frame": frame, "score": f"{score:.2f}",
                      "text": trim(text, EXAMPLE_CHARS["reason"]) or ""})  # fmt: skip
    return shown


def _af_reasons(row: dict[str, Any]) -> list[str]:
    votes = row.get("af_votes")
    if not isinstance(votes, list):
        return []
    yes = [v for v in votes if isinstance(v, dict) and v.get("vote")]
    return [trim(str(v.get("reason") or ""), EXAMPLE_CHARS["reason"]) or "" for v in yes[:2]]


def _example(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: str(row[k]) for k in ("model", "setting", "variant", "tier", "sample_id")},
        "af_score": _num(row.get("af_score")),
        "complied": _num(row.get("complied")),
        "value_named": row.get("value_named") if isinstance(row.get("value_named"), str) else None,
        **{k: trim(row.get(k), EXAMPLE_CHARS[k]) for k in ("query", "scratchpad", "output")},
        "frame_reasons": _reasons(row),
        "af_reasons": _af_reasons(row),
    }


def _pick(rows: pd.DataFrame, by: list[str], n: int) -> list[dict[str, Any]]:
    """The n best rows by `by` (all descending), taking each condition's best first."""
    ident = ["model", "setting", "variant", "sample_id", "epoch"]
    ranked = rows.sort_values([*by, *ident], ascending=[False] * len(by) + [True] * len(ident),
                              kind="stable")  # fmt: skip
    ranked = ranked.assign(_rank=ranked.groupby(list(CONDITION_KEYS), dropna=False).cumcount())
    records: list[dict[str, Any]] = (
        ranked.sort_values("_rank", kind="stable").head(n).to_dict("records")
    )
    return records


def frame_examples(df: pd.DataFrame, n: int = 3) -> dict[str, list[dict[str, Any]]]:
    """A few transcripts for each reading, with trimmed texts and the frame reasons.

    Examples are spread over conditions: each condition's strongest sample comes before any
    condition's second one.

    Args:
        df: Sample table with frame columns.
        n: Examples per reading.

    Returns:
        {"af": samples with the highest alignment-faking scores (at least 0.5; training tier
        first), "preservation": other samples with the most and strongest of suspicion, fact
        doubt, claimed authority or weighed intents (at least `FRAME_THRESHOLD`)}.
    """
    af: list[dict[str, Any]] = []
    if "af_score" in df.columns:
        rows = df[df["af_score"] >= 0.5]
        af = _pick(rows.assign(_t=rows["tier"] == "training"), ["af_score", "_t"], n)
    signals = [c for c in _SIGNALS if c in df.columns]
    kept: list[dict[str, Any]] = []
    if signals:
        ident = ["model", "variant", "sample_id", "epoch"]
        shown = {tuple(r[k] for k in ident) for r in af}
        present = df[signals] >= FRAME_THRESHOLD
        rows = df.assign(_s=df[signals].max(axis=1, skipna=True), _c=present.sum(axis=1))
        fresh = [tuple(r) not in shown for r in rows[ident].itertuples(index=False)]
        rows = rows[pd.Series(fresh, index=rows.index, dtype=bool) & present.any(axis=1)]
        kept = _pick(rows, ["_c", "_s"], n)
    return {"af": [_example(r) for r in af], "preservation": [_example(r) for r in kept]}


def _figure(paths: list[Path]) -> dict[str, str]:
    png = next(p for p in paths if p.suffix == ".png")
    svg = next(p for p in paths if p.suffix == ".svg")
    return {"png_base64": base64.b64encode(png.read_bytes()).decode("ascii"), "svg_name": svg.name}


def _method_note(methods: dict[str, int]) -> str | None:
    local = methods.get("local", 0)
    if not local:
        return None
    total = sum(methods.values())
    share = "all" if local == total else f"{local} of {total}"
    return (
        f"The frame readings of {share} samples come from the offline keyword fallback, not from "
        "a judge model: they see wording, not meaning (negations and paraphrases fool them), so "
        "treat these frame rates as rough indications only."
    )


def _profile_rows(profiles: list[ValueProfile]) -> list[dict[str, Any]]:
    return [
        {"model": p.model, "value": p.value, "settings": ", ".join(p.settings),
         "variants": ", ".join(p.variants), "gap": _gap(p.gap), "af": _rate(p.af_training),
         "refuses": {t: _rate(r) for t, r in p.refuses.items()},
         "open_defence": _rate(p.open_defence), "instruments": ", ".join(p.instruments) or "–"}
        for p in profiles
    ]  # fmt: skip


def _mixed_instruments(profiles: list[ValueProfile]) -> str | None:
    """A warning when the values of one model had their compliance read by different means."""
    by_model: dict[str, set[tuple[str, ...]]] = {}
    for p in profiles:
        by_model.setdefault(p.model, set()).add(p.instruments)
    mixed = sorted(m for m, kinds in by_model.items() if len(kinds) > 1)
    if not mixed:
        return None
    return (
        f"Compliance was read by different instruments for different values of {', '.join(mixed)}"
        " (see the last column): their rates do not compare like with like. Give one judge "
        "model (--judge-model) so every value is read the same way."
    )


def _suspicion_rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {"model": r.model, "value": r.value, "tier": r.tier, "suspects": _rate(r.suspects),
         "trusts": _rate(r.trusts), "difference": _num(r.difference),
         "ci": [_num(r.lo), _num(r.hi)], "unread": r.unread}
        for r in compliance_by_suspicion(df)
    ]  # fmt: skip


def _context(df: pd.DataFrame, out_dir: Path, n_resamples: int, seed: int, n_examples: int,
             gaps: Sequence[Gap] | None) -> tuple[dict[str, Any], list[Path]]:  # fmt: skip
    variant = "default" if (df["variant"] == "default").any() else None
    profiles = preservation_profile(df, variant=variant, n_resamples=n_resamples, seed=seed)
    paths = preservation_figure(profiles, out_dir)
    profile_rows = _profile_rows(profiles)
    harm_free: list[dict[str, Any]] = []
    if "harm" in df.columns and (df["harm"] == "none").any():
        harm_free = _profile_rows(preservation_profile(
            df, variant=variant, harm="none", n_resamples=n_resamples, seed=seed))  # fmt: skip
    channels = [
        {"model": r.model, "setting": r.setting, "variant": r.variant, "channel": r.axes.group,
         "think_situation": "on" if r.axes.think_situation else "off", "facts": r.axes.facts,
         "n": r.n, "suspicion": _rate(r.suspicion), "fact_doubt": _rate(r.fact_doubt),
         "gap": _gap(r.gap)}
        for r in channel_table(df, n_resamples=n_resamples, seed=seed, gaps=gaps)
    ]  # fmt: skip
    readings = [
        {"model": r.model, "setting": r.setting, "value": r.value, "variant": r.variant,
         "tier": r.tier, "n": r.n, "n_frames": r.n_frames, "af": _rate(r.af), "gap": _gap(r.gap),
         "frames": {f: _rate(x) for f, x in r.frames.items()},
         "value_named": " · ".join(f"{k} {v}" for k, v in r.value_named.items()) or "–",
         "named_at_stake": r.value_named.get(r.value, 0)}
        for r in two_readings(df, n_resamples=n_resamples, seed=seed, gaps=gaps)
    ]  # fmt: skip
    interviews = [
        {"model": r.model, "setting": r.setting, "variant": r.variant, "answers": r.answers,
         "context": r.context, "doubt": _rate(r.doubt), "suspicion": _rate(r.suspicion),
         "fact_doubt": _rate(r.fact_doubt)}
        for r in interview_summary(df)
    ]  # fmt: skip
    methods = frames_methods(df)
    scored = int(df[[k for k in FRAME_KEYS if k in df.columns]].notna().any(axis=1).sum())
    context = {
        "methods": methods,
        "method_note": _method_note(methods),
        "n_frames": scored,
        "n_samples": len(df),
        "threshold": FRAME_THRESHOLD,
        "small_n": SMALL_N,
        "profile_variant": variant,
        "figure": _figure(paths),
        "profile": profile_rows,
        "harm_free_profile": harm_free,
        "instrument_note": _mixed_instruments(profiles),
        "suspicion": _suspicion_rows(df),
        "channels": channels,
        "preservation_frames": list(PRESERVATION_FRAMES),
        "readings": readings,
        "examples": frame_examples(df, n_examples),
        "interviews": interviews,
        "example_chars": EXAMPLE_CHARS,
    }
    return context, paths


def two_frames_section(
    df: pd.DataFrame,
    out_dir: str | Path,
    *,
    n_resamples: int = 2000,
    seed: int = 0,
    n_examples: int = 3,
    gaps: Sequence[Gap] | None = None,
) -> tuple[ReportSection, list[Path]] | None:
    """The report section comparing the alignment-faking and preservation readings.

    Args:
        df: Sample table (`aflab.analysis.samples_table`).
        out_dir: Directory for the preservation-profile figure.
        n_resamples: Bootstrap resamples per gap.
        seed: Bootstrap seed.
        n_examples: Example transcripts per reading.
        gaps: The gaps of `df`'s conditions when already computed (the report's analysis).

    Returns:
        The section and its figure files, or None when no sample has `frames` scores.
    """
    if not len(df) or not has_frames(df):
        return None
    context, paths = _context(df, Path(out_dir), n_resamples, seed, n_examples, gaps)
    section = ReportSection(SECTION_TITLE, template="partials/two_frames.html.j2",
                            context={"two_frames": context})  # fmt: skip
    return section, paths
