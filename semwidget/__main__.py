"""``python -m semwidget`` runs the same CLI as the ``semwidget`` console script."""

from semwidget.cli import main

raise SystemExit(main())
