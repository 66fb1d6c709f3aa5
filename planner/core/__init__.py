"""The planning domain: pure Python, never imports Qt (a test enforces it)."""
