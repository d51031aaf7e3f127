"""Update rules: how a gradient g moves the parameters θ. Each rule owns its state (velocity,
moments) and knows nothing of the network.

Protocol: `rule.update(params, grad, work=None)` changes the flat parameter vector in place, given
the flat gradient of the objective at params; `work`, if given, is a scratch array shaped like
params that the rule may overwrite (training lends one it also uses for the penalty). Each rule's
formula is one function (`gd_step`, `sgd_step`, `adam_step`) written against the arrays'
namespace, which `update` calls in place and the compiled engine calls functionally, through
`state(params)` (the rule's arrays), `rates(steps)` (the step size of each of the next steps)
and `step(params, grad, state, rate)`.
`rule.learning_rate` may be changed between updates (the schedules in `trainer` do so);
`rule.steps_bounded` says whether a step's size is bounded by the learning rate whatever the
gradient (Adam's), or grows with the gradient (the others'), which decides how divergence shows
(see `divergence.DIVERGENCE_FACTOR`). State
arrays the size of θ (velocity, moments) are allocated once, on the first update.
Scalars enter the updates as Python floats: a NumPy float64 scalar would turn float32 arithmetic
into a slow float64 round trip.
L-BFGS is not an update rule but a whole minimiser; `lbfgs` runs SciPy's directly over the
same flat vector.
"""

import math

import numpy as np

from ..arrays import namespace


def gd_step(params, grad, rate, work=None):
    """θ ← θ − η g."""
    xp = namespace(params)
    return xp.add(params, xp.multiply(grad, -rate, out=work), out=params)


def sgd_step(params, grad, velocity, rate, momentum, nesterov, work=None, look_ahead=None):
    """v ← μ v − η g, then θ ← θ + v, or with Nesterov's look-ahead θ ← θ + μ v − η g:
    (θ, v)."""
    xp = namespace(params)
    step = xp.multiply(grad, -rate, out=work)  # −η g
    velocity = xp.add(xp.multiply(velocity, momentum, out=velocity), step, out=velocity)
    if nesterov:
        step = xp.add(step, xp.multiply(velocity, momentum, out=look_ahead), out=step)
        return xp.add(params, step, out=params), velocity
    return xp.add(params, velocity, out=params), velocity


def adam_rate(learning_rate, beta_1, beta_2, t):
    """The step sizes of Adam's updates number t (an array of them), for moments stored scaled
    (see Adam): η √(1 − β₂ᵗ) / (1 − β₁ᵗ) · (1 − β₁) / √(1 − β₂)."""
    correction = np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    return learning_rate * correction * (1 - beta_1) / math.sqrt(1 - beta_2)


def adam_step(params, grad, m, v, rate, beta_1, beta_2, epsilon, work=None):
    """m̃ ← β₁ m̃ + g, ṽ ← β₂ ṽ + g², θ ← θ − rate · m̃ / (√ṽ + ε/√(1 − β₂)): (θ, m̃, ṽ)."""
    xp = namespace(params)
    m = xp.add(xp.multiply(m, beta_1, out=m), grad, out=m)
    v = xp.add(xp.multiply(v, beta_2, out=v), xp.multiply(grad, grad, out=work), out=v)
    work = xp.add(xp.sqrt(v, out=work), epsilon / math.sqrt(1 - beta_2), out=work)
    work = xp.multiply(xp.divide(m, work, out=work), -rate, out=work)
    return xp.add(params, work, out=params), m, v


class GradientDescent:
    """The chapter's plain gradient descent:  θ ← θ − η g."""

    steps_bounded = False

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def update(self, params, grad, work=None):
        gd_step(params, grad, float(self.learning_rate), work)

    # The compiled engine's view: the state as arrays, the rate of each of the next steps, and
    # the step as a function of them.
    def state(self, params):
        return ()

    def set_state(self, state):
        pass

    def rates(self, steps):
        return [float(self.learning_rate)] * steps

    def step(self, params, grad, state, rate):
        return gd_step(params, grad, rate), state


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
        sgd_step(params, grad, self.velocity, float(self.learning_rate), self.momentum,
                 self.nesterov, work, self._look_ahead)

    def state(self, params):
        return (np.zeros_like(params) if self.velocity is None else self.velocity,)

    def set_state(self, state):
        self.velocity = np.array(state[0])
        self._look_ahead = np.empty_like(self.velocity)

    def rates(self, steps):
        return [float(self.learning_rate)] * steps

    def step(self, params, grad, state, rate):
        params, velocity = sgd_step(params, grad, state[0], rate, self.momentum, self.nesterov)
        return params, (velocity,)


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
        (rate,) = self.rates(1)
        adam_step(params, grad, self._m, self._v, rate, self.beta_1, self.beta_2,
                  self.epsilon, work)

    def state(self, params):
        if self._m is None:
            return np.zeros_like(params), np.zeros_like(params)
        return self._m, self._v

    def set_state(self, state):
        self._m, self._v = np.array(state[0]), np.array(state[1])

    def rates(self, steps):
        """The step sizes of the next `steps` updates, which they count (t advances), as Python
        floats (a NumPy float64 would turn float32 arithmetic into float64)."""
        t = np.arange(self.t + 1, self.t + steps + 1, dtype=np.float64)
        self.t += steps
        return adam_rate(float(self.learning_rate), self.beta_1, self.beta_2, t).tolist()

    def step(self, params, grad, state, rate):
        params, m, v = adam_step(params, grad, state[0], state[1], rate, self.beta_1,
                                 self.beta_2, self.epsilon)
        return params, (m, v)


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
