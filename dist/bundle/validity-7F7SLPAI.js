import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-IRN5OYRW.js";import"./chunk-SXHURYTA.js";import"./chunk-ZOQXJ2UU.js";export{b as firstInvalidity,a as firstSyntaxErrorAt};
