"""When training has diverged: a loss or weights no longer finite, or, for update rules whose
step grows with the gradient, a finite loss many times what training started from."""

import numpy as np

# An epoch whose loss exceeds this many times the reference loss of the run (the larger of J at
# the weights the run starts from and J at θ = 0, the network that predicts a constant) has
# diverged, though it be finite, when the update rule's step grows with the gradient (gd, sgd).
# Such steps overshoot more the further they are off, so the loss grows geometrically: in runs of
# gd and sgd over five data sets and learning rates from 0.001 to 10, no run that once passed
# ten thousand times its reference came back below 300 times it, and most went on to overflow.
# Adam's step is bounded by its learning rate whatever the gradient, and it does come back (from
# 10⁸ times, at a learning rate of 10): for Adam only a non-finite loss is divergence. The
# reference uses no training-set value but the first, so a warm start from a near-perfect fit is
# measured against the constant prediction, not against its own tiny loss. partial_fit's runs,
# one epoch each over the chunks of one stream, keep the reference of the first, raised to J at
# θ = 0 on each chunk where that is larger: a reference taken anew from each one's first batch
# followed the loss up to overflow. A warm-started fit is a new run, maybe on other data (where
# the old weights may start far off), and takes its own.
DIVERGENCE_FACTOR = 1e4


def reference(history, first_loss, at_zero, incremental):
    """The loss that a run's epochs are measured against, kept in `history`: `first_loss` is
    J_B of the run's first batch, `at_zero()` J at θ = 0; `incremental` runs (partial_fit)
    carry the first one's."""
    carried = incremental and history.divergence_reference is not None
    start = history.divergence_reference if carried else first_loss
    history.divergence_reference = max(start, at_zero())
    return history.divergence_reference


def problem(loss, reference, params_finite, epoch, steps_bounded):
    """What is wrong with `epoch`, whose loss is `loss`, if it diverged, or None: `params_finite()`
    says whether θ is finite, `steps_bounded` whether the update rule's steps are bounded
    (Adam's), which then only a non-finite loss stops."""
    if not np.isfinite(loss) or not params_finite():
        what = f"the loss became {loss}" if not np.isfinite(loss) else \
            "the weights became non-finite"
        return (f"Solver produced non-finite parameter weights. The input data may contain "
                f"large values and need to be preprocessed. Training diverged at epoch {epoch}: "
                f"{what}")
    if not steps_bounded and loss > DIVERGENCE_FACTOR * reference:
        return (f"Training diverged at epoch {epoch}: the loss {loss:.4g} is more than "
                f"{DIVERGENCE_FACTOR:.0e} times {reference:.4g}, the larger of the objective at "
                "the weights training started from and that of a network that predicts a "
                "constant")
    return None
