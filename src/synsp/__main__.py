"""`python -m synsp` is the same as the `synsp` command."""
from synsp.cli import main

raise SystemExit(main())
