import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-AHP2MSYC.js";import"./chunk-SESAAGEK.js";import"./chunk-ES7OPJDC.js";import"./chunk-IRN5OYRW.js";import"./chunk-SXHURYTA.js";import"./chunk-ZOQXJ2UU.js";export{a as misreadOffsets,b as parsePythonSteps};
