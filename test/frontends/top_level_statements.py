"""Prints, as JSON, where CPython puts the top-level statements of each Python file in a
folder: {name: [[first line, last line, first body line or null], ...]}, a decorated
definition starting at its first decorator; the body line is given for def / class.
Usage: top_level_statements.py DIR"""
import ast
import json
import os
import sys


def start(node):
    lines = [node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]
    return min(lines)


def main(folder):
    out = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            tree = ast.parse(f.read())
        rows = []
        for node in tree.body:
            definition = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            body = start(node.body[0]) if definition else None
            rows.append([start(node), node.end_lineno, body])
        out[name] = rows
    json.dump(out, sys.stdout)


main(sys.argv[1])
