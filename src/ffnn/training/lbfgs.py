"""L-BFGS through SciPy: the whole objective J(θ) and its gradient, over all rows, handed to
scipy.optimize.minimize. The network's flat parameter vector is the optimiser's x as it is (no
packing); float32 networks compute in float32 and only the exchange with SciPy is in float64."""

from dataclasses import dataclass

import numpy as np
import scipy.optimize


@dataclass
class LbfgsResult:
    """How a run ended. `status` is "converged" (the gradient fell below tol),
    "loss_converged" (a step lowered the loss by less than SciPy's relative ftol, the gradient
    still above tol), "max_iter", "max_fun", "interrupted" (Ctrl-C; the last accepted iterate is
    kept), "non_finite" (the final loss or weights are not finite; the last finite iterate is
    kept) or "stopped" (another reason, in `message`)."""

    status: str
    loss: float
    n_iter: int
    evaluations: int
    message: str = ""


# How much a trial step that overflows is said to cost, in units of 1 + |J| at the last finite
# evaluation (see `minimize_lbfgs`).
WALL_HEIGHT = 1e3


def minimize_lbfgs(objective, X, Y, weights, max_iter, max_fun, tol, on_iteration=None):
    """Minimise J over rows X, Y (sample weights or None) from the network's current parameters,
    which hold the result afterwards. `on_iteration(loss)` is called after every iteration with
    the accepted iterate in the network's parameters.

    A trial step of the line search may overflow (an exp output, a large step on unscaled data).
    SciPy's L-BFGS-B cannot take a non-finite value: given inf or NaN it stops and reports
    convergence (measured with SciPy 1.17 on Σ exp(20x) − 1000x from x = −3: two iterations, 0.3
    from the optimum). So such a trial is reported as a wall (see `wall`) rising from the last
    finite evaluation, and the line search steps back (the same problem then converges to
    within 1e-7).
    """
    net = objective.net
    initial = net.params.copy()
    accepted = initial.copy()
    evaluations = iterations = 0
    last_finite = None  # (x, J, ∇J) of the last finite evaluation

    def fun(x):
        nonlocal evaluations, last_finite
        evaluations += 1
        if not np.isfinite(x).all():
            # SciPy's own step overflowed (the square of a gradient beyond 1e154 is inf): there
            # is no direction to put a wall along, so the run ends, non-finite.
            return np.nan, np.zeros_like(x)
        net.params[...] = x
        J, grad = objective(X, Y, weights)
        grad = grad.astype(np.float64)
        if np.isfinite(J) and np.isfinite(grad).all():
            last_finite = (x.copy(), J, grad)
            return J, grad
        if last_finite is None:
            return np.nan, grad  # nothing to step back to: the run ends, non-finite
        return wall(x, *last_finite)

    def on_step(intermediate_result):
        nonlocal iterations
        iterations += 1
        accepted[...] = intermediate_result.x
        if on_iteration is not None:
            net.params[...] = accepted
            on_iteration(float(intermediate_result.fun))

    try:
        result = scipy.optimize.minimize(
            fun, net.params.astype(np.float64), jac=True, method="L-BFGS-B", callback=on_step,
            options={"maxiter": max_iter, "maxfun": max_fun, "gtol": tol})
    except KeyboardInterrupt:
        net.params[...] = accepted
        return LbfgsResult("interrupted", np.nan, iterations, evaluations)
    loss = float(result.fun)
    if not (np.isfinite(loss) and np.isfinite(result.x).all()):
        # the first evaluation, or a trial step of SciPy's that overflowed (see `fun`)
        net.params[...] = accepted if np.isfinite(accepted).all() else initial
        return LbfgsResult("non_finite", loss if not np.isfinite(loss) else np.nan, iterations,
                           evaluations, str(result.message))
    net.params[...] = result.x
    if result.success:
        # SciPy succeeds by either of two rules: the gradient below tol (gtol), or a step that
        # lowered the loss by less than its relative ftol, where the gradient may be far larger
        status = "converged" if np.abs(result.jac).max() <= tol else "loss_converged"
    elif result.status == 1:
        # SciPy's status 1 covers both limits; the iteration count tells which was reached.
        status = "max_iter" if result.nit >= max_iter else "max_fun"
    else:
        status = "stopped"
    return LbfgsResult(status, loss, int(result.nit), evaluations, str(result.message))


def wall(x, x0, J0, g0):
    """What an overflowing trial x reports: a steep rise from the last finite evaluation (x0, J0,
    g0), J = J0 + h and ∇J = g0 + 2h d/‖d‖², d = x − x0, h = WALL_HEIGHT (1 + |J0|): the
    quadratic that climbs h from x0 to x, so that the line search's interpolation steps back."""
    d = x - x0
    height = WALL_HEIGHT * (1 + abs(J0))
    return J0 + height, g0 + 2 * height * d / max(float(d @ d), 1e-300)
