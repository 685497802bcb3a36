"""normkit."""
