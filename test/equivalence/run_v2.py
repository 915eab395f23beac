"""Runs an sdk-v2 module under the azure.ai.ml stand-ins (with no azureml on the path)
and prints the commands and pipelines it built, as JSON. Usage: python3 run_v2.py FILE"""
import contextlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "standins"))

from azure.ai.ml import _standin  # noqa: E402


def main(path):
    path = os.path.abspath(path)
    os.chdir(os.path.dirname(path))
    with open(path, encoding="utf-8") as f:
        code = f.read()
    with contextlib.redirect_stdout(sys.stderr):
        exec(compile(code, path, "exec"), {"__name__": "__main__", "__file__": path})
    print(json.dumps({"commands": [c.spec() for c in _standin.COMMANDS], "pipelines": _standin.PIPELINES}, indent=1))


main(sys.argv[1])
