"""Discovering setting folders and loading their `setting.yaml`."""

import re
from pathlib import Path
from typing import Any

import yaml

from aflab.settings._errors import SettingError
from aflab.settings._types import Setting

__all__ = ["SETTINGS_DIR", "list_settings", "load_setting"]

SETTINGS_DIR = Path(__file__).parent
"""Folder scanned for settings: every subfolder holding a `setting.yaml` is one."""

_REQUIRED = (
    "name",
    "value",
    "description",
    "objective",
    "criteria",
    "control",
    "uses_tags",
    "summary",
)
_OPTIONAL = ("rationale",)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def list_settings() -> list[str]:
    """Names of the shipped settings, sorted.

    Returns:
        Every folder name under the settings package that holds a `setting.yaml`.
    """
    return sorted(
        child.name
        for child in SETTINGS_DIR.iterdir()
        if child.is_dir() and (child / "setting.yaml").is_file()
    )


def load_setting(name: str | Path) -> Setting:
    """Load a setting by name, or from a folder path.

    Args:
        name: A shipped setting's name (see `list_settings`) or a path to a folder holding
            `setting.yaml` (and `queries.jsonl`).

    Returns:
        The parsed setting.

    Raises:
        SettingError: The setting is unknown (valid names are listed) or its yaml is malformed.
    """
    folder = _resolve_folder(name)
    path = folder / "setting.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise SettingError(f"{path}: invalid YAML: {error}") from error
    if not isinstance(data, dict):
        raise SettingError(f"{path}: expected a mapping of keys, got {type(data).__name__}")
    return _build(data, folder, path)


def _resolve_folder(name: str | Path) -> Path:
    text = str(name)
    if isinstance(name, Path) or "/" in text or "\\" in text or text.startswith("."):
        folder = Path(name).expanduser()
        if folder.is_file() and folder.name == "setting.yaml":
            folder = folder.parent
        if not (folder / "setting.yaml").is_file():
            raise SettingError(f"no setting.yaml in setting folder {folder}")
        return folder
    known = list_settings()
    if text not in known:
        raise SettingError(
            f"unknown setting {text!r}; valid settings are: {', '.join(known)} "
            "(or pass a path to a folder holding setting.yaml)"
        )
    return SETTINGS_DIR / text


def _build(data: dict[str, Any], folder: Path, path: Path) -> Setting:
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise SettingError(f"{path}: missing key(s) {', '.join(missing)}")
    unknown = sorted(set(data) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise SettingError(
            f"{path}: unknown key(s) {', '.join(map(str, unknown))}; "
            f"allowed keys are {', '.join(_REQUIRED + _OPTIONAL)}"
        )
    name = _text(data, "name", path)
    if not _NAME.match(name):
        raise SettingError(f"{path}: name {name!r} must be lower_snake_case")
    if name != folder.name:
        raise SettingError(f"{path}: name {name!r} must match its folder name {folder.name!r}")
    if not isinstance(data["uses_tags"], bool):
        raise SettingError(f"{path}: 'uses_tags' must be true or false, got {data['uses_tags']!r}")
    description = _text(data, "description", path)
    if "\n" in description.strip():
        raise SettingError(f"{path}: 'description' must be a single line")
    return Setting(
        name=name,
        value=_text(data, "value", path),
        description=description.strip(),
        path=folder,
        objective=_texts(data, "objective", path),
        criteria=_texts(data, "criteria", path),
        control=_text(data, "control", path),
        uses_tags=data["uses_tags"],
        summary=_text(data, "summary", path),
        rationale=_text(data, "rationale", path) if "rationale" in data else "",
    )


def _text(data: dict[str, Any], key: str, path: Path) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise SettingError(f"{path}: {key!r} must be a non-empty string, got {value!r}")
    return value.strip()


def _texts(data: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = data[key]
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise SettingError(f"{path}: {key!r} must be a string or a non-empty list of strings")
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise SettingError(f"{path}: {key}[{index}] must be a non-empty string, got {item!r}")
    return tuple(item.strip() for item in items)
