"""normkit's version, in a module of its own so low-level modules can read it without importing
the package (which imports every stage)."""
__version__ = "0.1.0"
