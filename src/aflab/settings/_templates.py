"""The Jinja2 environment (sandboxed, StrictUndefined) and the shared template folder.

Shipped and user templates alike render in one `BoundedSandbox` (see `_sandbox`): a user's
prompt file cannot reach Python internals, the environment or the file system, and cannot
loop, grow or run without bound.
"""

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from aflab.settings._errors import SettingError
from aflab.settings._sandbox import BoundedSandbox, TemplateLimitError
from aflab.settings._text import read_text

__all__ = [
    "TEMPLATE_DIR",
    "compile_file",
    "describe_error",
    "environment",
    "is_jinja",
    "paraphrase_count",
    "possessive",
    "render_source",
    "render_template",
]

TEMPLATE_DIR = Path(__file__).parent / "templates"
_PARAPHRASE_FILE = re.compile(r"^p(\d+)\.md\.j2$")


@functools.cache
def environment() -> jinja2.Environment:
    """The shared sandboxed environment: templates folder, StrictUndefined, no autoescaping.

    Adds the filter `possessive` ("Aster Labs" -> "Aster Labs'", "Nimbus AI" -> "Nimbus AI's").
    """
    env = BoundedSandbox(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["possessive"] = possessive
    return env


def possessive(name: str) -> str:
    """The possessive form of a name.

    Examples:
        >>> possessive("Aster Labs"), possessive("Nimbus AI")
        ("Aster Labs'", "Nimbus AI's")
    """
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


@functools.cache
def paraphrase_count() -> int:
    """Number of system-prompt paraphrases (`templates/system/p0.md.j2`, `p1`, ...)."""
    numbers = sorted(
        int(match.group(1))
        for file in (TEMPLATE_DIR / "system").iterdir()
        if (match := _PARAPHRASE_FILE.match(file.name))
    )
    if numbers != list(range(len(numbers))):
        raise SettingError(f"paraphrase templates must be numbered p0, p1, ...; found {numbers}")
    return len(numbers)


def is_jinja(text: str) -> bool:
    """Whether text holds Jinja2 markup (`{{` or `{%`)."""
    return "{{" in text or "{%" in text


def render_template(name: str, variables: Mapping[str, Any]) -> str:
    """Render a shared template by its name under the templates folder.

    Raises:
        SettingError: A variable is missing or the template is invalid.
    """
    try:
        template = environment().get_template(name)
        return template.render(variables).strip()
    except Exception as error:  # any failure inside a template is reported
        raise SettingError(f"template {name}: {describe_error(error)}") from error


def render_source(source: str, variables: Mapping[str, Any], origin: str) -> str:
    """Render Jinja2 source text with the shared environment.

    Args:
        source: Template text.
        variables: Template variables.
        origin: What to call the template in error messages (a file path, a yaml key).

    Raises:
        SettingError: A variable is missing, the template is invalid, fails while rendering
            or goes over a sandbox limit; the message names `origin` and the template line,
            and lists the available variables when one is missing.
    """
    try:
        return _compiled(source).render(variables)
    except jinja2.UndefinedError as error:
        raise SettingError(
            f"{origin}: {describe_error(error)}; available variables: "
            f"{', '.join(sorted(variables))}"
        ) from error
    except Exception as error:  # any failure inside a template is reported
        raise SettingError(f"{origin}: {describe_error(error)}") from error


def compile_file(path: Path, what: str) -> jinja2.Template:
    """Compile a user's template file with the shared environment (user input: untrusted).

    Args:
        path: The file.
        what: What to call it in error messages ("paraphrase file").

    Raises:
        SettingError: The file is missing, unreadable, not valid text (see `read_text`)
            or not valid Jinja2.
    """
    source = read_text(path, what)
    try:
        return _compiled(source)
    except Exception as error:  # any failure inside a template is reported
        raise SettingError(f"{what} {path}: {describe_error(error)}") from error


@functools.lru_cache(maxsize=64)
def _compiled(source: str) -> jinja2.Template:
    return environment().from_string(source)


def describe_error(error: BaseException) -> str:
    """One line saying what went wrong in a template, and on which line when known."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"syntax error on line {error.lineno}: {error.message}"
    where = _template_line(error)
    at = f" (line {where})" if where else ""
    if isinstance(error, TemplateLimitError):
        return f"refused by the template sandbox{at}: {error.message}"
    if isinstance(error, SecurityError):
        return f"refused by the template sandbox{at}: {error.message}"
    if isinstance(error, jinja2.TemplateError):
        return f"{error.message}{at}"
    return f"error while rendering{at}: {type(error).__name__}: {error}"


def _template_line(error: BaseException) -> int | None:
    """The template line of the innermost template frame in the error's traceback."""
    line = None
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename == "<template>" or filename.endswith(".j2"):
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line
