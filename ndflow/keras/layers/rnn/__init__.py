"""Recurrent layers, one module per concern; the public names are exported by ``layers/recurrent.py``."""
