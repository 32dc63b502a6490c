"""A small neural line reader for the certificate number, where Tesseract's glyphs blur together.

On a copy 600-1000 px wide the number is 4-6 px high: an f and a 1, a 5 and a 6, an e and a c
are a few pixels each, and Tesseract's readings disagree or agree on the same misread. This
module reads the id part of the header's number and url lines (``UC-`` and the UUID, cut where
the reader found it) with a convolutional and recurrent network trained for this one job
(``scripts/train_id_line.py``: synthetic header lines in many fonts, none of them the fonts the
evaluation set is drawn in, shrunk, compressed and enlarged again as a small copy is).

The network gives, for each column slice of the line, the probability of each character and of
"no character" (CTC). Decoding is constrained to the number's pattern, ``UC-`` and
8-4-4-4-12 hex digits with the UUID4 version and variant nibbles, and gives for each of the 32
digits the probability of every hex digit, summed over every way the line can be cut into the
pattern's characters (forward-backward over the CTC lattice). The two printings of the number
multiply their evidence. A digit is only as sure as that posterior says; the reader decides what
to give from it (``functions/ocr/reader.py``).

Inference is numpy only (the weights, ``models/id_line.npz``, are about 1 MB); the network is run
only where Tesseract's readings leave the number in doubt.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# One OCR per core: numpy's BLAS must not start threads of its own (set before numpy is imported).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

MODEL_PATH = Path(__file__).with_name("models") / "id_line.npz"
ALPHABET = "UC-0123456789abcdef"  # class k + 1 is ALPHABET[k]; class 0 is CTC's blank
HEX = "0123456789abcdef"
LINE_HEIGHT = 24  # px: the network's input height (the crop is two ink heights of the number line)
POOLS: tuple[tuple[int, int] | None, ...] = ((2, 2), (2, 1), (2, 1), None)

Array = NDArray[np.float32]


def _pattern() -> tuple[str, ...]:
    """The characters each of the 39 positions of ``UC-<uuid4>`` may hold."""
    slots: list[str] = ["U", "C", "-"]
    for k, group in enumerate(("x" * 8, "x" * 4, "4xxx", "vxxx", "x" * 12)):
        if k:
            slots.append("-")
        slots += [HEX if ch == "x" else "89ab" if ch == "v" else ch for ch in group]
    return tuple(slots)


PATTERN = _pattern()
# Where each hex digit of the compact 32-digit number sits in ``PATTERN``.
DIGIT_SLOTS = tuple(j for j, chars in enumerate(PATTERN) if len(chars) > 1 or chars == "4")
ALLOWED = np.zeros((len(PATTERN), len(ALPHABET) + 1))
for _j, _chars in enumerate(PATTERN):
    for _ch in _chars:
        ALLOWED[_j, ALPHABET.index(_ch) + 1] = 1.0


@dataclass(frozen=True)
class IdLineReading:
    """What the network makes of the number's printings: the most probable UUID, and for each
    of its 32 hex digits the posterior of every hex digit (rows sum to 1)."""

    uuid: str
    posteriors: NDArray[np.float64]  # 32 x 16, columns in HEX order

    @property
    def digit_confidence(self) -> NDArray[np.float64]:
        """The posterior of each digit of ``uuid``."""
        return self.posteriors.max(axis=1)

    @property
    def confidence(self) -> float:
        """The posterior of the least sure digit: how sure the reading is as a whole."""
        return float(self.digit_confidence.min())

    def places_below(self, least: float) -> list[int]:
        """Where in ``uuid`` (with dashes) the digits the network gives less than ``least`` are."""
        places = [i for i, ch in enumerate(self.uuid) if ch != "-"]
        return [places[d] for d, value in enumerate(self.digit_confidence) if value < least]

    def support(self, uuid: str) -> NDArray[np.float64]:
        """The posterior of each digit of another reading of the number (``uuid``, with dashes)."""
        digits = uuid.replace("-", "")
        return np.array([self.posteriors[i, HEX.index(ch)] for i, ch in enumerate(digits)])


ID_LINE_MARGIN = 6  # px at 1600 px kept left of where the reader saw ``UC`` begin
RIGHT_SLACK = 8  # px kept right of the header's ink


def cut_id_lines(
    header: Image.Image, bands: list[tuple[int, int]], id_left: float, ink_right: int, shift: float = 0.0
) -> list[Image.Image]:
    """The id parts of the header's number and url lines (``bands``: their ink rows, top and bottom,
    in ``header`` pixels at the 1600 px page scale), from ``id_left`` to the ink's right end, each
    cut from half the number line's ink height above its top to 1.5 times it below: the same cut
    on both lines, whatever the url line's descenders (``ude.my/``) add to its band. ``shift``
    moves the cut down (training jitter)."""
    header = ImageOps.autocontrast(header.convert("L"), cutoff=0.5)
    ink_height = bands[0][1] - bands[0][0]
    left = max(0, round(id_left) - ID_LINE_MARGIN)
    right = min(header.width, ink_right + RIGHT_SLACK)
    crops = []
    for top, _bottom in bands[:2]:
        y0 = top - ink_height / 2 + shift
        box = (left, max(0, round(y0)), right, min(header.height, round(y0 + 2 * ink_height)))
        if box[2] - box[0] > 8 and box[3] - box[1] > 4:
            crops.append(header.crop(box))
    return crops


def to_input(crop: Image.Image) -> Array:
    """A line crop as the network sees it: ``LINE_HEIGHT`` px high, ink high (0..1)."""
    grey = crop.convert("L")
    width = max(8, round(grey.width * LINE_HEIGHT / max(1, grey.height)))
    pixels = np.asarray(grey.resize((width, LINE_HEIGHT), Image.Resampling.BILINEAR), dtype=np.float32)
    return (255.0 - pixels) / 255.0


class IdLineNet:
    """The trained network, run with numpy: 4 convolutions (batch norm folded in) with max pooling,
    a convolution over the remaining height, a bidirectional LSTM and a linear layer to the
    classes, read once from ``MODEL_PATH``."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        with np.load(path) as weights:
            self._w: dict[str, Array] = {name: weights[name].astype(np.float32) for name in weights.files}

    def log_probs(self, line: Array) -> Array:
        """``line`` (``LINE_HEIGHT`` x W) -> W/2 x classes log-probabilities."""
        w = self._w
        a = line[None].astype(np.float32)
        for i, pool in enumerate(POOLS):
            a = np.maximum(_conv3x3(a, w[f"conv{i}.w"], w[f"conv{i}.b"]), 0.0)
            if pool:
                a = _max_pool(a, *pool)
        a = np.einsum("och,chw->ow", w["squash.w"][:, :, :, 0], a) + w["squash.b"][:, None]
        steps = np.maximum(a, 0.0).T
        z = _bidirectional_lstm(steps, w) @ w["out.w"].T + w["out.b"]
        z = z - z.max(axis=1, keepdims=True)
        return (z - np.log(np.exp(z).sum(axis=1, keepdims=True))).astype(np.float32)

    def read(self, crops: list[Image.Image]) -> IdLineReading | None:
        """The number from its printings (the id parts of the number and url lines); ``None``
        when no crop is wide enough to hold it."""
        per_line = []
        for crop in crops:
            line = to_input(crop)
            if line.shape[1] // 2 < len(PATTERN):
                continue
            per_line.append(pattern_posteriors(self.log_probs(line).astype(np.float64)))
        if not per_line:
            return None
        return fuse(per_line)


@lru_cache(maxsize=1)
def id_line_net() -> IdLineNet:
    """One network per process, loaded on first use."""
    return IdLineNet()


def pattern_posteriors(log_probs: NDArray[np.float64]) -> NDArray[np.float64]:
    """For each position of ``PATTERN``, the posterior of each class (rows sum to 1; class 0, the
    blank, is never a position's character), given the network's T x classes log-probabilities:
    the sum over every CTC path that spells a string of the pattern, forward and backward in
    scaled probabilities. A path may stay on a character, pass to a blank, or pass straight to
    the next position unless that holds the same character (CTC needs a blank between repeats)."""
    steps = log_probs.shape[0]
    slots, classes = ALLOWED.shape
    prob = np.exp(log_probs)
    emit = prob[:, None, :] * ALLOWED[None]  # T x slots x classes
    emit_blank = prob[:, 0]
    blank = np.zeros(slots + 1)  # blank before position j (j = slots: after the last)
    char = np.zeros((slots, classes))
    entered = np.zeros((steps, slots, classes))  # scaled probability of entering (j, c) at t
    scale = np.zeros(steps)
    blank[0], char[0] = emit_blank[0], emit[0, 0]
    entered[0, 0] = emit[0, 0]
    scale[0] = blank.sum() + char.sum()
    blank, char, entered[0] = blank / scale[0], char / scale[0], entered[0] / scale[0]
    history_blank = [blank]
    for t in range(1, steps):
        totals = char.sum(axis=1)
        before = np.concatenate(([0.0], totals[:-1]))  # all characters at the previous position
        before_same = np.vstack((np.zeros((1, classes)), char[:-1]))  # ... holding this character
        enter = (blank[:slots, None] + before[:, None] - before_same) * emit[t]
        new_blank = (blank + np.concatenate(([0.0], totals))) * emit_blank[t]
        new_char = char * emit[t] + enter
        scale[t] = new_blank.sum() + new_char.sum() or 1e-300
        blank, char, entered[t] = new_blank / scale[t], new_char / scale[t], enter / scale[t]
        history_blank.append(blank)
    # Backward, scaled alike, summing entered x backward into the posteriors on the way.
    back_blank = np.zeros(slots + 1)
    back_char = np.zeros((slots, classes))
    back_blank[slots] = 1.0
    back_char[slots - 1] = ALLOWED[slots - 1]
    posterior = entered[steps - 1] * back_char
    for t in range(steps - 2, -1, -1):
        into = back_char * emit[t + 1]
        into_totals = into.sum(axis=1)
        stay_blank = back_blank * emit_blank[t + 1]
        new_back_blank = stay_blank.copy()
        new_back_blank[:slots] += into_totals
        after = np.concatenate((into_totals[1:], [0.0]))
        after_same = np.vstack((into[1:], np.zeros((1, classes))))
        new_back_char = (into + stay_blank[1:, None] + after[:, None] - after_same) * ALLOWED
        back_blank, back_char = new_back_blank / scale[t + 1], new_back_char / scale[t + 1]
        posterior += entered[t] * back_char
    posterior = np.maximum(posterior * ALLOWED, 0.0)
    return posterior / np.maximum(posterior.sum(axis=1, keepdims=True), 1e-300)


def fuse(per_line: list[NDArray[np.float64]]) -> IdLineReading:
    """The printings' posteriors multiplied position by position (independent evidence on a
    uniform prior), as the reading of the 32 digits."""
    logs = sum(np.log(np.maximum(p, 1e-12)) for p in per_line)
    logs = np.where(ALLOWED > 0, logs, -np.inf)
    logs = logs - logs.max(axis=1, keepdims=True)
    joint = np.exp(logs)
    joint /= joint.sum(axis=1, keepdims=True)
    digits = joint[list(DIGIT_SLOTS)][:, [ALPHABET.index(h) + 1 for h in HEX]]
    digits /= np.maximum(digits.sum(axis=1, keepdims=True), 1e-300)
    best = "".join(HEX[k] for k in digits.argmax(axis=1))
    uuid = f"{best[:8]}-{best[8:12]}-{best[12:16]}-{best[16:20]}-{best[20:]}"
    return IdLineReading(uuid=uuid, posteriors=digits)


def _conv3x3(x: Array, weight: Array, bias: Array) -> Array:
    """A 3x3 convolution with one pixel of zero padding, as one matrix product."""
    channels, height, width = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(1, 2))
    columns = windows.transpose(0, 3, 4, 1, 2).reshape(channels * 9, height * width)
    out = weight.reshape(weight.shape[0], -1) @ columns + bias[:, None]
    return out.reshape(weight.shape[0], height, width)


def _max_pool(x: Array, ph: int, pw: int) -> Array:
    channels, height, width = x.shape
    h, w = height // ph, width // pw
    return x[:, : h * ph, : w * pw].reshape(channels, h, ph, w, pw).max(axis=(2, 4))


def _sigmoid(x: Array) -> Array:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float32)


def _bidirectional_lstm(x: Array, w: dict[str, Array]) -> Array:
    """PyTorch's bidirectional LSTM (gates in, forget, cell, out) over the rows of ``x``: both
    directions advance together, one step each per iteration, and their outputs are concatenated."""
    size = w["lstm.f.whh"].shape[1]
    steps = x.shape[0]
    gates_in = np.stack(
        [x @ w["lstm.f.wih"].T + w["lstm.f.b"], (x @ w["lstm.r.wih"].T + w["lstm.r.b"])[::-1]]
    )  # 2 x T x 4H: the reverse direction's inputs in its own order
    w_hh = np.stack([w["lstm.f.whh"].T, w["lstm.r.whh"].T])  # 2 x H x 4H
    h = np.zeros((2, 1, size), np.float32)
    c = np.zeros((2, size), np.float32)
    out = np.empty((2, steps, size), np.float32)
    sigmoid_gates = np.r_[0 : 2 * size, 3 * size : 4 * size]  # in, forget, out (then the cell's)
    for t in range(steps):
        g = gates_in[:, t] + np.matmul(h, w_hh)[:, 0]
        ifo = _sigmoid(g[:, sigmoid_gates])
        c = ifo[:, size : 2 * size] * c + ifo[:, :size] * np.tanh(g[:, 2 * size : 3 * size])
        h_now = ifo[:, 2 * size :] * np.tanh(c)
        out[:, t] = h_now
        h = h_now[:, None]
    return np.concatenate([out[0], out[1][::-1]], axis=1)
