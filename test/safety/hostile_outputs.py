"""Judges generated outputs built from hostile input strings, with CPython and PyYAML
(the reader azure-ai-ml uses). Reads [{"path", "text"}] on stdin, prints one JSON object
{"problems": [...], "yaml": {path: loaded document}}.

An SDK v2 module may hold only these statement and call shapes, with constant values
(str, int, float, bool, None) wherever input text can reach:
  docstring; from azure.ai.ml[.entities] import ...;
  <name> = command(key=<value>, ...)          values: constants, dicts of constants,
                                              Environment/MpiDistribution/Input/Output calls
  @dsl.pipeline(key=<constant>, ...)
  def <name>(<param>: <int|float|str|bool|Input> [= <constant>], ...):
      <node> = <command variable>(<input>=<param or node.outputs.name>, ...)
      <node>.resources.instance_count = <param>
      <node>.distribution.process_count_per_instance = <param>
      <node>.environment_variables[<constant>] = <param>
  pipeline_job = <pipeline function>(<param>=Input(...), ...)
"""
import ast
import json
import sys

import yaml

BUILDERS = {"Environment", "MpiDistribution", "Input", "Output"}
ANNOTATIONS = {"int", "float", "str", "bool", "Input"}


def constant(n):
    return isinstance(n, ast.Constant) and (n.value is None or isinstance(n.value, (str, int, float, bool)))


def signed_constant(n):
    """A constant, or a negative number."""
    return constant(n) or (
        isinstance(n, ast.UnaryOp)
        and isinstance(n.op, ast.USub)
        and constant(n.operand)
        and isinstance(n.operand.value, (int, float))
    )


def value(n):
    if signed_constant(n):
        return True
    if isinstance(n, ast.Dict):
        return all(constant(k) and isinstance(k.value, str) for k in n.keys) and all(map(value, n.values))
    if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in BUILDERS and not n.args:
        return all(k.arg and value(k.value) for k in n.keywords)
    return False


def keyword_call(n, callee):
    return (
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Name)
        and callee(n.func.id)
        and not n.args
        and all(k.arg for k in n.keywords)
    )


def check_function(f, commands):
    problems = []
    deco = f.decorator_list
    if not (
        len(deco) == 1
        and isinstance(deco[0], ast.Call)
        and ast.unparse(deco[0].func) == "dsl.pipeline"
        and all(k.arg and constant(k.value) for k in deco[0].keywords)
    ):
        problems.append("pipeline decorator")
    a = f.args
    if a.posonlyargs or a.vararg or a.kwarg or a.kwonlyargs or not all(map(signed_constant, a.defaults)):
        problems.append("pipeline parameters")
    params = {p.arg for p in a.args}
    for p in a.args:
        if not (isinstance(p.annotation, ast.Name) and p.annotation.id in ANNOTATIONS):
            problems.append(f"annotation of {p.arg}")
    nodes = set()
    for s in f.body:
        if not isinstance(s, ast.Assign) or len(s.targets) != 1:
            problems.append(f"statement {ast.dump(s)[:80]}")
            continue
        target = s.targets[0]
        if isinstance(target, ast.Name) and keyword_call(s.value, lambda n: n in commands):
            for k in s.value.keywords:
                v = k.value
                ok = (isinstance(v, ast.Name) and v.id in params) or (
                    isinstance(v, ast.Attribute)
                    and isinstance(v.value, ast.Attribute)
                    and v.value.attr == "outputs"
                    and isinstance(v.value.value, ast.Name)
                    and v.value.value.id in nodes
                )
                if not ok:
                    problems.append(f"node input {k.arg}")
            nodes.add(target.id)
        elif (
            ast.unparse(target).split(".", 1)[0] in nodes
            and ast.unparse(target).split(".", 1)[1]
            in ("resources.instance_count", "distribution.process_count_per_instance")
            and isinstance(s.value, ast.Name)
            and s.value.id in params
        ):
            pass
        elif (
            isinstance(target, ast.Subscript)
            and ast.unparse(target.value).split(".", 1)[0] in nodes
            and ast.unparse(target.value).split(".", 1)[1] == "environment_variables"
            and constant(target.slice)
            and isinstance(target.slice.value, str)
            and isinstance(s.value, ast.Name)
            and s.value.id in params
        ):
            pass
        else:
            problems.append(f"statement {ast.unparse(s)[:80]}")
    return problems


def check_module(text):
    try:
        tree = ast.parse(text)
    except SyntaxError as e:
        return [f"syntax error: {e}"]
    problems, commands, functions = [], set(), set()
    for i, s in enumerate(tree.body):
        if i == 0 and isinstance(s, ast.Expr) and constant(s.value) and isinstance(s.value.value, str):
            continue
        if isinstance(s, ast.ImportFrom) and s.module in ("azure.ai.ml", "azure.ai.ml.entities"):
            continue
        if isinstance(s, ast.FunctionDef):
            problems += check_function(s, commands)
            functions.add(s.name)
            continue
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name):
            name = s.targets[0].id
            if keyword_call(s.value, lambda n: n == "command") and all(value(k.value) for k in s.value.keywords):
                commands.add(name)
                continue
            if name == "pipeline_job" and keyword_call(s.value, lambda n: n in functions) and all(
                value(k.value) for k in s.value.keywords
            ):
                continue
        problems.append(f"statement {ast.unparse(s)[:100]}")
    return problems


def main():
    out = {"problems": [], "yaml": {}}
    for item in json.load(sys.stdin):
        path, text = item["path"], item["text"]
        if path.endswith(".py"):
            out["problems"] += [f"{path}: {p}" for p in check_module(text)]
            continue
        try:
            out["yaml"][path] = yaml.safe_load(text)
        except yaml.YAMLError as e:
            out["problems"].append(f"{path}: PyYAML: {' '.join(str(e).split())}")
    print(json.dumps(out, default=lambda v: f"<{type(v).__name__} {v}>"))


main()
