"""Training progress for people: a bar on a terminal, one line per epoch elsewhere (logs, pipes),
nothing when quiet. An instance is the per-epoch callback that `fit` calls."""

import sys


class Progress:
    """Call with each `EpochInfo`; `close()` when training ends."""

    def __init__(self, epochs, score_name="score", stream=None, quiet=False, bar=None):
        self.epochs = epochs
        self.score_name = score_name
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.bar = None
        interactive = bar if bar is not None else _is_terminal(self.stream)
        if not quiet and interactive:
            from tqdm import tqdm

            self.bar = tqdm(total=epochs, file=self.stream, unit="epoch", dynamic_ncols=True,
                            leave=True)

    def __call__(self, info):
        if self.quiet:
            return
        fields = {"loss": f"{info.loss:.5g}"}
        if info.validation_score is not None:
            fields[f"val {self.score_name}"] = f"{info.validation_score:.4f}"
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(fields, refresh=False)
        else:
            extra = "  ".join(f"{k} {v}" for k, v in fields.items())
            print(f"epoch {info.epoch:>{len(str(self.epochs))}}/{self.epochs}  {extra}",
                  file=self.stream, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
