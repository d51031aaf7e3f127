"""The fitted attributes scikit-learn's MLP keeps about its layers, read from the network: coefs_
and intercepts_ (one array per layer, here views of the network's parameters), n_layers_,
n_outputs_ and out_activation_."""

import numpy as np


class LayerArrays(list):
    """One array per layer, as scikit-learn's MLP keeps coefs_ and intercepts_: a list whose items
    are views of the network's parameters (each Wᵀ, or each c), so that assigning an item, or
    writing into one, changes the network. Its length is the network's: it cannot grow, shrink or
    be reordered. A copy (copy.copy, copy.deepcopy, pickle) is a plain list of arrays."""

    def __init__(self, net, name):
        self._net, self._name = net, name
        super().__init__(layer.W.T if name == "W" else layer.c for layer in net.layers)

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            layers, values = self._net.layers[index], list(value)
            if len(values) != len(layers):
                self._fixed()
        else:
            layers, values = [self._net.layers[index]], [value]
        for layer, value in zip(layers, values):
            target = layer.W.T if self._name == "W" else layer.c
            value = np.asarray(value)
            if value.shape != target.shape:
                raise ValueError(f"layer {self._net.layers.index(layer)} needs an array of shape "
                                 f"{target.shape}, got {value.shape}")
            target[...] = value

    def _fixed(self, *args, **kwargs):
        raise TypeError(f"{'coefs_' if self._name == 'W' else 'intercepts_'} holds one array per "
                        f"layer of the network ({len(self)}); the number of layers cannot change "
                        "and the layers cannot be reordered (fit a new network instead)")

    append = extend = insert = pop = remove = clear = sort = reverse = _fixed
    __delitem__ = __iadd__ = __imul__ = _fixed

    def __copy__(self):
        return list(self)

    def __deepcopy__(self, memo):
        return [a.copy() for a in self]

    def __reduce__(self):
        return list, (list(self),)


# How scikit-learn names the output activations in `out_activation_`.
SKLEARN_OUTPUT_NAMES = {"linear": "identity", "sigmoid": "logistic", "softmax": "softmax",
                        "exp": "exp"}


class NetworkAttributes:
    """The estimators' fitted attributes that the network `network_` holds. scikit-learn's
    forward pass reads n_layers_ and out_activation_, so assigning them there changes predict
    (a known way to bound a regressor's outputs); here the output layer is paired with the
    loss, whose gradient ŷ − y training relies on, so such an assignment is refused, not
    ignored."""

    @property
    def n_outputs_(self):
        """D_y, the network's outputs."""
        return _network(self, "n_outputs_").D_y

    @property
    def n_layers_(self):
        """The layers of units, input and output included: len(coefs_) + 1."""
        return len(_network(self, "n_layers_").layers) + 1

    @property
    def out_activation_(self):
        """The output activation, in scikit-learn's name ("identity", "logistic", ...)."""
        return SKLEARN_OUTPUT_NAMES[_network(self, "out_activation_").activations[-1].name]

    @n_outputs_.setter
    def n_outputs_(self, value):
        _fixed_by_the_network("n_outputs_", "the network has an output per target column or "
                              "class of the data it was fitted to")

    @n_layers_.setter
    def n_layers_(self, value):
        _fixed_by_the_network("n_layers_", "it counts the fitted network's layers; fit "
                              "with other hidden_layer_sizes instead")

    @out_activation_.setter
    def out_activation_(self, value):
        _fixed_by_the_network(
            "out_activation_", "the output layer is paired with the loss, whose gradient "
            "training relies on; to bound predictions, clip them (np.clip) or fit transformed "
            "targets (sklearn.compose.TransformedTargetRegressor)")

    @property
    def coefs_(self):
        """Weight matrices in scikit-learn's layout, (n_in, n_out): views of each Wᵀ. Assigning
        a whole list, one item (coefs_[i] = W) or into an item changes the network."""
        return LayerArrays(_network(self, "coefs_"), "W")

    @coefs_.setter
    def coefs_(self, coefs):
        LayerArrays(_network(self, "coefs_", assigning=True), "W")[:] = coefs

    @property
    def intercepts_(self):
        """Bias vectors c, one per layer: views of the network's parameters, assignable as
        coefs_ is."""
        return LayerArrays(_network(self, "intercepts_"), "c")

    @intercepts_.setter
    def intercepts_(self, intercepts):
        LayerArrays(_network(self, "intercepts_", assigning=True), "c")[:] = intercepts


def _network(est, name, assigning=False):
    """The fitted network that attribute `name` is read from (or, `assigning`, written into);
    before fit, the AttributeError scikit-learn's MLP gives, naming `name`."""
    net = getattr(est, "network_", None)
    if net is None and assigning:
        raise AttributeError(f"{name} cannot be set before fit: it holds the layers of the "
                             "fitted network; fit first, then assign")
    if net is None:
        raise AttributeError(f"'{type(est).__name__}' object has no attribute '{name}'")
    return net


def _fixed_by_the_network(name, why):
    raise AttributeError(f"{name} cannot be set: {why}")
