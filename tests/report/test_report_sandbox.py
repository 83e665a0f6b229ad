"""Section templates from the user's folders render in the sandbox."""

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from aflab.analysis import samples_table, summarize
from aflab.report import ReportSection, render_report


def _render(runs, folder, source):
    (folder / "mine.html.j2").write_text(source, encoding="utf-8")
    df = samples_table(runs)
    return render_report(
        df,
        summarize(df, n_resamples=100),
        {},
        extra_sections=[ReportSection("Mine", template="mine.html.j2", context={})],
        template_dirs=[folder],
    )


def test_a_section_template_cannot_reach_python_internals(runs, tmp_path):
    with pytest.raises(SecurityError, match="__init__"):
        _render(runs, tmp_path, "{{ cycler.__init__.__globals__.os.popen('id').read() }}")


def test_a_section_template_has_no_lipsum_and_a_bounded_range(runs, tmp_path):
    with pytest.raises(UndefinedError, match="lipsum"):
        _render(runs, tmp_path, "{{ lipsum.__globals__ }}")
    with pytest.raises(SecurityError, match="range of"):
        _render(runs, tmp_path, "{% for i in range(10**9) %}x{% endfor %}")


def test_a_plain_section_template_still_renders(runs, tmp_path):
    html = _render(runs, tmp_path, "<p>{{ 'a' ~ 'b' | upper }}</p>")
    assert "<p>aB</p>" in html
