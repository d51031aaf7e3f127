"""coefs_ and intercepts_ as scikit-learn's MLP keeps them, one array per layer, here views of the
network's parameters."""

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
