"""helpflow: turn troubleshooting help articles into guided wizards."""

__version__ = "0.1.0"
