"""The large synthetic account of benchmarks/generate_account.py, one module per area."""
