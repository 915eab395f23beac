"""The training script the example step runs."""
import sys

print(sys.argv)
