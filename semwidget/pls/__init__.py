"""The PLS-SEM engine (matches seminr/SmartPLS).

Model blocks, data preparation, the iterative weights, the batched bootstrap, quality criteria,
the result and its summary. May import the model stage, never ``cb``, ``tables``, the
dispatcher or the widget.
"""
