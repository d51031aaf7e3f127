"""Update rules: how a gradient g moves the parameters θ. Each rule owns its state (velocity,
moments) and knows nothing of the network.

Protocol: `rule.update(params, grad, work=None)` changes the flat parameter vector in place, given
the flat gradient of the objective at params; `work`, if given, is a scratch array shaped like
params that the rule may overwrite (training lends one it also uses for the penalty).
`rule.learning_rate` may be changed between updates (the schedules in `trainer` do so);
`rule.steps_bounded` says whether a step's size is bounded by the learning rate whatever the
gradient (Adam's), or grows with the gradient (the others'), which decides how divergence shows
(see `trainer.DIVERGENCE_FACTOR`). State
arrays the size of θ (velocity, moments) are allocated once, on the first update.
Scalars enter the updates as Python floats: a NumPy float64 scalar would turn float32 arithmetic
into a slow float64 round trip.
L-BFGS is not an update rule but a whole minimiser; `lbfgs` runs SciPy's directly over the
same flat vector.
"""

import math

import numpy as np


class GradientDescent:
    """The chapter's plain gradient descent:  θ ← θ − η g."""

    steps_bounded = False

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def update(self, params, grad, work=None):
        params += np.multiply(grad, -float(self.learning_rate), out=work)


class SGD:
    """Gradient descent with momentum μ:  v ← μ v − η g,  then θ ← θ + v.

    With Nesterov's momentum the step looks ahead along the new velocity:  θ ← θ + μ v − η g.
    """

    steps_bounded = False

    def __init__(self, learning_rate, momentum=0.9, nesterov=True):
        self.learning_rate = learning_rate
        self.momentum = float(momentum)
        self.nesterov = nesterov
        self.velocity = None
        self._look_ahead = None

    def update(self, params, grad, work=None):
        if self.velocity is None:
            self.velocity = np.zeros_like(params)
            self._look_ahead = np.empty_like(params)
        v = self.velocity
        step = np.multiply(grad, -float(self.learning_rate), out=work)  # −η g
        v *= self.momentum
        v += step
        if self.nesterov:
            step += np.multiply(v, self.momentum, out=self._look_ahead)  # μ v − η g
            params += step
        else:
            params += v


class Adam:
    """Adam (Kingma & Ba), in the form scikit-learn's MLP uses:

        t ← t + 1,  m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,
        η_t = η √(1 − β₂ᵗ) / (1 − β₁ᵗ),  θ ← θ − η_t m / (√v + ε).

    The moments are stored scaled, m̃ = m / (1 − β₁) and ṽ = v / (1 − β₂), so that each update
    is m̃ ← β₁ m̃ + g and ṽ ← β₂ ṽ + g², two array passes fewer than the unscaled form; the step
    is then η_t (1 − β₁)/√(1 − β₂) · m̃ / (√ṽ + ε/√(1 − β₂)), the same number. `m` and `v` give
    the moments of the formulas above.
    """

    steps_bounded = True  # |m| / √v ≤ about 1 per coordinate: a step is about η_t at most

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
        self.learning_rate = learning_rate
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)
        self.t = 0
        self._m = self._v = None

    @property
    def m(self):
        return None if self._m is None else self._m * (1 - self.beta_1)

    @property
    def v(self):
        return None if self._v is None else self._v * (1 - self.beta_2)

    def update(self, params, grad, work=None):
        if self._m is None:
            self._m, self._v = np.zeros_like(params), np.zeros_like(params)
        if work is None:
            work = np.empty_like(params)
        self.t += 1
        b1, b2, m, v = self.beta_1, self.beta_2, self._m, self._v
        m *= b1
        m += grad
        v *= b2
        v += np.multiply(grad, grad, out=work)
        lr_t = float(self.learning_rate) * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        root = math.sqrt(1 - b2)
        np.sqrt(v, out=work)
        work += self.epsilon / root
        np.divide(m, work, out=work)
        work *= -lr_t * (1 - b1) / root
        params += work


RULES = {"sgd": SGD, "adam": Adam, "gd": GradientDescent}


def make(solver, learning_rate_init, momentum=0.9, nesterovs_momentum=True, beta_1=0.9,
         beta_2=0.999, epsilon=1e-8):
    """The update rule for a minibatch solver's name: "sgd", "adam" or "gd"."""
    if solver == "gd":
        return GradientDescent(learning_rate_init)
    if solver == "sgd":
        return SGD(learning_rate_init, momentum, nesterovs_momentum)
    if solver == "adam":
        return Adam(learning_rate_init, beta_1, beta_2, epsilon)
    raise ValueError(f"unknown solver {solver!r}; valid names are {', '.join(sorted(RULES))} "
                     "(and lbfgs, which is not an update rule)")
