"""ndflow: TensorFlow, Keras and scikit-learn on NumPy and SciPy."""
