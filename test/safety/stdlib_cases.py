"""Writes every .py file of this Python's standard library, with an MpiStep call appended,
into a folder (flattened names), keeping those CPython compiles (compile() of the bytes
honours a PEP 263 declaration). Prints how many it wrote. Usage: stdlib_cases.py DIR"""
import os
import sys
import sysconfig

STEP = (
    b"\nfrom azureml.pipeline.steps import MpiStep\n"
    b"_mpistep = MpiStep(name='s', source_directory='src', script_name='t.py', arguments=[],"
    b" compute_target='c', node_count=1, process_count_per_node=1)\n"
)


def main(out):
    root = sysconfig.get_paths()["stdlib"]
    written = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "dist-packages", "__pycache__"))
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                source = f.read() + STEP
            try:
                compile(source, path, "exec", dont_inherit=True)
            except (SyntaxError, ValueError):
                continue
            flat = os.path.relpath(path, root).replace(os.sep, "__")
            with open(os.path.join(out, flat), "wb") as f:
                f.write(source)
            written += 1
    print(written)


main(sys.argv[1])
