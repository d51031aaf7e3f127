"""The package's version: one place that the package, its model files and its command line read,
and that packaging reads (pyproject.toml), importing nothing."""

__version__ = "0.1.0"
