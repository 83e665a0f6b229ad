"""aflab: alignment-faking experiments on language models, read under more than one frame."""

__version__ = "0.1.0"
