"""Shared pytest configuration: ``parity`` tests need the real TensorFlow/scikit-learn installed."""
