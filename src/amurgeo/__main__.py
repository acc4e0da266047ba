"""Run the command line with ``python -m amurgeo``."""

from amurgeo.cli import main

if __name__ == "__main__":
    main()
