"""The topic classifier: the model, its scikit-learn pipeline, the model over the store."""
