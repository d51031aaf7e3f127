"""How the compiled engine uses its device: the matrix products' precision and kernels, JAX's
settings scoped to the engine's calls, arrays made dense for the device and brought back to the
host, and the device's memory (how much is free, whether a training run fits). JAX is imported
when this module is."""

import contextlib

import jax
import numpy as np
import scipy.sparse as sp

PRECISIONS = {"highest": "highest", "tf32": "tensorfloat32"}
DEVICE_SHARE = 0.5  # of the device's free memory, the most the resident data may take
# Which kernels XLA uses for the matrix products, chosen for this engine's compiled functions
# alone (never through the process's XLA flags; no effect off GPUs). Measured on an H100
# (benchmarks/gpu.py; per step, TensorFloat-32 / exact float32): for [256, 2048, 2048, 1] with
# batches of 8,192, XLA's own Triton kernels took 1.23 / 4.98 ms, cuBLAS for every product
# 1.03 / 4.77 ms, jax.grad of the same model 1.03 / 4.75 ms; for [50, 128, 128, 1] with batches of
# 200, cuBLAS made an epoch 1.5× slower than Triton. So products with at least LARGE_PRODUCT
# elements in a batch's widest layer go to cuBLAS; smaller ones keep XLA's default.
LARGE_PRODUCT = 2**20
CUBLAS_ONLY = {"xla_gpu_enable_triton_gemm": False}


def large(net, rows):
    """Whether a batch of this many rows makes products large enough for cuBLAS only."""
    return rows * max(net.layer_sizes) >= LARGE_PRODUCT


@contextlib.contextmanager
def device_context(dtype, precision):
    """x64 mode for float64, the matrix-product precision, and the rules the shared formulas
    are written for, for this engine's calls only. Those rules are NumPy's: implicit
    broadcasting and type promotion, and no error for a NaN or an infinity, which training
    reports as divergence (the NumPy engine runs under np.errstate(all="ignore")). A caller
    may have made any of them stricter for code of its own, and may forbid implicit transfers
    between host and device, which the engine makes on purpose (θ and the rows, each epoch)."""
    with contextlib.ExitStack() as stack:
        if np.dtype(dtype) == np.float64:
            stack.enter_context(jax.enable_x64(True))
        stack.enter_context(jax.default_matmul_precision(PRECISIONS[precision]))
        for setting in (jax.numpy_rank_promotion("allow"), jax.numpy_dtype_promotion("standard"),
                        jax.debug_nans(False), jax.debug_infs(False),
                        jax.transfer_guard("allow")):
            stack.enter_context(setting)
        yield


def fetch(arrays):
    """Arrays on the device (one, or a tuple of them) brought to the host as NumPy arrays,
    whatever transfers the caller forbids their own code (a transfer guard)."""
    with jax.transfer_guard_device_to_host("allow"):
        return jax.device_get(arrays)


def dense(X):
    """Rows on the host, sparse or dense, as a dense array to send to the device."""
    return X.toarray() if sp.issparse(X) else np.asarray(X)


class Fetched:
    """An array left on the device, which np.asarray brings over with `fetch`."""

    def __init__(self, array):
        self.array = array

    def __array__(self, dtype=None, copy=None):
        return np.asarray(fetch(self.array), dtype=dtype)


def compiled(function, static_argnums):
    """(the function compiled with XLA's default kernels, compiled with cuBLAS only)."""
    return (_explained(jax.jit(function, static_argnums=static_argnums)),
            _explained(jax.jit(function, static_argnums=static_argnums,
                               compiler_options=CUBLAS_ONLY)))


# What JAX raises when a formula traced by the engine needs a concrete value: NumPy's own
# functions called on a traced array, or a Python branch on one.
_TRACING_ERRORS = (jax.errors.TracerArrayConversionError, jax.errors.ConcretizationTypeError)


def _explained(jitted):
    """The compiled function, whose failure to trace an activation or a loss of one's own says
    why, and what to do."""
    def call(*args):
        try:
            return jitted(*args)
        except _TRACING_ERRORS as error:
            raise TypeError(
                "backend='jax' computes the activations and the loss with JAX's arrays, under "
                "jax.jit, but one of them uses NumPy's functions itself (np.tanh(H), say) or "
                "branches on an array's values; write its formulas with ffnn.arrays.namespace(H), "
                "as the library's own are written, or train with backend='numpy'") from error
    return call


def _size(n_bytes):
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n_bytes < 1024 or unit == "GiB":
            return f"{n_bytes:.0f} {unit}" if unit == "bytes" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1024


def free_bytes(device):
    stats = device.memory_stats()
    if not stats or "bytes_limit" not in stats:
        return None  # a CPU device: the host's memory, which already holds the data
    return stats["bytes_limit"] - stats.get("bytes_in_use", 0)


# A batch gathers its rows by int32 indices (JAX's integers outside x64 mode): an index past
# 2³¹ − 1 would wrap to a negative one, which JAX counts from the end, and gather other rows
# without a word. More rows than that are sent a block at a time, each indexed from 0.
MAX_INDEXED_ROWS = np.iinfo(np.int32).max


def block_rows(n, batch_size, row_bytes, free, fix="use a smaller batch_size"):
    """How many of the n rows (row_bytes each) to keep on the device at once: all of them where
    they take at most DEVICE_SHARE of its `free` bytes (None: a CPU device, whose memory is the
    host's) and int32 indices reach every one, else a whole number of batches that does. A
    batch itself larger than int32 indices reach is a ValueError; `fix` says what to change."""
    if batch_size > MAX_INDEXED_ROWS:
        raise ValueError(f"batches of {batch_size} rows are more than the {MAX_INDEXED_ROWS} "
                         f"that the compiled engine's int32 row indices reach; {fix}, or train "
                         "with backend='numpy'")
    rows = n
    if free is not None and n * row_bytes > DEVICE_SHARE * free:
        rows = max(1, int(DEVICE_SHARE * free // (row_bytes * batch_size))) * batch_size
    if rows > MAX_INDEXED_ROWS:
        rows = MAX_INDEXED_ROWS // batch_size * batch_size
    return rows


def check_fits(net, rows, data_bytes, copies, free, fix):
    """ValueError, before training, unless `rows` rows' activations at once, `data_bytes` of
    data and `copies` copies of θ fit in the device's `free` bytes (None: a CPU device, whose
    memory is the host's, which holds the data already); `fix` says what to change."""
    activation_bytes = 4 * rows * sum(net.layer_sizes) * net.dtype.itemsize
    params_bytes = copies * net.params.nbytes
    if free is not None and data_bytes + activation_bytes + params_bytes > free:
        data = f"{_size(data_bytes)} for the rows themselves, " if data_bytes else ""
        raise ValueError(
            f"{rows} rows at once need about {_size(activation_bytes)} of device memory for "
            f"their activations, {data}{_size(params_bytes)} for θ and the copies training "
            f"keeps, but {_size(free)} are free; {fix}, or train with backend='numpy'")
