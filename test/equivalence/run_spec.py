"""Runs a Python program or notebook under the azureml stand-ins and prints the run spec
of every step it constructed, as JSON. Usage: python3 run_spec.py FILE"""
import contextlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "standins"))

from azureml import _standin  # noqa: E402


def _ipython(line):
    """IPython syntax that is not Python: magics, shell escapes, assignments from them,
    help (?x, ??x, x?, x??)."""
    return bool(
        re.match(r"\s*[%!?]", line)
        or re.match(r"\s*[\w.]+\s*=\s*[%!]", line)
        or re.match(r"\s*%{0,2}[\w*]+(\.[\w*]+)*\?{1,2}\s*$", line)
    )


def notebook_code(path):
    with open(path, encoding="utf-8") as f:
        notebook = json.load(f)
    cells = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        lines = source.split("\n")
        cell_magic = lines[0].lstrip().startswith("%%")
        cells.append("\n".join("#" + line[1:] if line.strip() and (cell_magic or _ipython(line)) else line for line in lines))
    return "\n".join(cells)


def main(path):
    path = os.path.abspath(path)
    os.chdir(os.path.dirname(path))
    if path.endswith(".ipynb"):
        code = notebook_code(path)
    else:
        with open(path, "rb") as f:
            code = f.read()
    with contextlib.redirect_stdout(sys.stderr):
        exec(compile(code, path, "exec"), {"__name__": "__main__", "__file__": path})
    print(json.dumps(_standin.RECORDED, indent=1, sort_keys=True))


main(sys.argv[1])
