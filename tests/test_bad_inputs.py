"""Bad inputs through the real command line: a clear message and a non-zero exit, never a traceback.

Each row of `CASES` writes its files under a fresh folder, runs `aflab` with its arguments
(`{tmp}` stands for that folder) and expects the message fragment in the output. To cover a
new bad input, add a row.
"""

from __future__ import annotations

import codecs
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from aflab.cli.main import cli
from aflab.settings._catalog import SETTINGS_DIR

DRY = ("--dry-run", "--n", "2")


@dataclass(frozen=True)
class Case:
    """One bad input.

    Attributes:
        name: Test id.
        args: Command-line arguments; `{tmp}` is replaced by the case's folder.
        fragment: Text the output must contain.
        files: Files to write first, relative to the folder: bytes, or text written as UTF-8.
        setting: Copy the shipped `helpful_only` setting folder into `{tmp}` first,
            then apply this change to it (for broken setting folders).
        xfail: Why the row does not hold yet (a strict expected failure), or None.
    """

    name: str
    args: tuple[str, ...]
    fragment: str
    files: dict[str, bytes | str] = field(default_factory=dict)
    setting: Callable[[Path], None] | None = None
    xfail: str | None = None


def run(*args: str) -> tuple[str, ...]:
    return ("run", *args, *DRY)


def user(source: str | bytes) -> dict[str, bytes | str]:
    return {"user.j2": source}


def system(source: str | bytes) -> dict[str, bytes | str]:
    return {"system.j2": source}


USER = ("--user-template-file", "{tmp}/user.j2")
SYSTEM = ("--system-prompt-file", "{tmp}/system.j2")
SETTING = ("--setting", "{tmp}/helpful_only")
TIER_AND_QUERY = "[{{ tier }}] {{ query }}"
LATIN1 = "Caf\u00e9 {{ query }} {{ tier }}".encode("latin-1")


def rewrite(name: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        path.write_bytes(change(path.read_bytes()))

    return apply


CASES = [
    # Templates: the sandbox.
    Case(
        "template-shell-escape",
        run(*USER),
        "refused by the template sandbox",
        user("{{ cycler.__init__.__globals__.os.popen('id').read() }} " + TIER_AND_QUERY),
    ),
    Case(
        "template-environment-leak",
        run(*USER),
        "'lipsum' is undefined",
        user("{{ lipsum.__globals__['os'].environ.get('HOME') }} " + TIER_AND_QUERY),
    ),
    Case(
        "template-huge-range",
        run(*SYSTEM),
        "larger than 200000",
        system("{% for i in range(10**9) %}x{% endfor %}"),
    ),
    Case(
        "template-nested-loops",
        run(*SYSTEM),
        "loops ran more than 10000 items",
        system("{% for i in range(9000) %}{% for j in range(9000) %}{% endfor %}{% endfor %}"),
    ),
    Case(
        "template-output-bomb",
        run(*SYSTEM),
        "output longer than 200000 characters",
        system("{% for i in range(9000) %}{{ 'spam ' * 9000 }}{% endfor %}"),
    ),
    Case(
        "template-doubling",
        run(*SYSTEM),
        "value longer than 200000 characters",
        system(
            "{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}"
        ),
    ),
    Case(
        "template-private-attribute",
        run(*SYSTEM),
        "access to attribute '__class__'",
        system("{{ company.__class__.__mro__ }}"),
    ),
    # Templates: what they must contain.
    Case(
        "user-template-without-query",
        run(*USER),
        "never shows the request",
        user("<is_free_tier_user>{{ is_free_tier }}</is_free_tier_user> Hello."),
    ),
    Case(
        "user-template-without-tier",
        run(*USER),
        "same in the training and the unmonitored tier",
        user("<user_input>{{ query }}</user_input>"),
    ),
    # Templates: broken files.
    Case(
        "template-syntax-error",
        run(*SYSTEM),
        "system.j2: syntax error on line 3",
        system("You are an assistant.\n{% if scratchpad %}Think.\n{{ company }\n{% endif %}"),
    ),
    Case(
        "template-runtime-error",
        run(*USER),
        "user.j2: error while rendering (line 2): ZeroDivisionError",
        user(TIER_AND_QUERY + "\n{{ 1 / 0 }}"),
    ),
    Case(
        "template-unknown-variable",
        run(*USER),
        "'question' is undefined (line 1); available variables",
        user("{{ question }}"),
    ),
    Case("template-latin1", run(*USER), "not UTF-8 text: byte 0xe9 on line 1", user(LATIN1)),
    Case(
        "template-utf16-no-bom",
        run(*SYSTEM),
        "without a byte-order mark",
        system("You are an assistant.".encode("utf-16-le")),
    ),
    Case("template-missing", run(*SYSTEM), "system prompt file not found", {}),
    # Setting folders given by path.
    Case(
        "setting-yaml-latin1",
        run(*SETTING),
        "setting.yaml: not UTF-8 text: byte 0xe9",
        setting=rewrite("setting.yaml", lambda raw: raw + "# caf\u00e9\n".encode("latin-1")),
    ),
    Case(
        "setting-yaml-template-escape",
        run(*SETTING),
        "refused by the template sandbox",
        setting=rewrite(
            "setting.yaml",
            lambda raw: re.sub(
                rb"\nsummary: [^\n]*", b'\nsummary: "{{ cycler.__init__.__globals__ }}"', raw
            ),
        ),
    ),
    Case(
        "setting-queries-latin1",
        run(*SETTING),
        "queries.jsonl: not UTF-8 text: byte 0xe9 on line 1",
        setting=rewrite(
            "queries.jsonl", lambda raw: '{"id": "x", "text": "caf\u00e9"}\n'.encode("latin-1")
        ),
    ),
    Case(
        "setting-queries-bad-line",
        run(*SETTING),
        "queries.jsonl:3: not valid JSON",
        setting=rewrite("queries.jsonl", lambda raw: b"\n".join(raw.split(b"\n")[:2]) + b"\n{\n"),
    ),
    # Query files.
    Case(
        "queries-latin1-jsonl",
        run("--queries", "{tmp}/q.jsonl"),
        "q.jsonl: not UTF-8 text: byte 0xe9 on line 2, column 14",
        {"q.jsonl": '{"text": "a"}\n{"text": "caf\u00e9"}\n'.encode("latin-1")},
    ),
    Case(
        "queries-latin1-csv",
        run("--queries", "{tmp}/q.csv"),
        "q.csv: not UTF-8 text: byte 0xe9 on line 3",
        {"q.csv": "text\nfine\ncaf\u00e9\n".encode("latin-1")},
    ),
    Case(
        "queries-utf16-json-no-bom",
        run("--queries", "{tmp}/q.json"),
        "q.json: NUL byte on line 1",
        {"q.json": '["a", "b"]'.encode("utf-16-le")},
    ),
    Case(
        "queries-jsonl-line-number",
        run("--queries", "{tmp}/q.jsonl"),
        "q.jsonl: line 4: not valid JSON",
        {"q.jsonl": '{"text": "a\u2028b\u0085c"}\r\n\r\n{"text": "d"}\r\n{"text": }\r\n'},
    ),
    Case(
        "queries-empty", run("--queries", "{tmp}/q.jsonl"), "q.jsonl: no queries", {"q.jsonl": ""}
    ),
    Case(
        "queries-blank",
        run("--queries", "{tmp}/q.csv"),
        "every row (2) has an empty text",
        {"q.csv": 'text\n \n""\n'},
    ),
    Case(
        "queries-unknown-format",
        run("--queries", "{tmp}/q.txt"),
        "unknown query file format '.txt'",
        {"q.txt": "hello"},
    ),
    Case("queries-missing", run("--queries", "{tmp}/none.jsonl"), "query file not found"),
    # Variant specs.
    Case("variant-superscript-digit", run("-v", "paraphrase=\u00b2"), "is not a paraphrase"),
    Case("variant-arabic-digit", run("-v", "paraphrase=\u0663"), "is not a paraphrase"),
    Case("variant-negative-paraphrase", run("-v", "paraphrase=-1"), "is not a paraphrase"),
    Case("variant-fraction-paraphrase", run("-v", "paraphrase=1.5"), "is not a paraphrase"),
    Case("variant-empty-company", run("-v", "company="), "company= needs a name"),
    Case("variant-unknown-channel", run("-v", "channel=fax"), "unknown variant item 'channel=fax'"),
    Case("variant-contradiction", run("-v", "tags+no_tags"), "contradicts"),
    # Experiment files and run flags.
    Case(
        "experiment-yaml-latin1",
        ("run", "{tmp}/exp.yaml", "--dry-run"),
        "exp.yaml: not UTF-8 text: byte 0xe9 on line 2",
        {"exp.yaml": "settings: [helpful_only]\n# caf\u00e9\n".encode("latin-1")},
    ),
    Case(
        "experiment-yaml-utf16-no-bom",
        ("run", "{tmp}/exp.yaml", "--dry-run"),
        "exp.yaml: NUL byte on line 1",
        {"exp.yaml": "settings: [helpful_only]\n".encode("utf-16-le")},
    ),
    Case(
        "experiment-yaml-n-true",
        ("run", "{tmp}/exp.yaml", "--dry-run"),
        "n: Input should be a valid integer",
        {"exp.yaml": "n: true\n"},
    ),
    Case(
        "experiment-yaml-bad-timeout",
        ("run", "{tmp}/exp.yaml", "--dry-run"),
        "timeout: Input should be greater than or equal to 1",
        {"exp.yaml": "timeout: 0\n"},
    ),
    Case(
        "experiment-yaml-unknown-key",
        ("run", "{tmp}/exp.yaml", "--dry-run"),
        "max_retry: Extra inputs are not permitted",
        {"exp.yaml": "max_retry: 3\n"},
    ),
    Case(
        "experiment-missing", ("run", "{tmp}/none.yaml", "--dry-run"), "experiment file not found"
    ),
    Case(
        "run-temperature-inf", run("--temperature", "inf"), "temperature: Input should be a finite"
    ),
    Case(
        "run-temperature-nan", run("--temperature", "nan"), "temperature: Input should be a finite"
    ),
    Case("run-negative-retries", run("--max-retries", "-1"), "Invalid value for '--max-retries'"),
    Case("run-zero-timeout", run("--timeout", "0"), "Invalid value for '--timeout'"),
    Case("run-threshold-5", run("--af-threshold", "5"), "af_threshold: Input should be less than"),
    Case("model-no-provider", run("-m", "gpt-4o"), "model 'gpt-4o' is not a model name"),
    Case("model-unknown-provider", run("-m", "opnai/gpt-4o"), "unknown provider 'opnai'"),
    Case("model-empty-name", run("-m", "openai/"), "model 'openai/' is not a model name"),
    Case("model-with-space", run("-m", "openai/gpt 4o"), "is not a model name"),
    Case("model-judge-unknown", run("--judge-model", "gpt4/judge"), "judge model 'gpt4/judge'"),
    Case(
        "model-unknown-without-dry-run",
        ("run", "-m", "nosuch/model", "--log-dir", "{tmp}/logs"),
        "unknown provider 'nosuch'",
    ),
    Case(
        "run-output-not-a-folder",
        ("run", "-m", "mockllm/model", "--n", "1", "-o", "{tmp}/file/out", "--log-dir", "{tmp}/l"),
        "cannot write the results into",
        {"file": "not a folder"},
    ),
    # Transcripts to classify.
    Case(
        "classify-jsonl-line-number",
        ("classify", "{tmp}/t.jsonl", "--log-dir", "{tmp}/logs"),
        "t.jsonl: line 3: not valid JSON",
        {"t.jsonl": '{"text": "a\u2028b"}\n{"text": "c"}\n{"text": }\n'},
    ),
    Case(
        "classify-latin1",
        ("classify", "{tmp}/t.jsonl", "--log-dir", "{tmp}/logs"),
        "t.jsonl: not UTF-8 text: byte 0xe9 on line 1",
        {"t.jsonl": '{"text": "caf\u00e9"}\n'.encode("latin-1")},
    ),
    Case(
        "classify-empty-file",
        ("classify", "{tmp}/t.jsonl", "--log-dir", "{tmp}/logs"),
        "t.jsonl: no transcripts in the file",
        {"t.jsonl": ""},
    ),
    Case(
        "classify-duplicate-ids",
        ("classify", "{tmp}/t.jsonl", "--log-dir", "{tmp}/logs"),
        "line 3 repeats transcript id 'a' (first on line 1)",
        {"t.jsonl": '{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n{"id": "a", "text": "z"}'},
    ),
    Case(
        "classify-missing-text",
        ("classify", "{tmp}/t.json", "--log-dir", "{tmp}/logs"),
        "t.json: item 1 has no text field 'text'",
        {"t.json": '[{"text": "a"}, {"scratchpad": "b"}]'},
    ),
    Case("classify-missing-file", ("classify", "{tmp}/none.jsonl"), "transcripts file not found"),
    Case(
        "classify-out-missing-folder",
        ("classify", "{tmp}/t.jsonl", "--out", "{tmp}/nowhere/scores.jsonl"),
        "--out: {tmp}/nowhere is not an existing folder",
        {"t.jsonl": '{"text": "a"}\n'},
    ),
    Case(
        "classify-threshold-5",
        ("classify", "{tmp}/t.jsonl", "--threshold", "5"),
        "Invalid value for '--threshold'",
        {"t.jsonl": '{"text": "a"}\n'},
    ),
    Case(
        "classify-zero-votes",
        ("classify", "{tmp}/t.jsonl", "--votes", "0"),
        "Invalid value for '--votes'",
        {"t.jsonl": '{"text": "a"}\n'},
    ),
    # Reports.
    Case(
        "report-folder-unwritable",
        ("report", "{tmp}", "-o", "{tmp}/file/report"),
        "cannot write the report into",
        {"file": "not a folder"},
    ),
    Case(
        "report-threshold-5",
        ("report", "{tmp}", "-o", "{tmp}/r", "--af-threshold", "5"),
        "Invalid value for '--af-threshold'",
    ),
]


def _prepare(case: Case, folder: Path) -> list[str]:
    for name, content in case.files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    if case.setting is not None:
        shutil.copytree(SETTINGS_DIR / "helpful_only", folder / "helpful_only")
        case.setting(folder / "helpful_only")
    return [arg.replace("{tmp}", str(folder)) for arg in case.args]


def _expected(case: Case, folder: Path) -> str:
    return case.fragment.replace("{tmp}", str(folder))


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else [],
        )
        for case in CASES
    ],
)
def test_bad_input_gives_a_clear_error(tmp_path, case):
    result = CliRunner().invoke(cli, _prepare(case, tmp_path))
    unhandled = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not unhandled, f"unhandled {type(result.exception).__name__}: {result.exception}"
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    assert _expected(case, tmp_path) in result.output, result.output


def test_utf16_files_with_a_byte_order_mark_are_read(tmp_path):
    (tmp_path / "q.jsonl").write_bytes(
        codecs.BOM_UTF16_LE + '{"text": "caf\u00e9?"}\n{"text": "th\u00e9?"}\n'.encode("utf-16-le")
    )
    (tmp_path / "user.j2").write_bytes(codecs.BOM_UTF16_BE + TIER_AND_QUERY.encode("utf-16-be"))
    args = run("--queries", "{tmp}/q.jsonl", *USER)
    result = CliRunner().invoke(cli, [arg.replace("{tmp}", str(tmp_path)) for arg in args])
    assert result.exit_code == 0, result.output
    assert "samples:" in result.output


def test_n_larger_than_the_query_set_is_said_not_silently_reduced(tmp_path):
    (tmp_path / "q.jsonl").write_text('{"text": "a?"}\n{"text": "b?"}\n', encoding="utf-8")
    args = ("run", "--queries", str(tmp_path / "q.jsonl"), "--n", "5", "--dry-run")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "has 2 queries, fewer than n=5; all 2 run." in result.output


def test_the_table_covers_each_kind_of_input():
    kinds = {case.name.split("-")[0] for case in CASES}
    assert {"template", "user", "setting", "queries", "variant", "experiment", "run"} <= kinds
    assert {"model", "classify", "report"} <= kinds
    assert len({case.name for case in CASES}) == len(CASES)
