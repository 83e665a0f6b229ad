"""The one exception type of the settings package."""

__all__ = ["SettingError"]


class SettingError(ValueError):
    """An unknown setting or variant, a malformed setting file, or a bad template.

    The message names the problem and, where there is a fixed set of choices, lists them.
    """
