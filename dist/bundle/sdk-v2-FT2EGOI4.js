import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as N,b as O}from"./chunk-EY62KVFK.js";import{f as C,g as I,h as S,m as P,n as M,o as z}from"./chunk-LFZMP4OH.js";import"./chunk-SIA77THI.js";import"./chunk-XZI7XWZZ.js";import{a as D}from"./chunk-FYENRXLE.js";import{a as s,b as h}from"./chunk-GD5M3JWD.js";import"./chunk-HFACMXX5.js";import"./chunk-ES7OPJDC.js";import"./chunk-ZOQXJ2UU.js";import y from"node:path";var b="    ";function x(n,t,p=""){return t.length?`${n}(
${t.map(([r,i])=>`${p}${b}${r}=${i},`).join(`
`)}
${p})`:`${n}()`}function v(n){return`{${n.map(([t,p])=>`${s(t)}: ${p}`).join(", ")}}`}function w(n){let t=[`type=${s(n.type)}`];return n.path&&t.push(`path=${s(n.path)}`),n.mode&&t.push(`mode=${s(n.mode)}`),`Input(${t.join(", ")})`}function A(n){return n.kind==="data"?w(n):n.value===void 0?`Input(type=${s(n.type)})`:h(n.value)}function F(n){let t=[`type=${s(n.type)}`];return n.path&&t.push(`path=${s(n.path)}`),n.mode&&t.push(`mode=${s(n.mode)}`),`Output(${t.join(", ")})`}function j(n){return S(n).map(t=>`# ${D(C(t))}
`).join("")}function T(n,t,p,r){let{job:i}=n,a=[["name",s(n.key)]];i.displayName!==void 0&&a.push(["display_name",s(i.displayName)]);let c=z(t,i.code,p);c!==void 0&&a.push(["code",s(c)]),a.push(["command",s(i.command)]);let u=i.environment;u.kind==="reference"?a.push(["environment",s(u.uri)]):u.kind==="inline"&&a.push(["environment",`Environment(image=${s(u.image)}${u.conda?`, conda_file=${s(P(n.key))}`:""})`]),i.compute!==void 0&&a.push(["compute",s(i.compute)]),i.instanceCount&&a.push(["instance_count",String(i.instanceCount.value)]),a.push(["distribution",`MpiDistribution(${i.processCount?`process_count_per_instance=${i.processCount.value}`:""})`]),i.inputs.size&&a.push(["inputs",v([...i.inputs].map(([e,o])=>[e,A(o)]))]),i.outputs.size&&a.push(["outputs",v([...i.outputs].map(([e,o])=>[e,F(o)]))]),i.environmentVariables.size&&a.push(["environment_variables",v([...i.environmentVariables].map(([e,o])=>[e,s(o)]))]),r||a.push(["is_deterministic",i.isDeterministic?"True":"False"]);let $=r?i.diagnostics:n.diagnostics.filter(e=>!e.todo?.root);return`${j($)}${k(n)} = ${x("command",a)}
`}function V(n){if(n.kind==="data")return{text:"Input",hasDefault:!1};let t=n.value;return typeof t=="boolean"?{text:`bool = ${h(t)}`,hasDefault:!0}:typeof t=="number"?{text:`${Number.isInteger(t)?"int":"float"} = ${h(t)}`,hasDefault:!0}:typeof t=="string"?{text:`str = ${h(t)}`,hasDefault:!0}:{text:"str",hasDefault:!1}}function k(n){return`${n.key}_command`}function B(n,t){let p=[...n.inputs].map(([e,o])=>({input:e,...V(o)})).sort((e,o)=>Number(e.hasDefault)-Number(o.hasDefault)).map(({input:e,text:o})=>`${e}: ${o}`),r=[`display_name=${s(t)}`,...n.defaultCompute?[`default_compute=${s(n.defaultCompute)}`]:[]],i=new Set(n.inputs.keys()),a=new Map;for(let e of n.nodes){let o=`${e.key}_node`;for(let l=2;i.has(o);l++)o=`${e.key}_node_${l}`;i.add(o),a.set(e.key,o)}let c=[];for(let e of n.nodes){let o=a.get(e.key),l=[];for(let[f,d]of e.bindings)d.kind==="parent"?l.push([f,d.input]):d.kind==="job"&&l.push([f,`${a.get(d.job)}.outputs.${d.output}`]);c.push(`${b}${o} = ${k(e)}(${l.map(([f,d])=>`${f}=${d}`).join(", ")})`),e.instanceCountInput&&c.push(`${b}${o}.resources.instance_count = ${e.instanceCountInput}`),e.processCountInput&&c.push(`${b}${o}.distribution.process_count_per_instance = ${e.processCountInput}`);for(let[f,d]of e.variableInputs)c.push(`${b}${o}.environment_variables[${s(f)}] = ${d}`)}let u=[...n.inputs].flatMap(([e,o])=>o.kind==="data"?[[e,w(o.spec)]]:[]),$=[...n.leftOut,...I(n.nodes)];return`

${j($)}@dsl.pipeline(${r.join(", ")})
def ${t}_pipeline(${p.join(", ")}):
${c.join(`
`)}


pipeline_job = ${x(`${t}_pipeline`,u)}
`}function L(n){let t=[...n.inputs.values()].some(r=>r.kind==="parameter"),p=n.nodes.some(r=>[...r.bindings.values()].some(i=>i.kind==="job"));return t||p}var J={convert(n,t,p){if(!t.length)return{files:[],steps:new Map};let r=N(n,t,p),i=y.basename(n.outputStem).replace(/[^A-Za-z0-9_]/g,"_").replace(/^(?=\d)/,"_"),a=y.join(n.outputStem,`${i}_v2.py`),c=y.dirname(a),u=L(r),$=`"""Azure ML SDK v2 jobs converted by mpistep-migrate from the MpiSteps of ${s(y.basename(n.path))}.

Paths (code, conda files) are relative to this file's folder: run it from there.
Submit with:

    from azure.ai.ml import MLClient
    from azure.identity import DefaultAzureCredential

    ml_client = MLClient.from_config(credential=DefaultAzureCredential())
    ml_client.jobs.create_or_update(${u?"pipeline_job":r.nodes.map(k).join(")  # and (")})
"""
`,e=`from azure.ai.ml import ${u?"Input, MpiDistribution, Output, command, dsl":"Input, MpiDistribution, Output, command"}
from azure.ai.ml.entities import Environment
`,o=r.nodes.map(m=>`

${T(m,n.path,c,!u)}`).join(""),l=u?"":`
${j(r.leftOut)}`,f=`${$}${e}${l}${o}${u?B(r,i):""}`,d=[{path:a,text:f,steps:t}];for(let m of r.nodes){let g=M(m.job,m.key,n.outputStem);g&&d.push(g)}let _=O(r);for(let m of r.nodes){let g=m.job.version!==void 0?[{option:"version",reason:"command() builds an anonymous component; register it with ml_client.components.create_or_update to keep a version"}]:[];!u&&m.step.args.has("allow_reuse")&&g.push({option:"allow_reuse",reason:"a standalone job has no reuse"}),_.get(m.step).dropped.push(...g),u||(_.get(m.step).diagnostics=m.job.diagnostics)}return{files:d,steps:_,diagnostics:r.leftOut}}};export{J as sdkV2Backend};
