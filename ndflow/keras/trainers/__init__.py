"""``ndflow.keras.trainers``: compile/fit/evaluate/predict."""
