import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-HJIAIOPI.js";import"./chunk-SZ3RVT5D.js";import"./chunk-ES7OPJDC.js";import"./chunk-O265LU5M.js";import"./chunk-HDJNGH67.js";import"./chunk-ZOQXJ2UU.js";export{a as misreadOffsets,b as parsePythonSteps};
