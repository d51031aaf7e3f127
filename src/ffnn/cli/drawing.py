"""The chapter's drawing of a network: neurons as circles in columns, one column per layer, edges
coloured by the weight's sign and as thick as it is large. Layers of more than MAX_DRAWN
neurons show their first and last ones around an ellipsis, and at most MAX_EDGES edges are
drawn between two columns (the largest weights), with a caption saying how many."""

import numpy as np

from ..summary import inner_estimator, network_of

POSITIVE, NEGATIVE = "#1f77b4", "#d62728"
MAX_DRAWN = 12   # neurons drawn per layer
MAX_EDGES = 40   # edges drawn between two columns: the largest weights among the neurons drawn
NAME_LENGTH = 20


def drawn(D):
    """Indices of the neurons drawn for a layer of D neurons, with None marking an ellipsis."""
    if D <= MAX_DRAWN:
        return list(range(D))
    half = (MAX_DRAWN - 1) // 2
    return list(range(half)) + [None] + list(range(D - half, D))


def names_of(model):
    """The names of a model's inputs: a command-line model's encoded features, an estimator's
    feature names, or None."""
    preprocessor = getattr(model, "preprocessor", None)
    if preprocessor is not None:
        return list(preprocessor.feature_names)
    names = getattr(inner_estimator(model), "feature_names_in_", None)
    return None if names is None else [str(n) for n in names]


def output_names_of(model):
    """What each output neuron computes, where the model knows: P(class) for a classifier (the
    one output of a binary one is the probability of the second class), the target's name for
    a command-line regression, P(y[k] = 1) for output k of a multilabel classifier (one sigmoid
    per label column, not one probability per class); None otherwise, as for a classifier of one
    class, whose output is trained towards 0 (there is no other class for it to be the
    probability of) while predict_proba gives 1."""
    D_y = network_of(model).layer_sizes[-1]
    classes = getattr(model, "classes_", None)
    binarizer = getattr(model, "_label_binarizer", None)
    if getattr(binarizer, "y_type_", None) == "multilabel-indicator":
        return [f"P(y[{c}] = 1)" for c in classes] if len(classes) == D_y else None
    if classes is not None and len(classes) == 1:
        return None
    if classes is not None:
        labels = [f"P({short(str(c))})" for c in classes]
        return labels[1:] if D_y == 1 and len(labels) == 2 else (
            labels if len(labels) == D_y else None)
    target = getattr(model, "target", None)
    return [short(str(target))] if target is not None and D_y == 1 else None


def literal(text):
    """`text` drawn as written: matplotlib reads text between dollar signs as mathematics
    ('$\\alpha$' drawn as a Greek letter, '$$ high' an error), but not an escaped dollar."""
    return str(text).replace("$", r"\$")


def short(name):
    """A name cut to NAME_LENGTH characters in its middle: many features share a beginning
    (measurement_1, measurement_2, ...), and their ends tell them apart."""
    if len(name) <= NAME_LENGTH:
        return name
    tail = NAME_LENGTH // 2
    return name[:NAME_LENGTH - tail - 1] + "…" + name[-tail:]


def network(model, path, names, figure, save):
    """Draw `model`'s network, labelling its inputs with `names` (default: `names_of`), on a
    figure from `figure(width, height)`, written by `save(fig, path)`."""
    net = network_of(model)
    names = names if names is not None else names_of(model)
    columns = [drawn(D) for D in net.layer_sizes]
    tallest = max(len(c) for c in columns)
    labels = [short(names[i]) if names is not None and i < len(names) else f"x{i + 1}"
              for i in columns[0] if i is not None]
    outputs = output_names_of(model)
    outputs = None if outputs is None else [outputs[j] for j in columns[-1] if j is not None]
    # Room beside the longest labels and no more (a unit is 2 inches, a character of the
    # labels' 7-point type about 0.06 inch).
    labels_width = 0.2 + 0.032 * max(len(label) for label in labels)
    outputs_width = 0.2 + 0.032 * max(map(len, outputs)) if outputs else 0.0
    fig = figure(2.0 * (len(columns) - 1) + 1.6 + labels_width + outputs_width,
                 max(3.6, 0.42 * tallest + 2.4))
    ax = fig.add_subplot()
    ax.set_axis_off()

    def y_of(column, k):
        return (len(column) - 1) / 2 - k

    largest = max(float(np.abs(layer.W).max()) for layer in net.layers) or 1.0
    shown = []
    for ell, layer in enumerate(net.layers):
        left, right = columns[ell], columns[ell + 1]
        pairs = [(a, i, b, j) for a, i in enumerate(left) if i is not None
                 for b, j in enumerate(right) if j is not None]
        weights = np.array([layer.W[j, i] for _, i, _, j in pairs])
        order = np.argsort(-np.abs(weights), kind="stable")[:MAX_EDGES]
        for k in order[::-1]:  # the largest drawn last, on top
            a, _, b, _ = pairs[k]
            w = weights[k]
            ax.plot([ell, ell + 1], [y_of(left, a), y_of(right, b)],
                    color=POSITIVE if w >= 0 else NEGATIVE,
                    linewidth=0.4 + 3.0 * abs(w) / largest,
                    alpha=0.3 + 0.6 * abs(w) / largest, zorder=1, solid_capstyle="round")
        shown.append((len(order), layer.W.size))
    titles = ["input"] + [f"hidden {k}" for k in range(1, len(net.layers))] + ["output"]
    for ell, column in enumerate(columns):
        second = "features" if ell == 0 else net.activations[ell - 1].name
        ax.text(ell, (tallest - 1) / 2 + 0.8, f"{titles[ell]} ({net.layer_sizes[ell]:,})\n"
                f"{second}", ha="center", va="bottom", fontsize=9)
        for k, index in enumerate(column):
            y = y_of(column, k)
            if index is None:
                ax.text(ell, y, "⋮", ha="center", va="center", fontsize=14)
                continue
            ax.scatter([ell], [y], s=220, facecolor="white", edgecolor="black", zorder=2)
            if ell == 0:
                ax.text(ell - 0.14, y, literal(labels.pop(0)), ha="right", va="center", fontsize=7)
            elif ell == len(columns) - 1 and outputs:
                ax.text(ell + 0.14, y, literal(outputs.pop(0)), ha="left", va="center", fontsize=7)
    sizes = " → ".join(f"{D:,}" for D in net.layer_sizes)
    ax.set_title(f"Network {sizes}: {net.params.size:,} parameters", fontsize=11)
    ax.plot([], [], color=POSITIVE, label="positive weight")
    ax.plot([], [], color=NEGATIVE, label="negative weight")
    # The caption is the legend's title, so that the two never overlap, however short the
    # figure.
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2, frameon=False,
                       fontsize=8, title=_caption(shown), title_fontsize=7.5)
    legend.get_title().set_color("#444444")
    ax.set_xlim(-0.35 - labels_width, len(columns) - 0.65 + outputs_width)
    ax.set_ylim(-(tallest - 1) / 2 - 1.3, (tallest - 1) / 2 + 1.8)
    return save(fig, path)


def _caption(shown):
    if all(k == total for k, total in shown):
        return "every weight drawn; line width ∝ |weight|"
    parts = [f"{k} of {total:,}" for k, total in shown]
    return ("line width ∝ |weight|; drawn: the largest weights between the neurons shown ("
            + ", ".join(parts) + " per layer)")
