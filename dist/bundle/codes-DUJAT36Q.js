import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{g as a,h as b,i as c}from"./chunk-HFACMXX5.js";import"./chunk-ES7OPJDC.js";import"./chunk-ZOQXJ2UU.js";export{a as CODES,b as codeInfo,c as diagnostic};
