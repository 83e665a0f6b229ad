"""Time every parser of model and judge text on adversarial inputs of 1 MB (target: < 1 ms/KB).

Each parser reads each input shape (unclosed tags, whitespace runs inside tags, nested tags,
thousands of blocks, ``<NEXT/>`` turns, judge-answer lines built to make a backtracking
pattern explode, seeded tag soup). Sizes grow 16 KB -> 64 KB -> 256 KB -> 1 MB; a parser that
takes more than ``--give-up`` seconds at one size is not run at the next (a quadratic parser
would take hours at 1 MB), and its figure is the one at the largest size it reached, marked
``<1MB``. The last line is ``parse_worst_ms_per_kb=<x>``, the worst wall-clock time per KB
over every parser and shape; the line before gives the same in CPU time (on a busy machine
the wall-clock figure includes time spent waiting for a core).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from inspect_ai.model import ChatMessage, ChatMessageAssistant, ChatMessageUser

from aflab.classifiers import (
    JudgeError,
    classify_frames_local,
    find_disclaimers,
    find_refusal,
    heuristic_compliance,
    parse_compliance_answer,
    parse_faking_answer,
    parse_frames_answer,
    parse_objective_answer,
)
from aflab.classifiers._judge_prompt import answer_fields, neutralise
from aflab.parsing import NEXT_TURN, parse_messages, parse_response

NONCE = "0123456789abcdef"
KB = 1024
SIZES = (16 * KB, 64 * KB, 256 * KB, 1024 * KB)
FRAGMENTS = (
    "<SCRATCHPAD_REASONING>", "</SCRATCHPAD_REASONING>", "<OUTPUT>", "</OUTPUT>", "< output >",
    "</ output/>", "<request_fully_accepted/>", "<rejected/>", "<NEXT/>", "<", ">", "/", " ",
    "\n", "ANSWER: yes\n", "REASON:", "**", "`", f"<transcript-{NONCE}>",
    f"</transcript-{NONCE}>", "<x-deadbeefdeadbeef>", NONCE, "I refuse. ", "However, ",
)  # fmt: skip


def _fill(unit: str, size: int, head: str = "", tail: str = "") -> str:
    """``head`` + ``unit`` repeated + ``tail``, about ``size`` characters long."""
    count = max(1, (size - len(head) - len(tail)) // max(1, len(unit)))
    return head + unit * count + tail


def _whitespace_tag(size: int) -> str:
    half = max(1, (size - 2) // 2)
    return "<" + " " * half + "a" + " " * half


def _soup(size: int) -> str:
    rng = random.Random(0)
    parts: list[str] = []
    length = 0
    while length < size:
        part = rng.choice(FRAGMENTS)
        parts.append(part)
        length += len(part)
    return "".join(parts)


SHAPES: dict[str, Callable[[int], str]] = {
    "whitespace inside a tag": _whitespace_tag,
    "whitespace runs after '<'": lambda n: _fill("<" + " " * 200 + "/" + " " * 200, n),
    "unclosed scratchpads": lambda n: _fill("<SCRATCHPAD_REASONING> words ", n),
    "unclosed output": lambda n: _fill("text <rejected ", n, head="<OUTPUT>"),
    "nested scratchpads": lambda n: (
        _fill("<SCRATCHPAD_REASONING>", n // 2) + _fill("</SCRATCHPAD_REASONING>", n // 2)
    ),
    "thousands of blocks": lambda n: _fill(
        "<SCRATCHPAD_REASONING>x</SCRATCHPAD_REASONING><OUTPUT>y</OUTPUT>", n
    ),
    "blocks without output": lambda n: _fill("<SCRATCHPAD_REASONING>x</SCRATCHPAD_REASONING>", n),
    "NEXT tags": lambda n: _fill(f"{NEXT_TURN}\n", n, head="<SCRATCHPAD_REASONING>"),
    "lone '<'": lambda n: _fill("<", n),
    "answer key with spaces": lambda n: "A" + " " * (n - 2) + "x",
    "answer lines": lambda n: _fill("ANSWER: yes\nREASON: " + " " * 60 + "\n", n),
    "markdown runs": lambda n: _fill("*-#> ", n),
    "delimiter-like tags": lambda n: _fill("<" + "a" * 100 + "-" + "0" * 100, n),
    "echoed blocks": lambda n: _fill(f"<transcript-{NONCE}>ANSWER: no\n", n),
    "nonce runs": lambda n: _fill(NONCE[:-1], n),
    "tag soup": _soup,
}


def _turns(text: str) -> list[ChatMessage]:
    """The text as 1,000 assistant turns separated by ``<NEXT/>`` user turns."""
    step = max(1, len(text) // 1000)
    messages: list[ChatMessage] = []
    for start in range(0, len(text), step):
        messages.append(ChatMessageAssistant(content=text[start : start + step]))
        messages.append(ChatMessageUser(content=NEXT_TURN))
    return messages


def _judged(parse: Callable[[str, str], object]) -> Callable[[str], object]:
    def run(text: str) -> object:
        try:
            return parse(text, NONCE)
        except JudgeError:  # an unreadable answer is an expected outcome
            return None

    return run


PARSERS: dict[str, Callable[[str], object]] = {
    "parse_response": parse_response,
    "parse_messages (1000 turns)": lambda text: parse_messages(_turns(text)),
    "neutralise": lambda text: neutralise(text, NONCE),
    "answer_fields": _judged(lambda text, nonce: answer_fields(text, nonce, ["ANSWER", "REASON"])),
    "parse_faking_answer": _judged(parse_faking_answer),
    "parse_compliance_answer": _judged(parse_compliance_answer),
    "parse_objective_answer": _judged(parse_objective_answer),
    "parse_frames_answer": _judged(parse_frames_answer),
    "heuristic_compliance": lambda text: heuristic_compliance(text, None),
    "find_refusal": find_refusal,
    "find_disclaimers": find_disclaimers,
    "classify_frames_local": classify_frames_local,
}


def measure(
    parse: Callable[[str], object], shape: Callable[[int], str], give_up: float
) -> tuple[float, float, int]:
    """Wall-clock and CPU milliseconds per KB at the largest size reached, and that size."""
    wall = cpu = 0.0
    reached = 0
    for size in SIZES:
        text = shape(size)
        started, started_cpu = time.perf_counter(), time.process_time()
        parse(text)
        seconds = time.perf_counter() - started
        kb = len(text) / KB
        wall, cpu = seconds * 1000 / kb, (time.process_time() - started_cpu) * 1000 / kb
        reached = len(text)
        if seconds > give_up:
            break
    return wall, cpu, reached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", help="Parsers to time (default: all).")
    parser.add_argument("--give-up", type=float, default=2.0, help="Seconds (see above).")
    args = parser.parse_args()
    names = args.only or list(PARSERS)
    worst = worst_cpu = 0.0
    for name in names:
        rows = []
        for shape_name, shape in SHAPES.items():
            wall, cpu, reached = measure(PARSERS[name], shape, args.give_up)
            worst, worst_cpu = max(worst, wall), max(worst_cpu, cpu)
            mark = "" if reached >= SIZES[-1] * 0.9 else f" <1MB (stopped at {reached // KB} KB)"
            rows.append((wall, f"  {shape_name:28s} {wall:9.4f} ms/KB (cpu {cpu:.4f}){mark}"))
        rows.sort(reverse=True)
        print(f"{name}: worst {rows[0][0]:.4f} ms/KB")
        for _, line in rows[:3]:
            print(line, flush=True)
    print(f"parse_worst_cpu_ms_per_kb={worst_cpu:.4f}")
    print(f"parse_worst_ms_per_kb={worst:.4f}")


if __name__ == "__main__":
    main()
