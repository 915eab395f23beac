import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-O265LU5M.js";import"./chunk-HDJNGH67.js";import"./chunk-ZOQXJ2UU.js";export{b as firstInvalidity,a as firstSyntaxErrorAt};
