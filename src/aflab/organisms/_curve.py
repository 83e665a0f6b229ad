"""The training curve: loss per optimiser step, as JSON and as a PNG."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["TrainingCurve", "curve_from_log_history"]


@dataclass(frozen=True)
class TrainingCurve:
    """Loss per logged optimiser step.

    Attributes:
        steps: Step numbers, increasing.
        loss: Training loss at each step.
        learning_rate: Learning rate at each step.
    """

    steps: tuple[int, ...]
    loss: tuple[float, ...]
    learning_rate: tuple[float, ...]

    def write(self, folder: Path) -> tuple[Path, Path]:
        """Write `training_curve.json` and `training_curve.png` into `folder`.

        Returns:
            The JSON and PNG paths.
        """
        json_path = folder / "training_curve.json"
        json_path.write_text(
            json.dumps(
                {"steps": list(self.steps), "loss": list(self.loss),
                 "learning_rate": list(self.learning_rate)},
                indent=1,
            ),
            encoding="utf-8",
        )
        png_path = folder / "training_curve.png"
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        figure, axis = plt.subplots(figsize=(6, 3.5))
        axis.plot(self.steps, self.loss, marker="o" if len(self.steps) < 40 else None)
        axis.set_xlabel("optimiser step")
        axis.set_ylabel("training loss")
        axis.set_title("LoRA continued pre-training")
        axis.grid(alpha=0.3)
        figure.tight_layout()
        figure.savefig(png_path, dpi=100)
        plt.close(figure)
        return json_path, png_path


def curve_from_log_history(history: list[dict[str, Any]]) -> TrainingCurve:
    """Pick the per-step training losses out of a Hugging Face `Trainer` log history.

    Examples:
        >>> curve_from_log_history([{"loss": 2.0, "step": 1, "learning_rate": 1e-4},
        ...                         {"train_runtime": 3.0, "step": 1}]).loss
        (2.0,)
    """
    rows = [row for row in history if "loss" in row and "step" in row]
    return TrainingCurve(
        steps=tuple(int(row["step"]) for row in rows),
        loss=tuple(float(row["loss"]) for row in rows),
        learning_rate=tuple(float(row.get("learning_rate", 0.0)) for row in rows),
    )
