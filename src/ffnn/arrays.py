"""The array namespaces the chapter's formulas are written against, so that each is written once.

Activations, losses, the layer, the penalty and the update rules are written with the array API
standard's function names against `namespace(A)`, the namespace of the arrays they are given:
NumPy's, for the NumPy engine, where an optional `out=` buffer receives a result in place (so an
epoch allocates nothing), or JAX's, for the compiled engine, where arrays are immutable and `out`
is ignored. A formula therefore always uses what a function returns, never a buffer it passed,
and reads the same for both. Beyond the standard: `expit` and `xlog1py` (SciPy's special
functions), `ignoring_overflow` (a context in which NumPy does not warn of overflow), `copyto`
and `fill` (which return their result), `sum_of_products` (Σ A ∘ B), and `scalar` (a Python
float from NumPy, the traced value itself under JAX: Python floats keep float32 arithmetic in
float32).

JAX is imported only when a JAX array is met.
"""

import contextlib
import math
from types import SimpleNamespace

import numpy as np
from scipy import special


def _copyto(out, src):
    if out is None:
        return np.array(src, copy=True)
    if out is not src:
        np.copyto(out, src)
    return out


def _fill(like, value, out=None):
    if out is None:
        return np.full_like(like, value)
    out.fill(value)
    return out


def _sum_of_products(A, B):
    """Σ A ∘ B as one dot product, without a temporary when A and B share a memory layout (as the
    workspace's buffers do)."""
    if A.strides == B.strides and (A.flags.c_contiguous or A.flags.f_contiguous):
        return float(np.dot(A.ravel(order="K"), B.ravel(order="K")))
    return float(np.vdot(A, B))


NUMPY = SimpleNamespace(
    name="numpy",
    add=np.add, subtract=np.subtract, multiply=np.multiply, divide=np.divide,
    negative=np.negative, maximum=np.maximum, greater=np.greater, exp=np.exp, log=np.log,
    log1p=np.log1p, tanh=np.tanh, sqrt=np.sqrt, matmul=np.matmul, clip=np.clip, sum=np.sum,
    max=np.max, where=np.where, expit=special.expit, xlog1py=special.xlog1py,
    empty_like=np.empty_like, ones_like=np.ones_like, finfo=np.finfo, copyto=_copyto, fill=_fill,
    sum_of_products=_sum_of_products, scalar=float, scalar_sqrt=math.sqrt,
    ignoring_overflow=lambda: np.errstate(over="ignore"),
)

_jax_namespace = None


def namespace(A):
    """The namespace of array A: JAX's for a JAX array (or a value being traced), else NumPy's."""
    if type(A) is np.ndarray or not type(A).__module__.startswith(("jax", "jaxlib")):
        return NUMPY
    return jax_namespace()


def jax_namespace():
    """JAX's functions with the NumPy engine's signatures: `out` accepted and ignored, except that
    a comparison written "into" a float buffer comes back as that float dtype."""
    global _jax_namespace
    if _jax_namespace is None:
        import jax.numpy as jnp
        import jax.scipy.special as jspecial

        def drop_out(f):
            def call(*args, out=None, **kwargs):
                return f(*args, **kwargs)
            return call

        def greater(a, b, out=None):
            result = jnp.greater(a, b)
            return result if out is None else result.astype(out.dtype)

        def copyto(out, src):
            src = jnp.asarray(src)
            return src if out is None else jnp.broadcast_to(src, out.shape).astype(out.dtype)

        def fill(like, value, out=None):
            return jnp.full_like(like, value)

        _jax_namespace = SimpleNamespace(
            name="jax", greater=greater, copyto=copyto, fill=fill, finfo=jnp.finfo,
            empty_like=jnp.zeros_like, ones_like=jnp.ones_like,
            sum_of_products=lambda A, B: jnp.vdot(A, B), scalar=lambda x: x,
            scalar_sqrt=jnp.sqrt, expit=drop_out(jspecial.expit),
            xlog1py=drop_out(jspecial.xlog1py), ignoring_overflow=contextlib.nullcontext,
            **{name: drop_out(getattr(jnp, name)) for name in (
                "add", "subtract", "multiply", "divide", "negative", "maximum", "exp", "log",
                "log1p", "tanh", "sqrt", "matmul", "clip", "sum", "max", "where")},
        )
    return _jax_namespace


# Activations and losses compare and hash by their parameters (their attributes), which may be
# arrays: the compiled engine keys its compiled functions by them.
def same_parameters(a, b):
    """Whether a and b are of one type with equal attributes, arrays among them (a per-unit
    slope) compared by their values."""
    if type(a) is not type(b):
        return False
    mine, theirs = attributes(a), attributes(b)
    if mine.keys() != theirs.keys():
        return False
    for key, value in mine.items():
        other = theirs[key]
        if isinstance(value, np.ndarray) or isinstance(other, np.ndarray):
            if not (isinstance(value, np.ndarray) and isinstance(other, np.ndarray)
                    and value.shape == other.shape and np.array_equal(value, other)):
                return False
        elif value is not other and not bool(value == other):
            return False
    return True


def instance_hint(given):
    """For an activation or loss named by its class instead of an instance (ReLU for ReLU()),
    the words that say so, to end an error's message; else nothing."""
    return f"; got the class {given.__name__}: pass an instance, {given.__name__}()" \
        if isinstance(given, type) else ""


def unwritten(obj, signature):
    """The message of the NotImplementedError of a method, named by its `signature`, that a
    class of one's own deriving from Activation or Loss has not written."""
    return f"{type(obj).__name__} must define {signature} (see the base class's docstring)"


def attributes(obj):
    """obj's attributes by name: those in its __dict__, and those of a class's __slots__."""
    found = dict(getattr(obj, "__dict__", {}))
    for cls in type(obj).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            if name not in ("__dict__", "__weakref__") and hasattr(obj, name):
                found[name] = getattr(obj, name)
    return found


def parameters_hash(obj):
    """A hash consistent with same_parameters: of the type and its hashable attributes (an
    array or a list among them is left out; equality still compares it)."""
    hashable = []
    for key, value in sorted(attributes(obj).items()):
        try:
            hashable.append((key, hash(value)))
        except TypeError:
            hashable.append((key, None))
    return hash((type(obj), tuple(hashable)))


class ByParameters:
    """An activation or a loss as a key, equal to another of its type with equal attributes
    (`same_parameters`) whatever its class's own __eq__ and __hash__ say: a class of one's own
    may define them otherwise (a dataclass is unhashable; an equality by name alone would make
    two slopes one function)."""

    __slots__ = ("function",)

    def __init__(self, function):
        self.function = function

    def __eq__(self, other):
        return isinstance(other, ByParameters) and same_parameters(self.function, other.function)

    def __hash__(self):
        return parameters_hash(self.function)
