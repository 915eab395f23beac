// Name rules of v2: identifiers for job keys, component names and input/output names,
// and the AML_PARAMETER_ environment variable names of v1 params.

const RESERVED_IO_NAMES = new Set([
  "path",
  "ld_library_path",
  "user",
  "logname",
  "home",
  "pwd",
  "shell",
]);

/** `AML_PARAMETER_<name>` with every character of the regex class `[~\W]` replaced by `_`. */
export function amlParameterVariable(name: string): string {
  return `AML_PARAMETER_${name.replace(/[~\W]/g, "_")}`;
}

/** A lowercase identifier (`^[a-z][a-z0-9_]*$`) derived from a step label: usable as a
 * v2 job key or component name, and as a Python name. */
export function identifierFrom(label: string): string {
  const id = label
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return /^[a-z]/.test(id) ? id : `step_${id}`.replace(/_+$/, "");
}

/** A job key from a step label, unique among `taken` (which it joins). */
export function jobKey(name: string, taken: Set<string>): string {
  return unique(identifierFrom(name), taken);
}

/** An input or output name: an identifier that is not one of v2's reserved names. */
export function ioName(name: string, taken: Set<string>): string {
  let key = name.replace(/[^A-Za-z0-9_]+/g, "_");
  if (!/^[A-Za-z_]/.test(key)) key = `_${key}`;
  if (RESERVED_IO_NAMES.has(key.toLowerCase())) key = `${key}_data`;
  return unique(key, taken);
}

/** `base`, else `base_2`, `base_3`, ...: the first that `isTaken` does not hold. */
export function uniqueName(base: string, isTaken: (name: string) => boolean): string {
  let name = base;
  for (let i = 2; isTaken(name); i++) name = `${base}_${i}`;
  return name;
}

function unique(base: string, taken: Set<string>): string {
  const name = uniqueName(base, (n) => taken.has(n));
  taken.add(name);
  return name;
}
