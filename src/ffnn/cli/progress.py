"""Training progress for people: a bar on a terminal, a few lines elsewhere (logs, pipes),
nothing when quiet. An instance is the per-epoch callback that `fit` calls.

The bar is drawn from the first epoch on, so that lines printed before training (what is being
trained) are never cut by it. Off a terminal, at most about `MAX_LINES` lines are printed per
fit: every k-th epoch, new best epochs at least k epochs apart, and the last epoch. The best epoch
is the one whose weights `fit` keeps: the highest validation score, ties going to the lower
validation loss.
"""

import math
import sys

from ..rounding import fixed

MAX_LINES = 20


class Progress:
    """Call with each `EpochInfo`; `close()` when training ends."""

    def __init__(self, epochs, score_name="score", stream=None, quiet=False, bar=None,
                 unit="epoch"):
        self.epochs = epochs
        self.score_name = score_name
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.unit = unit
        self.interactive = bar if bar is not None else _is_terminal(self.stream)
        self.bar = None
        self.every = max(1, math.ceil(epochs / (MAX_LINES // 2)))
        self.best, self.best_loss = -math.inf, math.inf
        self.last_printed = self.last_best_printed = -math.inf
        self.pending = None  # the latest line not printed, printed at close() if it was the last

    def __call__(self, info):
        if self.quiet:
            return
        fields = {"loss": f"{info.loss:.5g}"}
        improved = self._improved(info)
        if info.validation_score is not None:
            fields[f"val {self.score_name}"] = fixed(info.validation_score)
        if self.interactive:
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=self.epochs, file=self.stream, unit=self.unit,
                                dynamic_ncols=True, leave=True)
            self.bar.update(1)
            self.bar.set_postfix(fields, refresh=False)
            return
        extra = "  ".join(f"{k} {v}" for k, v in fields.items())
        line = (f"{self.unit} {info.epoch:>{len(str(self.epochs))}}/{self.epochs}  {extra}"
                + ("  (best)" if improved else ""))
        regular = info.epoch == 1 or info.epoch % self.every == 0 or info.epoch == self.epochs
        noted = improved and info.epoch - self.last_best_printed >= self.every
        if regular or noted:
            print(line, file=self.stream, flush=True)
            self.last_printed = info.epoch
            if improved:
                self.last_best_printed = info.epoch
            self.pending = None
        else:
            self.pending = line

    def _improved(self, info):
        """Whether this epoch is the best so far (see `better`)."""
        record = better(info, self.best, self.best_loss)
        if record is None:
            return False
        self.best, self.best_loss = record
        return True

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        if self.pending is not None:  # training stopped before its last epoch: show where
            print(self.pending, file=self.stream, flush=True)
            self.pending = None


def better(info, best_score, best_loss):
    """The epoch's (validation score, validation loss) if it beats the best so far by the rule
    that chooses the weights `ffnn fit` keeps, else None: a higher validation score, or the same
    score with a lower validation loss (ties of a coarse score, accuracy on a few rows, go to
    the lower loss; a missing loss counts as infinite)."""
    score, loss = info.validation_score, info.validation_loss
    if score is None:
        return None
    loss = math.inf if loss is None else loss
    return (score, loss) if score > best_score or score == best_score and loss < best_loss \
        else None


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
