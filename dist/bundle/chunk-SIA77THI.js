import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
var n=/^[A-Za-z0-9_@%+=:,./-]+$/;function t(r){return n.test(r)?r:`'${r.replace(/'/g,"'\\''")}'`}function e(r){return r===null?"None":r===!0?"True":r===!1?"False":String(r)}export{t as a,e as b};
