import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
function o(r){let e=[0];if(r.includes("\r"))for(let n=0;n<r.length;n++){let i=r.charCodeAt(n);(i===10||i===13&&r.charCodeAt(n+1)!==10)&&e.push(n+1)}else for(let n=r.indexOf(`
`);n!==-1;n=r.indexOf(`
`,n+1))e.push(n+1);return{position(n){let i=0,l=e.length-1;for(;i<l;){let t=i+l+1>>1;e[t]<=n?i=t:l=t-1}return{line:i+1,column:n-e[i]+1}},lineStart(n){return e[Math.min(Math.max(n-1,0),e.length-1)]}}}export{o as a};
