"""Weight initialisation: the starting W^(ℓ) of each layer (biases c^(ℓ) start at zero).

He initialisation, W ~ N(0, 2 / D_{ℓ−1}), keeps the variance of ReLU-family layers' outputs
steady through depth; Glorot's, W ~ U(±sqrt(6 / (D_{ℓ−1} + D_ℓ))), does the same for symmetric
activations (sigmoid, tanh, linear, softmax). All randomness comes from the Generator passed in.

Schemes of `Network`:
    "he"      He for ReLU-family layers, Glorot for the others (the default)
    "glorot"  Glorot for every layer

The estimators start as scikit-learn's MLP does (`scikit_learn_uniform`): W^(ℓ) and c^(ℓ) alike
~ U(±sqrt(factor / (D_{ℓ−1} + D_ℓ))), factor 2 when the hidden activation is logistic and 6
otherwise; on shallow networks this trains faster than He's (see benchmarks/accuracy.py).
"""

import numpy as np

RELU_FAMILY = ("relu", "leaky_relu")
SCHEMES = ("he", "glorot")


def he_normal(rng, D_out, D_in):
    return rng.normal(0.0, np.sqrt(2.0 / D_in), size=(D_out, D_in))


def glorot_uniform(rng, D_out, D_in):
    bound = np.sqrt(6.0 / (D_in + D_out))
    return rng.uniform(-bound, bound, size=(D_out, D_in))


def scikit_learn_uniform(source, D_out, D_in, factor):
    """(W, c) as scikit-learn's MLP draws them: both ~ U(±sqrt(factor / (D_in + D_out))), the
    weights drawn first in scikit-learn's (D_in, D_out) layout, from a RandomState or Generator."""
    bound = np.sqrt(factor / (D_in + D_out))
    coef = source.uniform(-bound, bound, (D_in, D_out))
    return coef.T, source.uniform(-bound, bound, D_out)


def initial_weights(rng, D_out, D_in, activation_name, scheme="he"):
    """A (D_out × D_in) float64 weight matrix for a layer with the given activation."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown initialisation {scheme!r}; valid names are {', '.join(SCHEMES)}")
    if scheme == "he" and activation_name in RELU_FAMILY:
        return he_normal(rng, D_out, D_in)
    return glorot_uniform(rng, D_out, D_in)
