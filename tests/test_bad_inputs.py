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
    # Rows that do not hold yet: each flips to a failure when fixed; then drop its `xfail`.
    Case(
        "experiment-yaml-latin1",
        ("run", "{tmp}/exp.yaml", "--dry-run"),
        "not UTF-8",
        {"exp.yaml": "settings: [helpful_only]\n# caf\u00e9\n".encode("latin-1")},
        xfail="experiment/_config.py reads the YAML without aflab.settings._text.read_text",
    ),
    Case(
        "classify-jsonl-line-number",
        ("classify", "{tmp}/t.jsonl", "--log-dir", "{tmp}/logs"),
        "line 3",
        {"t.jsonl": '{"text": "a\u2028b"}\n{"text": "c"}\n{"text": }\n'},
        xfail="tasks/classify_transcripts.py splits JSONL with str.splitlines",
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
    assert case.fragment in result.output, result.output


def test_utf16_files_with_a_byte_order_mark_are_read(tmp_path):
    (tmp_path / "q.jsonl").write_bytes(
        codecs.BOM_UTF16_LE + '{"text": "caf\u00e9?"}\n{"text": "th\u00e9?"}\n'.encode("utf-16-le")
    )
    (tmp_path / "user.j2").write_bytes(codecs.BOM_UTF16_BE + TIER_AND_QUERY.encode("utf-16-be"))
    args = run("--queries", "{tmp}/q.jsonl", *USER)
    result = CliRunner().invoke(cli, [arg.replace("{tmp}", str(tmp_path)) for arg in args])
    assert result.exit_code == 0, result.output
    assert "samples:" in result.output


def test_the_table_covers_each_kind_of_input():
    kinds = {case.name.split("-")[0] for case in CASES}
    assert {"template", "user", "setting", "queries", "variant"} <= kinds
    assert len({case.name for case in CASES}) == len(CASES)
