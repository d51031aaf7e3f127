"""Weight initialisation: the starting W^(ℓ) of each layer (biases c^(ℓ) start at zero).

He initialisation, W ~ N(0, 2 / D_{ℓ−1}), keeps the variance of ReLU-family layers' outputs
steady through depth; Glorot's, W ~ U(±sqrt(6 / (D_{ℓ−1} + D_ℓ))), does the same for symmetric
activations (sigmoid, tanh, linear, softmax). All randomness comes from the Generator passed in.
"""

import numpy as np

RELU_FAMILY = ("relu", "leaky_relu")


def he_normal(rng, D_out, D_in):
    return rng.normal(0.0, np.sqrt(2.0 / D_in), size=(D_out, D_in))


def glorot_uniform(rng, D_out, D_in):
    bound = np.sqrt(6.0 / (D_in + D_out))
    return rng.uniform(-bound, bound, size=(D_out, D_in))


def initial_weights(rng, D_out, D_in, activation_name):
    """A (D_out × D_in) float64 weight matrix suited to the layer's activation."""
    if activation_name in RELU_FAMILY:
        return he_normal(rng, D_out, D_in)
    return glorot_uniform(rng, D_out, D_in)
