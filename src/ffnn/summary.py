"""A model's architecture as a table: one row per layer with its shape, activation and parameter
count (W^(ℓ) has D_ℓ·D_{ℓ−1} entries, c^(ℓ) has D_ℓ), in the manner of Keras's model.summary()."""

import math

from .network import Network
from .rounding import fixed


def inner_estimator(model):
    """A command-line model's fitted estimator (it wraps one with its table's preprocessing);
    any other model itself. Only a command-line model's `estimator` is unwrapped: a
    GridSearchCV's or a BaggingRegressor's is the template it copies, not what it fitted."""
    return model.estimator if hasattr(model, "preprocessor") and hasattr(
        model, "estimator") else model


def network_of(model):
    """The Network inside a model: itself, a fitted estimator's, or a command-line model's."""
    model = inner_estimator(model)
    if isinstance(model, Network):
        return model
    net = getattr(model, "network_", None)
    if isinstance(net, Network):
        return net
    if hasattr(model, "steps") and hasattr(model, "named_steps"):  # a scikit-learn Pipeline
        raise ValueError(f"summary needs the network itself, got a {type(model).__name__}; pass "
                         "its last step, ffnn.summary(pipe[-1]) (the steps before it only "
                         "transform the data)")
    if hasattr(model, "estimator") or hasattr(model, "best_estimator_"):  # a search, ensemble
        raise ValueError(f"summary needs a Network or a fitted ffnn estimator, got "
                         f"{type(model).__name__}; pass the ffnn model itself"
                         + (" (search.best_estimator_)" if hasattr(model, "best_estimator_")
                            else ""))
    name = type(model).__name__
    # a fitted scikit-learn MLP keeps coefs_, not a Network: fitting it again would not help
    hint = (f"an ffnn model holds a Network; train one with FFNN{name[3:]}"
            if hasattr(model, "coefs_") and name.startswith("MLP") else "fit it first")
    raise ValueError(f"summary needs a Network or a fitted ffnn estimator, got {name} ({hint})")


def rows(model):
    """[(layer, W shape, activation, parameters)] for each layer, input first."""
    net = network_of(model)
    table = [("input", f"({net.D_x},)", "", 0)]
    for ell, layer in enumerate(net.layers, start=1):
        D_out, D_in = layer.shape
        name = "output" if ell == len(net.layers) else f"hidden {ell}"
        table.append((name, f"W {D_out}×{D_in}, c {D_out}", layer.activation.name,
                      D_out * D_in + D_out))
    return table


class Summary(str):
    """The text of a summary, shown as the table itself in a REPL (not as a quoted string)."""

    def __repr__(self):
        return str(self)


def summary(model):
    """The table as text (a `Summary`, which a REPL shows as the table), followed by the totals
    and, for a fitted estimator, how it was trained."""
    net = network_of(model)
    table = rows(model)
    header = ("layer", "parameters (shape)", "activation", "count")
    widths = [max(len(str(r[i])) for r in table + [header]) for i in range(4)]

    def line(r):
        return "  ".join([str(r[0]).ljust(widths[0]), str(r[1]).ljust(widths[1]),
                          str(r[2]).ljust(widths[2]), str(r[3]).rjust(widths[3])])

    rule = "-" * len(line(header))
    out = [line(header), rule] + [line(r) for r in table] + [rule]
    n_biases = net.params.size - net.n_weights
    out.append(f"total parameters: {net.params.size:,} ({net.n_weights:,} "
               f"weight{'s' * (net.n_weights != 1)}, {n_biases:,} bias{'es' * (n_biases != 1)})")
    out.append(f"loss: {net.loss_function.name}    dtype: {net.dtype.name}")
    estimator = inner_estimator(model) if not isinstance(model, Network) else None
    if estimator is not None and hasattr(estimator, "n_iter_"):
        unit = "iteration" if estimator.solver == "lbfgs" else "epoch"
        ran, total = estimator.n_iter_, trained_count(estimator)
        trained = f"trained: solver {estimator.solver}, {_count(total, unit)}"
        if total != ran:
            trained += f" (the last call trained {ran})"
        if estimator.loss_ is not None:  # (early stopping may have kept an earlier epoch's weights)
            trained += f", last {unit}'s loss {estimator.loss_:.6g}"
            if getattr(model, "task", None) == "regression":  # a command-line model's network
                trained += " (in units of the standardised target)"  # learns (y - mean) / sd
        best = getattr(estimator, "best_validation_score_", None)
        if best is not None and math.isfinite(best):  # -inf: no score was a number
            trained += f", best validation score {fixed(best)}"
        out.append(trained)
    return Summary("\n".join(out))


def trained_count(estimator):
    """The epochs (L-BFGS: iterations) a fitted estimator trained, over all its runs."""
    # n_iter_ counts the last call's epochs (scikit-learn's meaning); the loss curve holds one
    # entry for each epoch of every warm-started fit and partial_fit, and, for L-BFGS, one for a
    # run that made no iteration (its starting loss): the last run's is not counted (one
    # interrupted before its first iteration recorded none)
    ran = estimator.n_iter_
    total = len(getattr(estimator, "loss_curve_", None) or ())
    started_loss = estimator.solver == "lbfgs" and ran == 0 and getattr(
        estimator, "interrupted_", None) is None
    return max(total - started_loss, ran)


def _count(n, unit):
    return f"{n} {unit}{'' if n == 1 else 's'}"
