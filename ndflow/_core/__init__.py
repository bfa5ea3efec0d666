"""The ndflow engine: dtypes, tensors, the op table, eager dispatch and automatic differentiation."""
