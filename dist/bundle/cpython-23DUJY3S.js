import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-VTCPJKVG.js";import"./chunk-ZOQXJ2UU.js";export{c as cpythonOutlines,a as cpythonVerdicts,b as userPython};
