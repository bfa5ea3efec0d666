"""Bundled data files of ndflow.learn.datasets (raw numbers of public UCI data sets)."""
