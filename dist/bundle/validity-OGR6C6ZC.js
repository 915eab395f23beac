import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-QCJTZO62.js";import"./chunk-AAHTODUX.js";import"./chunk-ZOQXJ2UU.js";export{b as firstInvalidity,a as firstSyntaxErrorAt};
