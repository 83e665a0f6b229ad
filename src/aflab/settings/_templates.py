"""The Jinja2 environment (StrictUndefined) and the shared template folder."""

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from aflab.settings._errors import SettingError

__all__ = [
    "TEMPLATE_DIR",
    "compile_file",
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
    """The shared environment: templates folder, StrictUndefined, no autoescaping.

    Adds the filter `possessive` ("Aster Labs" -> "Aster Labs'", "Nimbus AI" -> "Nimbus AI's").
    """
    env = jinja2.Environment(
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
    except jinja2.TemplateError as error:
        raise SettingError(f"template {name}: {_describe(error)}") from error


def render_source(source: str, variables: Mapping[str, Any], origin: str) -> str:
    """Render Jinja2 source text with the shared environment.

    Args:
        source: Template text.
        variables: Template variables.
        origin: What to call the template in error messages (a file path, a yaml key).

    Raises:
        SettingError: A variable is missing or the template is invalid; the message names
            `origin` and lists the available variables.
    """
    try:
        return _compiled(source).render(variables)
    except jinja2.UndefinedError as error:
        raise SettingError(
            f"{origin}: {error.message}; available variables: {', '.join(sorted(variables))}"
        ) from error
    except jinja2.TemplateError as error:
        raise SettingError(f"{origin}: {_describe(error)}") from error


def compile_file(path: Path, what: str) -> jinja2.Template:
    """Compile a user's template file with the shared environment (user input: untrusted).

    Args:
        path: The file.
        what: What to call it in error messages ("paraphrase file").

    Raises:
        SettingError: The file is missing, unreadable or not valid Jinja2.
    """
    if not path.is_file():
        raise SettingError(f"{what} not found: {path}")
    try:
        source = path.read_text(encoding="utf-8")
        return _compiled(source)
    except (OSError, UnicodeDecodeError) as error:
        raise SettingError(f"{what} {path}: cannot be read as UTF-8 text ({error})") from error
    except jinja2.TemplateError as error:
        raise SettingError(f"{what} {path}: {_describe(error)}") from error


@functools.lru_cache(maxsize=64)
def _compiled(source: str) -> jinja2.Template:
    return environment().from_string(source)


def _describe(error: jinja2.TemplateError) -> str:
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"syntax error on line {error.lineno}: {error.message}"
    return f"{type(error).__name__}: {error.message}"
