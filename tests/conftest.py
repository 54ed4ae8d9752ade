# The PyTorch reference generator runs only in a separate environment with torch installed.
collect_ignore = ["reference/make_torch_reference.py"]
