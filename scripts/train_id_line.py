"""Train the certificate-number line network and write ``functions/ocr/models/id_line.npz``.

    # PyTorch is needed for training only (the reader runs the weights with numpy):
    python3 -m venv /tmp/train-venv && /tmp/train-venv/bin/pip install torch numpy pillow
    sudo apt-get install fonts-inter fonts-roboto-unhinted fonts-open-sans fonts-lato fonts-cantarell \\
        fonts-clear-sans fonts-cabin fonts-karla fonts-freefont-ttf fonts-go fonts-manrope fonts-urw-base35 \\
        fonts-crosextra-carlito fonts-junction fonts-oxygen fonts-quicksand fonts-play fonts-opendin fonts-b612
    /tmp/train-venv/bin/python scripts/train_id_line.py --steps 8000 [--out functions/ocr/models/id_line.npz]
    # more steps from a checkpoint, the learning rate annealed from --resume-lr to 0:
    /tmp/train-venv/bin/python scripts/train_id_line.py --resume /tmp/id_line.pt --steps 1600 --checkpoint /tmp/tuned.pt

Every batch is drawn afresh by ``functions.samples.id_lines`` (16 headers, both lines of each), so
the network never sees the same line twice. The loss is CTC over ``UC-`` and the UUID's
characters; AdamW with a one-cycle learning rate. Seeds are fixed: the same command gives the
same weights on the same machine and library versions (``functions/ocr/models/README.md`` says
which commands made the weights in the repository). On one core of the project's machine
(2 cores, the other busy) 8000 steps take about 3 hours.

At the end the weights are exported for ``functions.ocr.idline.IdLineNet`` (batch norm folded
into the convolutions), the numpy network is checked against PyTorch's on a few lines, and the
export is scored on 400 fresh lines in the held-out fonts (Liberation Sans, DejaVu Sans, Noto
Sans: the evaluation set's header fonts, never trained on).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from functions.ocr import idline  # noqa: E402
from functions.samples import id_lines  # noqa: E402

CLASSES = len(idline.ALPHABET) + 1


class IdLineModel(nn.Module):
    """The architecture ``idline.IdLineNet`` runs: 24 px high input, four 3x3 convolutions with
    batch norm and ReLU (16, 32, 48, 64 channels; max pooling 2x2, 2x1, 2x1), a convolution over
    the remaining 3 rows to 128 features per column pair, a bidirectional LSTM of 96, a linear
    layer to the classes (blank first)."""

    def __init__(self, classes: int = CLASSES) -> None:
        super().__init__()

        def block(cin: int, cout: int) -> list[nn.Module]:
            return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]

        self.cnn = nn.Sequential(
            *block(1, 16),
            nn.MaxPool2d(2, 2),
            *block(16, 32),
            nn.MaxPool2d((2, 1)),
            *block(32, 48),
            nn.MaxPool2d((2, 1)),
            *block(48, 64),
        )
        self.squash = nn.Conv2d(64, 128, (3, 1))
        self.rnn = nn.LSTM(128, 96, bidirectional=True, batch_first=True)
        self.out = nn.Linear(192, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = torch.relu(self.squash(self.cnn(x))).squeeze(2).transpose(1, 2)
        features, _ = self.rnn(features)
        return self.out(features)


def batch(rng: random.Random, fonts: list[str], headers: int) -> tuple[torch.Tensor, list[list[int]], list[int]]:
    lines, targets = [], []
    for _ in range(headers):
        crops, text = id_lines.sample(rng, fonts)
        for crop in crops:
            lines.append(idline.to_input(crop))
            targets.append([idline.ALPHABET.index(ch) + 1 for ch in text])
    return stacked(lines, targets)


def stacked(lines: list[np.ndarray], targets: list[list[int]]) -> tuple[torch.Tensor, list[list[int]], list[int]]:
    """Network inputs of different widths as one batch (zero ink on the right), with their
    targets and the number of the network's steps each fills."""
    width = max(line.shape[1] for line in lines)
    width += width % 2
    x = np.zeros((len(lines), 1, idline.LINE_HEIGHT, width), np.float32)
    for i, line in enumerate(lines):
        x[i, 0, :, : line.shape[1]] = line
    return torch.from_numpy(x), targets, [line.shape[1] // 2 for line in lines]


def training_arguments(description: str, steps: int, out: Path, checkpoint: Path) -> argparse.ArgumentParser:
    """The options both line networks' training takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--steps", type=int, default=steps)
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--checkpoint", type=Path, default=checkpoint)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--resume",
        type=Path,
        help="continue from these weights (a --checkpoint file): --steps more, the rate annealed from --resume-lr to 0",
    )
    parser.add_argument("--resume-lr", type=float, default=4e-4)
    return parser


def train(
    model: nn.Module,
    next_batch: Callable[[], tuple[torch.Tensor, list[list[int]], list[int]]],
    args: argparse.Namespace,
    lr: float,
    warm_up: float,
    every: int,
) -> None:
    """``args.steps`` steps of CTC on ``next_batch()``: AdamW with a one-cycle rate peaking at
    ``lr`` after ``warm_up`` of the steps, or, with ``args.resume`` (a checkpoint), from those
    weights with the rate annealed from ``args.resume_lr`` to 0. The smoothed loss is printed and
    the weights saved to ``args.checkpoint`` every ``every`` steps."""
    schedule: torch.optim.lr_scheduler.LRScheduler
    if args.resume is None:
        optimiser = torch.optim.AdamW(model.parameters(), lr, weight_decay=1e-4)
        schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, lr, total_steps=args.steps, pct_start=warm_up)
    else:
        model.load_state_dict(torch.load(args.resume))
        optimiser = torch.optim.AdamW(model.parameters(), args.resume_lr, weight_decay=1e-4)
        schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, args.steps)
    ctc = nn.CTCLoss(zero_infinity=True)
    start, smoothed = time.time(), None
    for step in range(args.steps):
        model.train()
        x, targets, lengths = next_batch()
        log_probs = model(x).log_softmax(2).transpose(0, 1)
        steps = log_probs.shape[0]
        loss = ctc(
            log_probs,
            torch.tensor([c for t in targets for c in t]),
            torch.tensor([min(steps, n) for n in lengths]),
            torch.tensor([len(t) for t in targets]),
        )
        optimiser.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimiser.step()
        schedule.step()
        smoothed = loss.item() if smoothed is None else 0.98 * smoothed + 0.02 * loss.item()
        if step % every == 0 or step == args.steps - 1:
            print(f"step {step:5d}  loss {smoothed:.4f}  {time.time() - start:6.0f} s", flush=True)
            torch.save(model.state_dict(), args.checkpoint)


def export(model: IdLineModel, path: Path) -> None:
    """The weights in ``IdLineNet``'s layout, batch norm folded into each convolution."""
    state = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    convs = [m for m in model.cnn if isinstance(m, nn.Conv2d)]
    norms = [m for m in model.cnn if isinstance(m, nn.BatchNorm2d)]
    out: dict[str, np.ndarray] = {}
    for i, (conv, norm) in enumerate(zip(convs, norms, strict=True)):
        assert norm.running_var is not None and norm.running_mean is not None
        scale = (norm.weight / torch.sqrt(norm.running_var + norm.eps)).detach().numpy()
        out[f"conv{i}.w"] = conv.weight.detach().numpy() * scale[:, None, None, None]
        assert conv.bias is not None
        bias = conv.bias.detach().numpy() - norm.running_mean.detach().numpy()
        out[f"conv{i}.b"] = bias * scale + norm.bias.detach().numpy()
    out["squash.w"], out["squash.b"] = state["squash.weight"], state["squash.bias"]
    for direction, suffix in (("f", ""), ("r", "_reverse")):
        out[f"lstm.{direction}.wih"] = state[f"rnn.weight_ih_l0{suffix}"]
        out[f"lstm.{direction}.whh"] = state[f"rnn.weight_hh_l0{suffix}"]
        out[f"lstm.{direction}.b"] = state[f"rnn.bias_ih_l0{suffix}"] + state[f"rnn.bias_hh_l0{suffix}"]
    out["out.w"], out["out.b"] = state["out.weight"], state["out.bias"]
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **{k: v.astype(np.float32) for k, v in out.items()})


def check_export(model: IdLineModel, path: Path, fonts: list[str]) -> float:
    """The largest difference between PyTorch's and numpy's log-probabilities on a few lines."""
    net = idline.IdLineNet(path)
    rng = random.Random(99)
    worst = 0.0
    for _ in range(4):
        crops, _text = id_lines.sample(rng, fonts)
        line = idline.to_input(crops[0])
        with torch.no_grad():
            ref = model(torch.from_numpy(line)[None, None]).log_softmax(2)[0].numpy()
        worst = max(worst, float(np.abs(ref - net.log_probs(line)).max()))
    return worst


def score_held_out(path: Path, count: int) -> None:
    """Reads ``count`` fresh headers in the held-out fonts with the exported network."""
    fonts = id_lines.installed(id_lines.HELD_OUT_FONTS)
    if not fonts:
        print("held-out fonts not installed: not scored")
        return
    net = idline.IdLineNet(path)
    rng = random.Random(2024)
    right = sure = sure_wrong = 0
    for _ in range(count):
        crops, text = id_lines.sample(rng, fonts)
        reading = net.read(crops)
        ok = reading is not None and f"UC-{reading.uuid}" == text
        right += ok
        if reading is not None and reading.confidence >= 0.97:
            sure += 1
            sure_wrong += not ok
    print(f"held-out fonts, {count} headers: {right} read right; {sure} at confidence >= 0.97 ({sure_wrong} wrong)")


def main(argv: list[str] | None = None) -> int:
    args = training_arguments(__doc__.splitlines()[0], 8000, idline.MODEL_PATH, Path("/tmp/id_line.pt")).parse_args(
        argv
    )
    torch.set_num_threads(args.threads)
    fonts = id_lines.installed(id_lines.TRAINING_FONTS)
    missing = len(id_lines.TRAINING_FONTS) - len(fonts)
    if missing:
        print(f"{missing} of {len(id_lines.TRAINING_FONTS)} training fonts are not installed (see this script's help)")
        if len(fonts) < 20:
            return 2
    seed = 0 if args.resume is None else 1  # a resumed run draws lines the first run did not
    rng = random.Random(seed)
    torch.manual_seed(seed)
    model = IdLineModel()
    train(model, lambda: batch(rng, fonts, 16), args, lr=2e-3, warm_up=0.1, every=200)
    model.eval()
    export(model, args.out)
    print(f"wrote {args.out}; numpy against PyTorch: {check_export(model, args.out, fonts):.2e} at most")
    score_held_out(args.out, 400)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
