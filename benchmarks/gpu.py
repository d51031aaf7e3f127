"""ffnn's compiled engine against its peers on one device, in one process.

    python benchmarks/gpu.py            # cases S and W on JAX's default device (a GPU)
    python benchmarks/gpu.py --smoke    # the same code on small sizes: it runs end to end on a CPU

Case S is a tabular network, [50, 128, 128, 1] with batches of 200 over N = 100,000 rows; case W
a wide one, [256, 2048, 2048, 1] with batches of 8,192 over N = 2²⁰. Every contender trains the
same network from the same initial weights with Adam (learning rate 1e-3, no penalty) on ½·MSE in
float32, visiting the rows in the same order each epoch (ffnn's own permutations, drawn on the host
and sent to the device); the final training loss of each is computed the same way, so a
faster time cannot come from less work. Contenders:

- ffnn, backend="jax": the chapter's backward pass, written out, one jit-compiled epoch
  (precision "highest", exact float32 products; on W also "tf32");
- JAX autodiff: the same model written directly in JAX, jax.grad, one jit-compiled epoch
  (lax.scan over the batches): the best peer (on W also with TF32, to compare like with like);
- PyTorch eager, and PyTorch replaying a CUDA graph of one step (on a GPU only);
- ffnn, backend="numpy", on the host's CPU cores (case S only).

Seconds per epoch are the median over the epochs after the first (which includes compiling);
TFLOP/s count 6 × N × parameters per epoch. The final ½·MSE of every contender is computed by
one function, on the device, from the weights each one ends with.
"""

import argparse
import platform
import statistics
import time
import warnings

import numpy as np

CASES = {"S": dict(sizes=[50, 128, 128, 1], batch=200, N=100_000, epochs=8),
         "W": dict(sizes=[256, 2048, 2048, 1], batch=8192, N=2**20, epochs=5)}
SMOKE = {"S": dict(sizes=[50, 128, 128, 1], batch=200, N=4_000, epochs=3),
         "W": dict(sizes=[256, 512, 512, 1], batch=1024, N=8192, epochs=3)}
LEARNING_RATE = 1e-3


def make_data(case, seed=0):
    rng = np.random.default_rng(seed)
    D = case["sizes"][0]
    X = rng.normal(size=(case["N"], D)).astype(np.float32)
    w = rng.normal(size=(D, 4)) / np.sqrt(D)
    y = (np.tanh(X @ w) @ np.array([1.0, -2.0, 0.5, 1.5])).astype(np.float32)
    return X, y


def initial_weights(sizes, seed=0):
    """scikit-learn's (and ffnn's) initial draw: [(W (out × in), c)] per layer, and the
    RandomState it was drawn from, positioned after it."""
    rs = np.random.RandomState(seed)
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = np.sqrt(6 / (fan_in + fan_out))
        W = rs.uniform(-bound, bound, (fan_in, fan_out)).T.astype(np.float32)
        layers.append((W, rs.uniform(-bound, bound, fan_out).astype(np.float32)))
    return layers, rs


def orders(case, seed=0):
    """The row order of each epoch exactly as ffnn draws it for random_state=seed: a Generator
    seeded by one draw after the initial weights, one permutation per epoch."""
    _, rs = initial_weights(case["sizes"], seed)
    rng = np.random.default_rng(rs.randint(np.iinfo(np.int32).max))
    return [rng.permutation(case["N"]) for _ in range(case["epochs"])]


def half_mse(layers, X, y, rows=2**16):
    """½·MSE of the network with these layers [(W (out × in), c)], computed for every contender
    the same way: on JAX's default device, exact float32 products, a block of rows at a time."""
    import jax
    import jax.numpy as jnp

    @jax.jit
    def block_sum(layers, X, y):
        Z = X
        for k, (W, c) in enumerate(layers):
            Z = Z @ W.T + c
            if k < len(layers) - 1:
                Z = jnp.maximum(Z, 0)
        return jnp.sum((Z[:, 0] - y) ** 2)

    with jax.default_matmul_precision("highest"):
        layers = [(jnp.asarray(W, jnp.float32), jnp.asarray(c, jnp.float32)) for W, c in layers]
        total = sum(float(block_sum(layers, X[start:start + rows], y[start:start + rows]))
                    for start in range(0, len(y), rows))
    return 0.5 * total / len(y)


def n_parameters(sizes):
    return sum(o * i + o for i, o in zip(sizes[:-1], sizes[1:]))


# -- contenders: each returns (seconds per epoch, final ½·MSE) ------------------------------


def ffnn_engine(case, X, y, backend, precision="highest"):
    import ffnn

    stamps = []
    model = ffnn.FFNNRegressor(hidden_layer_sizes=tuple(case["sizes"][1:-1]), solver="adam",
                               batch_size=case["batch"], learning_rate_init=LEARNING_RATE,
                               alpha=0.0, max_iter=case["epochs"], tol=0.0,
                               n_iter_no_change=10**9, random_state=0, backend=backend,
                               precision=precision)
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y, callback=lambda info: stamps.append(time.perf_counter()))
    times = np.diff([started] + stamps)[1:]
    return statistics.median(times), [(W.T, c) for W, c in zip(model.coefs_, model.intercepts_)]


def jax_autodiff(case, X, y, order_list, precision="highest"):
    import jax
    import jax.numpy as jnp

    layers = [(jnp.asarray(W), jnp.asarray(c)) for W, c in initial_weights(case["sizes"])[0]]
    B = case["batch"]

    def predict(params, X):
        Z = X
        for k, (W, c) in enumerate(params):
            Z = Z @ W.T + c
            if k < len(params) - 1:
                Z = jnp.maximum(Z, 0)
        return Z[:, 0]

    def loss(params, X, y):
        return 0.5 * jnp.mean((predict(params, X) - y) ** 2)

    @jax.jit
    def epoch(params, m, v, t, X, y, order):
        def step(carry, rows):
            params, m, v, t = carry
            value, grads = jax.value_and_grad(loss)(params, X[rows], y[rows])
            t = t + 1
            m = jax.tree.map(lambda m, g: 0.9 * m + 0.1 * g, m, grads)
            v = jax.tree.map(lambda v, g: 0.999 * v + 0.001 * g * g, v, grads)
            rate = LEARNING_RATE * jnp.sqrt(1 - 0.999**t) / (1 - 0.9**t)
            params = jax.tree.map(lambda p, m, v: p - rate * m / (jnp.sqrt(v) + 1e-8),
                                  params, m, v)
            return (params, m, v, t), value
        (params, m, v, t), values = jax.lax.scan(step, (params, m, v, t),
                                                 order.reshape(-1, B))
        return params, m, v, t, values.mean()

    with jax.default_matmul_precision({"highest": "highest", "tf32": "tensorfloat32"}[precision]):
        Xd, yd = jax.device_put(X), jax.device_put(y)
        params = layers
        m = jax.tree.map(jnp.zeros_like, params)
        v = jax.tree.map(jnp.zeros_like, params)
        t = jnp.zeros((), jnp.float32)
        times = []
        for order in order_list:
            started = time.perf_counter()
            params, m, v, t, value = epoch(params, m, v, t, Xd, yd,
                                           jnp.asarray(order, jnp.int32))
            jax.block_until_ready(params)
            times.append(time.perf_counter() - started)
        return statistics.median(times[1:]), [(np.asarray(W), np.asarray(c)) for W, c in params]


def torch_loop(case, X, y, order_list, graph):
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    if graph and device != "cuda":
        return None
    torch.backends.cuda.matmul.allow_tf32 = False
    modules = []
    for k, (W, c) in enumerate(initial_weights(case["sizes"])[0]):
        linear = torch.nn.Linear(W.shape[1], W.shape[0])
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(c))
        modules += [linear] + ([torch.nn.ReLU()] if k < len(case["sizes"]) - 2 else [])
    model = torch.nn.Sequential(*modules).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, capturable=graph)
    Xd, yd = torch.from_numpy(X).to(device), torch.from_numpy(y).to(device)
    B = case["batch"]

    def step(xb, yb):
        optimizer.zero_grad(set_to_none=False)
        loss = 0.5 * torch.mean((model(xb)[:, 0] - yb) ** 2)
        loss.backward()
        optimizer.step()
        return loss

    if graph:
        static_x, static_y = Xd[:B].clone(), yd[:B].clone()
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            for _ in range(3):  # warm-up steps, then restart Adam from the same weights
                step(static_x, static_y)
        torch.cuda.current_stream().wait_stream(stream)
        # Restart from the same weights with Adam's state zeroed in place: the captured graph
        # reads and writes these very tensors (a fresh optimizer would allocate its state, and
        # zero it, inside the capture, that is on every replay).
        with torch.no_grad():
            linears = [m for m in model if isinstance(m, torch.nn.Linear)]
            for module, (W, c) in zip(linears, initial_weights(case["sizes"])[0]):
                module.weight.copy_(torch.from_numpy(W))
                module.bias.copy_(torch.from_numpy(c))
            for state in optimizer.state.values():
                for value in state.values():
                    value.zero_()
        captured = torch.cuda.CUDAGraph()
        with torch.cuda.graph(captured):
            step(static_x, static_y)
    times = []
    for order in order_list:
        rows = torch.from_numpy(order).to(device)
        if device == "cuda":
            torch.cuda.synchronize()
        started = time.perf_counter()
        for start in range(0, len(order), B):
            batch = rows[start:start + B]
            if graph:
                static_x.copy_(Xd[batch])
                static_y.copy_(yd[batch])
                captured.replay()
            else:
                step(Xd[batch], yd[batch])
        if device == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - started)
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    return statistics.median(times[1:]), [(m.weight.detach().cpu().numpy(),
                                            m.bias.detach().cpu().numpy()) for m in linears]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes, for a CPU")
    parser.add_argument("--cases", default="S,W")
    args = parser.parse_args(argv)
    import jax

    device = jax.devices()[0]
    print(f"Device: {device.device_kind} ({device.platform}); host: {platform.machine()}, "
          f"JAX {jax.__version__}\n")
    print("| case | contender | s/epoch | TFLOP/s | final ½·MSE |")
    print("|---|---|---|---|---|")
    started = time.perf_counter()
    for name in args.cases.split(","):
        case = (SMOKE if args.smoke else CASES)[name]
        X, y = make_data(case)
        order_list = orders(case)
        flops = 6 * case["N"] * n_parameters(case["sizes"]) / 1e12
        contenders = [("ffnn jax", lambda: ffnn_engine(case, X, y, "jax"))]
        if name == "W":
            contenders.append(("ffnn jax, tf32", lambda: ffnn_engine(case, X, y, "jax", "tf32")))
        contenders.append(("JAX autodiff, jit per epoch", lambda: jax_autodiff(case, X, y,
                                                                             order_list)))
        if name == "W":
            contenders.append(("JAX autodiff, jit per epoch, tf32",
                               lambda: jax_autodiff(case, X, y, order_list, "tf32")))
        try:
            import torch  # noqa: F401
        except ImportError:
            torch = None
        if torch is not None:
            contenders.append(("PyTorch eager", lambda: torch_loop(case, X, y, order_list,
                                                                   False)))
            contenders.append(("PyTorch, CUDA graph of a step",
                               lambda: torch_loop(case, X, y, order_list, True)))
        if name == "S":
            contenders.append(("ffnn numpy (host CPU)", lambda: ffnn_engine(case, X, y,
                                                                            "numpy")))
        for label, run in contenders:
            try:
                outcome = run()
            except Exception as error:  # one contender failing must not hide the others
                print(f"| {name} | {label} | failed: {type(error).__name__}: "
                      f"{str(error).splitlines()[0][:200]} | | |", flush=True)
                continue
            if outcome is None:
                continue
            seconds, layers = outcome
            loss = half_mse(layers, X, y)
            print(f"| {name} | {label} | {seconds:.4f} | {flops / seconds:.2f} | {loss:.5f} |",
                  flush=True)
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
