"""mlu-doctor: environment doctor and setup CLI for PyTorch on Cambricon MLU accelerators."""

__version__ = "0.1.0"
