"""Checks v2 outputs with the installed azure-ai-ml, as submission would, without
submitting anything: each YAML job is loaded with load_job; each SDK v2 module is run in
its own folder and the jobs it builds are taken (each *pipeline_job, or every command node at
module level). Then each job is validated (the local part of jobs.validate) and turned
into the REST body that jobs.create_or_update sends.

Reads a JSON list of file paths on stdin; prints one JSON object:
{"sdk_version": "...", "results": [...]}, a result per file: {"path", "ok": true, "jobs"}
where each job is {"name", "steps"}, what each of its commands does as the REST body says
(steps_of); or {"path", "ok": false, "stage", "message", "fields"}: where it failed
(load, validate, serialise), the SDK's first complaint (the first field's own, else the first
line of its message), and the field paths it names. Exit 3 (and {"error": ..., "missing":
...}) when azure.ai.ml cannot be imported; missing is true when azure-ai-ml itself is not
installed, false when it is but fails to import (a module it needs is missing or broken). With --version, prints
{"sdk_version": "..."} (or that error) and checks nothing.

Run as a script (never with -c): Python then puts this file's folder first on the import
path, not the working folder, so no module of the user's folders is imported. A relative
PYTHONPATH entry is fixed to the folder the run started in before any chdir. Ctrl-C (or
any signal that ends the tool) ends this process quietly, without a traceback.

Part of mpistep-migrate: `convert --verify` and the test suite both run it."""

import contextlib
import io
import json
import os
import runpy
import signal
import sys


SDK_MODULES = ("azure", "azure.ai", "azure.ai.ml")


def import_sdk():
    with contextlib.redirect_stderr(io.StringIO()):
        import azure.ai.ml as ml
        from azure.ai.ml.entities import Job
        from azure.ai.ml.entities._builders.base_node import BaseNode
        from azure.ai.ml.entities._job.to_rest_functions import to_rest_job_object
        from azure.ai.ml.entities._validation import SchemaValidatableMixin
    return ml, Job, BaseNode, to_rest_job_object, SchemaValidatableMixin


def jobs_of_module(path, Job, BaseNode):
    """Runs a generated SDK v2 module (from its own folder); returns the jobs it builds."""
    with contextlib.redirect_stdout(io.StringIO()):
        scope = runpy.run_path(path, run_name="__main__")
    pipelines = [(k, v) for k, v in scope.items() if k.endswith("pipeline_job") and isinstance(v, Job)]
    if pipelines:
        return pipelines
    return [(k, v) for k, v in scope.items() if isinstance(v, (Job, BaseNode)) and not k.startswith("_")]


def problems_of(job, SchemaValidatableMixin):
    """What local validation says of a job: (messages, field paths); empty when it passes."""
    if isinstance(job, SchemaValidatableMixin):
        result = job._validate(raise_error=False)
        if result.passed:
            return [], []
        errors = result._errors
        return [str(d) for d in errors] or ["validation failed"], [d.yaml_path for d in errors]
    job._validate()
    return [], []


def leaf_complaints(tree, prefix=""):
    """(field path, first complaint) of each leaf of a marshmallow error tree. `_schema`
    holds the complaints about the field itself; a list of trees holds one per schema the
    field may match (the first is the one meant)."""
    out = []
    for key, value in tree.items():
        name = prefix if key == "_schema" and prefix else f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = value[0]
        if isinstance(value, dict):
            out += leaf_complaints(value, name)
        else:
            complaints = value if isinstance(value, list) else [value]
            out.append((name, first_line(str(complaints[0])) if complaints else ""))
    return out


def load_complaints(message):
    """(field path, first complaint) of each field a load error names (its message embeds
    the schema errors as JSON)."""
    decoder = json.JSONDecoder()
    start = message.find("{")
    try:
        report, _ = decoder.raw_decode(message[start:]) if start >= 0 else ({}, 0)
    except ValueError:
        return []
    found = []
    for error in report.get("errors", []):
        inner = error.get("message", "")
        nested = inner.find("{")
        if error.get("path") not in (None, "*"):
            found.append((error["path"], first_line(inner)))
        elif nested >= 0:
            try:
                found += leaf_complaints(decoder.raw_decode(inner[nested:])[0])
            except ValueError:
                pass
    return found


def first_line(text):
    """The first line of the SDK's words with something on it, without the advice it
    appends to every error."""
    for line in str(text).splitlines():
        line = " ".join(line.split()).split(" If you are trying to configure")[0]
        if line:
            return line
    return ""


def check(path, sdk):
    """Loads, validates and serialises one output from its own folder, where the generated
    documents say their relative paths start."""
    cwd = os.getcwd()
    os.chdir(os.path.dirname(path))
    try:
        return check_here(path, sdk)
    finally:
        os.chdir(cwd)


def check_here(path, sdk):
    ml, Job, BaseNode, to_rest_job_object, SchemaValidatableMixin = sdk
    stage = "load"
    try:
        if path.endswith(".py"):
            jobs = jobs_of_module(path, Job, BaseNode)
            if not jobs:
                return failure(path, stage, "the module builds no job", [])
        else:
            jobs = [("job", ml.load_job(path))]
        out = []
        for name, job in jobs:
            stage = "validate"
            problems, fields = problems_of(job, SchemaValidatableMixin)
            if problems:
                return failure(path, stage, first_line(problems[0]), fields)
            stage = "serialise"
            rest = to_rest_job_object(job).serialize()
            out.append({"name": name, "steps": steps_of(job, rest)})
        return {"path": path, "ok": True, "jobs": out}
    except Exception as error:  # the SDK's own complaint, whatever its type
        text = str(error)
        complaints = load_complaints(text) if stage == "load" else []
        # The first field's own complaint, else the SDK's first line.
        message = complaints[0][1] if complaints and complaints[0][1] else first_line(text)
        return failure(path, stage, message or type(error).__name__, [f for f, _ in complaints])


def environment_of(env):
    """A job's environment as plain data: a registered reference, or image + conda file."""
    if env is None or isinstance(env, str):
        return {"reference": env}
    if isinstance(env, dict):
        return {"image": env.get("image"), "conda_file": env.get("conda_file")}
    return {"image": env.image, "conda_file": env.conda_file}


def steps_of(job, rest):
    """What each command of a serialised job does, read from the REST body (and, for the
    code folder and environment that submission would upload, from the job entity), in
    one shape for standalone jobs and pipeline nodes. Bindings stay as written."""
    import yaml

    body = rest["properties"]
    if body["jobType"] == "Command":
        return [
            {
                "display_name": body.get("displayName"),
                "command": body["command"],
                "instance_count": body.get("resources", {}).get("instanceCount"),
                "process_count": body.get("distribution", {}).get("processCountPerInstance"),
                "distribution_type": body.get("distribution", {}).get("distributionType"),
                "environment_variables": body.get("environmentVariables", {}),
                "inputs": {k: rest_io(v) for k, v in body.get("inputs", {}).items()},
                "outputs": {k: rest_io(v) for k, v in body.get("outputs", {}).items()},
                "compute": body.get("computeId"),
                "code": os.path.abspath(job.code) if isinstance(job.code, str) else None,
                "environment": environment_of(job.environment),
                "is_deterministic": None,
            }
        ]
    out = []
    pipeline_inputs = {k: rest_io(v) for k, v in body.get("inputs", {}).items()}
    default_compute = body.get("settings", {}).get("default_compute")
    for key, node in body["jobs"].items():
        component = yaml.safe_load(node["componentId"])
        distribution = node.get("distribution") or {}
        out.append(
            {
                "key": key,
                "display_name": component.get("display_name"),
                "command": component["command"],
                "instance_count": node.get("resources", {}).get("instance_count"),
                "process_count": distribution.get("process_count_per_instance"),
                "distribution_type": distribution.get("distribution_type"),
                "environment_variables": node.get("environment_variables", {}),
                "inputs": {k: rest_io(v) for k, v in node.get("inputs", {}).items()},
                "outputs": {k: rest_io(v) for k, v in node.get("outputs", {}).items()},
                "compute": node.get("computeId") or default_compute,
                "code": component.get("code"),
                "environment": environment_of(component.get("environment")),
                "is_deterministic": component.get("is_deterministic"),
                "component_inputs": component.get("inputs", {}),
                "pipeline_inputs": pipeline_inputs,
            }
        )
    return out


def rest_io(value):
    """An input or output of a REST body: type, uri, mode, value (whichever it has)."""
    get = lambda *names: next((value[n] for n in names if n in value), None)  # noqa: E731
    return {
        "type": get("jobInputType", "job_input_type", "jobOutputType", "job_output_type"),
        "uri": get("uri"),
        "mode": get("mode"),
        "value": get("value"),
    }


def failure(path, stage, message, fields):
    return {"path": path, "ok": False, "stage": stage, "message": message, "fields": fields}


def main():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # What the import path names must not change when check() enters an output's folder.
    sys.path[:] = [os.path.abspath(entry) for entry in sys.path if entry]
    try:
        sdk = import_sdk()
    except Exception as error:  # ImportError, or a broken install
        # Missing: azure-ai-ml itself is not there (not a module it imports in turn).
        missing = isinstance(error, ModuleNotFoundError) and error.name in SDK_MODULES
        print(json.dumps({"error": f"{type(error).__name__}: {error}", "missing": missing}))
        sys.exit(3)
    if sys.argv[1:] == ["--version"]:
        print(json.dumps({"sdk_version": sdk[0].__version__}))
        return
    paths = json.load(sys.stdin)
    results = [check(os.path.abspath(p), sdk) for p in paths]
    print(json.dumps({"sdk_version": sdk[0].__version__, "results": results}, default=str))


main()
