"""Train the names network and write ``functions/ocr/models/name_lines.npz``.

    # As for the id-line network (scripts/train_id_line.py: PyTorch in a venv, the Debian fonts):
    /tmp/train-venv/bin/python scripts/train_name_lines.py --steps 6000 [--threads 2]
    # more steps from a checkpoint, the learning rate annealed from --resume-lr to 0:
    /tmp/train-venv/bin/python scripts/train_name_lines.py --resume /tmp/name_lines.pt --steps 1000

Every batch is 32 lines drawn afresh by ``functions.samples.name_lines`` (made-up names, captions
and instructors lines in 22 font families, shrunk to 570-1000 px wide and enlarged again). The
architecture is the id-line network's with this alphabet (``namelines.ALPHABET``); the loss is CTC;
AdamW with a one-cycle learning rate; seeds fixed. At the end the weights are exported (batch norm
folded in), the numpy network is checked against PyTorch's, and the export is scored on 300 fresh
lines in the held-out fonts (the evaluation set's: Liberation Sans, DejaVu Sans, Noto Sans): how
often its own reading is the line, and how often it picks the line from among the line and one
letter of it changed.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from train_id_line import IdLineModel, export, stacked, train, training_arguments  # noqa: E402

from functions.ocr import idline, namelines  # noqa: E402
from functions.samples import name_lines  # noqa: E402

CLASSES = len(namelines.ALPHABET) + 1
BATCH = 32


def batch(rng: random.Random, fonts: list[tuple[str, str]]) -> tuple[torch.Tensor, list[list[int]], list[int]]:
    lines: list[np.ndarray] = []
    targets: list[list[int]] = []
    while len(lines) < BATCH:
        crop, text = name_lines.sample(rng, fonts)
        if not namelines.encodable(text):
            raise ValueError(f"a training line holds a character outside the alphabet: {text!r}")
        lines.append(idline.to_input(crop))
        targets.append([namelines.CLASS_OF[ch] for ch in text])
    return stacked(lines, targets)


def score_held_out(path: Path, count: int) -> None:
    fonts = name_lines.installed(name_lines.HELD_OUT_FONTS)
    net = namelines.NameLineNet(path)
    rng = random.Random(2024)
    own = picked = 0
    for _ in range(count):
        crop, text = name_lines.sample(rng, fonts)
        log_probs = net.log_probs(crop)
        own += namelines.best_path(log_probs) == text
        letters = [i for i, ch in enumerate(text) if ch.isalpha()]
        k = rng.choice(letters)
        swap = {"i": "l", "l": "i", "s": "t", "t": "s", "e": "c", "c": "e", "n": "m", "m": "n"}.get(text[k], "a")
        rival = text[:k] + swap + text[k + 1 :]
        picked += namelines.text_log_likelihood(log_probs, text) > namelines.text_log_likelihood(log_probs, rival)
    print(f"held-out fonts, {count} lines: own reading right {own}; the line picked over a one-letter rival {picked}")


def main(argv: list[str] | None = None) -> int:
    parser = training_arguments(__doc__.splitlines()[0], 6000, namelines.MODEL_PATH, Path("/tmp/name_lines.pt"))
    parser.add_argument("--lr", type=float, default=2e-3)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    fonts = name_lines.installed(name_lines.TRAINING_FONTS)
    if len(fonts) < len(name_lines.TRAINING_FONTS):
        print(f"{len(name_lines.TRAINING_FONTS) - len(fonts)} training font pairs are not installed")
        if len(fonts) < 12:
            return 2
    seed = 0 if args.resume is None else 1
    rng = random.Random(seed)
    torch.manual_seed(seed)
    model = IdLineModel(CLASSES)
    train(model, lambda: batch(rng, fonts), args, lr=args.lr, warm_up=0.08, every=100)
    model.eval()
    export(model, args.out)
    score_held_out(args.out, 300)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
