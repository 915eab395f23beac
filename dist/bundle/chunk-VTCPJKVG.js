import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{spawnSync as s}from"node:child_process";var o=`
import ast, json, sys, warnings
warnings.simplefilter("ignore")
out = []
for text in json.load(sys.stdin):
    try:
        ast.parse(text)
        out.append(None)
    except (SyntaxError, ValueError) as e:
        out.append([getattr(e, "lineno", None) or 1, getattr(e, "msg", None) or str(e)])
json.dump(out, sys.stdout)
`;function u(t){return r(o,t)?.map(n=>n?{line:n[0],message:n[1]}:null)}function i(){return process.env.MPISTEP_MIGRATE_PYTHON??"python3"}function r(t,n){if(!n.length)return[];let e=s(i(),["-c",t],{input:JSON.stringify(n),encoding:"utf8",maxBuffer:1<<30});if(!(e.error||e.status!==0))return JSON.parse(e.stdout)}var a=`
import ast, json, sys, warnings
warnings.simplefilter("ignore")
def first_line(s):
    return min([s.lineno] + [d.lineno for d in getattr(s, "decorator_list", [])])
def outline(text):
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name == "MpiStep":
                calls.append([node.lineno, node.col_offset])
    return {"statements": [[first_line(s), s.end_lineno] for s in tree.body], "calls": calls}
json.dump([outline(text) for text in json.load(sys.stdin)], sys.stdout)
`;function f(t){return r(a,t)}export{u as a,i as b,f as c};
