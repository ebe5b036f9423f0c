"""The covariance-based SEM engine (lavaan's ``sem()``/``cfa()``).

RAM matrices, ML/GLS/ULS and FIML estimation, fit measures, the result, the bootstrap,
modification indices, effects and simulation. May import the model stage, never ``pls``,
``tables``, the dispatcher or the widget.
"""
