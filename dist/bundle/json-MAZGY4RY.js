import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{b as a,c as b}from"./chunk-RJ54IYND.js";import"./chunk-SZ3RVT5D.js";import"./chunk-ES7OPJDC.js";import"./chunk-ZOQXJ2UU.js";export{a as describeParseError,b as parseJsonSteps};
